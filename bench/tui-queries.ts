// What the TUI asks of the state DB, at a million items: the dashboard figures
// (services.status) and pages of the detail list (services.listItems) with a status filter, first /
// middle / last page. The TUI refreshes these every 2 s, so each should answer in < 100 ms.
//   npx tsx bench/tui-queries.ts [--items 1000000] [--page-size 40] [--runs 5] [--keep]
// Builds its own state database (INSERT … SELECT from a generated numbers sequence, no per-row
// round trips), prints milliseconds per query (median of --runs, and the first, cold run), the
// EXPLAIN of anything slower than the target, and drops the database unless --keep.
import { parseArgs } from 'node:util';
import { loadConfig } from '../shared/config/load-config.js';
import { connectMysql, dropDatabase, ensureDatabase, withDatabase } from '../shared/db/connect.js';
import { foldItemCounts } from '../shared/db/state/item-counts-repo.js';
import { migrateLatest } from '../shared/db/state/migrate.js';
import { openServices } from '../shared/services/index.js';
import type { ItemListQuery } from '../shared/services/api.js';
import { NEXT_STATUS_SQL } from './bench-env.js';

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '1000000' },
    'page-size': { type: 'string', default: '40' },
    runs: { type: 'string', default: '5' },
    keep: { type: 'boolean', default: false },
  },
});
const ITEMS = Number(values.items);
const PAGE_SIZE = Number(values['page-size']);
const RUNS = Math.max(1, Number(values.runs));
const TARGET_MS = 100;
const CHUNK = 100_000;
/** Deltas a daemon writes between two folds (2 s) at 2,000 sends/s, with room to spare. */
const DELTAS = 20_000;

const base = process.env.TEST_MYSQL_URL ?? 'mysql://satusehat:satusehat@127.0.0.1:3306/';
const url = withDatabase(base, `satusehat_bench_tui_${process.pid}`);
await ensureDatabase(url);
const db = connectMysql(url, { poolMax: 2 });

// The mix of a clinic after a year or two: a few foundation items, many patients, most of all
// encounters; 85 % sent, the rest spread over every other status.
const TYPE_SQL = `CASE WHEN n <= 50 THEN 'Organization' WHEN n <= 250 THEN 'Location' WHEN n <= 1250 THEN 'Practitioner'
  WHEN n <= ${Math.round(ITEMS * 0.2) + 1250} THEN 'Patient' ELSE 'Encounter' END`;
// A multiplicative hash, so the status does not follow the date or the type.
const BUCKET = '(((n * 2654435761) % 4294967291) % 100)';
const STATUS_SQL = `CASE WHEN ${BUCKET} < 85 THEN 'sent' WHEN ${BUCKET} < 90 THEN 'failed' WHEN ${BUCKET} < 93 THEN 'invalid'
  WHEN ${BUCKET} < 96 THEN 'blocked' WHEN ${BUCKET} < 98 THEN 'not_sent' WHEN ${BUCKET} < 99 THEN 'queued' ELSE 'sending' END`;

