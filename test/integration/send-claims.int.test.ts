// The state-DB side of sending a visit Bundle on real MariaDB: which of an Encounter's descendants
// one recursive query lets travel with it, the claim's compare-and-set, and finishing several
// entries at once when another worker took one of them over.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectMysql } from '../../shared/db/connect.js';
import { affectedRows, rowsOf, runStatements } from '../../shared/db/statement-batch.js';
import { claimBundleChildren } from '../../shared/db/state/items/index.js';
import { settleClaims, type Settlement } from '../../shared/db/state/items/index.js';
import type { AttemptRecord } from '../../shared/satusehat/outcome.js';
import { migrateLatest } from '../../shared/db/state/migrate.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

const VISIT_TYPES = ['Condition', 'Observation', 'ServiceRequest', 'Specimen', 'DiagnosticReport', 'Medication', 'MedicationRequest'];

interface Seed {
  type: string;
  key: string;
  status: string;
  parents?: Array<[string, string]>;
  satusehatId?: string;
  lookupFirst?: boolean;
}

describe('visit Bundle claims', () => {
  let t: TestDatabase;
  const ids = new Map<string, number>();

  beforeAll(async () => {
    t = await createTestDatabase('claims');
    await migrateLatest(t.db);
  });
  afterAll(async () => t?.drop());

  async function seed(items: Seed[]): Promise<void> {
    await t.db('attempts').delete();
    await t.db('item_links').delete();
    await t.db('request_revisions').delete();
    await t.db('items').delete();
    ids.clear();
    for (const s of items) {
      const [id] = await t.db('items').insert({
        resource_type: s.type, source_key: s.key, status: s.status, current_revision: 1,
        satusehat_id: s.satusehatId ?? null, lookup_first: s.lookupFirst ?? false,
      });
      ids.set(`${s.type}/${s.key}`, id!);
      await t.db('request_revisions').insert({ item_id: id, revision: 1, method: 'POST', path: s.type, body: JSON.stringify({ resourceType: s.type }), created_by: 'test' });
      for (const [type, key] of s.parents ?? []) await t.db('item_links').insert({ item_id: id, parent_type: type, parent_key: key });
    }
  }

  const P: Array<[string, string]> = [['Patient', 'p1']];
  beforeEach(async () => {
    await seed([
      { type: 'Patient', key: 'p1', status: 'sent', satusehatId: 'P-1' },
      { type: 'Practitioner', key: 'dr', status: 'sent', satusehatId: 'N-1' },
      { type: 'Practitioner', key: 'dr-bad', status: 'invalid' },
      { type: 'Encounter', key: 'e1', status: 'sending', parents: P },
      { type: 'Condition', key: 'c1', status: 'blocked', parents: [...P, ['Encounter', 'e1']] },
      { type: 'Observation', key: 'o1', status: 'blocked', parents: [...P, ['Encounter', 'e1'], ['Practitioner', 'dr']] },
      // Waits for an invalid practitioner: stays out.
      { type: 'Observation', key: 'o-bad', status: 'blocked', parents: [['Encounter', 'e1'], ['Practitioner', 'dr-bad']] },
      // Unknown outcome earlier: must look itself up alone first.
      { type: 'Condition', key: 'c-lookup', status: 'queued', parents: [['Encounter', 'e1']], lookupFirst: true },
      // Already sent: not again.
      { type: 'Condition', key: 'c-sent', status: 'sent', satusehatId: 'C-9', parents: [['Encounter', 'e1']] },
      // A lab order three levels deep, and a prescription whose Medication (parentless) joins.
      { type: 'ServiceRequest', key: 'sr1', status: 'blocked', parents: [['Encounter', 'e1']] },
      { type: 'Specimen', key: 'sp1', status: 'blocked', parents: [['ServiceRequest', 'sr1']] },
      { type: 'DiagnosticReport', key: 'dr1', status: 'blocked', parents: [['ServiceRequest', 'sr1'], ['Specimen', 'sp1']] },
      { type: 'Medication', key: 'm1', status: 'queued' },
      { type: 'MedicationRequest', key: 'mr1', status: 'blocked', parents: [['Encounter', 'e1'], ['Medication', 'm1']] },
      // Another visit's Condition: not this Bundle's.
      { type: 'Encounter', key: 'e2', status: 'blocked', parents: P },
      { type: 'Condition', key: 'c2', status: 'blocked', parents: [['Encounter', 'e2']] },
    ]);
  });

  it('claims every descendant that waits only for Bundle members or sent parents, parents first', async () => {
    const claim = await claimBundleChildren(t.db, 'e1', VISIT_TYPES, 'w1');
    const keys = claim.items.map((i) => `${i.resourceType}/${i.sourceKey}`);
    expect(new Set(keys)).toEqual(new Set(['Medication/m1', 'Condition/c1', 'Observation/o1', 'ServiceRequest/sr1', 'MedicationRequest/mr1', 'Specimen/sp1', 'DiagnosticReport/dr1']));
    for (const [child, parent] of [['Specimen/sp1', 'ServiceRequest/sr1'], ['DiagnosticReport/dr1', 'Specimen/sp1'], ['MedicationRequest/mr1', 'Medication/m1']]) {
      expect(keys.indexOf(parent!)).toBeLessThan(keys.indexOf(child!));
    }
    expect(claim.items.every((i) => i.body?.resourceType === i.resourceType)).toBe(true);
    // Outside parents come with their states, so the Bundle needs no second look.
    expect(claim.outsideParents.get('Patient\u0000p1')).toMatchObject({ status: 'sent', satusehatId: 'P-1' });
    expect(claim.outsideParents.get('Practitioner\u0000dr-bad')).toMatchObject({ status: 'invalid' });

    const rows = await t.db('items').select('source_key', 'status', 'locked_by').whereIn('source_key', ['c1', 'o-bad', 'c-lookup', 'c-sent', 'c2', 'm1']);
    const byKey = Object.fromEntries(rows.map((r) => [r.source_key, `${r.status}/${r.locked_by ?? '-'}`]));
    expect(byKey).toEqual({ c1: 'sending/w1', m1: 'sending/w1', 'o-bad': 'blocked/-', 'c-lookup': 'queued/-', 'c-sent': 'sent/-', c2: 'blocked/-' });
  });

  it('a second worker claims nothing already claimed (compare-and-set)', async () => {
    const first = await claimBundleChildren(t.db, 'e1', VISIT_TYPES, 'w1');
    const second = await claimBundleChildren(t.db, 'e1', VISIT_TYPES, 'w2');
    expect(first.items.length).toBe(7);
    expect(second.items).toEqual([]);
  });

  it('finishes several entries in one go, and only those this worker still owns', async () => {
    const claim = await claimBundleChildren(t.db, 'e1', VISIT_TYPES, 'w1');
    const attempt: AttemptRecord = {
      method: 'POST', url: 'x', requestBody: { a: 1 }, responseBody: '{}', httpCode: 200, durationMs: 5,
      errorClass: null, errorMessage: null, ruleNumbers: [], startedAt: new Date(), finishedAt: new Date(),
    };
    const entries = claim.items.map((i, n): Settlement => ({ itemId: i.id, revision: i.revision, kind: 'verdict', attempts: [attempt], outcome: { status: 'sent' as const, httpCode: 201, satusehatId: `S-${n}`, errorClass: null, lastError: null, lookupFirst: false } }));

    // Every claim still held: all recorded.
    expect((await settleClaims(t.db, 'w1', entries.slice(0, 3))).owned).toEqual([true, true, true]);

    // Another worker took one over (its claim went stale): that one is left to it.
    const stolen = entries[4]!.itemId;
    await t.db('items').where('id', stolen).update({ locked_by: 'w2' });
    // In the same trip, after the commit: the children still blocked behind the Encounter (its
    // claimed children are sent now; o-bad waits for an invalid practitioner too).
    const { owned, blockedChildren } = await settleClaims(t.db, 'w1', entries.slice(3), { releaseOf: [{ type: 'Encounter', sourceKey: 'e1' }] });
    expect(owned).toEqual(entries.slice(3).map((e) => e.itemId !== stolen));
    expect(blockedChildren).toEqual([ids.get('Observation/o-bad')]);
    const rows = await t.db('items').select('id', 'status', 'satusehat_id', 'locked_by').whereIn('id', entries.map((e) => e.itemId));
    expect(rows).toHaveLength(entries.length);
    for (const row of rows) {
      if (row.id === stolen) expect(row).toMatchObject({ status: 'sending', satusehat_id: null, locked_by: 'w2' });
      else expect(row).toMatchObject({ status: 'sent', locked_by: null });
    }
    // Attempts are the audit trail: recorded for every entry, owned or not, exactly once.
    const counts = await t.db('attempts').select('item_id').count({ n: '*' }).groupBy('item_id');
    expect(counts.length).toBe(entries.length);
    expect(counts.every((c) => Number(c.n) === 1)).toBe(true);
  });
});

