// `satusehat verify` against the simulator, each disagreement planted as it happens on SATUSEHAT:
// a resource gone (missing), edited by someone else (changed), stored twice (duplicated), and
// stored for an item that failed (unknown: a lost answer). Then --repair, a sync, and what the
// simulator holds afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncOnce } from '../../daemon/sync-once.js';
import type { Runtime } from '../../daemon/runtime.js';
import { verifyIfDue } from '../../daemon/verify/scheduled-verify.js';
import { runVerify, type VerifyDeps } from '../../daemon/verify/verify.js';
import { lastSentBodies, readVerification } from '../../shared/db/state/verify-repo.js';
import { allItems, createHarness, type Harness } from '../support/pipeline-harness.js';

let h: Harness;
let rt: Runtime;
let deps: VerifyDeps;
const planted: Record<'missing' | 'changed' | 'duplicated' | 'unknown', { itemId: number; satusehatId: string | null; fhirType: string }> = {} as never;

const sentItem = async (type: string) => {
  const row = await h.state.db('items').where({ resource_type: type, status: 'sent' }).whereNotNull('satusehat_id').orderBy('id').first();
  expect(row, `a sent ${type}`).toBeTruthy();
  return { itemId: Number(row.id), satusehatId: String(row.satusehat_id) };
};
const stored = (type: string, id: string) => h.simulator.resources(type).find((r) => r.id === id);

beforeAll(async () => {
  h = await createHarness({ patients: 12, visits: 24, seed: 3, simulator: { minResourceDate: '2024-01-01' }, env: { MAX_ATTEMPTS: '2' } });
  // One diagnosis before the simulator's date floor (after ours): SATUSEHAT refuses that Condition.
  const diagnosis = (await h.source.db('diagnoses as d').join('visits as v', 'v.id', 'd.visit_id').join('patients as p', 'p.id', 'v.patient_id').join('practitioners as n', 'n.id', 'v.practitioner_id')
    .whereNotNull('p.nik').whereNotNull('n.nik').select('d.id').orderBy('d.id').first()) as { id: number };
  await h.source.db('diagnoses').where('id', diagnosis.id).update({ recorded_at: '2023-03-01 10:00:00' });
  rt = await h.openRuntime();
  await syncOnce(rt, { pollMs: 100 });
  deps = { state: rt.state, client: rt.client, log: rt.log, rateLimitPerMinute: 100_000, enqueue: (jobs) => rt.enqueue(jobs) };

  // missing: a Procedure gone from SATUSEHAT.
  planted.missing = { ...(await sentItem('Procedure')), fhirType: 'Procedure' };
  expect(h.simulator.remove('Procedure', planted.missing.satusehatId!)).toBe(true);
  // changed: an Encounter someone else edited.
  planted.changed = { ...(await sentItem('Encounter')), fhirType: 'Encounter' };
  h.simulator.plant('Encounter', { ...stored('Encounter', planted.changed.satusehatId!)!, status: 'cancelled' });
  // duplicated: an Observation stored twice.
  planted.duplicated = { ...(await sentItem('Observation')), fhirType: 'Observation' };
  const { id: _id, ...copy } = stored('Observation', planted.duplicated.satusehatId!)!;
  h.simulator.plant('Observation', copy);
  // unknown: the refused Condition, stored after all (as a lost answer would have it).
  const failed = await h.state.db('items').where({ resource_type: 'Condition', source_key: String(diagnosis.id) }).first();
  expect(failed.status).toBe('failed');
  // As it was sent (its references resolved): the body of its refused POST.
  const condition = (await lastSentBodies(h.state.db, [Number(failed.id)])).get(Number(failed.id));
  expect(condition?.resourceType).toBe('Condition');
  planted.unknown = { itemId: Number(failed.id), satusehatId: h.simulator.plant('Condition', { ...condition, id: 'cond-orphan-1' }), fhirType: 'Condition' };
});
afterAll(async () => {
  await h?.close();
});

