// The database itself refuses a change of items.status that transitions.ts does not declare: the
// test walks every pair of statuses through a plain UPDATE, as any writer (or a hand-typed SQL
// fix) would make it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest } from '../../shared/db/state/migrate.js';
import { ALL_STATUSES, allowedChanges } from '../../shared/db/state/items/transitions.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

describe('item status transitions in the database', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('transitions');
    await migrateLatest(t.db);
  });
  afterAll(async () => t?.drop());

  it('each declared change works, every other one is refused and leaves the row as it was', async () => {
    const allowed = allowedChanges();
    const results: Array<{ pair: string; ok: boolean; status: string }> = [];
    let n = 0;
    for (const from of ALL_STATUSES) {
      for (const to of ALL_STATUSES) {
        if (from === to) continue;
        n += 1;
        const [id] = await t.db('items').insert({ resource_type: 'Condition', source_key: `k${n}`, status: from, current_revision: 1 });
        const ok = await t.db('items').where('id', id).update({ status: to }).then(() => true, (err: { sqlState?: string; message: string }) => {
          expect(err.sqlState).toBe('45000');
          expect(err.message).toMatch(new RegExp(`status ${from} -> ${to} is not a declared transition`));
          return false;
        });
        const row = await t.db('items').where('id', id).first('status');
        results.push({ pair: `${from}>${to}`, ok, status: row.status });
      }
    }
    expect(results.length).toBe(ALL_STATUSES.length * (ALL_STATUSES.length - 1));
    for (const r of results) {
      expect(r.ok, r.pair).toBe(allowed.has(r.pair));
      expect(r.status, r.pair).toBe(r.ok ? r.pair.split('>')[1] : r.pair.split('>')[0]);
    }
    // Both sides are exercised: some allowed, most refused.
    expect(results.filter((r) => r.ok).length).toBe(allowed.size);
    expect(results.filter((r) => !r.ok).length).toBeGreaterThan(10);
  });

  it('writes that keep the status are not transitions and pass', async () => {
    const [id] = await t.db('items').insert({ resource_type: 'Condition', source_key: 'same', status: 'sent', current_revision: 1 });
    await t.db('items').where('id', id).update({ status: 'sent', last_error: 'noted' });
    expect((await t.db('items').where('id', id).first('last_error')).last_error).toBe('noted');
  });
});