describe('statements in one round trip', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('onetrip');
    await t.db.raw('CREATE TABLE k (id INT PRIMARY KEY, v VARCHAR(20))');
  });
  afterAll(async () => t?.drop());

  for (const multipleStatements of [true, false]) {
    it(`${multipleStatements ? 'as one query' : 'one by one'}: results per statement; a failure rolls the whole transaction back on its connection`, async () => {
      const db = connectMysql(t.url, { poolMax: 1, multipleStatements });
      try {
        await db('k').delete();
        const [inserted, rows] = await runStatements(db, [
          { sql: 'INSERT INTO k (id, v) VALUES (?, ?), (?, ?)', bindings: [1, 'a', 2, "it's; DROP TABLE k"] },
          { sql: 'SELECT id, v FROM k ORDER BY id', bindings: [] },
        ], { transaction: true });
        expect(affectedRows(inserted)).toBe(2);
        expect(rowsOf<{ v: string }>(rows).map((r) => r.v)).toEqual(['a', "it's; DROP TABLE k"]);

        // After the commit, in the same trip: sees what was committed, outside any transaction.
        const [updated, after] = await runStatements(db, [{ sql: 'UPDATE k SET v = ? WHERE id = ?', bindings: ['b', 1] }], {
          transaction: true,
          afterCommit: [{ sql: 'SELECT v, @@in_transaction AS open FROM k WHERE id = ?', bindings: [1] }],
        });
        expect(affectedRows(updated)).toBe(1);
        expect(rowsOf<{ v: string; open: number }>(after).map((r) => ({ v: r.v, open: Number(r.open) }))).toEqual([{ v: 'b', open: 0 }]);

        await expect(runStatements(db, [
          { sql: 'INSERT INTO k (id, v) VALUES (?, ?)', bindings: [3, 'c'] },
          { sql: 'INSERT INTO k (id, v) VALUES (?, ?)', bindings: [1, 'duplicate'] },
        ], { transaction: true })).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' });
        // Row 3 went with the rollback, and the pool's only connection is not left in a transaction.
        const [[state]] = (await db.raw('SELECT COUNT(*) AS n, @@in_transaction AS open FROM k')) as [[{ n: number; open: number }]];
        expect({ n: Number(state.n), open: Number(state.open) }).toEqual({ n: 2, open: 0 });
      } finally {
        await db.destroy();
      }
    });
  }
});
