// A blocked item is released by the send that gives its last parent an id. Whoever stores an item
// as blocked must therefore not race that send: extraction reads parents under shared locks in the
// transaction that stores the children, and a claim given back as blocked reads its parents again.
// The reconciler's walk over every blocked item is then only the crash safety net, and is not
// repeated on every pass (in a backlog it costs seconds of the database each time).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Reconciler } from '../../daemon/reconciler.js';
import type { SendDeps } from '../../daemon/send/deps.js';
import { ReleaseScanRequests } from '../../daemon/send/release-scan-requests.js';
import { settle, type Work } from '../../daemon/send/work.js';
import { connectMysql } from '../../shared/db/connect.js';
import { applyMappedBatch, type ClaimedItem, type MappedItem } from '../../shared/db/state/items/index.js';
import { migrateLatest } from '../../shared/db/state/migrate.js';
import { createSendQueue } from '../../shared/queue/send-queue.js';
import type { SendJobData } from '../../shared/types/items.js';
import { createTestDatabase, TEST_REDIS_URL, uniqueName, type TestDatabase } from '../support/test-db.js';

const claimed = (id: number): ClaimedItem => ({ id, resourceType: 'Condition', sourceKey: `c${id}`, revision: 1, satusehatId: null, lookupFirst: false, checkOnly: false, checkCount: 0, lastError: null, errorClass: null, attemptCount: 0, method: 'POST', path: 'Condition', body: null });

/** A job's work holding `held`, its own item `own` (another item when not given). */
const workOf = (own: number, held: number[]): Work => ({ job: { itemId: own, revision: 1 }, item: claimed(own), parents: new Map(), held: new Map(held.map((id) => [id, claimed(id)])), mayBeStored: new Set() });

function condition(key: string, parent: string): MappedItem {
  return {
    sourceKey: key,
    businessDate: '2026-01-02',
    summary: { no: key },
    searchText: key,
    hash: `h-${key}`.padEnd(40, '0'),
    request: { method: 'POST', path: 'Condition', body: { resourceType: 'Condition' } as never },
    parents: [{ type: 'Patient', sourceKey: parent }],
    issues: [],
  };
}

