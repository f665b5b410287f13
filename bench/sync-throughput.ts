// Sync throughput with the rate limit lifted and no simulator latency: how fast the daemon itself
// goes, with transaction Bundles on and off. The daemon must never be the bottleneck.
//   npx tsx bench/sync-throughput.ts [--visits 20000] [--patients 4000] [--modes bundle,single] [--concurrency 16]
import { parseArgs } from 'node:util';
import { syncOnce } from '../daemon/sync-once.js';
import { createBenchEnv, mb, rssSampler } from './bench-env.js';

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
    const elu = performance.eventLoopUtilization();
    const started = performance.now();
    let dispatchStarted = 0;
    const result = await syncOnce(rt, { pollMs: 200, onProgress: (p) => { if (p.phase === 'dispatching' && !dispatchStarted) dispatchStarted = performance.now(); } });
    const total = (performance.now() - started) / 1000;
    const busy = performance.eventLoopUtilization(elu).utilization;
    const dispatch = (performance.now() - dispatchStarted) / 1000;
    const stats = await env.simulator.stats();
    const sent = result.status.reduce((n, r) => n + r.sent, 0);
    const resources = Object.values(stats.created).reduce((n, v) => n + v, 0) + Object.values(stats.lookups).reduce((n, v) => n + v, 0);
    console.log(`[${mode}] seeded ${env.seeded.visits} visits / ${env.seeded.patients} patients in ${env.seedSeconds.toFixed(1)} s`);
    console.log(`[${mode}] sync --once: ${sent} items sent in ${total.toFixed(1)} s (extraction ${(total - dispatch).toFixed(1)} s, dispatch ${dispatch.toFixed(1)} s)`);
    console.log(`[${mode}]   ${(sent / dispatch).toFixed(0)} resources/s during dispatch, ${(stats.requests / dispatch).toFixed(0)} requests/s, ${(resources / Math.max(1, stats.requests)).toFixed(2)} resources per request`);
    console.log(`[${mode}]   bundles ${stats.bundles}, duplicates stored ${stats.duplicateIdentifiersStored}, peak RSS ${mb(rss.peak)}, event loop busy ${(busy * 100).toFixed(0)}% (the daemon process; the simulator runs in its own)`);
  } finally {
    rss.stop();
    await env.dispose();
  }
}
process.exit(0);
