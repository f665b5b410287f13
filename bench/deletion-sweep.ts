// The deletion sweep (docs/corrections.md): how long a whole walk over the sent items of the swept
// types takes, and what it asks of the state and source databases, then how many retractions it
// finds after 1% of the diagnoses are deleted and 1% of the visits cancelled. Planning only, no
// sends: the planned items are marked sent along the declared transitions.
//   npx tsx bench/deletion-sweep.ts [--visits 1000000] [--patients 200000] [--budget 50000]
import { parseArgs } from 'node:util';
import { SWEPT_TYPES, sweepDeletions } from '../daemon/extract/deletion-sweep.js';
import { extractionDefaults, runExtraction } from '../daemon/extract/run-extraction.js';
import { createBenchEnv } from './bench-env.js';

const STATUS_VARS = ['Com_select', 'Com_insert', 'Com_update', 'Handler_read_key', 'Handler_read_next', 'Innodb_rows_read'];

const { values } = parseArgs({ options: { visits: { type: 'string', default: '1000000' }, patients: { type: 'string', default: '200000' }, budget: { type: 'string', default: '50000' } } });
const budget = Number(values.budget);
const env = await createBenchEnv({ patients: Number(values.patients), visits: Number(values.visits), env: { SEND_MODE: 'bundle', SWEEP_ITEMS_PER_PASS: '0' } });
console.log(`seeded ${env.seeded.visits} visits, ${env.seeded.patients} patients in ${env.seedSeconds.toFixed(0)} s`);
try {
  const rt = await env.openRuntime();
  const planStarted = performance.now();
  await runExtraction({ ...extractionDefaults(rt), enqueue: async () => undefined });
  console.log(`planned in ${((performance.now() - planStarted) / 1000).toFixed(0)} s`);
  // As if sent: (blocked →) not_sent → queued → sending → sent, each a declared transition.
  const markStarted = performance.now();
  const steps = [['blocked', 'not_sent', ''], ['not_sent', 'queued', ''], ['queued', 'sending', ''], ['sending', 'sent', ", satusehat_id = CONCAT('bench-', id), sent_at = NOW(3)"]] as const;
  for (const [from, to, extra] of steps) {
    await rt.state.raw(`UPDATE items SET status = ?${extra} WHERE status = ? AND resource_type IN (${SWEPT_TYPES.map(() => '?').join(', ')})`, [to, from, ...SWEPT_TYPES]);
  }
  const sent = Number(((await rt.state('items').where('status', 'sent').count({ n: '*' })) as Array<{ n: number }>)[0]!.n);
  console.log(`${sent} items of ${SWEPT_TYPES.join(', ')} marked sent in ${((performance.now() - markStarted) / 1000).toFixed(0)} s`);

  const status = async () => {
    const [rows] = (await rt.state.raw(`SHOW GLOBAL STATUS WHERE Variable_name IN (${STATUS_VARS.map(() => '?').join(', ')})`, STATUS_VARS)) as [Array<{ Variable_name: string; Value: string }>];
    return new Map(rows.map((r) => [r.Variable_name, Number(r.Value)]));
  };
  const walk = async (label: string) => {
    const before = await status();
    const started = performance.now();
    let checked = 0;
    let retracted = 0;
    let passes = 0;
    let slowest = 0;
    const wrapped = new Set<string>();
    for (;;) {
      const r = await sweepDeletions({ source: rt.source, state: rt.state, enqueue: async () => undefined }, budget);
      passes += 1;
      checked += r.checked;
      retracted += r.retracted;
      slowest = Math.max(slowest, r.ms);
      for (const [type, t] of Object.entries(r.byType)) if (t.wrapped) wrapped.add(type);
      if (wrapped.size === SWEPT_TYPES.length) break;
    }
    const seconds = (performance.now() - started) / 1000;
    const after = await status();
    console.log(`${label}: ${checked} items checked in ${passes} passes of at most ${budget}, until every type was walked to its end (${seconds.toFixed(1)} s, ${(checked / seconds).toFixed(0)} items/s, slowest pass ${(slowest / 1000).toFixed(1)} s); ${retracted} retracted`);
    console.log(`  database (server-wide): ${STATUS_VARS.map((n) => `${n} ${(after.get(n) ?? 0) - (before.get(n) ?? 0)}`).join(', ')}`);
  };
  await walk('walk with nothing deleted');
  const [[{ n: diagnoses }]] = (await rt.source.raw('SELECT COUNT(*) AS n FROM diagnoses')) as unknown as [[{ n: number }]];
  await rt.source.raw('DELETE FROM diagnoses WHERE MOD(id, 100) = 7');
  await rt.source.raw("UPDATE visits SET status = 'cancelled' WHERE MOD(id, 100) = 13 AND status <> 'cancelled'");
  console.log(`deleted 1% of ${diagnoses} diagnoses and cancelled 1% of the visits`);
  await walk('walk after the deletions');
} finally {
  await env.dispose();
}
process.exit(0);
