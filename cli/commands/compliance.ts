// `satusehat compliance`: the share of visits sent to SATUSEHAT per day (SE HK.02.01/MENKES/1030/2023),
// and the unsent visits with the reason each waits. Exit 0 when every visit of the range is sent
// complete, 3 otherwise.
import type { ComplianceDay, ComplianceReport } from '../../shared/services/api.js';
import { EXIT } from '../../shared/errors.js';
import { bold, dim, green, red, yellow } from '../output.js';
import { printJson, withServices } from './common.js';
import { clipLine, terminalWidth } from './format.js';

const pct = (p: number) => `${p.toFixed(1)}%`;
const tone = (p: number) => (p >= 100 ? green : p >= 90 ? yellow : red);

function dayLine(d: ComplianceDay): string {
  return `${d.date.padEnd(10)}  ${String(d.visits).padStart(7)}  ${String(d.encounterSent).padStart(9)}  ${tone(d.sharePercent)(pct(d.sharePercent).padStart(6))}  ${String(d.complete).padStart(8)}  ${tone(d.completePercent)(pct(d.completePercent).padStart(6))}`;
}

export function complianceText(r: ComplianceReport, width = terminalWidth()): string {
  const out = [
    bold(`Visits sent to SATUSEHAT, ${r.from} to ${r.to} (target ${r.targetPercent}%, SE HK.02.01/MENKES/1030/2023)`),
    `${'DATE'.padEnd(10)}  ${'VISITS'.padStart(7)}  ${'ENCOUNTER'.padStart(9)}  ${'SHARE'.padStart(6)}  ${'COMPLETE'.padStart(8)}  ${'SHARE'.padStart(6)}`,
    ...r.days.map(dayLine),
    bold(dayLine(r.total)),
    dim('ENCOUNTER: the visit is on SATUSEHAT; COMPLETE: so is every item of the visit (diagnoses, vital signs, …)'),
  ];
  if (r.unsentTotal === 0) return [...out, green(`every visit of the range is sent complete`)].join('\n');
  const by = [r.unsentBy.extraction && `${r.unsentBy.extraction} not read yet`, r.unsentBy.encounter && `${r.unsentBy.encounter} on their Encounter`, r.unsentBy.items && `${r.unsentBy.items} on items of the visit`].filter(Boolean).join(', ');
  out.push('', bold(`${r.unsentTotal} visits not sent complete (${by})${r.unsent.length < r.unsentTotal ? `, the first ${r.unsent.length}:` : ':'}`));
  for (const u of r.unsent) out.push(clipLine(`  ${u.date}  ${u.visitNo.padEnd(13)} ${u.reason}`, width));
  if (r.unsent.length < r.unsentTotal) out.push(dim(`  … ${r.unsentTotal - r.unsent.length} more: --limit N, or --json`));
  out.push(dim('find one: satusehat items list --type Encounter --search <visit no>; why each type waits: satusehat worklist <kind>'));
  return out.join('\n');
}

export function complianceCommand(options: { from?: string; to?: string; limit?: number; json?: boolean }): Promise<number> {
  return withServices(async (services) => {
    const report = await services.compliance({ from: options.from, to: options.to }, { unsentLimit: options.limit ?? (options.json ? 1_000 : 20) });
    if (options.json) printJson(report);
    else process.stdout.write(complianceText(report) + '\n');
    return report.unsentTotal === 0 ? EXIT.ok : EXIT.itemsFailed;
  });
}