async function build(): Promise<number> {
  await migrateLatest(db);
  const started = performance.now();
  const digits = 'SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9';
  for (let from = 1; from <= ITEMS; from += CHUNK) {
    const to = Math.min(ITEMS, from + CHUNK - 1);
    // n = from .. to, from six cross-joined digit tables (portable: MariaDB and MySQL 8).
    await db.raw(`
      INSERT INTO items (resource_type, source_key, business_date, status, last_http_code, satusehat_id, current_revision, attempt_count,
                         error_class, last_error, blocked_by, summary, search_text, sent_at)
      SELECT t.type, CAST(n AS CHAR), IF(t.type = 'Encounter', DATE '2025-01-01' + INTERVAL (n % 700) DAY, NULL), t.status,
             CASE t.status WHEN 'sent' THEN 201 WHEN 'failed' THEN IF(n % 3 = 0, 503, 400) ELSE NULL END,
             IF(t.status = 'sent', CONCAT('ss-', n), NULL), 1, IF(t.status IN ('sent', 'failed'), 1, 0),
             IF(t.status = 'failed', IF(n % 3 = 0, 'http_5xx', 'http_4xx'), NULL),
             IF(t.status = 'failed', 'Invalid reference : Encounter.serviceProvider (RuleNumber: 10124)', NULL),
             IF(t.status = 'blocked', CONCAT('waiting for Patient ', n % 5000, ' (queued)'), NULL),
             JSON_OBJECT('visitNo', CONCAT('RJ', LPAD(n, 9, '0')), 'patient', CONCAT('Pasien ', n % 5000), 'date', '2025-01-01 08:00', 'unit', 'Poli Umum'),
             LOWER(CONCAT('rj', LPAD(n, 9, '0'), ' pasien ', n % 5000)),
             IF(t.status = 'sent', NOW(3) - INTERVAL (n % 86400) SECOND, NULL)
      FROM (SELECT n, ${TYPE_SQL} AS type, ${STATUS_SQL} AS status
            FROM (SELECT ${from} + a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 100000 * g.d AS n
                  FROM (${digits}) a, (${digits}) b, (${digits}) c, (${digits}) e, (${digits}) f, (${digits}) g) seq
            WHERE n <= ${to}) t`);
  }
  await db.raw('ANALYZE TABLE items');
  return (performance.now() - started) / 1000;
}

