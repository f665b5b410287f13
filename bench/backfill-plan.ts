// Backfill planning: extract a large demo database (default 1,000,000 visits) into items and
// request revisions, streaming in batches, without sending. Prints planning time and peak RSS
// (targets: under 10 minutes and under 300 MB).
//   npx tsx bench/backfill-plan.ts [--visits 1000000] [--patients 200000]
// The daemon runs with PM2's node_args (--max-old-space-size=256); to measure the same, run with
//   NODE_OPTIONS=--max-old-space-size=256 npx tsx bench/backfill-plan.ts …
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { extractionDefaults, runExtraction } from '../daemon/extract/run-extraction.js';
import { databaseName } from '../shared/db/connect.js';
import { createBenchEnv, mb, rssSampler } from './bench-env.js';
import { watchCpu, watchServerThreads } from './process-cpu.js';

const STATUS_VARS = ['Com_insert', 'Com_select', 'Com_update', 'Com_commit', 'Questions', 'Handler_write', 'Innodb_data_written', 'Innodb_os_log_written', 'Innodb_pages_written'];

const { values } = parseArgs({ options: { visits: { type: 'string', default: '1000000' }, patients: { type: 'string', default: '200000' } } });
const env = await createBenchEnv({ patients: Number(values.patients), visits: Number(values.visits), env: { SEND_MODE: 'bundle' } });
console.log(`V8 heap limit ${mb(getHeapStatistics().heap_size_limit)}`);
console.log(`seeded ${env.seeded.visits} visits, ${env.seeded.patients} patients in ${env.seedSeconds.toFixed(0)} s`);
try {
  const rt = await env.openRuntime();
  const globalStatus = async () => {
    const [rows] = (await rt.state.raw(`SHOW GLOBAL STATUS WHERE Variable_name IN (${STATUS_VARS.map(() => '?').join(', ')})`, STATUS_VARS)) as [Array<{ Variable_name: string; Value: string }>];
    return new Map(rows.map((r) => [r.Variable_name, Number(r.Value)]));
  };
  // The server may be shared: its threads serving this run's connections are counted apart.
  const serverThreads = watchServerThreads(rt.state, [databaseName(env.config.sourceDatabaseUrl), databaseName(env.config.stateDatabaseUrl)]);
  const statusBefore = await globalStatus();
  const rss = rssSampler();
  const cpu = watchCpu(undefined);
  const started = performance.now();
  let lastReport = 0;
  const summary = await runExtraction({
    ...extractionDefaults(rt),
    enqueue: async () => undefined, // planning only: the reconciler enqueues not_sent items later
    onBatch: (type, counts) => {
      if (performance.now() - lastReport > 15_000) {
        lastReport = performance.now();
        console.log(`  ${((performance.now() - started) / 1000).toFixed(0)} s: ${type} ${counts.read} rows read, RSS ${mb(process.memoryUsage().rss)}`);
      }
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const { daemon: nodeCpu, mariadb: dbCpu } = cpu.read();
  const dbThreadsCpu = await serverThreads.stop();
  rss.stop();
  const statusAfter = await globalStatus();
  const totalItems = Object.values(summary).reduce((n, c) => n + (c?.inserted ?? 0), 0);
  console.log(`planned ${totalItems} items from ${env.seeded.visits} visits in ${seconds.toFixed(0)} s (${(totalItems / seconds).toFixed(0)} items/s); peak RSS ${mb(rss.peak)}`);
  const secs = (s: number | null | undefined) => (s == null ? '?' : s.toFixed(1));
  console.log(`CPU during planning: node ${secs(nodeCpu)} s, mariadbd ${secs(dbCpu)} s, of which this run's connection threads ${secs(dbThreadsCpu)} s (wall ${seconds.toFixed(1)} s; server-wide figures include other clients)`);
  const delta = (name: string) => (statusAfter.get(name) ?? 0) - (statusBefore.get(name) ?? 0);
  console.log(`  ${STATUS_VARS.map((n) => `${n} ${/written/.test(n) && !/pages/.test(n) ? mb(delta(n)) : delta(n)}`).join(', ')}`);
  for (const [type, c] of Object.entries(summary)) console.log(`  ${type.padEnd(18)} read ${c!.read}, items ${c!.inserted}, invalid ${c!.invalid}, blocked ${c!.blocked}`);
} finally {
  await env.dispose();
}
process.exit(0);