describe('satusehat verify', () => {
  it('finds each planted disagreement on its item, and nothing else', async () => {
    const report = await runVerify(deps, { by: 'test' });
    expect(report.checked).toBeGreaterThan(50);
    expect(report.unchecked).toBe(0);
    const found = report.disagreements.map((d) => [d.kind, d.itemId]).sort();
    expect(found).toEqual([
      ['changed', planted.changed.itemId], ['duplicated', planted.duplicated.itemId], ['missing', planted.missing.itemId], ['unknown', planted.unknown.itemId],
    ].sort());
    expect(report).toMatchObject({ missing: 1, changed: 1, duplicated: 1, unknown: 1, agree: report.checked - 4 });
    const changed = report.disagreements.find((d) => d.kind === 'changed')!;
    expect(changed.detail).toMatch(/Encounter\.status/);
    expect(report.disagreements.find((d) => d.kind === 'duplicated')!.ids).toHaveLength(2);
    expect(report.disagreements.find((d) => d.kind === 'unknown')!.ids).toEqual(['cond-orphan-1']);
    expect(await readVerification(rt.state)).toMatchObject({ by: 'test', checked: report.checked, missing: 1, changed: 1, duplicated: 1, unknown: 1, repaired: 0 });
  });

  it('--type, --sample and the rate share narrow and pace it', async () => {
    const started = Date.now();
    const sample = await runVerify({ ...deps, rateLimitPerMinute: 600 }, { by: 'test', types: ['Encounter'], sample: 3, rateShare: 1 });
    expect(sample.checked).toBe(3);
    expect(sample.sample).toBe(3);
    // Two requests per sent Encounter (read, search) at 10 a second: at least 0.5 s for six.
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    const none = await runVerify(deps, { by: 'test', types: ['Encounter'], since: '2999-01-01' });
    expect(none.checked).toBe(0);
  });

  it("the daemon's sample runs when the last verification is older than the interval, once", async () => {
    expect(await verifyIfDue(rt), 'a verification ran a moment ago').toBeNull();
    await h.state.db('control_state').where('key', 'verification').update({ value: JSON.stringify({ ...(await readVerification(rt.state)), at: new Date(Date.now() - 25 * 3_600_000).toISOString() }) });
    const report = await verifyIfDue(rt);
    expect(report).not.toBeNull();
    expect(report!.sample).toBe(rt.config.verify.sample);
    expect(report!.checked).toBeGreaterThan(50);
    expect(await readVerification(rt.state)).toMatchObject({ by: 'daemon', checked: report!.checked });
    expect(await verifyIfDue(rt)).toBeNull();
  });

  it('--repair adopts, creates again and updates, lists the duplicate, and audits every repair', async () => {
    const report = await runVerify(deps, { by: 'cli:test', repair: true });
    const actions = Object.fromEntries(report.repairs.map((r) => [r.kind, r.action]));
    expect(actions).toEqual({ missing: 'create_again', changed: 'update', duplicated: 'manual', unknown: 'adopt' });
    expect(report.repaired).toBe(3);
    const audit = await h.state.db('audit_log').where('action', 'verify_repair').orderBy('id');
    expect(audit.map((a) => a.target).sort()).toEqual(Object.values(planted).map((p) => `item:${p.itemId}`).sort());
    for (const a of audit) expect(a.actor).toBe('cli:test');

    await syncOnce(rt, { pollMs: 100 });
    const items = new Map((await allItems(h)).map((i) => [i.id, i]));
    // Created again under a new id, and SATUSEHAT holds it.
    const missing = items.get(planted.missing.itemId)!;
    expect(missing.status).toBe('sent');
    expect(missing.satusehat_id).not.toBe(planted.missing.satusehatId);
    expect(stored('Procedure', missing.satusehat_id!)).toBeTruthy();
    // Updated: SATUSEHAT says again what Dekacare says.
    expect(items.get(planted.changed.itemId)!.status).toBe('sent');
    expect(stored('Encounter', planted.changed.satusehatId!)!.status).toBe('finished');
    // Adopted: the failed item now names the resource SATUSEHAT held.
    expect(items.get(planted.unknown.itemId)).toMatchObject({ status: 'sent', satusehat_id: 'cond-orphan-1' });

    const after = await runVerify(deps, { by: 'test' });
    expect(after.disagreements.map((d) => [d.kind, d.itemId, d.kind === 'duplicated' ? '' : d.detail])).toEqual([['duplicated', planted.duplicated.itemId, '']]);
  });
});
