// The TUI's memory over an hour of live refresh, compressed: the dashboard and then an Encounter
// detail list, rendered by Ink (ink-testing-library) on real services and a real state DB whose
// figures change between refreshes. Prints the heap after a full GC at each step; flat = no leak.
//   npx tsx --expose-gc bench/tui-memory.ts [--refreshes 1800] [--items 5000]
// 1,800 refreshes = one hour at the TUI's 2 s interval; here they run back to back (poll 5 ms).
import { parseArgs } from 'node:util';
import { loadConfig } from '../shared/config/load-config.js';
import { connectMysql, dropDatabase, ensureDatabase, withDatabase } from '../shared/db/connect.js';
import { migrateLatest } from '../shared/db/state/migrate.js';
import { openServices } from '../shared/services/index.js';
import type { TuiEnvironment } from '../tui/context.js';
import { mb, NEXT_STATUS_SQL } from './bench-env.js';

// As bin/satusehat.js does: React's production build (set before React is loaded). Run with
// NODE_ENV=development to see the development build's growth.
process.env.NODE_ENV ??= 'production';
const { render } = await import('ink-testing-library');
const { default: React } = await import('react');
const { App } = await import('../tui/app.js');

const { values } = parseArgs({ options: { refreshes: { type: 'string', default: '1800' }, items: { type: 'string', default: '5000' } } });
const REFRESHES = Number(values.refreshes);
const ITEMS = Number(values.items);
const POLL_MS = 5;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc (npx tsx --expose-gc bench/tui-memory.ts)');

const base = process.env.TEST_MYSQL_URL ?? 'mysql://satusehat:satusehat@127.0.0.1:3306/';
const url = withDatabase(base, `satusehat_bench_tuimem_${process.pid}`);
await ensureDatabase(url);
const db = connectMysql(url, { poolMax: 2 });
await migrateLatest(db);
// MariaDB's sequence engine (seq_1_to_N) gives the rows without round trips.
await db.raw(`
  INSERT INTO items (resource_type, source_key, business_date, status, current_revision, summary, search_text)
  SELECT IF(seq % 5 = 0, 'Patient', 'Encounter'), CAST(seq AS CHAR), IF(seq % 5 = 0, NULL, DATE '2026-01-01' + INTERVAL (seq % 300) DAY),
         ELT(1 + seq % 4, 'sent', 'failed', 'queued', 'blocked'), 1,
         JSON_OBJECT('visitNo', CONCAT('RJ', seq), 'patient', CONCAT('Pasien ', seq % 900), 'date', '2026-01-01 08:00', 'unit', 'Poli Umum'),
         CONCAT('rj', seq, ' pasien ', seq % 900)
  FROM seq_1_to_${ITEMS}`);

const services = await openServices(loadConfig({ STATE_DATABASE_URL: url, LOG_LEVEL: 'silent' }));
let polls = 0;
const counted: TuiEnvironment['services'] = {
  ...services,
  status: (date) => {
    polls += 1;
    return services.status(date);
  },
  listItems: (q) => {
    polls += 1;
    return services.listItems(q);
  },
};
const env: TuiEnvironment = {
  services: counted, readOnly: true, noColor: false, environment: 'simulator', sourceUtcOffset: '+07:00',
  now: () => new Date(), editor: null, pollMs: POLL_MS, size: { columns: 160, rows: 48 }, log: () => undefined,
};

const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};
/** Moves a few items to another status, so every refresh brings new figures and a re-render. */
let turn = 0;
const churn = () => db.raw(`UPDATE items SET status = ${NEXT_STATUS_SQL} WHERE id BETWEEN ? AND ?`, [(turn * 97) % ITEMS, ((turn++) * 97) % ITEMS + 50]);

const app = render(React.createElement(App, { env, operator: { username: 'bench', name: 'Bench', role: 'admin' } }));
const samples: Array<{ refreshes: number; heap: number; rss: number }> = [];
try {
  const step = Math.max(1, Math.floor(REFRESHES / 6));
  const started = performance.now();
  for (let phase = 0; phase < 2; phase++) {
    if (phase === 1) app.stdin.write('\r'); // Enter on the first card: the detail list of that type
    const until = polls + REFRESHES / 2;
    while (polls < until) {
      await churn();
      // The test stdout keeps every frame ever written; a terminal does not. Keep only the last.
      app.frames.splice(0, app.frames.length - 1);
      await new Promise((r) => setTimeout(r, POLL_MS * 4));
      if (samples.length === 0 || polls - samples.at(-1)!.refreshes >= step) samples.push({ refreshes: polls, heap: heap(), rss: process.memoryUsage().rss });
    }
  }
  samples.push({ refreshes: polls, heap: heap(), rss: process.memoryUsage().rss });
  const frame = app.lastFrame() ?? '';
  console.log(`React ${process.env.NODE_ENV} build; ${polls} refreshes (status + list queries) in ${((performance.now() - started) / 1000).toFixed(0)} s; last frame ${frame.split('\n').length} lines`);
  for (const s of samples) console.log(`  after ${String(s.refreshes).padStart(5)} refreshes: heap ${mb(s.heap)}, RSS ${mb(s.rss)}`);
  const settled = samples.slice(1);
  const growth = settled.at(-1)!.heap - settled[0]!.heap;
  console.log(`heap growth from the first sample after start-up to the end: ${(growth / 1024 / 1024).toFixed(1)} MB`);
} finally {
  app.unmount();
  await services.close();
  await db.destroy();
  await dropDatabase(url);
}
process.exit(0);
