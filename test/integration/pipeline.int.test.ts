// The walking skeleton end to end on real MariaDB, Redis and the simulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Reconciler } from '../../daemon/reconciler.js';
import { ReleaseScanRequests } from '../../daemon/send/release-scan-requests.js';
import { syncOnce } from '../../daemon/sync-once.js';
import { sendJobId } from '../../shared/queue/send-queue.js';
import { getStatus } from '../../shared/services/status-service.js';
import { allItems, createHarness, sentByType, sentPerFhirType, type Harness, type ItemRow } from '../support/pipeline-harness.js';


function expectEveryItemSettled(items: ItemRow[]) {
  for (const item of items) {
    expect(['sent', 'failed', 'invalid', 'blocked'], `item ${item.id} ${item.resource_type} is ${item.status}`).toContain(item.status);
    if (item.status === 'sent') expect(item.satusehat_id, `sent item ${item.id} has an id`).toBeTruthy();
    if (item.status === 'failed' || item.status === 'invalid') expect(item.last_error ?? '').toMatch(/\w{5,}/);
    if (item.status === 'blocked') expect(item.blocked_by ?? '').toMatch(/[A-Za-z]+ \d+ (is )?(failed|invalid|blocked)/);
  }
}

describe('full sync on a seeded demo database', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ patients: 80, visits: 240, seed: 11 });
  });
  afterAll(async () => h?.close());

  it('sends every valid item once, explains the rest, and matches the simulator', async () => {
    const rt = await h.openRuntime();
    const result = await syncOnce(rt, { pollMs: 100 });
    expect(result.interrupted).toBe(false);

    const items = await allItems(h);
    expectEveryItemSettled(items);
    const sent = sentByType(items);
    const stats = h.simulator.stats();

    // What we call sent is exactly what the simulator stored, and nothing was stored twice.
    expect(sentPerFhirType(items)).toEqual(stats.created);
    expect(sent.Encounter).toBeGreaterThan(150);
    expect(stats.duplicateIdentifiersStored).toBe(0);
    expect(new Set(items.filter((i) => i.status === 'sent' && i.resource_type === 'Encounter').map((i) => i.satusehat_id)).size).toBe(sent.Encounter);

    // Deliberate bad rows end invalid with a readable reason.
    const invalidPatients = items.filter((i) => i.resource_type === 'Patient' && i.status === 'invalid');
    expect(invalidPatients.length).toBe(h.seed.badRows.patientsWithoutNik);
    expect(invalidPatients[0]?.last_error).toMatch(/NIK/i);
    const invalidEncounters = items.filter((i) => i.resource_type === 'Encounter' && i.status === 'invalid');
    expect(invalidEncounters.length).toBeGreaterThanOrEqual(h.seed.badRows.futureVisits + h.seed.badRows.visitsBefore2022);
    expect(invalidEncounters.some((i) => /10132/.test(i.last_error ?? ''))).toBe(true);

    // Patients SATUSEHAT does not know fail with a reason; their visits wait and say why.
    const unknownPatients = items.filter((i) => i.resource_type === 'Patient' && i.status === 'failed');
    expect(unknownPatients.length, 'the seed has patients SATUSEHAT does not know').toBeGreaterThan(0);
    for (const p of unknownPatients) expect(p.last_error).toMatch(/not found/i);
    const blocked = items.filter((i) => i.status === 'blocked');
    expect(blocked.length, 'the seed has items waiting for a parent').toBeGreaterThan(0);
    for (const b of blocked) expect(b.blocked_by).toMatch(/(failed|invalid)/);

    // The status figures are the same numbers, and cover every item.
    const status = await getStatus(h.state.db);
    expect(status.reduce((n, row) => n + row.total, 0)).toBe(items.length);
    for (const row of status) {
      expect(row.sent, row.type).toBe(sent[row.type] ?? 0);
      expect(row.total, row.type).toBe(items.filter((i) => i.resource_type === row.type).length);
      expect(row.inProcess).toBe(0);
    }
    // Every attempt is on record.
    const attempts = Number((await h.state.db('attempts').count({ n: '*' }))[0]!.n);
    expect(attempts).toBeGreaterThanOrEqual(items.filter((i) => i.status === 'sent').length);
  });

  it('a second sync sends nothing new and creates no duplicates', async () => {
    const before = h.simulator.stats();
    const attemptsBefore = Number((await h.state.db('attempts').count({ n: '*' }))[0]!.n);
    const rt = await h.openRuntime();
    const result = await syncOnce(rt, { pollMs: 100 });
    const after = h.simulator.stats();
    expect(after.created).toEqual(before.created);
    expect(after.duplicatesRejected).toEqual(before.duplicatesRejected);
    expect(Number((await h.state.db('attempts').count({ n: '*' }))[0]!.n)).toBe(attemptsBefore);
    expect(Object.keys(result.extraction).length).toBeGreaterThan(0);
    for (const counts of Object.values(result.extraction)) {
      expect(counts?.inserted).toBe(0);
      expect(counts?.changed).toBe(0);
    }
  });
});