/** Status moves as a busy daemon makes them, left unfolded: the counters' worst case between folds. */
async function churn(moves: number): Promise<void> {
  for (let done = 0; done < moves; done += 1_000) {
    await db.raw(`UPDATE items SET sent_at = IF(status = 'sending', NOW(3), sent_at), status = ${NEXT_STATUS_SQL}
                  WHERE id BETWEEN ? AND ?`, [done * 37 + 1, done * 37 + 1_000]);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function time<T>(run: () => Promise<T>): Promise<{ first: number; median: number; result: T }> {
  const times: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < RUNS + 1; i++) {
    const t = performance.now();
    result = await run();
    times.push(performance.now() - t);
  }
  return { first: times[0]!, median: median(times.slice(1)), result: result! };
}

async function explain(label: string, sql: string, bindings: readonly unknown[] = []): Promise<void> {
  const rows = (await db.raw(`EXPLAIN ${sql}`, bindings as never))[0] as Array<Record<string, unknown>>;
  console.log(`  EXPLAIN (${label}): ${sql.replace(/\s+/g, ' ').slice(0, 300)}`);
  for (const r of rows) console.log(`    ${['id', 'select_type', 'table', 'type', 'possible_keys', 'key', 'rows', 'Extra'].map((k) => `${k}=${String(r[k] ?? '')}`).join('  ')}`);
}

try {
  const buildSeconds = await build();
  const n = ((await db('items').count({ n: '*' })) as Array<{ n: number }>)[0]?.n ?? 0;
  console.log(`state DB: ${Number(n).toLocaleString('en-US')} items built in ${buildSeconds.toFixed(1)} s (${url.replace(/\/\/[^@]*@/, '//***@')})`);
  let t0 = performance.now();
  const folded = await foldItemCounts(db);
  console.log(`counters: ${folded.toLocaleString('en-US')} trigger deltas folded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const services = await openServices(loadConfig({ STATE_DATABASE_URL: url, LOG_LEVEL: 'silent' }));
  const results: Array<{ label: string; first: number; median: number; detail: string }> = [];
  const slow: string[] = [];
  try {
    const measure = async <T>(label: string, run: () => Promise<T>, detail: (r: T) => string) => {
      const t = await time(run);
      results.push({ label, first: t.first, median: t.median, detail: detail(t.result) });
      if (t.median > TARGET_MS) slow.push(label);
    };
    await measure('status() all dates', () => services.status(), (r) => `${r.length} types`);
    await measure('status(2025-06-01)', () => services.status('2025-06-01'), (r) => `${r.length} types`);
    t0 = performance.now();
    await churn(DELTAS / 2);
    const churnMs = performance.now() - t0;
    await measure(`status() with ${DELTAS.toLocaleString('en-US')} unfolded deltas`, () => services.status(), (r) => `${r.length} types`);
    t0 = performance.now();
    const refolded = await foldItemCounts(db);
    console.log(`counters: ${(DELTAS / 2).toLocaleString('en-US')} status moves in ${churnMs.toFixed(0)} ms; their ${refolded.toLocaleString('en-US')} deltas folded in ${(performance.now() - t0).toFixed(0)} ms`);
    await measure('control()', () => services.control(), (r) => `${r.requestsLastMinute} req/min`);
    const pages = async (label: string, q: Omit<ItemListQuery, 'page' | 'pageSize'>) => {
      const first = await services.listItems({ ...q, page: 1, pageSize: PAGE_SIZE });
      const last = first.pageCount;
      for (const [which, page] of [['first', 1], ['middle', Math.max(1, Math.ceil(last / 2))], ['last', last]] as const) {
        await measure(`listItems ${label} ${which} page`, () => services.listItems({ ...q, page, pageSize: PAGE_SIZE }), (r) => `page ${r.page}/${r.pageCount}, ${r.rows.length} rows of ${r.total.toLocaleString('en-US')}`);
      }
    };
    await pages('Encounter status=failed', { type: 'Encounter', status: 'failed' });
    await pages('Encounter status=problem', { type: 'Encounter', status: 'problem' });
    await pages('Patient status=failed', { type: 'Patient', status: 'failed' });
    await pages('Encounter date+failed', { type: 'Encounter', status: 'failed', date: '2025-06-01' });
    await pages('Encounter all', { type: 'Encounter' });
    await measure('listItems Encounter search (name)', () => services.listItems({ type: 'Encounter', search: 'pasien 4321', pageSize: PAGE_SIZE }), (r) => `${r.total} matches`);
    await measure('listItems Encounter search (visit no.)', () => services.listItems({ type: 'Encounter', search: 'rj000654321', pageSize: PAGE_SIZE }), (r) => `${r.total} matches`);
  } finally {
    await services.close();
  }
  const w = Math.max(...results.map((r) => r.label.length));
  console.log(`\n${'query'.padEnd(w)}  ${'median ms'.padStart(9)}  ${'first ms'.padStart(8)}  result   (target < ${TARGET_MS} ms, page size ${PAGE_SIZE}, ${RUNS} runs)`);
  for (const r of results) console.log(`${r.label.padEnd(w)}  ${r.median.toFixed(1).padStart(9)}  ${r.first.toFixed(1).padStart(8)}  ${r.median > TARGET_MS ? 'SLOW ' : ''}${r.detail}`);
  if (slow.length > 0) {
    console.log(`\n${slow.length} quer${slow.length === 1 ? 'y is' : 'ies are'} over ${TARGET_MS} ms:`);
    if (slow.some((s) => s.startsWith('status('))) {
      await explain('status: counters', 'SELECT resource_type, status, SUM(n) FROM item_counts GROUP BY resource_type, status');
      await explain('status: pending deltas', 'SELECT resource_type, status, SUM(n) FROM item_count_deltas GROUP BY resource_type, status');
    }
    if (slow.some((s) => s.startsWith('listItems'))) {
      await explain('count failed Encounter', "SELECT COUNT(*) FROM items WHERE resource_type = 'Encounter' AND status = 'failed'");
      await explain('last page of failed Encounter', `SELECT id FROM items FORCE INDEX (items_type_status_idx) WHERE resource_type = 'Encounter' AND status = 'failed' ORDER BY id LIMIT ${PAGE_SIZE} OFFSET 39000`);
      await explain('search', "SELECT id FROM items WHERE resource_type = 'Encounter' AND search_text LIKE '%pasien 4321%'");
    }
  }
} finally {
  await db.destroy();
  if (!values.keep) await dropDatabase(url);
}
process.exit(0);
