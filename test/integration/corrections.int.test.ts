// Corrections made in Dekacare after a visit was sent reach SATUSEHAT as updates (issue 13, part
// 3), asserted on what the simulator holds afterwards: a visit moved to another patient (a change
// in a joined table only: the diagnoses' own rows do not change), and a patient whose NIK is
// corrected to another person on the MPI (every resource naming the old Patient id goes again).
import { afterEach, describe, expect, it } from 'vitest';
import { syncOnce } from '../../daemon/sync-once.js';
import { resolveNik } from '../../simulator/index.js';
import { createHarness, orphanReport, type Harness } from '../support/pipeline-harness.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const subjectOf = (r: Record<string, unknown> | undefined) => (r?.subject as { reference?: string } | undefined)?.reference;

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
    h = await createHarness({ patients: 10, visits: 20, seed: 5, simulator: { unknownNikPercent: 0 } });
    const harness = h;
    const rt = await harness.openRuntime();
    await syncOnce(rt, { pollMs: 100 });
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
    h = await createHarness({ patients: 10, visits: 20, seed: 5, simulator: { unknownNikPercent: 0 } });
    const harness = h;
    const rt = await harness.openRuntime();
    await syncOnce(rt, { pollMs: 100 });
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
});
