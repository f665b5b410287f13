// The Playbook's Encounter elements end to end, in both send modes, on real MariaDB, Redis and the
// simulator: what the simulator stores is checked against the source rows. Encounter.diagnosis
// names the visit's Conditions although they depend on the Encounter: in a Bundle by urn:uuid, in
// single mode by a PUT of the Encounter once its Conditions have ids.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncOnce } from '../../daemon/sync-once.js';
import { allItems, createHarness, type Harness, type ItemRow } from '../support/pipeline-harness.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- assertions dig into stored FHIR JSON
const INPATIENT_SYSTEM = 'http://terminology.kemkes.go.id/CodeSystem/locationServiceClass-Inpatient';

for (const mode of ['bundle', 'single'] as const) {
  describe(`Encounter Playbook elements, SEND_MODE=${mode}`, () => {
    let h: Harness;
    let items: ItemRow[];
    let stored: Map<string, Json>;
    const sentOf = (type: string) => new Map(items.filter((i) => i.resource_type === type && i.status === 'sent').map((i) => [i.source_key, i]));

    beforeAll(async () => {
      // Seed 10: some diagnoses carry codes that are not ICD-10 (invalid Conditions).
      h = await createHarness({ patients: 60, visits: 160, seed: 10, env: { SEND_MODE: mode } });
      const result = await syncOnce(await h.openRuntime(), { pollMs: 100 });
      expect(result.interrupted).toBe(false);
      items = await allItems(h);
      stored = new Map((h.simulator.resources('Encounter') as Json[]).map((e) => [String(e.id), e]));
    }, 240_000);
    afterAll(async () => h?.close());

    it("names in each stored Encounter exactly the sent Conditions of its visit, ranked in Dekacare's order", async () => {
      const encounters = sentOf('Encounter');
      const conditions = sentOf('Condition');
      const diagnoses = (await h.source.db('diagnoses').orderBy(['visit_id', 'rank', 'id']).select('id', 'visit_id')) as Array<{ id: number; visit_id: number }>;
      let withTwo = 0;
      let checked = 0;
      for (const [visitId, encounter] of encounters) {
        // rank: the place in Dekacare's order among all the visit's diagnoses, sent or not.
        const ofVisit = diagnoses.filter((d) => String(d.visit_id) === visitId);
        const expected = ofVisit.flatMap((d, i) => (conditions.has(String(d.id)) ? [[`Condition/${conditions.get(String(d.id))!.satusehat_id}`, i + 1]] : []));
        const body = stored.get(encounter.satusehat_id!);
        expect(body, `Encounter of visit ${visitId}`).toBeDefined();
        const named = ((body!.diagnosis as Json[] | undefined) ?? []).map((d) => [d.condition.reference, d.rank]);
        expect(named, `visit ${visitId}`).toEqual(expected);
        for (const d of (body!.diagnosis as Json[] | undefined) ?? []) expect(d.use.coding[0]).toMatchObject({ system: 'http://terminology.hl7.org/CodeSystem/diagnosis-role', code: 'DD' });
        if (expected.length >= 2) withTwo += 1;
        if (expected.length > 0) checked += 1;
      }
      expect(checked).toBeGreaterThan(20);
      expect(withTwo, 'visits with a primary and a secondary diagnosis').toBeGreaterThan(3);
    });

    it('leaves out Conditions that can never be sent (a diagnosis code that is not ICD-10)', async () => {
      const invalid = items.filter((i) => i.resource_type === 'Condition' && i.status === 'invalid');
      expect(invalid.length).toBeGreaterThan(0);
      const text = JSON.stringify([...stored.values()].map((e) => e.diagnosis ?? []));
      for (const c of invalid) expect(text).not.toContain(`{{Condition:${c.source_key}}}`);
      expect(text).not.toContain('{{');
    });

    const encounterPuts = async () =>
      (await h.state.db('attempts as a').join('items as i', 'i.id', 'a.item_id').where({ 'i.resource_type': 'Encounter', 'a.method': 'PUT' }).select('a.item_id', 'a.http_code')) as Array<{ item_id: number; http_code: number }>;

    const sendsOnceInItsBundle = async () => {
      expect(h.simulator.stats().created.Encounter).toBe(sentOf('Encounter').size);
      expect(h.simulator.stats().updated.Encounter ?? 0).toBe(0);
      expect(await encounterPuts()).toEqual([]);
    };

    const createsThenUpdates = async () => {
      const encounters = [...sentOf('Encounter').values()];
      expect(h.simulator.stats().created.Encounter).toBe(encounters.length);
      const withDiagnosis = encounters.filter((e) => stored.get(e.satusehat_id!)?.diagnosis);
      expect(withDiagnosis.length).toBeGreaterThan(20);
      // Every Encounter that names a Condition got there by a PUT that succeeded; its POST named none.
      const putItems = new Set((await encounterPuts()).filter((p) => p.http_code === 200).map((p) => p.item_id));
      for (const e of withDiagnosis) expect(putItems.has(e.id), `Encounter item ${e.id}`).toBe(true);
      const posts = (await h.state.db('attempts').whereIn('item_id', withDiagnosis.map((e) => e.id)).andWhere('method', 'POST').pluck('request_body')) as unknown[];
      expect(posts.length).toBe(withDiagnosis.length);
      for (const body of posts) expect(JSON.stringify(body)).not.toContain('diagnosis');
      expect(h.simulator.stats().updated.Encounter ?? 0).toBeGreaterThanOrEqual(withDiagnosis.length);
    };

    if (mode === 'bundle') it('sends each Encounter once, in its Bundle, with its diagnosis', sendsOnceInItsBundle);
    else it('creates each Encounter, then updates it (PUT) with its diagnosis once its Conditions have ids', createsThenUpdates);

    it('stores inpatient stays with every room, its period and class, and the way out; emergency visits as EMER', async () => {
      const encounters = sentOf('Encounter');
      const locations = sentOf('Location');
      const visits = (await h.source.db('visits').select('id', 'encounter_class', 'status')) as Array<{ id: number; encounter_class: string; status: string }>;
      const rooms = (await h.source.db('visit_rooms').orderBy(['visit_id', 'entered_at']).select('visit_id', 'room_id')) as Array<{ visit_id: number; room_id: number }>;
      const sent = visits.filter((v) => encounters.has(String(v.id))).map((v) => ({ ...v, body: stored.get(encounters.get(String(v.id))!.satusehat_id!)! }));
      for (const v of sent) expect(v.body.class.code, `visit ${v.id}`).toBe(v.encounter_class);
      expect(sent.filter((v) => v.encounter_class === 'EMER').length, 'IGD visits sent').toBeGreaterThan(0);

      const stays = sent.filter((v) => v.encounter_class === 'IMP');
      expect(stays.length, 'inpatient stays sent').toBeGreaterThan(0);
      for (const v of stays) {
        const stay = rooms.filter((r) => r.visit_id === v.id);
        expect(v.body.location.map((l: Json) => l.location.reference), `rooms of stay ${v.id}`).toEqual(stay.map((r) => `Location/${locations.get(String(r.room_id))!.satusehat_id}`));
        for (const l of v.body.location as Json[]) {
          expect(l.period.start).toMatch(/\+00:00$/);
          expect(l.extension[0].extension[0].valueCodeableConcept.coding[0].system).toBe(INPATIENT_SYSTEM);
        }
      }
      expect(stays.filter((v) => v.body.location.length > 1).length, 'stays that moved rooms').toBeGreaterThan(0);
      const discharged = stays.filter((v) => v.status === 'finished');
      expect(discharged.length).toBeGreaterThan(0);
      for (const v of discharged) {
        expect(v.body.length).toMatchObject({ unit: 'min', system: 'http://unitsofmeasure.org', code: 'min' });
        expect(v.body.hospitalization.dischargeDisposition.coding[0].code).toMatch(/^(home|aadvice|other-hcf|oth|exp-lt48h|exp-gt48h)$/);
      }
    });
  });
}