describe('releases that must not be missed', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('release');
    await migrateLatest(t.db);
  });
  afterAll(async () => t?.drop());

  beforeEach(async () => {
    await t.db('item_links').delete();
    await t.db('request_revisions').delete();
    await t.db('items').delete();
  });

  async function item(type: string, key: string, status: string, extra: Record<string, unknown> = {}, parent?: string): Promise<number> {
    const [id] = await t.db('items').insert({ resource_type: type, source_key: key, status, current_revision: 1, ...extra });
    await t.db('request_revisions').insert({ item_id: id, revision: 1, method: 'POST', path: type, body: JSON.stringify({ resourceType: type }), created_by: 'test' });
    if (parent) await t.db('item_links').insert({ item_id: id, parent_type: 'Patient', parent_key: parent });
    return id!;
  }
  const statusOf = async (key: string) => (await t.db('items').where('source_key', key).first('status', 'blocked_by')) as { status: string; blocked_by: string | null };

  it('extraction waits for a parent being sent, and then stores its child ready, not blocked', async () => {
    await item('Patient', 'p1', 'sending');
    const sender = connectMysql(t.url, { poolMax: 1 });
    try {
      // The parent's send, recorded but not yet committed.
      const trx = await sender.transaction();
      await trx('items').where('source_key', 'p1').update({ status: 'sent', satusehat_id: 'P-1' });
      let settled = false;
      const storing = applyMappedBatch(t.db, 'Condition', [condition('c1', 'p1')], { expectNew: true }).finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 400));
      // Read before the commit, the parent would be unsent and the child stored blocked, with
      // the parent's release (after its commit) possibly run before the child was stored.
      expect(settled).toBe(false);
      await trx.commit();
      const applied = await storing;
      expect(applied.blocked).toBe(0);
      expect(applied.ready).toHaveLength(1);
      expect((await statusOf('c1')).status).toBe('not_sent');
    } finally {
      await sender.destroy();
    }
  });

  it('a claim given back as blocked is released at once when its parent was sent meanwhile', async () => {
    await item('Patient', 'p1', 'sent', { satusehat_id: 'P-1' });
    await item('Patient', 'p2', 'queued');
    const ready = await item('Condition', 'c1', 'sending', { locked_by: 'w#1', sending_since: t.db.fn.now(3) }, 'p1');
    await item('Condition', 'c2', 'sending', { locked_by: 'w#1', sending_since: t.db.fn.now(3) }, 'p2');
    const deps = { db: t.db, workerId: 'w#1', releaseScans: new ReleaseScanRequests() } as unknown as SendDeps;
    const giveBack = (work: Work, id: number, reason: string) => settle(work, [{ item: work.held.get(id)!, kind: 'giveBack', status: 'blocked', reason }], deps);

    // The worker read p1 as unsent before its send committed; it gives c1 back as blocked.
    const first = await giveBack(workOf(0, [ready]), ready, 'waiting for Patient p1 to be sent');
    expect(first.ownReleased).toBe(false);
    expect((await statusOf('c1')).status).toBe('not_sent');
    expect(first.enqueue).toEqual([{ itemId: ready, revision: 1 }]);

    const waiting = (await t.db('items').where('source_key', 'c2').first('id')).id as number;
    const second = await giveBack(workOf(0, [waiting]), waiting, 'waiting for Patient p2 to be sent');
    expect(await statusOf('c2')).toEqual({ status: 'blocked', blocked_by: 'waiting for Patient p2 to be sent' });
    expect(second.enqueue).toEqual([]);

    // The running job's own item: its job id is taken until the job ends, so it is not enqueued
    // (the add would be dropped and the item left queued with no job); the job is told instead.
    const own = await item('Condition', 'c3', 'sending', { locked_by: 'w#1', sending_since: t.db.fn.now(3) }, 'p1');
    const third = await giveBack(workOf(own, [own]), own, 'waiting for Patient p1 to be sent');
    expect(third.ownReleased).toBe(true);
    expect((await statusOf('c3')).status).toBe('not_sent');
    expect(third.enqueue).toEqual([]);
  });

  it('the reconciler walks every blocked item in its first pass and when asked, not on every pass', async () => {
    const url = new URL(TEST_REDIS_URL);
    const queue = createSendQueue({ host: url.hostname, port: Number(url.port || 6379) }, uniqueName('release-test'));
    const enqueued: SendJobData[] = [];
    const releaseScans = new ReleaseScanRequests();
    const reconciler = new Reconciler({ state: t.db, queue, enqueue: async (jobs: SendJobData[]) => void enqueued.push(...jobs), sendingStaleMs: 60_000, releaseScans });
    try {
      await item('Patient', 'p1', 'sent', { satusehat_id: 'P-1' });
      // What a crash between a parent's send and its release leaves: children blocked for nothing.
      const first = await item('Condition', 'c1', 'blocked', { blocked_by: 'waiting for Patient p1 to be sent' }, 'p1');
      expect((await reconciler.pass()).released).toBe(1);
      expect((await statusOf('c1')).status).toBe('not_sent');
      expect(enqueued.map((j) => j.itemId)).toContain(first);

      const second = await item('Condition', 'c2', 'blocked', { blocked_by: 'waiting for Patient p1 to be sent' }, 'p1');
      expect((await reconciler.pass()).released).toBe(0);
      expect((await statusOf('c2')).status).toBe('blocked');
      expect((await reconciler.pass({ fullReleaseScan: true })).released).toBe(1);
      expect((await statusOf('c2')).status).toBe('not_sent');
      expect(enqueued.map((j) => j.itemId)).toContain(second);

      // A send that failed past its commit asks for the walk in the next pass.
      await item('Condition', 'c3', 'blocked', { blocked_by: 'waiting for Patient p1 to be sent' }, 'p1');
      expect((await reconciler.pass()).released).toBe(0);
      // A request made to another dispatcher's channel is not this one's.
      new ReleaseScanRequests().request();
      expect((await reconciler.pass()).released).toBe(0);
      releaseScans.request();
      expect((await reconciler.pass()).released).toBe(1);
      expect((await statusOf('c3')).status).toBe('not_sent');
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
