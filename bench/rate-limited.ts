// At the default cap of 150 requests a minute, shared by every worker, how many resources reach
// SATUSEHAT per minute, and how many 429s come back? The simulator enforces a real 150/min window.
// It drains a whole backlog (default 300 visits of the demo mix) and reports the average, so
// that every kind of request (visit Bundles, Medications sent on their own) is in the figure.
//   npx tsx bench/rate-limited.ts [--visits 300] [--max-minutes 15] [--limit 150] [--mode bundle]
import { parseArgs } from 'node:util';
import { startDispatcher } from '../daemon/dispatcher.js';
import { runExtraction } from '../daemon/extract/run-extraction.js';
import { createBenchEnv } from './bench-env.js';
import { openRuntime } from '../daemon/runtime.js';
import { countInProcess } from '../shared/db/state/items/index.js';
import { createLogger } from '../shared/log/create-logger.js';

const { values } = parseArgs({ options: { visits: { type: 'string', default: '300' }, 'max-minutes': { type: 'string', default: '15' }, limit: { type: 'string', default: '150' }, mode: { type: 'string', default: 'bundle' } } });
const limit = Number(values.limit);
// Steady state, as a clinic runs day to day: practitioners, patients and rooms are already in
// SATUSEHAT (sent here first with the limit lifted), then visits flow under the real cap.
const env = await createBenchEnv({
  patients: Math.max(20, Math.round(Number(values.visits) / 3)), visits: Number(values.visits),
  env: { SEND_MODE: values.mode, RATE_LIMIT_PER_MINUTE: String(limit), WORKER_CONCURRENCY: '8' },
});
try {
  const rt = await env.openRuntime();
  const context = { orgId: rt.config.satusehat.orgId, sourceUtcOffset: rt.config.sourceUtcOffset, minResourceDate: rt.config.minResourceDate };
  const foundation = await openRuntime({ ...rt.config, rateLimitPerMinute: 1_000_000, queuePrefix: `${rt.config.queuePrefix}-foundation` }, createLogger({ level: 'silent' }));
  await runExtraction({ source: foundation.source, state: foundation.state, enqueue: foundation.enqueue, context, now: () => new Date(), types: ['Organization', 'Location', 'Practitioner', 'Patient'] });
  const warmup = startDispatcher(foundation, 'bench-foundation');
  while ((await countInProcess(foundation.state)).queued + (await countInProcess(foundation.state)).sending > 0) await new Promise((r) => setTimeout(r, 500));
  await warmup.close();
  await foundation.queue.obliterate({ force: true });
  await foundation.close();
  await fetch(`${env.simulator.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rateLimitPerMinute: limit, retryAfterSeconds: 5 }) });

  await runExtraction({ source: rt.source, state: rt.state, enqueue: rt.enqueue, context, now: () => new Date(), deferTypes: values.mode === 'bundle' ? ['Encounter'] : [], delayTypes: values.mode === 'bundle' ? ['Medication'] : [], delayMs: rt.config.bundleWaitMs });
  const dispatcher = startDispatcher(rt, 'bench');
  await dispatcher.reconcileNow();
  const startedStats = await env.simulator.stats();
  const started = Date.now();
  const ms = Number(values['max-minutes']) * 60_000;
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const work = await countInProcess(rt.state);
    if (work.queued + work.sending + work.notSent === 0 || Date.now() - started > ms) break;
  }
  const stats = await env.simulator.stats();
  await dispatcher.close();
  const created = Object.values(stats.created).reduce((n, v) => n + v, 0) - Object.values(startedStats.created).reduce((n, v) => n + v, 0);
  const lookups = Object.values(stats.lookups).reduce((n, v) => n + v, 0) - Object.values(startedStats.lookups).reduce((n, v) => n + v, 0);
  const minutes = (Date.now() - started) / 60_000;
  console.log(`[${values.mode}] limit ${limit}/min for ${minutes.toFixed(1)} min: ${stats.requests - startedStats.requests} requests (${((stats.requests - startedStats.requests) / minutes).toFixed(0)}/min)`);
  console.log(`[${values.mode}]   resources delivered: ${((created + lookups) / minutes).toFixed(0)}/min (${(created / minutes).toFixed(0)} created + ${(lookups / minutes).toFixed(0)} NIK lookups)`);
  console.log(`[${values.mode}]   429s received: ${stats.injected.rateLimited + stats.injected['429']}, tokens issued: ${stats.tokensIssued}`);
} finally {
  await env.dispose();
}
process.exit(0);
