// `resend <id...>` and `resend --type T --status S`: put items back on the send queue. More than
// one item is a bulk action: it asks on a terminal and needs --yes without one.
import { ExitError, EXIT } from '../../shared/errors.js';
import type { ItemListQuery, Operator, Services } from '../../shared/services/api.js';
import { canPrompt, confirm } from '../prompt.js';
import { bold, dim, yellow } from '../output.js';
import { parseItemId } from './args.js';
import { cliOperator, printJson, say, withServices } from './common.js';

export interface ResendOptions {
  type?: string;
  status?: ItemListQuery['status'];
  date?: string;
  search?: string;
  force?: boolean;
  yes?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

const list = (ids: number[], max = 20) => `${ids.slice(0, max).join(', ')}${ids.length > max ? `, … (${ids.length - max} more)` : ''}`;

/** Bulk actions need a yes: from the terminal, or --yes when there is none. */
async function confirmBulk(count: number, what: string, yes: boolean | undefined): Promise<void> {
  if (yes || count <= 1) return;
  if (!canPrompt()) {
    throw new ExitError(EXIT.usage, `resend of ${count} items needs confirmation: add --yes (or --dry-run to only count them)`);
  }
  if (!(await confirm(`Resend ${count} ${what}?`))) throw new ExitError(EXIT.usage, 'resend cancelled; nothing changed');
}

async function notePaused(services: Services): Promise<void> {
  const control = await services.control();
  if (control.paused) say(`note: sending is paused by ${control.pausedBy ?? '?'}${control.pausedReason ? ` (${control.pausedReason})` : ''}; queued items wait for \`satusehat resume\``);
}

async function resendIds(services: Services, ids: number[], operator: Operator, options: ResendOptions): Promise<number> {
  const preview = await services.resend(ids, operator, { force: options.force, dryRun: true });
  // An id that names no item is a typo, not a skipped item: usage error, and nothing is queued.
  const missing = preview.skipped.filter((s) => s.reason === 'not found').map((s) => s.id);
  if (missing.length > 0) throw new ExitError(EXIT.usage, `no item with id ${list(missing)}: nothing was queued (find ids with \`satusehat items list --type T\`)`);
  if (!options.dryRun) await confirmBulk(preview.queued.length, 'items', options.yes);
  const result = options.dryRun ? preview : await services.resend(ids, operator, { force: options.force });
  if (options.json) {
    printJson({ dryRun: Boolean(options.dryRun), ...result });
  } else {
    const verb = options.dryRun ? 'would queue' : 'queued';
    process.stdout.write(`${verb} ${result.queued.length} item${result.queued.length === 1 ? '' : 's'}${result.queued.length > 0 ? `: ${list(result.queued)}` : ''}\n`);
    for (const s of result.skipped) process.stdout.write(`skipped ${s.id}: ${s.reason}\n`);
    if (!options.dryRun && result.queued.length > 0) {
      await notePaused(services);
      say(dim(`follow with: satusehat items show ${result.queued[0]}`));
    }
  }
  // On stderr with --json too: a script's log keeps it, its parser does not see it.
  if (result.waiting) say(yellow(`note: ${result.waiting}`));
  return result.skipped.length > 0 ? EXIT.itemsFailed : EXIT.ok;
}

async function resendQuery(services: Services, query: ItemListQuery, operator: Operator, options: ResendOptions): Promise<number> {
  const what = `${query.type} items${query.status ? ` (${query.status})` : ''}`;
  const preview = await services.resendMatching(query, operator, { dryRun: true });
  if (options.dryRun || preview.matched === 0) {
    if (options.json) printJson({ dryRun: true, query, ...preview });
    else if (preview.matched === 0) process.stdout.write(`nothing to resend: no ${what} can be resent\n`);
    else process.stdout.write(`would resend ${preview.matched} ${what}, e.g. ${list(preview.sampleIds, 10)}\n${dim('run again without --dry-run to do it')}\n`);
    return EXIT.ok;
  }
  await confirmBulk(preview.matched, what, options.yes);
  const result = await services.resendMatching(query, operator, { dryRun: false });
  if (options.json) printJson({ dryRun: false, query, ...result });
  else {
    process.stdout.write(`${bold(`queued ${result.queued} of ${result.matched}`)} ${what}\n`);
    await notePaused(services);
  }
  if (result.waiting) say(yellow(`note: ${result.waiting}`));
  return result.queued < result.matched ? EXIT.itemsFailed : EXIT.ok;
}

export async function resendCommand(idArgs: string[], options: ResendOptions): Promise<number> {
  const ids = idArgs.map(parseItemId);
  const byQuery = options.type !== undefined;
  if (ids.length > 0 && byQuery) throw new ExitError(EXIT.usage, 'give item ids or --type (with --status), not both');
  if (ids.length === 0 && !byQuery) throw new ExitError(EXIT.usage, 'resend what? give item ids, or --type T --status failed');
  if (!byQuery && (options.status || options.date || options.search)) throw new ExitError(EXIT.usage, '--status, --date and --search select items together with --type');
  if (byQuery && !options.status) throw new ExitError(EXIT.usage, 'bulk resend needs --status (failed, invalid, not_sent or problem)');
  if (byQuery && options.force) throw new ExitError(EXIT.usage, '--force is for single items (resend <id> --force); bulk resend never re-sends sent items');
  if (byQuery && ['sent', 'queued', 'sending', 'blocked'].includes(options.status!)) {
    throw new ExitError(EXIT.usage, `${options.status} items cannot be bulk-resent: use failed, invalid, not_sent or problem`);
  }
  const operator = cliOperator();
  return withServices((services) =>
    byQuery
      ? resendQuery(services, { type: options.type!, status: options.status, date: options.date, search: options.search }, operator, options)
      : resendIds(services, ids, operator, options),
  );
}