describe('Redis flushed in the middle of a sync', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ patients: 60, visits: 200, seed: 5, simulator: { faults: { latencyMs: 15 } } });
  });
  afterAll(async () => h?.close());

  it('the reconciler re-enqueues from the state DB: nothing lost, nothing duplicated', async () => {
    const rt = await h.openRuntime();
    const running = syncOnce(rt, { pollMs: 100 });
    await waitFor(() => (h.simulator.stats().created.Encounter ?? 0) >= 20, 30_000);
    const deleted = await h.flushRedis();
    expect(deleted).toBeGreaterThan(0);
    await running;

    const items = await allItems(h);
    expectEveryItemSettled(items);
    const sent = sentByType(items);
    const stats = h.simulator.stats();
    expect(sentPerFhirType(items)).toEqual(stats.created);
    expect(stats.duplicateIdentifiersStored).toBe(0);
    expect(sent.Encounter).toBeGreaterThan(120);
  });

  it('a job left outside every queue list does not keep its item from being re-added', async () => {
    // What a flush page by page can leave: the id taken from `wait` after its hash was deleted,
    // so BullMQ recreated the hash without data, then `active` deleted. Adding the id is a no-op.
    const rt = await h.openRuntime();
    const item = await h.state.db('items').select('id', 'current_revision').where({ resource_type: 'Encounter', status: 'sent' }).first();
    // Sent again (a resend) and queued: the only way a sent item is queued again.
    await h.state.db('items').where('id', item.id).update({ status: 'not_sent' });
    await h.state.db('items').where('id', item.id).update({ status: 'queued' });
    const job = { itemId: item.id as number, revision: item.current_revision as number };
    await rt.redis.hset(rt.queue.toKey(sendJobId(job)), { processedOn: Date.now(), ats: 1 });

    const result = await new Reconciler({ state: rt.state, queue: rt.queue, enqueue: rt.enqueue, sendingStaleMs: 60_000, queuedGraceMs: 0, releaseScans: new ReleaseScanRequests() }).pass();
    expect(await rt.queue.getJobState(sendJobId(job))).toBe('waiting');
    expect((await rt.queue.getJob(sendJobId(job)))?.data).toEqual(job);
    expect(result.stranded).toBe(1);
  });
});

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('incremental extraction', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ patients: 40, visits: 100, seed: 13 });
  });
  afterAll(async () => h?.close());

  it('reads only changed rows and sends a changed record as an update (PUT), not a second create', async () => {
    const rt = await h.openRuntime();
    await syncOnce(rt, { pollMs: 100 });
    const sentVisit = await h.state.db('items').select('id', 'source_key', 'satusehat_id', 'current_revision').where({ resource_type: 'Encounter', status: 'sent' }).first();
    const createdBefore = h.simulator.stats().created.Encounter ?? 0;

    // The clinic corrects the visit's room in Dekacare.
    const otherRoom = await h.source.db('rooms').select('id').whereNot('id', h.source.db('visits').select('room_id').where('id', Number(sentVisit.source_key))).first();
    await h.source.db('visits').where('id', Number(sentVisit.source_key)).update({ room_id: otherRoom.id, updated_at: '2099-01-01 00:00:00' });

    const second = await syncOnce(rt, { pollMs: 100 });
    // The watermark is inclusive, so rows stamped exactly at it are read again (unchanged).
    expect(second.extraction.Encounter?.read).toBeLessThanOrEqual(3);
    expect(second.extraction.Encounter?.changed).toBe(1);
    expect(second.extraction.Patient?.read).toBeLessThanOrEqual(2);
    const after = await h.state.db('items').select('status', 'satusehat_id', 'current_revision').where('id', sentVisit.id).first();
    expect(after.status).toBe('sent');
    expect(after.satusehat_id).toBe(sentVisit.satusehat_id);
    expect(after.current_revision).toBe(sentVisit.current_revision + 1);
    const last = await h.state.db('attempts').select('method', 'url', 'http_code').where('item_id', sentVisit.id).orderBy('id', 'desc').first();
    expect(last.method).toBe('PUT');
    expect(last.url).toContain(`/Encounter/${sentVisit.satusehat_id}`);
    expect(h.simulator.stats().created.Encounter ?? 0).toBe(createdBefore);
    expect(h.simulator.stats().updated.Encounter).toBe(1);

    const full = await syncOnce(rt, { pollMs: 100, full: true });
    expect(full.extraction.Encounter?.read).toBeGreaterThan(50);
    expect(full.extraction.Encounter?.changed).toBe(0);
  });
});
