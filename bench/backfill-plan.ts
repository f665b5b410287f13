// Backfill planning: extract a large demo database (default 1,000,000 visits) into items and
// request revisions, streaming in batches, without sending. Prints planning time and peak RSS
// (targets: under 10 minutes and under 300 MB).
//   npx tsx bench/backfill-plan.ts [--visits 1000000] [--patients 200000]
// The daemon runs with PM2's node_args (--max-old-space-size=256); to measure the same, run with
//   NODE_OPTIONS=--max-old-space-size=256 npx tsx bench/backfill-plan.ts …
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { runExtraction } from '../daemon/extract/run-extraction.js';
import { createBenchEnv, mb, rssSampler } from './bench-env.js';

const { values } = parseArgs({ options: { visits: { type: 'string', default: '1000000' }, patients: { type: 'string', default: '200000' } } });
const env = await createBenchEnv({ patients: Number(values.patients), visits: Number(values.visits), env: { SEND_MODE: 'bundle' } });
console.log(`V8 heap limit ${mb(getHeapStatistics().heap_size_limit)}`);
console.log(`seeded ${env.seeded.visits} visits, ${env.seeded.patients} patients in ${env.seedSeconds.toFixed(0)} s`);
try {
  const rt = await env.openRuntime();
  const rss = rssSampler();
  const started = performance.now();
  let lastReport = 0;
  let items = 0;
  const summary = await runExtraction({
    source: rt.source, state: rt.state,
    enqueue: async () => undefined, // planning only: the reconciler enqueues not_sent items later
    context: { orgId: rt.config.satusehat.orgId, sourceUtcOffset: rt.config.sourceUtcOffset },
    now: () => new Date(),
    batchSize: 500,
    onBatch: (type, counts) => {
      items = counts.inserted;
      if (performance.now() - lastReport > 15_000) {
        lastReport = performance.now();
        console.log(`  ${((performance.now() - started) / 1000).toFixed(0)} s: ${type} ${counts.read} rows read, RSS ${mb(process.memoryUsage().rss)}`);
      }
    },
  });
  const seconds = (performance.now() - started) / 1000;
  rss.stop();
  const totalItems = Object.values(summary).reduce((n, c) => n + (c?.inserted ?? 0), 0);
  console.log(`planned ${totalItems} items from ${env.seeded.visits} visits in ${seconds.toFixed(0)} s (${(totalItems / seconds).toFixed(0)} items/s); peak RSS ${mb(rss.peak)}`);
  for (const [type, c] of Object.entries(summary)) console.log(`  ${type.padEnd(18)} read ${c!.read}, items ${c!.inserted}, invalid ${c!.invalid}, blocked ${c!.blocked}`);
  void items;
} finally {
  await env.dispose();
}
process.exit(0);
