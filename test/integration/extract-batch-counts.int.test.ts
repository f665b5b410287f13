// Extraction's bulk insert counts its own items (one delta row per date and status, migration 6)
// instead of the per-row trigger: the figures must stay exact, and a connection handed back to
// the pool must be counted by the trigger again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMysql } from '../../shared/db/connect.js';
import { foldItemCounts } from '../../shared/db/state/item-counts-repo.js';
import { applyMappedBatch, type MappedItem } from '../../shared/db/state/items/index.js';
import { migrateLatest } from '../../shared/db/state/migrate.js';
import { counted, countsOnly, truth } from '../support/item-counters.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

function mapped(key: string, options: { date?: string | null; invalid?: boolean; parent?: string } = {}): MappedItem {
  return {
    sourceKey: key,
    businessDate: options.date ?? null,
    summary: { no: key },
    searchText: key,
    hash: `h-${key}`.padEnd(40, '0'),
    request: options.invalid ? null : { method: 'POST', path: 'Condition', body: { resourceType: 'Condition', id: key } as never },
    parents: options.parent ? [{ type: 'Patient', sourceKey: options.parent }] : [],
    issues: options.invalid ? [{ path: 'Condition.onset', message: 'in the future' }] : [],
  };
}

async function figures(db: TestDatabase['db'], date?: string) {
  return { counted: countsOnly(await counted(db, date)), truth: countsOnly(await truth(db, date)) };
}

describe('batch-counted extraction inserts', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('batchcounts');
    await migrateLatest(t.db);
  });
  afterAll(async () => t?.drop());

  it('store text as given, whatever it holds (the INSERT is built as one SQL string)', async () => {
    const tricky = "it's \\ \"q\" \n\r\t \u0000 \u001a é 😀 ? ?? :x";
    const item = { ...mapped('tricky'), summary: { name: tricky }, searchText: tricky, request: { method: 'POST' as const, path: `Observation?x=${tricky}`, body: { resourceType: 'Observation', note: [{ text: tricky }] } as never } };
    const applied = await applyMappedBatch(t.db, 'Observation', [item], { expectNew: true });
    expect(applied.inserted).toBe(1);
    const row = await t.db('items as i').join('request_revisions as r', 'r.item_id', 'i.id').where('i.source_key', 'tricky').first('i.search_text', 'i.summary', 'r.path', 'r.body');
    expect(row.search_text).toBe(tricky);
    expect(typeof row.summary === 'string' ? JSON.parse(row.summary) : row.summary).toEqual({ name: tricky });
    expect(row.path).toBe(`Observation?x=${tricky}`);
    expect(typeof row.body === 'string' ? JSON.parse(row.body) : row.body).toEqual({ resourceType: 'Observation', note: [{ text: tricky }] });
  });

  it('count every item exactly, by date and status, and leave the trigger on for the next user of the connection', async () => {
    const db = connectMysql(t.url, { poolMax: 1 });
    try {
      const patients = await applyMappedBatch(db, 'Patient', [mapped('p1'), mapped('p2'), mapped('p3', { invalid: true })], { expectNew: true });
      expect(patients.inserted).toBe(3);
      const batch = Array.from({ length: 250 }, (_, i) =>
        mapped(`c${i}`, { date: i % 3 === 0 ? '2026-01-02' : '2026-01-03', invalid: i % 7 === 0, parent: i % 2 === 0 ? 'p1' : 'p9' }),
      );
      const applied = await applyMappedBatch(db, 'Condition', batch, { expectNew: true });
      expect(applied).toMatchObject({ inserted: 250, invalid: 36 });
      // Some exist already: the optimistic insert fails on the unique key and the batch is
      // stored the normal way, each item counted once.
      const again = await applyMappedBatch(db, 'Condition', [...batch.slice(0, 5), mapped('c-new', { date: '2026-01-02' })], { expectNew: true });
      expect(again).toMatchObject({ inserted: 1, unchanged: 5 });
      // The same (only) connection, by hand: the trigger counts it.
      await db('items').insert({ resource_type: 'Procedure', source_key: 'x1', business_date: '2026-01-02', status: 'not_sent', current_revision: 1 });
      for (const date of [undefined, '2026-01-02', '2026-01-03']) {
        const f = await figures(t.db, date);
        expect(f.counted).toEqual(f.truth);
      }
      expect(Object.values((await figures(t.db)).truth).reduce((a, b) => a + b, 0)).toBe(256);
      // Far fewer delta rows than items, and they fold to the same figures.
      const [pending] = (await t.db('item_count_deltas').count({ n: '*' })) as Array<{ n: number | string }>;
      expect(Number(pending!.n)).toBeLessThan(20);
      await foldItemCounts(t.db);
      const f = await figures(t.db);
      expect(f.counted).toEqual(f.truth);
    } finally {
      await db.destroy();
    }
  });
});
