// Every response shape SATUSEHAT gives (reference A13), produced by the simulator on demand and met
// by our real client and workers on real MariaDB + Redis: a rule-violation array with HTTP 200 or
// 400, a 20002 array, an Apigee 429 without Retry-After, per-entry outcomes of a failed
// transaction, and the date floor as a setting on both sides.
import { afterEach, describe, expect, it } from 'vitest';
import { extractionDefaults, runExtraction } from '../../daemon/extract/run-extraction.js';
import { syncOnce } from '../../daemon/sync-once.js';
import { ReleaseScanRequests } from '../../daemon/send/release-scan-requests.js';
import { processSendJob, RetryableSendError, type SendDeps } from '../../daemon/send/send-job.js';
import { retryDelayMs } from '../../shared/queue/send-queue.js';
import { QUOTA_VIOLATION_BACKOFF_MS, SPIKE_ARREST_BACKOFF_MS } from '../../shared/satusehat/gateway-backoff.js';
import { showItem } from '../../shared/services/items-service.js';
import { startSimulator } from '../../simulator/index.js';
import type { Rate429Body, SimulatorOptions } from '../../simulator/types.js';
import { allItems, createHarness, type Harness } from '../support/pipeline-harness.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const SMALL = { patients: 6, visits: 10, seed: 5 };

async function syncWith(simulator: SimulatorOptions, env: Record<string, string> = {}): Promise<Harness> {
  h = await createHarness({ ...SMALL, simulator, env: { MAX_ATTEMPTS: '3', ...env } });
  await syncOnce(await h.openRuntime(), { pollMs: 100 });
  return h;
}

const itemsOf = async (harness: Harness, type: string) => (await allItems(harness)).filter((i) => i.resource_type === type);

