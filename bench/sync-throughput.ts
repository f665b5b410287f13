// Sync throughput with the rate limit lifted and no simulator latency: how fast the daemon itself
// goes, with transaction Bundles on and off. The daemon must never be the bottleneck.
//   npx tsx bench/sync-throughput.ts [--visits 20000] [--patients 4000] [--modes bundle,single] [--concurrency 16]
import { parseArgs } from 'node:util';
import { syncOnce } from '../daemon/sync-once.js';
import { createBenchEnv, mb, rssSampler } from './bench-env.js';
import { coresBusy, cpuPerUnit, watchCpu, watchServerThreads } from './process-cpu.js';
import { databaseName } from '../shared/db/connect.js';
import { tripStats } from '../shared/db/statement-batch.js';

const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '4000' },
    visits: { type: 'string', default: '20000' },
    modes: { type: 'string', default: 'bundle,single' },
    concurrency: { type: 'string', default: '16' },
    validate: { type: 'string', default: 'true' },
  },
});

for (const mode of values.modes.split(',')) {
  const rss = rssSampler();
  const env = await createBenchEnv({
    patients: Number(values.patients), visits: Number(values.visits),
    env: { SEND_MODE: mode, RATE_LIMIT_PER_MINUTE: '100000000', WORKER_CONCURRENCY: values.concurrency, VALIDATE_BEFORE_SEND: values.validate },
  });
  try {
    const rt = await env.openRuntime();
    let statements = 0;
    let trips = { ...tripStats };
    const byKind = new Map<string, number>();
    rt.state.on('query', (q: { sql: string }) => {
      if (!dispatchStarted) return;
      statements += 1;
      if (process.env.BENCH_SQL_KINDS) byKind.set(q.sql.slice(0, 90), (byKind.get(q.sql.slice(0, 90)) ?? 0) + 1);
    });
    const elu = performance.eventLoopUtilization();
    const started = performance.now();
    let dispatchStarted = 0;
    let eluAtDispatch = elu;
    let cpu: ReturnType<typeof watchCpu> | undefined;
    let serverThreads: ReturnType<typeof watchServerThreads> | undefined;
    const result = await syncOnce(rt, {
      pollMs: 200,
      onProgress: (p) => {
        if (p.phase !== 'dispatching' || dispatchStarted) return;
        dispatchStarted = performance.now();
        eluAtDispatch = performance.eventLoopUtilization();
        trips = { ...tripStats };
        cpu = watchCpu(env.simulator.pid);
        serverThreads = watchServerThreads(rt.state, [databaseName(env.config.stateDatabaseUrl), databaseName(env.config.sourceDatabaseUrl)]);
      },
    });
    const dispatchCpu = cpu?.read();
    const ownThreads = await serverThreads?.stop();
    if (dispatchCpu && ownThreads !== undefined && ownThreads !== null) dispatchCpu['mariadb (this run)'] = ownThreads;
    const total = (performance.now() - started) / 1000;
    const busy = performance.eventLoopUtilization(elu).utilization;
    const busyDispatching = performance.eventLoopUtilization(eluAtDispatch).utilization;
    const dispatch = (performance.now() - dispatchStarted) / 1000;
    const stats = await env.simulator.stats();
    const sent = result.status.reduce((n, r) => n + r.sent, 0);
    const resources = Object.values(stats.created).reduce((n, v) => n + v, 0) + Object.values(stats.lookups).reduce((n, v) => n + v, 0);
    console.log(`[${mode}] seeded ${env.seeded.visits} visits / ${env.seeded.patients} patients in ${env.seedSeconds.toFixed(1)} s`);
    console.log(`[${mode}] sync --once: ${sent} items sent in ${total.toFixed(1)} s (extraction ${(total - dispatch).toFixed(1)} s, dispatch ${dispatch.toFixed(1)} s)`);
    console.log(`[${mode}]   ${(sent / dispatch).toFixed(0)} resources/s during dispatch, ${(stats.requests / dispatch).toFixed(0)} requests/s, ${(resources / Math.max(1, stats.requests)).toFixed(2)} resources per request`);
    const roundTrips = statements + tripStats.trips - trips.trips;
    const allStatements = statements + tripStats.statements - trips.statements;
    console.log(`[${mode}]   state DB during dispatch: ${(roundTrips / Math.max(1, stats.requests)).toFixed(1)} round trips and ${(allStatements / Math.max(1, stats.requests)).toFixed(1)} statements per request (${(allStatements / Math.max(1, sent)).toFixed(2)} per resource)`);
    for (const [kind, n] of [...byKind].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`    ${(n / Math.max(1, stats.requests)).toFixed(2).padStart(6)} per request  ${kind}`);
    if (dispatchCpu) {
      console.log(`[${mode}]   during dispatch: ${cpuPerUnit(dispatchCpu, sent, 'resource')}`);
      // The event loop's busy share below also counts time spent waiting for a core; this is CPU.
      console.log(`[${mode}]   cores busy during dispatch: ${coresBusy(dispatchCpu, dispatch)}`);
    }
    console.log(`[${mode}]   bundles ${stats.bundles}, duplicates stored ${stats.duplicateIdentifiersStored}, peak RSS ${mb(rss.peak)}, event loop busy ${(busyDispatching * 100).toFixed(0)}% while dispatching, ${(busy * 100).toFixed(0)}% in all (the daemon process; the simulator runs in its own)`);
  } finally {
    rss.stop();
    await env.dispose();
  }
}
process.exit(0);
