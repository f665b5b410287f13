// The dashboard counters (migration 5) against a GROUP BY over items, on real MariaDB: after
// inserts, status moves, resends and deletes, from several connections at once while folds run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMysql } from '../../shared/db/connect.js';
import { foldItemCounts } from '../../shared/db/state/item-counts-repo.js';
import { countByTypeAndStatus } from '../../shared/db/state/status-repo.js';
import { migrateLatest } from '../../shared/db/state/migrate.js';
import { migrationSource } from '../../migrations/index.js';
import { ALL_STATUSES, isAllowedChange } from '../../shared/db/state/items/transitions.js';
import { counted, countsOnly, figuresOf, truth } from '../support/item-counters.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

const STATUSES = ALL_STATUSES;
/** The statuses an item may move to `to` from (the database refuses other changes). */
const into = (to: string) => ALL_STATUSES.filter((from) => from !== to && isAllowedChange(from, to as never));
const DATES = ['2026-01-02', '2026-01-03', null];

describe('item counters', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('counts');
    await migrateLatest(t.db);
  });
  afterAll(async () => t?.drop());

  it('match a GROUP BY over items, folded or not, while several connections write', async () => {
    const rows = Array.from({ length: 3_000 }, (_, i) => ({
      resource_type: i % 3 === 0 ? 'Patient' : 'Encounter',
      source_key: String(i),
      business_date: i % 3 === 0 ? null : DATES[i % 2],
      status: 'not_sent',
      current_revision: 1,
    }));
    for (let i = 0; i < rows.length; i += 500) await t.db('items').insert(rows.slice(i, i + 500));
    expect(await counted(t.db)).toEqual(await truth(t.db));

    // Four writers move random items through statuses (single rows and ranges, sent twice with
    // a new sent_at, deletes), each move one the item may make from where it is, while a fifth
    // connection folds over and over.
    const writers = Array.from({ length: 4 }, () => connectMysql(t.url, { poolMax: 1 }));
    // The counters keep the newest success ever seen per type, even after that item moved on.
    const newestSent: Array<{ type: string; date: string | null; at: string }> = [];
    let tick = 0;
    let writing = true;
    const folder = (async () => {
      let folds = 0;
      while (writing) folds += (await foldItemCounts(t.db)) > 0 ? 1 : 0;
      return folds;
    })();
    await Promise.all(
      writers.map(async (w, k) => {
        for (let step = 0; step < 150; step++) {
          const id = 1 + ((step * 7919 + k * 104_729) % 3_000);
          const status = STATUSES[(step + k) % STATUSES.length]!;
          if (step % 25 === 24) await w('items').where('id', id).del();
          else if (step % 10 === 0) {
            const to = status === 'sent' ? 'failed' : status;
            await w('items').whereBetween('id', [id, id + 40]).whereIn('status', into(to)).update({ status: to });
          }
          else {
            const sentAt = status === 'sent' ? new Date(Date.UTC(2026, 0, 1) + (tick += 1) * 1000) : null;
            // A second success of a sent item: its sent_at moves on.
            const n = await w('items').where('id', id).whereIn('status', status === 'sent' ? ['sending', 'sent'] : into(status)).update({ status, sent_at: sentAt });
            const row = rows[id - 1]!;
            if (sentAt && n === 1) newestSent.push({ type: row.resource_type, date: row.business_date ?? null, at: sentAt.toISOString() });
          }
        }
      }),
    );
    writing = false;
    expect(await folder).toBeGreaterThan(0);
    await Promise.all(writers.map((w) => w.destroy()));

    const expected = async (date?: string) => {
      const figures = await truth(t.db, date);
      for (const [key, f] of Object.entries(figures)) {
        if (!key.endsWith('/sent')) continue;
        const seen = newestSent.filter((s) => s.type === key.split('/')[0] && (!date || s.date === date || s.date === null)).map((s) => s.at);
        f.lastSent = seen.sort().at(-1) ?? null;
      }
      return figures;
    };
    for (const date of [undefined, '2026-01-02', '2026-01-03']) expect(await counted(t.db, date)).toEqual(await expected(date));
    await foldItemCounts(t.db);
    const [left] = (await t.db('item_count_deltas').count({ n: '*' })) as Array<{ n: number | string }>;
    expect(Number(left!.n)).toBe(0);
    for (const date of [undefined, '2026-01-02', '2026-01-03']) expect(await counted(t.db, date)).toEqual(await expected(date));
  });

  it('keep the time of the newest success of each type', async () => {
    const sent = new Date(Date.UTC(2026, 5, 1, 8, 30, 0, 123));
    await t.db('items').insert({ resource_type: 'Condition', source_key: 'c1', business_date: '2026-01-02', status: 'sending', current_revision: 1 });
    await t.db('items').where({ resource_type: 'Condition', source_key: 'c1' }).update({ status: 'sent', sent_at: sent });
    await foldItemCounts(t.db);
    const figures = await counted(t.db, '2026-01-02');
    expect(figures['Condition/sent']).toEqual({ n: 1, lastSent: sent.toISOString() });
    expect(figures['Condition/sending']).toBeUndefined();
  });

  it('start from the items already there when migration 5 runs on an existing state DB', async () => {
    const old = await createTestDatabase('counts_old');
    try {
      await migrateLatest(old.db);
      while (await old.db.schema.hasTable('item_counts')) await old.db.migrate.down({ migrationSource, tableName: 'knex_migrations' });
      await old.db('items').insert([
        { resource_type: 'Patient', source_key: 'p1', status: 'sent', sent_at: new Date(Date.UTC(2026, 1, 1)), current_revision: 1 },
        { resource_type: 'Patient', source_key: 'p2', status: 'failed', current_revision: 1 },
        { resource_type: 'Encounter', source_key: 'e1', business_date: '2026-01-02', status: 'sent', sent_at: new Date(Date.UTC(2026, 1, 2)), current_revision: 1 },
      ]);
      await migrateLatest(old.db);
      expect(await counted(old.db)).toEqual(await truth(old.db));
      expect(await counted(old.db, '2026-01-02')).toEqual(await truth(old.db, '2026-01-02'));
    } finally {
      await old.drop();
    }
  });

  it('stay exact when migration 7 is undone with single-row changes pending, and done again', async () => {
    const db = (await createTestDatabase('counts_m7'));
    try {
      await migrateLatest(db.db);
      await db.db('items').insert(Array.from({ length: 30 }, (_, i) => ({ resource_type: 'Observation', source_key: `o${i}`, business_date: '2026-01-02', status: 'blocked', current_revision: 1 })));
      await db.db('items').where('source_key', 'like', 'o1%').update({ status: 'sending' });
      await db.db('items').where('source_key', 'like', 'o1%').update({ status: 'sent', sent_at: new Date(Date.UTC(2026, 0, 3)) });
      const [[single]] = (await db.db.raw('SELECT COUNT(*) AS n FROM item_count_deltas WHERE from_status IS NOT NULL')) as [[{ n: number }]];
      expect(Number(single.n)).toBe(22); // 11 items, two changes each, one row per change
      expect(await counted(db.db)).toEqual(await truth(db.db));
      // Down to before migration 7 (the later ones first).
      while ((await db.db.migrate.list({ migrationSource, tableName: 'knex_migrations' }))[0].some((m: { name?: string } | string) => (typeof m === 'string' ? m : m.name ?? '').startsWith('20261127000007'))) {
        await db.db.migrate.down({ migrationSource, tableName: 'knex_migrations' });
      }
      const [rows] = (await db.db.raw(`SELECT resource_type, status, SUM(n) AS n, NULL AS last_sent FROM
        (SELECT resource_type, status, n FROM item_counts UNION ALL SELECT resource_type, status, n FROM item_count_deltas) c
        GROUP BY resource_type, status`)) as [Array<{ resource_type: string; status: string; n: number; last_sent: null }>];
      expect(countsOnly(figuresOf(rows))).toEqual(countsOnly(await truth(db.db)));
      await migrateLatest(db.db);
      await db.db('items').where('source_key', 'o2').update({ status: 'not_sent' });
      expect(await counted(db.db)).toEqual(await truth(db.db));
    } finally {
      await db.drop();
    }
  });

  it('are folded by a reader when no daemon folded a large backlog', async () => {
    await t.db.raw("INSERT INTO items (resource_type, source_key, status, current_revision) SELECT 'Practitioner', CONCAT('bulk', seq), 'not_sent', 1 FROM seq_1_to_25000");
    const pending = async () => Number(((await t.db('item_count_deltas').count({ n: '*' })) as Array<{ n: number | string }>)[0]!.n);
    expect(await pending()).toBeGreaterThanOrEqual(25_000);
    const rows = await countByTypeAndStatus(t.db);
    expect(rows.find((r) => r.resourceType === 'Practitioner' && r.status === 'not_sent')?.count).toBe(25_000);
    expect(await pending()).toBe(0);
  });
});
