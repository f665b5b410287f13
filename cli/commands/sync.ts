import { ExitError, EXIT } from '../../shared/errors.js';
import { RESOURCE_TYPES, type ResourceTypeName } from '../../shared/fhir/types.js';
import { problemsOfRun, topProblems, totals, type ProblemRow } from '../../shared/services/status-service.js';
import { openRuntime, type Runtime } from '../../daemon/runtime.js';
import { syncOnce } from '../../daemon/sync-once.js';
import { cliLogger, loadCliConfig } from '../context.js';
import { statusTable } from '../output.js';
import { createProgressPrinter } from '../progress.js';

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function parseTypes(value: string): ResourceTypeName[] {
  const types = value.split(',').map((t) => t.trim()).filter(Boolean);
  for (const t of types) {
    if (!(RESOURCE_TYPES as readonly string[]).includes(t)) throw new ExitError(EXIT.usage, `unknown resource type "${t}": choose from ${RESOURCE_TYPES.join(', ')}`);
  }
  return types as ResourceTypeName[];
}

const problemLine = (p: ProblemRow) => {
  const kind = p.status === 'blocked' ? `blocked (parent: ${p.kind})` : `${p.status} (${p.kind})`;
  return `  ${String(p.count).padStart(6)}  ${p.resourceType} ${kind}\n          e.g. ${truncate(p.example, 150)}\n`;
};

/**
 * Runs one sync to completion on an open runtime and prints the result; returns the exit code.
 * Exit 3 when items are left failed, invalid, blocked or checking, paused or not. `quiet` is for
 * cron: nothing at all unless items became failed or invalid in this run, then a short summary
 * and exit 3 (known bad rows are in `status`, not in every mail).
 */
export async function runSyncAndReport(rt: Runtime, options: { json?: boolean; quiet?: boolean; full?: boolean; types?: ResourceTypeName[]; trigger?: 'once' | 'demo' }): Promise<number> {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const progress = createProgressPrinter(process.stderr, options.quiet || options.json);
  try {
    const result = await syncOnce(rt, {
      trigger: options.trigger ?? 'once',
      types: options.types,
      full: options.full,
      signal: controller.signal,
      onProgress: (p) => progress.update(p.phase, p.status),
    });
    progress.finish();
    const t = totals(result.status);
    const [problems, fresh] = await Promise.all([topProblems(rt.state), problemsOfRun(rt.state, result.runId)]);
    const freshCount = fresh.reduce((n, p) => n + p.count, 0);
    if (options.json) {
      process.stdout.write(JSON.stringify({ runId: result.runId, interrupted: result.interrupted, paused: result.paused, extraction: result.extraction, types: result.status, totals: t, problems, newProblems: fresh }, null, 2) + '\n');
    } else if (options.quiet) {
      if (freshCount > 0) {
        process.stdout.write(`sync run ${result.runId}: ${freshCount} item${freshCount === 1 ? '' : 's'} became failed or invalid in this run (${t.sent}/${t.total} sent in all)\n`);
        for (const p of fresh) process.stdout.write(problemLine(p));
        process.stdout.write(`details: satusehat items list --type ${fresh[0]!.resourceType} --status problem\n`);
      }
    } else {
      process.stdout.write(`\n${statusTable(result.status)}\n`);
      process.stdout.write(`\nsync run ${result.runId}${result.interrupted ? ' interrupted' : ' finished'}: ${t.sent}/${t.total} sent, ${t.failed} failed, ${t.invalid} invalid, ${t.blocked} blocked${t.checking > 0 ? `, ${t.checking} outcome unknown (SATUSEHAT is asked again by identifier; never sent twice)` : ''}${freshCount > 0 ? `; ${freshCount} became failed or invalid in this run` : ''}\n`);
      if (problems.length > 0) {
        process.stdout.write('\nNot sent, and why (most common first; one example each):\n');
        for (const p of problems) process.stdout.write(problemLine(p));
      }
      if (result.paused) process.stdout.write('dispatching is paused by an operator (see `satusehat status`); run `satusehat resume` to send\n');
    }
    if (result.interrupted) return EXIT.interrupted;
    if (options.quiet) return freshCount > 0 ? EXIT.itemsFailed : EXIT.ok;
    return t.failed + t.invalid + t.blocked + t.checking > 0 ? EXIT.itemsFailed : EXIT.ok;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export async function syncCommand(options: { once?: boolean; json?: boolean; quiet?: boolean; full?: boolean; types?: string }): Promise<number> {
  if (!options.once) throw new ExitError(EXIT.usage, 'sync needs --once (for continuous sync run `satusehat daemon`)');
  const types = options.types ? parseTypes(options.types) : undefined;
  const config = loadCliConfig();
  const rt = await openRuntime(config, cliLogger(config));
  try {
    return await runSyncAndReport(rt, { json: options.json, quiet: options.quiet, full: options.full, types });
  } finally {
    await rt.close();
  }
}
