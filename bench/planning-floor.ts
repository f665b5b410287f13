// The state DB's share of backfill planning, at its floor: MariaDB CPU per planned item for only
// the three rows every item needs (the item, its request revision, its parent links), written as
// the planner writes them (multi-row INSERTs of 1,000 / 500 / 1,000 rows, as one SQL string), with
// nothing else running. The real planner also reads parents, writes count deltas and commits, so
// its figure is higher; what this prints is the least MariaDB can spend per item with this schema.
//   npx tsx bench/planning-floor.ts [--items 200000] [--links 2.7]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { prepareMapped } from '../daemon/extract/run-extraction.js';
import { connectMysql, databaseName, dropDatabase, ensureDatabase, withDatabase } from '../shared/db/connect.js';
import { migrateLatest } from '../shared/db/state/migrate.js';
import { sqlLiteral } from '../shared/db/state/sql-values.js';
import { mapVitalSigns } from '../shared/fhir/mappers/vital-signs.js';
import type { MapResult } from '../shared/fhir/types.js';
import type { VitalSignsRow } from '../shared/types/source-rows.js';
import { watchCpu, watchServerThreads } from './process-cpu.js';

const { values } = parseArgs({ options: { items: { type: 'string', default: '200000' }, links: { type: 'string', default: '2.7' } } });
const ITEMS = Number(values.items);
/** Parent links per item: 2.7 in the demo mix (Handler_write of a 100,000-visit plan). */
const LINKS_PER_ITEM = Number(values.links);

// A real mapper output (a vital sign, the most common item) gives the rows their real sizes.
const golden = JSON.parse(readFileSync(new URL('../test/fixtures/fhir/observation/vital-igd-nyeri.json', import.meta.url), 'utf8')) as MapResult[];
const sample = prepareMapped(golden[0]!);

const base = process.env.TEST_MYSQL_URL ?? 'mysql://satusehat:satusehat@127.0.0.1:3306/';
const url = withDatabase(base, `satusehat_bench_floor_${process.pid}`);
await ensureDatabase(url);
const db = connectMysql(url, { poolMax: 1 });
try {
  await migrateLatest(db);
  const values = (rows: unknown[][]) => rows.map((r) => `(${r.map((v) => sqlLiteral(v as string | number | null)).join(',')})`).join(',');
  const run = async (label: string, rowsPerItem: number, batch: number, sql: (from: number, to: number) => string) => {
    const threads = watchServerThreads(db, [databaseName(url)]);
    const cpu = watchCpu(undefined);
    const started = performance.now();
    for (let i = 0; i < ITEMS; i += batch) await db.raw(sql(i, Math.min(ITEMS, i + batch)));
    const wall = (performance.now() - started) / 1000;
    const own = (await threads.stop()) ?? Number.NaN;
    const { mariadb } = cpu.read();
    const perItem = (s: number | null | undefined) => (((s ?? Number.NaN) * 1e6) / ITEMS).toFixed(1);
    console.log(`${label.padEnd(34)} ${perItem(own)} µs per item on its connection, ${perItem(mariadb)} µs all of mariadbd (${rowsPerItem.toFixed(1)} rows per item, ${wall.toFixed(1)} s)`);
    return (own * 1e6) / ITEMS;
  };

  // The planner counts its inserts itself (migration 6); so does this.
  await db.raw('SET @satusehat_counted_by_caller = 1');
  const itemRow = (i: number) => ['Observation', `${i}:8867-4`, 1, 'blocked', 'waiting for Encounter 1 to be sent', sample.businessDate, sample.hash, JSON.stringify(sample.summary), `${i}:8867-4 ${sample.searchText}`.slice(0, 400), null, null, null];
  const items = await run('items (8 indexes)', 1, 1000, (from, to) =>
    `INSERT INTO items (resource_type,source_key,current_revision,status,blocked_by,business_date,source_hash,summary,search_text,issues,last_error,error_class) VALUES ${values(Array.from({ length: to - from }, (_, k) => itemRow(from + k)))}`);
  const firstId = Number(((await db.raw('SELECT MIN(id) AS id FROM items')) as [Array<{ id: number }>])[0][0]!.id);
  const revisions = await run(`request_revisions (${sample.bodyJson!.length} B body)`, 1, 500, (from, to) =>
    `INSERT INTO request_revisions (item_id,revision,method,path,body,created_by,edited) VALUES ${values(Array.from({ length: to - from }, (_, k) => [firstId + from + k, 1, 'POST', 'Observation', sample.bodyJson!, 'extractor', 0]))}`);
  const parentTypes = ['Encounter', 'Patient', 'Practitioner'];
  const links = await run(`item_links (${LINKS_PER_ITEM} per item)`, LINKS_PER_ITEM, 1000, (from, to) => {
    const rows: unknown[][] = [];
    for (let i = from; i < to; i += 1) {
      const n = Math.floor(LINKS_PER_ITEM) + (i % 10 < Math.round((LINKS_PER_ITEM % 1) * 10) ? 1 : 0);
      for (let p = 0; p < n; p += 1) rows.push([firstId + i, parentTypes[p % 3]!, `${Math.floor(i / (9 + p * 40))}`]);
    }
    return `INSERT IGNORE INTO item_links (item_id,parent_type,parent_key) VALUES ${values(rows)}`;
  });
  const floor = items + revisions + links;

  // Node's part at its floor: map a full vital-signs row (9 Observations), hash and serialise each
  // Observation, and write its three rows as SQL text; no reading, no waiting, no database.
  const row = JSON.parse(readFileSync(new URL('../test/fixtures/source/observation/vital-lengkap.json', import.meta.url), 'utf8')) as VitalSignsRow;
  const context = { orgId: '100011961', sourceUtcOffset: '+07:00', now: new Date() };
  const nodeCpu = process.cpuUsage();
  let mappedItems = 0;
  let sqlBytes = 0;
  for (let i = 0; mappedItems < ITEMS; i += 1) {
    for (const m of mapVitalSigns({ ...row, id: row.id + i }, context).map((m) => prepareMapped(m))) {
      mappedItems += 1;
      sqlBytes += values([itemRow(i)]).length + values([[i, 1, 'POST', 'Observation', m.bodyJson ?? null, 'extractor', 0]]).length + values(m.parents.map((p) => [i, p.type, p.sourceKey])).length;
    }
  }
  const used = process.cpuUsage(nodeCpu);
  const nodeFloor = (used.user + used.system) / mappedItems;
  console.log(`node: ${nodeFloor.toFixed(1)} µs per item to map, hash and serialise (${(sqlBytes / mappedItems).toFixed(0)} B of SQL per item)`);
  const planned = 13_873_143; // items planned from the 1,000,000-visit demo clinic
  console.log(`floor: ${floor.toFixed(1)} µs of MariaDB CPU per item; ${planned.toLocaleString('en')} items (1,000,000 visits) = ${((floor * planned) / 1e6).toFixed(0)} s of one core for these inserts alone`);
  console.log(`together: ${(floor + nodeFloor).toFixed(0)} µs per item, at best ${((2 * 1e6) / (floor + nodeFloor)).toFixed(0)} items/s on 2 cores = ${((planned * (floor + nodeFloor)) / 2e6 / 60).toFixed(1)} min for 1,000,000 visits, before reading the source, parent look-ups, counts and commits`);
  console.log(`a 10-minute plan on 2 cores leaves ${((1200 * 1e6) / planned).toFixed(0)} µs of CPU per item for everything: reading, mapping, hashing, these inserts and the rest`);
} finally {
  await db.destroy();
  await dropDatabase(url);
}
process.exit(0);
