// Corrections made in Dekacare after a visit was sent reach SATUSEHAT as updates (issue 13, part
// 3), asserted on what the simulator holds afterwards: a visit moved to another patient (a change
// in a joined table only: the diagnoses' own rows do not change), and a patient whose NIK is
// corrected to another person on the MPI (every resource naming the old Patient id goes again).
import { afterEach, describe, expect, it } from 'vitest';
import { SWEPT_TYPES, sweepDeletions } from '../../daemon/extract/deletion-sweep.js';
import { syncOnce } from '../../daemon/sync-once.js';
import { RETRACTED_BY } from '../../shared/db/state/items/index.js';
import { resolveNik } from '../../simulator/index.js';
import { createHarness, orphanReport, type Harness } from '../support/pipeline-harness.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const subjectOf = (r: Record<string, unknown> | undefined) => (r?.subject as { reference?: string } | undefined)?.reference;

/** Ten patients' visits, all sent (every NIK known to the MPI). */
async function syncedHarness() {
  h = await createHarness({ patients: 10, visits: 20, seed: 5, simulator: { unknownNikPercent: 0 } });
  const rt = await h.openRuntime();
  await syncOnce(rt, { pollMs: 100 });
  return { harness: h, rt };
}

async function sentVisit(harness: Harness) {
  // A finished visit whose Encounter and diagnoses are sent.
  const row = await harness.state.db('items as e')
    .join('item_links as l', function () {
      this.on('l.parent_key', 'e.source_key').andOnVal('l.parent_type', 'Encounter');
    })
    .join('items as c', 'c.id', 'l.item_id')
    .where({ 'e.resource_type': 'Encounter', 'e.status': 'sent', 'c.resource_type': 'Condition', 'c.status': 'sent' })
    .first('e.source_key as visit', 'e.satusehat_id as encounterId');
  expect(row, 'a sent visit with a sent diagnosis').toBeTruthy();
  const conditions = await harness.state.db('items as c').join('item_links as l', 'l.item_id', 'c.id')
    .where({ 'l.parent_type': 'Encounter', 'l.parent_key': row.visit, 'c.resource_type': 'Condition', 'c.status': 'sent' }).select('c.satusehat_id');
  return { visitId: Number(row.visit), encounterId: String(row.encounterId), conditionIds: conditions.map((c) => String(c.satusehat_id)) };
}

