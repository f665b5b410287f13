// `items list` (a card's detail table) and `items show` (the Request / Response side panel).
import { ExitError, EXIT } from '../../shared/errors.js';
import type { ItemDetail, ItemListQuery, ItemPage } from '../../shared/services/api.js';
import { bold, dim, red } from '../output.js';
import { printJson, withServices } from './common.js';
import { badge, badgeLong, BADGE_WIDTH, fit, plural, shortTime, terminalWidth, truncate } from './format.js';

export interface ItemsListOptions {
  type: string;
  status?: ItemListQuery['status'];
  date?: string;
  search?: string;
  page?: number;
  pageSize?: number;
  json?: boolean;
}

/** Registry column widths, shrunk evenly when the terminal is narrower than they want. */
function columnWidths(wanted: number[], available: number): number[] {
  const total = wanted.reduce((a, b) => a + b, 0);
  if (total <= available) return wanted;
  return wanted.map((w) => Math.max(4, Math.floor((w * available) / total)));
}

export function itemsTable(page: ItemPage, width: number): string {
  const idWidth = Math.max(4, ...page.rows.map((r) => String(r.id).length));
  const gaps = page.columns.length + 2;
  const widths = columnWidths(page.columns.map((c) => c.width), width - idWidth - BADGE_WIDTH - gaps);
  const used = idWidth + BADGE_WIDTH + widths.reduce((a, b) => a + b, 0) + gaps;
  const problemWidth = width - used - 1;
  const showProblem = problemWidth >= 8;
  const header = [fit('ID', idWidth), fit('STATUS', BADGE_WIDTH), ...page.columns.map((c, k) => fit(c.label.toUpperCase(), widths[k]!)), showProblem ? 'PROBLEM' : ''].join(' ');
  const lines = page.rows.map((r) => {
    const cells = [String(r.id).padStart(idWidth), badge(r), ...page.columns.map((c, k) => fit(r.summary[c.key] ?? '-', widths[k]!))];
    const problem = r.blockedBy ?? (r.status === 'sent' ? '' : (r.lastError ?? ''));
    // Each cell is cut to its width (the badge carries colour codes, so lines are never cut whole).
    if (showProblem && problem) cells.push(dim(truncate(problem, problemWidth)));
    return cells.join(' ').trimEnd();
  });
  return [bold(header.trimEnd()), ...lines].join('\n');
}

function describeQuery(o: ItemsListOptions): string {
  return [o.type, o.status ? `status ${o.status}` : null, o.date ? `date ${o.date}` : null, o.search ? `search "${o.search}"` : null].filter(Boolean).join(' · ');
}

export async function itemsListCommand(options: ItemsListOptions): Promise<number> {
  const query: ItemListQuery = { type: options.type, status: options.status, date: options.date, search: options.search, page: options.page, pageSize: options.pageSize };
  return withServices(async (services) => {
    const page = await services.listItems(query);
    if (options.json) {
      printJson({ query: { ...query, page: page.page, pageSize: page.pageSize }, ...page });
      return EXIT.ok;
    }
    const out = process.stdout;
    if (page.total === 0) {
      out.write(`no items: ${describeQuery(options)}\n`);
      return EXIT.ok;
    }
    out.write(itemsTable(page, terminalWidth()) + '\n');
    out.write(dim(`${describeQuery(options)} · page ${page.page} of ${page.pageCount} · ${plural(page.total, 'item')}`) + '\n');
    if (page.page < page.pageCount) out.write(dim(`next page: --page ${page.page + 1}; one item: satusehat items show <id>`) + '\n');
    return EXIT.ok;
  });
}

const pretty = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));

