// A send job's claims on real MariaDB: whatever a job still holds when it ends, by any path, is
// given back by the one mechanism in daemon/send/work.ts, looked up first where a request that
// could have created it went out. No error path releases a claim by hand.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SendDeps } from '../../daemon/send/deps.js';
import { ReleaseScanRequests } from '../../daemon/send/release-scan-requests.js';
import { hold, settle, withWork } from '../../daemon/send/work.js';
import { claimBundleChildren } from '../../shared/db/state/items/index.js';
import { migrateLatest } from '../../shared/db/state/migrate.js';
import { createLogger } from '../../shared/log/create-logger.js';
import type { SendJobData } from '../../shared/types/items.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

describe('a send job gives back what it holds', () => {
  let t: TestDatabase;
  let enqueued: SendJobData[];
  let deps: SendDeps;
  const ids = new Map<string, number>();

  beforeAll(async () => {
    t = await createTestDatabase('work');
    await migrateLatest(t.db);
  });
  afterAll(async () => t?.drop());

  beforeEach(async () => {
    for (const table of ['attempts', 'item_links', 'request_revisions', 'items']) await t.db(table).delete();
    enqueued = [];
    deps = {
      db: t.db, workerId: 'w#1', sendingStaleMs: 60_000, releaseScans: new ReleaseScanRequests(), log: createLogger({ level: 'silent' }),
      enqueue: async (jobs: SendJobData[]) => void enqueued.push(...jobs),
    } as unknown as SendDeps;
    const seed = async (type: string, key: string, status: string, parents: Array<[string, string]>, satusehatId: string | null = null) => {
      const [id] = await t.db('items').insert({ resource_type: type, source_key: key, status, current_revision: 1, satusehat_id: satusehatId });
      await t.db('request_revisions').insert({ item_id: id, revision: 1, method: 'POST', path: type, body: JSON.stringify({ resourceType: type }), created_by: 'test' });
      for (const [pt, pk] of parents) await t.db('item_links').insert({ item_id: id, parent_type: pt, parent_key: pk });
      ids.set(key, id!);
    };
    await seed('Patient', 'p1', 'sent', [], 'P-1');
    await seed('Encounter', 'e1', 'queued', [['Patient', 'p1']]);
    await seed('Condition', 'c1', 'blocked', [['Patient', 'p1'], ['Encounter', 'e1']]);
    await seed('Condition', 'c2', 'blocked', [['Patient', 'p1'], ['Encounter', 'e1']]);
  });

  const state = async (key: string) => t.db('items').where('id', ids.get(key)!).first('status', 'lookup_first', 'locked_by', 'attempt_count');
  const job = () => ({ itemId: ids.get('e1')!, revision: 1 });

  it('a database error mid-send: every held item back to queued, the ones a request went out for looked up first', async () => {
    const failure = new Error('the database went away');
    const thrown = await withWork(job(), deps, async (work) => {
      hold(work, (await claimBundleChildren(t.db, 'e1', ['Condition'], deps.workerId)).items);
      expect(work.held.size).toBe(3);
      // The Bundle went out with the Encounter and c1 in it; c2 was held but not sent.
      work.mayBeStored.add(ids.get('e1')!).add(ids.get('c1')!);
      throw failure;
    }).then(() => null, (err: unknown) => err);
    expect(thrown).toBe(failure);
    expect(await state('e1')).toMatchObject({ status: 'queued', lookup_first: 1, locked_by: null });
    expect(await state('c1')).toMatchObject({ status: 'queued', lookup_first: 1, locked_by: null });
    expect(await state('c2')).toMatchObject({ status: 'queued', lookup_first: 0, locked_by: null });
    // The job's own item waits for the job's retry; the others need jobs of their own.
    expect(enqueued.map((j) => j.itemId).sort()).toEqual([ids.get('c1')!, ids.get('c2')!].sort());
  });

  it('a send that returns without settling everything: the rest is given back too, and what was settled stays', async () => {
    const result = await withWork(job(), deps, async (work) => {
      const claim = await claimBundleChildren(t.db, 'e1', ['Condition'], deps.workerId);
      hold(work, claim.items);
      const c1 = claim.items.find((i) => i.sourceKey === 'c1')!;
      await settle(work, [{ item: c1, kind: 'verdict', outcome: { status: 'failed', httpCode: 400, errorClass: 'http_4xx', lastError: 'refused', lookupFirst: false } }], deps);
      expect([...work.held.values()].map((i) => i.sourceKey).sort()).toEqual(['c2', 'e1']);
      return { kind: 'skipped', detail: 'test' };
    });
    expect(result).toEqual({ kind: 'skipped', detail: 'test' });
    expect(await state('c1')).toMatchObject({ status: 'failed', locked_by: null });
    expect(await state('c2')).toMatchObject({ status: 'queued', lookup_first: 0, locked_by: null });
    expect(await state('e1')).toMatchObject({ status: 'queued', locked_by: null });
  });

  it('a newer revision saved while the item was held goes back to the queue with a job for it', async () => {
    await withWork(job(), deps, async (work) => {
      // Re-extraction of a row in flight: a new revision, the status left to the worker.
      await t.db('request_revisions').insert({ item_id: work.item.id, revision: 2, method: 'POST', path: 'Encounter', body: '{}', created_by: 'test' });
      await t.db('items').where('id', work.item.id).update({ current_revision: 2 });
      const next = await settle(work, [{ item: work.item, kind: 'verdict', outcome: { status: 'sent', httpCode: 201, satusehatId: 'E-1', errorClass: null, lastError: null, lookupFirst: false } }], deps);
      expect(next.enqueue).toContainEqual({ itemId: work.item.id, revision: 2 });
      return { kind: 'sent' };
    });
    // The id SATUSEHAT gave is kept: the new revision goes as an update of it.
    expect(await state('e1')).toMatchObject({ status: 'queued', locked_by: null });
    expect((await t.db('items').where('id', ids.get('e1')!).first('satusehat_id')).satusehat_id).toBe('E-1');
  });

  it('another worker that took the item over keeps it; the attempts are recorded all the same', async () => {
    await withWork(job(), deps, async (work) => {
      await t.db('items').where('id', work.item.id).update({ locked_by: 'w#2' });
      const attempt = { method: 'POST', url: 'x', requestBody: null, responseBody: '{}', httpCode: 201, durationMs: 1, errorClass: null, errorMessage: null, ruleNumbers: [], startedAt: new Date(), finishedAt: new Date() };
      const next = await settle(work, [{ item: work.item, kind: 'verdict', attempts: [attempt], outcome: { status: 'sent', httpCode: 201, satusehatId: 'E-1', errorClass: null, lastError: null, lookupFirst: false } }], deps);
      expect(next.owned.get(work.item.id)).toBe(false);
      return { kind: 'skipped' };
    });
    expect(await state('e1')).toMatchObject({ status: 'sending', locked_by: 'w#2' });
    expect(await t.db('attempts').where('item_id', ids.get('e1')!).count({ n: '*' }).first()).toEqual({ n: 1 });
  });
});
