// Sync throughput: seeds a demo Dekacare DB into fresh databases, then runs `sync --once` against
// the in-process simulator with the rate limit lifted, and prints what it measured.
//   npx tsx bench/sync-throughput.ts [--patients 2000] [--visits 20000] [--concurrency 16] [--latency-ms 0]
import { parseArgs } from 'node:util';
import { loadConfig } from '../shared/config/load-config.js';
import { connectMysql, dropDatabase, ensureDatabase, withDatabase } from '../shared/db/connect.js';
import { seedDemoSource } from '../shared/db/source/index.js';
import { migrateLatest } from '../shared/db/state/migrate.js';
import { createLogger } from '../shared/log/create-logger.js';
import { openRuntime } from '../daemon/runtime.js';
import { syncOnce } from '../daemon/sync-once.js';
import { startSimulator } from '../simulator/index.js';

const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '2000' },
    visits: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '16' },
    'latency-ms': { type: 'string', default: '0' },
    'mysql-url': { type: 'string', default: process.env.TEST_MYSQL_URL ?? 'mysql://satusehat:satusehat@127.0.0.1:3306/' },
  },
});

const tag = `${process.pid}`;
const sourceUrl = withDatabase(values['mysql-url'], `satusehat_bench_src_${tag}`);
const stateUrl = withDatabase(values['mysql-url'], `satusehat_bench_state_${tag}`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

await ensureDatabase(sourceUrl);
await ensureDatabase(stateUrl);
const simulator = await startSimulator({ port: 0, faults: { latencyMs: Number(values['latency-ms']) } });
try {
  const source = connectMysql(sourceUrl, { dateStrings: true });
  const seedStarted = performance.now();
  const seeded = await seedDemoSource(source, { patients: Number(values.patients), visits: Number(values.visits), seed: 1, anchorDate: new Date().toISOString().slice(0, 10) });
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  await source.destroy();
  const state = connectMysql(stateUrl);
  await migrateLatest(state);
  await state.destroy();

  const config = loadConfig({
    SOURCE_DATABASE_URL: sourceUrl, STATE_DATABASE_URL: stateUrl, QUEUE_PREFIX: `bench-${tag}`,
    SATUSEHAT_AUTH_URL: simulator.authUrl, SATUSEHAT_FHIR_URL: simulator.fhirUrl,
    RATE_LIMIT_PER_MINUTE: '10000000', WORKER_CONCURRENCY: values.concurrency, LOG_LEVEL: 'silent',
  });
  const rt = await openRuntime(config, createLogger({ level: 'silent' }));
  const started = performance.now();
  let extractedAt = 0;
  const result = await syncOnce(rt, { pollMs: 200, onProgress: (p) => { if (p.phase === 'dispatching' && !extractedAt) extractedAt = performance.now(); } });
  const seconds = (performance.now() - started) / 1000;
  const stats = simulator.stats();
  const sent = result.status.reduce((n, r) => n + r.sent, 0);
  const created = Object.values(stats.created).reduce((n, v) => n + v, 0);
  await rt.queue.obliterate({ force: true });
  await rt.close();

  console.log(`seed: ${seeded.visits} visits, ${seeded.patients} patients in ${seedSeconds.toFixed(1)} s`);
  console.log(`sync --once: ${sent} items sent (${created} resources created, ${stats.lookups.Patient ?? 0 + (stats.lookups.Practitioner ?? 0)} lookups) in ${seconds.toFixed(1)} s`);
  console.log(`  extraction + first enqueue: ${((extractedAt - started) / 1000).toFixed(1)} s`);
  console.log(`  throughput: ${(sent / seconds).toFixed(0)} items/s, ${(stats.requests / seconds).toFixed(0)} requests/s, ${(sent / Math.max(1, stats.requests)).toFixed(2)} resources per request (no Bundles yet)`);
  console.log(`  duplicates stored by the simulator: ${stats.duplicateIdentifiersStored}`);
  console.log(`peak RSS: ${mb(peakRss)} (bench process: daemon pipeline + in-process simulator)`);
} finally {
  clearInterval(sampler);
  await simulator.close();
  await dropDatabase(sourceUrl);
  await dropDatabase(stateUrl);
}
process.exit(0);
