// Backfill planning: extract a large demo database (default 1,000,000 visits) into items and
// request revisions, streaming in batches, without sending. Prints planning time and peak RSS
// (targets: under 10 minutes and under 300 MB).
//   npx tsx bench/backfill-plan.ts [--visits 1000000] [--patients 200000]
// The daemon runs with PM2's node_args (--max-old-space-size=256); to measure the same, run with
//   NODE_OPTIONS=--max-old-space-size=256 npx tsx bench/backfill-plan.ts …
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { runExtraction } from '../daemon/extract/run-extraction.js';
import { databaseName } from '../shared/db/connect.js';
import { createBenchEnv, mb, rssSampler } from './bench-env.js';

/** utime + stime of a process in seconds (fields 14 and 15 of /proc/<pid>/stat, in clock ticks). */
function cpuSeconds(pid: number | 'self' | string): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
/** The local MariaDB/MySQL server, if it runs on this host (its CPU is part of the cost). */
function serverPid(): number | null {
  for (const name of ['mariadbd', 'mysqld']) {
    try {
      return Number(execFileSync('pidof', ['-s', name], { encoding: 'utf8' }).trim());
    } catch { /* not running under this name */ }
  }
  return null;
}
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
  const dbPid = serverPid();
  // The server may be shared: also sum the CPU of the server threads that serve this run's
  // connections (one thread per connection; each thread's first sample is its baseline).
  const threads = new Map<string, { first: number; last: number }>();
  const sampleThreads = async () => {
    if (!dbPid) return;
    const [rows] = (await rt.state.raw('SELECT TID AS tid FROM information_schema.PROCESSLIST WHERE DB IN (?, ?)', [databaseName(env.config.sourceDatabaseUrl), databaseName(env.config.stateDatabaseUrl)])) as [Array<{ tid: number }>];
    for (const { tid } of rows) {
      let cpu: number;
      try {
        cpu = cpuSeconds(`${dbPid}/task/${tid}`);
      } catch {
        continue;
      }
      const t = threads.get(String(tid));
      if (t) t.last = cpu;
      else threads.set(String(tid), { first: cpu, last: cpu });
    }
  };
  await sampleThreads();
  let sampling = Promise.resolve();
  const threadTimer = setInterval(() => (sampling = sampling.then(sampleThreads).catch(() => undefined)), 500);
  const statusBefore = await globalStatus();
  const rss = rssSampler();
  const nodeCpuBefore = cpuSeconds('self');
  const dbCpuBefore = dbPid ? cpuSeconds(dbPid) : 0;
  const started = performance.now();
  let lastReport = 0;
  let items = 0;
  const summary = await runExtraction({
    source: rt.source, state: rt.state,
    enqueue: async () => undefined, // planning only: the reconciler enqueues not_sent items later
    context: { orgId: rt.config.satusehat.orgId, sourceUtcOffset: rt.config.sourceUtcOffset },
    now: () => new Date(),
    onBatch: (type, counts) => {
      items = counts.inserted;
      if (performance.now() - lastReport > 15_000) {
        lastReport = performance.now();
        console.log(`  ${((performance.now() - started) / 1000).toFixed(0)} s: ${type} ${counts.read} rows read, RSS ${mb(process.memoryUsage().rss)}`);
      }
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const nodeCpu = cpuSeconds('self') - nodeCpuBefore;
  clearInterval(threadTimer);
  await sampling;
  await sampleThreads();
  const dbThreadsCpu = [...threads.values()].reduce((n, t) => n + t.last - t.first, 0);
  const dbCpu = dbPid ? cpuSeconds(dbPid) - dbCpuBefore : NaN;
  rss.stop();
  const statusAfter = await globalStatus();
  const totalItems = Object.values(summary).reduce((n, c) => n + (c?.inserted ?? 0), 0);
  console.log(`planned ${totalItems} items from ${env.seeded.visits} visits in ${seconds.toFixed(0)} s (${(totalItems / seconds).toFixed(0)} items/s); peak RSS ${mb(rss.peak)}`);
  console.log(`CPU during planning: node ${nodeCpu.toFixed(1)} s, mariadbd ${dbPid ? dbCpu.toFixed(1) : '?'} s, of which this run's connection threads ${dbThreadsCpu.toFixed(1)} s (wall ${seconds.toFixed(1)} s; server-wide figures include other clients)`);
  const delta = (name: string) => (statusAfter.get(name) ?? 0) - (statusBefore.get(name) ?? 0);
  console.log(`  ${STATUS_VARS.map((n) => `${n} ${/written/.test(n) && !/pages/.test(n) ? mb(delta(n)) : delta(n)}`).join(', ')}`);
  for (const [type, c] of Object.entries(summary)) console.log(`  ${type.padEnd(18)} read ${c!.read}, items ${c!.inserted}, invalid ${c!.invalid}, blocked ${c!.blocked}`);
  void items;
} finally {
  await env.dispose();
}
process.exit(0);