describe('the response-shape faults on the admin API', () => {
  it('are set, merged and validated like the others', async () => {
    const sim = await startSimulator({ port: 0 });
    try {
      const post = (body: unknown) => fetch(`${sim.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const set = await post({ ruleArrayStatus: 200, rate429Body: 'apigee-spike-arrest', transactionEntryOutcomes: true });
      expect(set.status).toBe(200);
      expect(await set.json()).toMatchObject({ ruleArrayStatus: 200, rate429Body: 'apigee-spike-arrest', transactionEntryOutcomes: true, rate429: 0 });
      const bad = await post({ ruleArrayStatus: 201 });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: string }).error).toMatch(/^invalid fault setting ruleArrayStatus/);
      expect(await (await fetch(`${sim.url}/__sim/faults`)).json()).toMatchObject({ ruleArrayStatus: 200 });
    } finally {
      await sim.close();
    }
  });
});

describe('a rule-violation array is a rejection, never sent', () => {
  // Every visit lies before the simulator's floor, so SATUSEHAT rejects each Encounter with 10132.
  it.each([
    [200, 'single', 'rejected'],
    [200, 'bundle', 'rejected'],
    [400, 'single', 'http_4xx'],
    [400, 'bundle', 'http_4xx'],
  ] as const)('HTTP %i, %s mode: failed with its rule number and message', async (status, mode, errorClass) => {
    const harness = await syncWith({ minResourceDate: '2026-12-01', faults: { ruleArrayStatus: status } }, { SEND_MODE: mode });
    const all = await itemsOf(harness, 'Encounter');
    expect(all.filter((e) => e.status === 'sent')).toEqual([]);
    // Those that reached SATUSEHAT (the others wait for a patient it does not know, or are invalid).
    const encounters = all.filter((e) => e.attempt_count > 0);
    expect(encounters.length).toBeGreaterThan(3);
    expect(encounters.map((e) => e.status)).toEqual(encounters.map(() => 'failed'));
    expect(harness.simulator.stats().created.Encounter ?? 0).toBe(0);
    const rows = await harness.state.db('items').select('last_http_code', 'error_class').whereIn('id', encounters.map((e) => e.id));
    expect(rows.map((r) => `${r.last_http_code} ${r.error_class}`)).toEqual(rows.map(() => `${status} ${errorClass}`));

    const shown = (await showItem(harness.state.db, encounters[0]!.id))!;
    // In a Bundle its children fail with it (20013), in the same array.
    const rules = mode === 'bundle' ? ['10132', '20013'] : ['10132'];
    expect(shown.outcome?.ruleNumbers).toEqual(rules);
    expect(shown.outcome?.messages.join(' ')).toMatch(/Invalid date time value : \S+ Not Allowed : Future Date or Past Date older than 1st December 2026 \(RuleNumber: 10132\)/);
    expect(shown.attempts[0]?.httpCode).toBe(status);
    expect(shown.attempts[0]?.ruleNumbers).toEqual(rules);
    expect(shown.attempts[0]?.responseBody).toEqual(expect.arrayContaining([expect.objectContaining({ ruleNumber: '10132' })]));
    // Their children never went: they wait for an Encounter that failed.
    const conditions = await itemsOf(harness, 'Condition');
    expect(conditions.length).toBeGreaterThan(0);
    expect(conditions.filter((c) => c.status === 'sent')).toEqual([]);
  });
});

describe('a 20002 array takes the duplicate path: looked up by identifier and adopted', () => {
  it.each(['single', 'bundle'] as const)('%s mode, HTTP 200', async (mode) => {
    const harness = await syncWith({}, { SEND_MODE: mode });
    const before = (await itemsOf(harness, 'Encounter')).filter((e) => e.status === 'sent');
    expect(before.length).toBeGreaterThan(3);
    const created = harness.simulator.stats().created.Encounter;
    expect(created).toBe(before.length);
    // The answers were lost (say): our side no longer knows the Encounters went.
    await harness.state.db('items').whereIn('id', before.map((e) => e.id)).update({ status: 'not_sent', satusehat_id: null });
    harness.simulator.setFaults({ ruleArrayStatus: 200 });
    await syncOnce(await harness.openRuntime(), { pollMs: 100 });

    const after = await harness.state.db('items').select('id', 'status', 'satusehat_id').whereIn('id', before.map((e) => e.id)).orderBy('id');
    expect(after.map((a) => [a.id, a.status, a.satusehat_id])).toEqual(before.map((e) => [e.id, 'sent', e.satusehat_id]));
    const stats = harness.simulator.stats();
    expect(stats.created.Encounter).toBe(created);
    expect(stats.duplicatesRejected.Encounter).toBe(before.length);
    expect(stats.duplicateIdentifiersStored).toBe(0);
    const duplicates = await harness.state.db('attempts').select('http_code', 'rule_numbers').where('error_class', 'duplicate').whereIn('item_id', before.map((e) => e.id));
    expect(duplicates.map((d) => `${d.http_code} ${d.rule_numbers}`)).toEqual(before.map(() => '200 20002'));
  });
});

describe('an Apigee 429 without Retry-After backs off like a 429 with one', () => {
  async function firstSendOf(body: Rate429Body, retryAfterSeconds: number | null) {
    h = await createHarness({ ...SMALL, simulator: { faults: { rate429: 1, rate429Body: body, retryAfterSeconds } } });
    const rt = await h.openRuntime();
    await runExtraction({ ...extractionDefaults(rt), types: ['Organization'] });
    const item = (await h.state.db('items').select('id', 'current_revision').where('resource_type', 'Organization').first()) as { id: number; current_revision: number };
    const deps: SendDeps = { db: rt.state, client: rt.client, enqueue: (jobs) => rt.enqueue(jobs), log: rt.log, workerId: 'test-worker', sendingStaleMs: 3000, releaseScans: new ReleaseScanRequests() };
    const thrown = await processSendJob({ itemId: item.id, revision: item.current_revision }, 0, 3, deps).then(() => null, (err: unknown) => err);
    const attempt = await h.state.db('attempts').select('http_code', 'error_class', 'error_message').where('item_id', item.id).first();
    const row = await h.state.db('items').select('status').where('id', item.id).first();
    return { thrown, attempt, status: row?.status as string };
  }

  it.each([
    ['apigee-quota', QUOTA_VIOLATION_BACKOFF_MS, /Rate limit quota violation.*policies\.ratelimit\.QuotaViolation/],
    ['apigee-spike-arrest', SPIKE_ARREST_BACKOFF_MS, /Spike arrest violation.*policies\.ratelimit\.SpikeArrestViolation/],
  ] as const)('%s: the job is retried after %i ms', async (body, waitMs, message) => {
    const { thrown, attempt, status } = await firstSendOf(body, null);
    expect(thrown).toBeInstanceOf(RetryableSendError);
    expect((thrown as RetryableSendError).retryAfterMs).toBe(waitMs);
    // What the worker's backoff strategy makes of it: that wait, plus jitter under 250 ms.
    const delay = retryDelayMs(1, 50, (thrown as RetryableSendError).retryAfterMs);
    expect(delay).toBeGreaterThanOrEqual(waitMs);
    expect(delay).toBeLessThan(waitMs + 250);
    expect(attempt).toMatchObject({ http_code: 429, error_class: 'rate_limited' });
    expect(attempt?.error_message).toMatch(message);
    expect(status).toBe('queued');
  });

  it('a Retry-After header still wins over the body', async () => {
    const { thrown } = await firstSendOf('apigee-quota', 2);
    expect((thrown as RetryableSendError).retryAfterMs).toBe(2000);
  });

  it('a 429 OperationOutcome without Retry-After keeps the exponential backoff', async () => {
    const { thrown } = await firstSendOf('operation-outcome', null);
    expect(thrown).toBeInstanceOf(RetryableSendError);
    expect((thrown as RetryableSendError).retryAfterMs).toBeNull();
  });
});

describe('a failed transaction with per-entry outcomes', () => {
  it("each entry's outcome goes to its own item: the Condition shows its own error, the rest go", async () => {
    h = await createHarness({ ...SMALL, simulator: { minResourceDate: '2024-01-01', unknownNikPercent: 0, faults: { transactionEntryOutcomes: true } }, env: { SEND_MODE: 'bundle', MAX_ATTEMPTS: '3' } });
    // One diagnosis recorded before the simulator's floor (after ours): only SATUSEHAT objects. Its
    // visit's patient and doctor have a NIK, so nothing else keeps that visit back.
    const diagnosis = (await h.source.db('diagnoses as d').join('visits as v', 'v.id', 'd.visit_id').join('patients as p', 'p.id', 'v.patient_id').join('practitioners as n', 'n.id', 'v.practitioner_id')
      .whereNotNull('p.nik').whereNotNull('n.nik').select('d.id', 'd.visit_id').orderBy('d.id').first()) as { id: number; visit_id: number };
    await h.source.db('diagnoses').where('id', diagnosis.id).update({ recorded_at: '2023-03-01 10:00:00' });
    await syncOnce(await h.openRuntime(), { pollMs: 100 });

    const condition = (await itemsOf(h, 'Condition')).find((c) => c.source_key === String(diagnosis.id))!;
    expect(condition.status).toBe('failed');
    expect(condition.last_error).toMatch(/Condition\.(onsetDateTime|recordedDate): Invalid date time value : 2023-03-01T03:00:00\+00:00 \(RuleNumber: 10132\)/);
    const shown = (await showItem(h.state.db, condition.id))!;
    expect(shown.outcome?.ruleNumbers).toEqual(['10132']);
    // Its onset and its recording time, both that day: its own messages, none of the Encounter's.
    const ownMessage = /^Condition\.(onsetDateTime|recordedDate): Invalid date time value : 2023-03-01T03:00:00\+00:00 \(RuleNumber: 10132\)/;
    expect(shown.outcome?.messages).toEqual([expect.stringMatching(ownMessage), expect.stringMatching(ownMessage)]);
    // Its own entry's response, not the whole Bundle's.
    expect(shown.attempts[0]?.responseBody).toMatchObject({ status: '400 Bad Request', outcome: { resourceType: 'OperationOutcome' } });

    // The Encounter was not blamed: it went again without the Condition, and its other members with it.
    const encounter = (await itemsOf(h, 'Encounter')).find((e) => e.source_key === String(diagnosis.visit_id))!;
    expect(encounter.status).toBe('sent');
    const siblingIds = (await h.state.db('item_links').select('item_id').where({ parent_type: 'Encounter', parent_key: String(diagnosis.visit_id) })).map((l) => Number(l.item_id)).filter((id) => id !== condition.id);
    const siblings = (await allItems(h)).filter((i) => siblingIds.includes(i.id));
    expect(siblings.filter((i) => i.status === 'sent').length).toBeGreaterThan(0);
    // Any member not sent is held back by something of its own (an invalid nurse, say), never by this rejection.
    const heldByIt = siblings.filter((i) => i.status !== 'sent' && /Encounter \d+ (failed|is blocked)|waiting for Encounter|transaction Bundle/.test(`${i.last_error} ${i.blocked_by}`));
    expect(heldByIt.map((i) => `${i.resource_type} ${i.status} ${i.last_error} ${i.blocked_by}`)).toEqual([]);
  });
});

describe('the date floor is the setting MIN_RESOURCE_DATE', () => {
  it('marks what lies before it invalid locally, naming the floor that applied', async () => {
    const harness = await syncWith({}, { MIN_RESOURCE_DATE: '2026-12-01' });
    const encounters = await itemsOf(harness, 'Encounter');
    expect(encounters.length).toBeGreaterThan(3);
    expect(encounters.map((e) => e.status)).toEqual(encounters.map(() => 'invalid'));
    const shown = (await showItem(harness.state.db, encounters[0]!.id))!;
    expect(shown.issues.map((i) => i.message).join(' ')).toContain('before the date floor 2026-12-01 (MIN_RESOURCE_DATE)');
    expect(harness.simulator.stats().created.Encounter ?? 0).toBe(0);
  });
});