function showText(d: ItemDetail): string {
  const i = d.item;
  const lines: string[] = [];
  lines.push(bold(`Item ${i.id} · ${i.type} ${i.sourceKey}`) + `  ${badgeLong(i)}`);
  const current = d.current;
  lines.push(
    `SATUSEHAT id ${i.satusehatId ?? '-'} · revision ${i.currentRevision}${current?.edited ? ` (edited by ${current.createdBy})` : ''} · ${plural(i.attemptCount, 'attempt')} · updated ${shortTime(i.updatedAt)}${i.sentAt ? ` · sent ${shortTime(i.sentAt)}` : ''}`,
  );
  const summary = Object.entries(i.summary).filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`).join(' · ');
  if (summary) lines.push(dim(summary));
  if (i.blockedBy) lines.push('', `${bold('Waiting:')} ${i.blockedBy}`);
  if (d.outcome) {
    lines.push('', `${bold('Hint:')} ${d.outcome.hint}`);
    for (const m of d.outcome.messages) lines.push(`  ${red('-')} ${m}`);
    if (d.outcome.ruleNumbers.length > 0) lines.push(dim(`  RuleNumber ${d.outcome.ruleNumbers.join(', ')}`));
  } else if (i.lastError && i.status !== 'sent' && d.issues.length === 0) {
    lines.push('', `${bold('Last error:')} ${i.lastError}`);
  }
  if (d.issues.length > 0) {
    lines.push('', bold('Local validation issues (not sent):'));
    for (const issue of d.issues) lines.push(`  - ${issue.path}: ${issue.message}${issue.rule ? ` (RuleNumber ${issue.rule})` : ''}`);
  }
  if (current) {
    lines.push('', bold(`Request (revision ${current.revision}, ${current.method} ${current.path}${current.edited ? `, edited by ${current.createdBy}` : ''}):`));
    if (d.nextSend) lines.push(`next send: ${d.nextSend.method} ${d.nextSend.url} (${d.nextSend.why})`);
    lines.push(current.body === null ? dim('(no body: a lookup)') : pretty(current.body));
  } else {
    lines.push('', dim('No request was built for this item (see the issues above).'));
  }
  const last = d.attempts[0];
  if (last) {
    lines.push('', bold(`Response (attempt ${last.id}, ${last.method}, HTTP ${last.httpCode ?? 'none'}, ${last.durationMs} ms, ${shortTime(last.startedAt)}):`));
    lines.push(last.responseBody === null ? dim(`(no response: ${last.errorMessage ?? last.errorClass ?? 'unknown'})`) : pretty(last.responseBody));
    lines.push('', bold('Attempts (newest first):'));
    for (const a of d.attempts) {
      const path = a.url.replace(/^https?:\/\/[^/]+/, '');
      lines.push(`  ${shortTime(a.startedAt)}  r${a.revision}  ${a.method.padEnd(4)} ${truncate(path, 50).padEnd(50)} ${String(a.httpCode ?? '-').padStart(3)} ${String(a.durationMs).padStart(6)} ms  ${a.errorClass ?? 'ok'}`);
    }
    if (i.attemptCount > d.attempts.length) lines.push(dim(`  … ${i.attemptCount - d.attempts.length} older attempts not shown`));
  }
  const next: string[] = [];
  if (current?.body && i.status !== 'sending') next.push(`satusehat edit ${i.id}`);
  if (['failed', 'not_sent'].includes(i.status) || (i.status === 'invalid' && current)) next.push(`satusehat resend ${i.id}`);
  if (next.length > 0) lines.push('', dim(`Next: ${next.join(' · ')}`));
  return lines.join('\n');
}

export async function itemsShowCommand(id: number, options: { json?: boolean; request?: boolean; response?: boolean; attempts?: boolean }): Promise<number> {
  return withServices(async (services) => {
    const detail = await services.showItem(id);
    if (!detail) throw new ExitError(EXIT.usage, `item ${id} not found (list items with \`satusehat items list --type <Type>\`)`);
    if (options.request || options.response || options.attempts) {
      // One part only, as JSON: for piping into jq or a file.
      const part = options.request ? (detail.current?.body ?? null) : options.response ? (detail.attempts[0]?.responseBody ?? null) : detail.attempts;
      printJson(part);
    } else if (options.json) {
      printJson(detail);
    } else {
      process.stdout.write(showText(detail) + '\n');
    }
    return EXIT.ok;
  });
}
