// `satusehat worklist <kind>`: what to fix in Dekacare, one row per patient, practitioner, drug,
// lab test or room, with what waits on it. Exit 0 when the list is empty, 3 otherwise.
import { EXIT } from '../../shared/errors.js';
import type { Worklist, WorklistKind } from '../../shared/services/api.js';
import { bold, dim, green } from '../output.js';
import { printJson, withServices } from './common.js';
import { fit, terminalWidth, truncate } from './format.js';

const CSV_COLUMNS = ['item_id', 'type', 'name', 'detail', 'problem', 'fix', 'visits_waiting'] as const;
const csvCell = (v: string | number) => (/[",\n\r]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

export function worklistCsv(w: Worklist): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of w.rows) lines.push([r.itemId, r.type, r.name, r.detail, r.problem, r.fix, r.visitsWaiting].map(csvCell).join(','));
  return lines.join('\n') + '\n';
}

export function worklistText(w: Worklist, width = terminalWidth()): string {
  if (w.rows.length === 0) return `${bold(w.title)}\n${green('nothing to fix')}`;
  const fixWidth = Math.max(20, width - 30 - 22 - 8 - 8 - 5);
  const out = [bold(`${w.title}: ${w.rows.length} to fix, ${w.visitsWaiting} visits wait on them`), `${fit('NAME', 30)} ${fit('DETAIL', 22)} ${'VISITS'.padStart(6)} ${'ITEM'.padStart(8)}  FIX IN DEKACARE`];
  for (const r of w.rows) out.push(`${fit(r.name, 30)} ${fit(r.detail, 22)} ${String(r.visitsWaiting).padStart(6)} ${String(r.itemId).padStart(8)}  ${truncate(r.fix, fixWidth)}`);
  out.push(dim('the whole text: --json or --csv; one item: satusehat items show <ITEM>'));
  return out.join('\n');
}

export function worklistCommand(kind: WorklistKind, options: { json?: boolean; csv?: boolean; limit?: number }): Promise<number> {
  return withServices(async (services) => {
    const w = await services.worklist(kind, options.limit ?? 1_000);
    if (options.json) printJson(w);
    else if (options.csv) process.stdout.write(worklistCsv(w));
    else process.stdout.write(worklistText(w) + '\n');
    return w.rows.length === 0 ? EXIT.ok : EXIT.itemsFailed;
  });
}