describe('corrections in Dekacare reach SATUSEHAT', () => {
  it('a visit moved to another patient: its Encounter and its diagnoses are updated, though only the visit row changed', async () => {
    const { harness, rt } = await syncedHarness();
    const visit = await sentVisit(harness);
    const current = (await harness.source.db('visits').where('id', visit.visitId).first()).patient_id as number;
    const other = await harness.state.db('items').where({ resource_type: 'Patient', status: 'sent' }).whereNot('source_key', String(current)).first('source_key', 'satusehat_id');
    expect(other).toBeTruthy();
    const before = subjectOf(harness.simulator.resources('Encounter').find((r) => r.id === visit.encounterId));
    expect(before).not.toBe(`Patient/${other.satusehat_id}`);

    await harness.source.db('visits').where('id', visit.visitId).update({ patient_id: Number(other.source_key), updated_at: harness.source.db.fn.now() });
    await syncOnce(rt, { pollMs: 100 });

    const encounter = harness.simulator.resources('Encounter').find((r) => r.id === visit.encounterId);
    expect(subjectOf(encounter)).toBe(`Patient/${other.satusehat_id}`);
    expect(visit.conditionIds.length).toBeGreaterThan(0);
    for (const id of visit.conditionIds) expect(subjectOf(harness.simulator.resources('Condition').find((r) => r.id === id)), `Condition/${id}`).toBe(`Patient/${other.satusehat_id}`);
    // Updates, not copies.
    expect(harness.simulator.stats().updated.Condition ?? 0).toBeGreaterThanOrEqual(visit.conditionIds.length);
    expect(await orphanReport(harness)).toMatchObject({ orphans: [], shared: [], ghosts: [] });
  });

  it("a patient's NIK corrected to another person: every sent resource naming the old Patient id is updated", async () => {
    const { harness, rt } = await syncedHarness();
    const visit = await sentVisit(harness);
    const patientId = (await harness.source.db('visits').where('id', visit.visitId).first()).patient_id as number;
    const patient = await harness.source.db('patients').where('id', patientId).first('nik');
    const oldId = (await harness.state.db('items').where({ resource_type: 'Patient', source_key: String(patientId) }).first()).satusehat_id as string;
    // The same birth date and region, another serial: another person on the MPI.
    const nik = `${String(patient.nik).slice(0, 12)}${String((Number(String(patient.nik).slice(12)) + 1) % 10_000).padStart(4, '0')}`;
    const newId = resolveNik('Patient', nik, 0);
    expect(newId).toBeTruthy();
    expect(newId).not.toBe(oldId);
    const naming = (id: string) => ['Encounter', 'Condition', 'Observation'].flatMap((t) => harness.simulator.resources(t)).filter((r) => subjectOf(r) === `Patient/${id}`).length;
    const namedBefore = naming(oldId);
    expect(namedBefore).toBeGreaterThan(1);

    await harness.source.db('patients').where('id', patientId).update({ nik, updated_at: harness.source.db.fn.now() });
    await syncOnce(rt, { pollMs: 100 });

    expect((await harness.state.db('items').where({ resource_type: 'Patient', source_key: String(patientId) }).first()).satusehat_id).toBe(newId);
    expect(naming(oldId), 'nothing names the old Patient id any more').toBe(0);
    expect(naming(newId!)).toBe(namedBefore);
    expect(subjectOf(harness.simulator.resources('Encounter').find((r) => r.id === visit.encounterId))).toBe(`Patient/${newId}`);
    expect(await orphanReport(harness)).toMatchObject({ orphans: [], shared: [], ghosts: [] });
  });

  it('a diagnosis deleted, a vital-sign round deleted, a visit cancelled: each goes to SATUSEHAT as a retraction', async () => {
    const { harness, rt } = await syncedHarness();
    const sentOf = async (type: string) => harness.state.db('items').where({ resource_type: type, status: 'sent' }).orderBy('id').select('id', 'source_key', 'satusehat_id');
    const stored = (type: string, id: string) => harness.simulator.resources(type).find((r) => r.id === id);

    const cancelled = await sentVisit(harness);
    const conditions = await sentOf('Condition');
    const visitOf = async (table: string, id: number) => Number((await harness.source.db(table).where('id', id).first()).visit_id);
    let deletedDiagnosis: { id: number; satusehat_id: string } | undefined;
    for (const c of conditions) if ((await visitOf('diagnoses', Number(c.source_key))) !== cancelled.visitId) { deletedDiagnosis = { id: Number(c.source_key), satusehat_id: c.satusehat_id }; break; }
    expect(deletedDiagnosis).toBeTruthy();
    const observations = (await sentOf('Observation')).filter((o) => o.source_key.includes(':'));
    const round = Number(observations[observations.length - 1]!.source_key.split(':')[0]);
    expect(await visitOf('vital_signs', round)).not.toBe(cancelled.visitId);
    const roundObservations = observations.filter((o) => o.source_key.startsWith(`${round}:`));
    expect(roundObservations.length).toBeGreaterThan(1);

    await harness.source.db('diagnoses').where('id', deletedDiagnosis!.id).delete();
    await harness.source.db('vital_signs').where('id', round).delete();
    await harness.source.db('visits').where('id', cancelled.visitId).update({ status: 'cancelled', updated_at: harness.source.db.fn.now() });
    const updatedBefore = harness.simulator.stats().updated;
    await syncOnce(rt, { pollMs: 100 });

    const condition = stored('Condition', deletedDiagnosis!.satusehat_id)!;
    expect((condition.verificationStatus as { coding: Array<{ code: string }> }).coding[0]!.code).toBe('entered-in-error');
    expect(condition.clinicalStatus).toBeUndefined();
    for (const o of roundObservations) expect(stored('Observation', o.satusehat_id)!.status, o.source_key).toBe('entered-in-error');
    const encounterItem = await harness.state.db('items').where({ resource_type: 'Encounter', satusehat_id: cancelled.encounterId }).first('status', 'last_error');
    expect(encounterItem, JSON.stringify(encounterItem)).toMatchObject({ status: 'sent' });
    expect(stored('Encounter', cancelled.encounterId)!.status).toBe('cancelled');
    for (const id of cancelled.conditionIds) expect((stored('Condition', id)!.verificationStatus as { coding: Array<{ code: string }> }).coding[0]!.code).toBe('entered-in-error');
    // Updates of the same resources, not new ones.
    expect((harness.simulator.stats().updated.Condition ?? 0) - (updatedBefore.Condition ?? 0)).toBeGreaterThanOrEqual(1 + cancelled.conditionIds.length);
    // The item's history names the source change that caused it, and the item is sent again.
    const item = await harness.state.db('items as i').join('request_revisions as r', function () {
      this.on('r.item_id', 'i.id').andOn('r.revision', 'i.current_revision');
    }).where({ 'i.resource_type': 'Condition', 'i.source_key': String(deletedDiagnosis!.id) }).first('i.status', 'r.created_by', 'r.revision');
    expect(item).toMatchObject({ status: 'sent', created_by: RETRACTED_BY });
    expect(item.revision).toBeGreaterThan(1);
    expect(await orphanReport(harness)).toMatchObject({ orphans: [], shared: [], ghosts: [] });
    // A second pass finds nothing more to retract.
    const again = await harness.state.db('request_revisions').where('created_by', RETRACTED_BY).count({ n: '*' });
    await syncOnce(rt, { pollMs: 100 });
    expect(await harness.state.db('request_revisions').where('created_by', RETRACTED_BY).count({ n: '*' })).toEqual(again);
  });

  it('a whole walk of the deletion sweep checks each sent item about once, whatever the mix of types', async () => {
    const { harness, rt } = await syncedHarness();
    const rows = (await harness.state.db('items').whereIn('resource_type', SWEPT_TYPES).where('status', 'sent').groupBy('resource_type').select('resource_type').count({ n: '*' })) as Array<{ resource_type: string; n: number }>;
    const sent = new Map(rows.map((r) => [r.resource_type, Number(r.n)]));
    const total = [...sent.values()].reduce((a, b) => a + b, 0);
    // The types differ in size (several Observations per visit, one Encounter), else this proves nothing.
    expect(Math.max(...sent.values())).toBeGreaterThan(2 * Math.min(...sent.values()));
    const checked = new Map<string, number>();
    const wrapped = new Set<string>();
    let passes = 0;
    while (wrapped.size < SWEPT_TYPES.length && passes < 100) {
      const r = await sweepDeletions({ source: rt.source, state: rt.state, enqueue: async () => undefined }, Math.ceil(total / 7));
      passes += 1;
      expect(r.retracted).toBe(0);
      for (const [type, t] of Object.entries(r.byType)) {
        checked.set(type, (checked.get(type) ?? 0) + t.checked);
        if (t.wrapped) wrapped.add(type);
      }
    }
    expect(wrapped.size).toBe(SWEPT_TYPES.length);
    // Every type reached its end in about the same pass: none was walked twice while another waited
    // (rounding up gives a small type at most one item a pass more than its share).
    for (const [type, n] of sent) expect(checked.get(type), type).toBeLessThanOrEqual(Math.ceil(n * 1.2) + passes);
    expect(passes).toBeLessThanOrEqual(9);
  });
});
