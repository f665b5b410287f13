// Every clinical resource type end to end on real MariaDB, Redis and the simulator: a full sync of a
// seeded demo clinic sends every valid item exactly once, the simulator (which checks references
// and code systems) accepts all of them, and the deliberate bad rows end `invalid` with reasons.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncOnce } from '../../daemon/sync-once.js';
import { plannedTypes, registry } from '../../shared/fhir/registry.js';
import type { MedicationMode, ResourceTypeName } from '../../shared/fhir/types.js';
import { getStatus } from '../../shared/services/status-service.js';
import { allItems, createHarness, sentPerFhirType, type Harness, type ItemRow } from '../support/pipeline-harness.js';

type Json = Record<string, unknown>;
const ref = (element: unknown): string => String((element as { reference?: string } | undefined)?.reference ?? '');
const json = (column: unknown): Json => (typeof column === 'string' ? JSON.parse(column) : column) as Json;
const refs = (list: unknown): string[] => ((list as unknown[] | undefined) ?? []).map(ref);

// Both send modes, and both ways a Medication travels: contained in its MedicationRequest (the
// default, Playbook v6.2) with transaction Bundles, and its own POST with single requests.
const RUNS: readonly { sendMode: 'bundle' | 'single'; medicationMode: MedicationMode }[] = [
  { sendMode: 'bundle', medicationMode: 'contained' },
  { sendMode: 'single', medicationMode: 'separate' },
];

describe.each(RUNS)('all clinical types on a seeded demo clinic ($sendMode, Medication $medicationMode)', ({ sendMode, medicationMode }) => {
  const contained = medicationMode === 'contained';
  const planned = plannedTypes(medicationMode);
  const CLINICAL: readonly ResourceTypeName[] = planned.slice(planned.indexOf('Condition'));
  let h: Harness;
  let items: ItemRow[];
  const parentsOf = new Map<number, ItemRow[]>();
  const ofType = (type: string) => items.filter((i) => i.resource_type === type);
  /** The invalid or failed items a blocked item ultimately waits for. */
  const rootCauses = (item: ItemRow, depth = 0): ItemRow[] => {
    if (item.status === 'invalid' || item.status === 'failed') return [item];
    if (item.status !== 'blocked' || depth > 5) return [];
    return (parentsOf.get(item.id) ?? []).flatMap((p) => rootCauses(p, depth + 1));
  };

  beforeAll(async () => {
    // Seed 10 at this size plants every kind of deliberate bad row at least once.
    h = await createHarness({ patients: 60, visits: 180, seed: 10, env: { SEND_MODE: sendMode, MEDICATION_MODE: medicationMode } });
    const rt = await h.openRuntime();
    const result = await syncOnce(rt, { pollMs: 100 });
    expect(result.interrupted).toBe(false);
    items = await allItems(h);
    const links = (await h.state.db('item_links').select('item_id', 'parent_type', 'parent_key')) as { item_id: number; parent_type: string; parent_key: string }[];
    const byKey = new Map(items.map((i) => [`${i.resource_type}:${i.source_key}`, i]));
    for (const l of links) {
      const parent = byKey.get(`${l.parent_type}:${l.parent_key}`);
      if (parent) parentsOf.set(l.item_id, [...(parentsOf.get(l.item_id) ?? []), parent]);
    }
  }, 240_000);
  afterAll(async () => h?.close());

  it('extracts every clinical type, and settles every item with a reason', () => {
    for (const type of CLINICAL) expect(ofType(type).length, type).toBeGreaterThan(0);
    // A Medication item per prescription line only when Medications travel on their own.
    expect(ofType('Medication').length).toBe(contained ? 0 : ofType('MedicationRequest').length);
    for (const item of items) {
      expect(['sent', 'failed', 'invalid', 'blocked'], `item ${item.id} ${item.resource_type} is ${item.status}`).toContain(item.status);
      if (item.status === 'sent') expect(item.satusehat_id, `sent item ${item.id}`).toBeTruthy();
      if (item.status === 'invalid' || item.status === 'failed') expect(item.last_error ?? '').toMatch(/\w{5,}/);
      if (item.status === 'blocked') expect(item.blocked_by ?? '', `${item.resource_type} ${item.source_key}`).toMatch(/[A-Za-z]+ \d+(:[\d-]+)?/);
    }
    // Nothing is blocked for nothing: following the parents of every blocked item leads to an
    // item that is invalid or failed (a patient without NIK, a midwife without NIK, a bad row).
    const blocked = items.filter((i) => i.status === 'blocked');
    expect(blocked.length, 'the seed has items waiting for a bad parent').toBeGreaterThan(0);
    for (const item of blocked) {
      expect(rootCauses(item).length, `${item.resource_type} ${item.source_key}: ${item.blocked_by}`).toBeGreaterThan(0);
    }
  });

  it('sends every valid item of every type exactly once: our sent counts are what the simulator created', () => {
    const stats = h.simulator.stats();
    expect(sentPerFhirType(items)).toEqual(stats.created);
    expect(stats.duplicateIdentifiersStored).toBe(0);
    expect(stats.duplicatesRejected).toEqual({});
    for (const type of CLINICAL) {
      const sent = ofType(type).filter((i) => i.status === 'sent');
      expect(sent.length, type).toBeGreaterThan(0);
      expect(new Set(sent.map((i) => i.satusehat_id)).size, type).toBe(sent.length);
    }
    // Vital signs and laboratory results are both Observations in SATUSEHAT.
    expect(stats.created.Observation).toBe(ofType('Observation').filter((i) => i.status === 'sent').length + ofType('ObservationLab').filter((i) => i.status === 'sent').length);
  });

  it('never has a valid clinical item refused by SATUSEHAT: references and code systems all check out', () => {
    const refused = items.filter((i) => CLINICAL.includes(i.resource_type as ResourceTypeName) && i.status === 'failed');
    expect(refused.map((i) => `${i.resource_type} ${i.source_key}: ${i.last_error}`)).toEqual([]);
  });

  it('ends the deliberate bad rows invalid, with readable reasons', () => {
    const bad = h.seed.badRows;
    const invalid = (type: string, pattern: RegExp) => ofType(type).filter((i) => i.status === 'invalid' && pattern.test(i.last_error ?? ''));
    const planted = [bad.unknownIcd10, bad.unknownIcd9cm, bad.temperatureTypos, bad.labResultsWithoutUnit, bad.drugsWithoutKfa, bad.futureVisits];
    expect(planted.every((n) => n > 0), JSON.stringify(bad)).toBe(true);

    expect(invalid('Condition', /Code not found: '.+' in system: http:\/\/hl7\.org\/fhir\/sid\/icd-10 \(RuleNumber: 10001\).*Correct the diagnosis code/).length).toBe(bad.unknownIcd10);
    expect(invalid('Procedure', /Code not found: '.+' in system: http:\/\/hl7\.org\/fhir\/sid\/icd-9-cm \(RuleNumber: 10001\)/).length).toBe(bad.unknownIcd9cm);
    expect(invalid('Observation', /body temperature \d+ Cel cannot be right/).length).toBe(bad.temperatureTypos);
    expect(invalid('ObservationLab', /has no unit: SATUSEHAT needs Observation\.valueQuantity in UCUM \(RuleNumber: 10012\)/).length).toBe(bad.labResultsWithoutUnit);
    // The racikan with unmapped ingredients: its contained Medication makes the MedicationRequest invalid,
    // or, sent on its own, the Medication is invalid and its MedicationRequest waits for it.
    const noKfa = invalid(contained ? 'MedicationRequest' : 'Medication', /ingredient '.+' of this compounded drug has no KFA code/);
    expect(noKfa.length).toBe(bad.drugsWithoutKfa);
    for (const med of noKfa) {
      const request = ofType('MedicationRequest').find((i) => i.source_key === med.source_key);
      expect(request?.status).toBe(contained ? 'invalid' : 'blocked');
      expect(rootCauses(request as ItemRow)).toContain(med);
    }
    for (const result of invalid('ObservationLab', /has no unit/)) {
      const waiting = ofType('DiagnosticReport').filter((r) => rootCauses(r).includes(result));
      expect(waiting.length, `report of lab result ${result.source_key}`).toBe(1);
    }

    // Children of the visits typed into the future are invalid for their own dates (10132).
    expect(invalid('Condition', /RuleNumber: 10132/).length).toBeGreaterThan(0);
  });

  it('stores resources that point at each other the way SATUSEHAT expects', () => {
    const stored = (type: string) => h.simulator.resources(type) as Json[];
    const ids = (type: string) => new Set(stored(type).map((r) => `${type}/${String(r.id)}`));
    const medications = ids('Medication');
    const containedIds = (mr: Json) => ((mr.contained as Json[] | undefined) ?? []).filter((c) => c.resourceType === 'Medication').map((c) => `#${String(c.id)}`);
    expect(stored('MedicationRequest').length).toBeGreaterThan(0);
    for (const mr of stored('MedicationRequest')) {
      const target = ref(mr.medicationReference);
      expect(contained ? containedIds(mr).includes(target) : medications.has(target), target).toBe(true);
      // Both Playbook identifiers: the line and the prescription it belongs to.
      expect(JSON.stringify(mr.identifier)).toMatch(/prescription-item\/\d+","use":"official","value":"RX-\d+-\d".*\/prescription\/\d+","use":"official","value":"RX-\d+"/);
    }
    // Separately sent Medications go whether or not their request can (a patient without NIK).
    expect(medications.size > 0).toBe(!contained);
    const observations = new Map(stored('Observation').map((o) => [`Observation/${String(o.id)}`, o]));
    const requests = ids('ServiceRequest');
    const specimens = ids('Specimen');
    expect(stored('DiagnosticReport').length).toBeGreaterThan(0);
    expect(stored('Specimen').length).toBeGreaterThan(0);
    for (const dr of stored('DiagnosticReport')) {
      expect(refs(dr.result).length).toBeGreaterThan(0);
      for (const r of refs(dr.result)) expect(JSON.stringify(observations.get(r)?.category)).toContain('laboratory');
      for (const s of refs(dr.specimen)) expect(specimens.has(s)).toBe(true);
      for (const b of refs(dr.basedOn)) expect(requests.has(b)).toBe(true);
    }
    for (const s of stored('Specimen')) for (const r of refs(s.request)) expect(requests.has(r)).toBe(true);
    const encounters = ids('Encounter');
    for (const type of ['Condition', 'Procedure', 'Immunization', 'Composition', 'ServiceRequest', 'MedicationRequest']) {
      for (const r of stored(type)) expect(encounters.has(ref(r.encounter)), type).toBe(true);
    }
    // A vaccination names its KFA vaccine and who gave it (performer function AP, Administering Provider).
    const immunizations = stored('Immunization');
    expect(immunizations.length).toBe(ofType('Immunization').filter((i) => i.status === 'sent').length);
    for (const im of immunizations) expect([JSON.stringify(im.vaccineCode), JSON.stringify(im.performer)]).toEqual([expect.stringContaining('"system":"http://sys-ids.kemkes.go.id/kfa"'), expect.stringContaining('"code":"AP"')]);
    // Every vital sign and lab result carries its own identifier, so a re-send is found, not duplicated.
    for (const o of observations.values()) expect(JSON.stringify(o.identifier)).toMatch(/observation\/[^"]+","value":"(lab-)?\d+/);
  });

  it("names every person by the censored name SATUSEHAT's look-up returned, never by Dekacare's", async () => {
    const looked = (await h.state.db('items').whereIn('resource_type', ['Patient', 'Practitioner']).andWhere('status', 'sent')
      .select('resource_type', 'satusehat_id', 'satusehat_display')) as Array<{ resource_type: string; satusehat_id: string; satusehat_display: string | null }>;
    const nameOf = new Map(looked.map((p) => [`${p.resource_type}/${p.satusehat_id}`, p.satusehat_display]));
    const dekacareNames = new Set(((await h.source.db('patients').select('name')) as Array<{ name: string }>).map((p) => p.name));
    let displays = 0;
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') {
        const element = value as Json;
        if (typeof element.reference === 'string' && /^(Patient|Practitioner)\//.test(element.reference) && element.display !== undefined) {
          displays += 1;
          expect(element.display, element.reference).toBe(nameOf.get(element.reference));
          expect(element.display).toContain('*');
          expect(dekacareNames.has(String(element.display))).toBe(false);
        }
        Object.values(element).forEach(visit);
      }
    };
    const fhirTypes = new Set(['Encounter', ...CLINICAL.map((type) => registry[type].fhirType ?? type)]);
    for (const type of fhirTypes) h.simulator.resources(type).forEach(visit);
    // Every Encounter names its patient and practitioner; the clinical types add their own.
    expect(displays).toBeGreaterThan(2 * h.simulator.resources('Encounter').length);
  });

  it('sends each kind of note as the Playbook does; the Resume Medis refers to stored resources and waits for no bad row', () => {
    const stored = (type: string) => h.simulator.resources(type) as Json[];
    const nutrition = stored('NutritionOrder');
    expect(nutrition.length).toBe(ofType('NutritionOrder').filter((i) => i.status === 'sent').length);
    for (const n of nutrition) expect(['proposal', 'order']).toContain(n.intent);
    const education = stored('Procedure').filter((p) => JSON.stringify(p.category).includes('409073007'));
    expect(education.length).toBe(ofType('ProcedureEducation').filter((i) => i.status === 'sent').length);
    for (const p of education) expect(JSON.stringify(p.code)).toMatch(/CodeSystem\/kptl","code":"10913".*snomed\.info\/sct/);
    const compositions = stored('Composition');
    expect(compositions.length).toBe(ofType('Composition').filter((i) => i.status === 'sent').length);
    const entries = (sections: unknown): string[] => ((sections as Json[] | undefined) ?? []).flatMap((s) => [...refs(s.entry), ...entries(s.section)]);
    const storedIds = new Set(['Condition', 'Observation', 'Procedure', 'AllergyIntolerance', 'MedicationRequest', 'ServiceRequest', 'Specimen', 'DiagnosticReport', 'NutritionOrder'].flatMap((t) => stored(t).map((r) => `${t}/${String(r.id)}`)));
    let referring = 0;
    for (const c of compositions) {
      expect(JSON.stringify(c.type)).toContain('88645-7');
      expect(JSON.stringify(c.extension)).toContain('DocumentStatus');
      const listed = entries(c.section);
      if (listed.length > 0) referring += 1;
      for (const e of listed) expect(storedIds.has(e), e).toBe(true);
    }
    expect(referring).toBeGreaterThan(0);
    // A visit's bad row never holds its summary back: a blocked summary waits for its visit alone.
    const blockedSummaries = ofType('Composition').filter((i) => i.status === 'blocked');
    expect(blockedSummaries.length, 'the seed has a summary waiting for its visit').toBeGreaterThan(0);
    for (const c of blockedSummaries) {
      // Blocked only behind its own visit's Encounter (a patient without NIK …), never behind a sibling.
      expect(rootCauses(c).every((cause) => cause.resource_type === 'Patient' || cause.resource_type === 'Practitioner' || cause.resource_type === 'Encounter'), `${c.source_key}: ${c.blocked_by}`).toBe(true);
    }
  });

  it('names the left-out siblings of a sent Resume Medis', async () => {
    const rows = await h.state.db('items').where({ resource_type: 'Composition', status: 'sent' }).whereRaw("JSON_VALUE(summary, '$.leftOut') IS NOT NULL").pluck('summary');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(json(row).leftOut).toMatch(/^\d+ left out: [A-Za-z]+ \d+/);
  });

  it('records each stored Bundle once: every entry’s resource in its own item’s attempt (single mode: none)', async () => {
    const bundles = await h.state.db('attempts as a').join('items as i', 'i.id', 'a.item_id')
      .where('i.resource_type', 'Encounter').andWhere('a.http_code', 200).andWhere('a.method', 'POST')
      .select('a.item_id', 'a.request_body', 'a.started_at').limit(20);
    // Single mode sends no Bundle at all.
    expect(bundles.length > 0).toBe(sendMode === 'bundle');
    for (const row of bundles) {
      const bundle = json(row.request_body) as { type: string; entry: Array<{ fullUrl: string; resource?: Json; resourceInAttemptOfItem?: number }> };
      expect(bundle.type).toBe('transaction');
      expect(bundle.entry[0]!.resource?.resourceType).toBe('Encounter');
      for (const entry of bundle.entry.slice(1)) {
        expect(entry.resource).toBeUndefined();
        // That item's attempt from the same exchange holds the resource, with the same urn.
        const child = await h.state.db('attempts').where({ item_id: entry.resourceInAttemptOfItem, started_at: row.started_at }).first('request_body', 'http_code');
        expect(child, `entry ${entry.fullUrl}`).toBeDefined();
        const resource = json(child.request_body);
        expect(typeof resource.resourceType).toBe('string');
        expect(JSON.stringify(bundle.entry)).not.toContain(JSON.stringify(resource));
      }
    }
  });

  it('shows a Medication card only when Medication items exist', async () => {
    const types = (await getStatus(h.state.db, undefined, medicationMode)).map((r) => r.type);
    expect(types.includes('Medication')).toBe(!contained);
    expect(types).toContain('MedicationRequest');
  });

  it('lists the visit-Bundle types as waiting for their Encounter', async () => {
    for (const type of ['Condition', 'Observation', 'Procedure', 'Immunization'] as const) {
      expect(registry[type].bundle).toBe('visit');
      const links = await h.state.db('item_links as l').join('items as i', 'i.id', 'l.item_id').where('i.resource_type', type).distinct('l.parent_type').pluck('l.parent_type');
      expect(links, type).toContain('Encounter');
    }
  });

  it('a second sync sends nothing new', async () => {
    const before = h.simulator.stats();
    const rt = await h.openRuntime();
    const result = await syncOnce(rt, { pollMs: 100 });
    const after = h.simulator.stats();
    expect(after.created).toEqual(before.created);
    expect(after.duplicatesRejected).toEqual({});
    for (const type of CLINICAL) {
      expect(result.extraction[type]?.inserted ?? 0, type).toBe(0);
      expect(result.extraction[type]?.changed ?? 0, type).toBe(0);
    }
  });

  // Runs last: it moves the source's updated_at (and so the watermarks) far ahead.
  it('sends a diagnosis added to a closed visit as a create, and a corrected vital sign as an update (PUT) of that Observation only', async () => {
    const HEART_RATE = '8867-4';
    const sentEncounters = new Map(ofType('Encounter').filter((e) => e.status === 'sent').map((e) => [e.source_key, e]));
    const sentConditions = ofType('Condition').filter((c) => c.status === 'sent');
    // A closed, sent visit with a sent diagnosis and a sent heart rate.
    let pick: { encounter: ItemRow; diagnosisId: number; heartRate: ItemRow; vitalId: number } | undefined;
    for (const hr of ofType('Observation').filter((o) => o.status === 'sent' && o.source_key.endsWith(`:${HEART_RATE}`))) {
      const vitalId = Number(hr.source_key.split(':')[0]);
      const vital = await h.source.db('vital_signs').where('id', vitalId).first('visit_id');
      const encounter = sentEncounters.get(String(vital.visit_id));
      if (!encounter) continue;
      const diagnoses = await h.source.db('diagnoses').where('visit_id', vital.visit_id).pluck('id');
      const diagnosis = sentConditions.find((c) => diagnoses.includes(Number(c.source_key)));
      if (diagnosis) {
        pick = { encounter, diagnosisId: Number(diagnosis.source_key), heartRate: hr, vitalId };
        break;
      }
    }
    expect(pick, 'a sent visit with a sent diagnosis and heart rate').toBeDefined();
    const { encounter, diagnosisId, heartRate, vitalId } = pick!;
    const before = h.simulator.stats();
    const siblings = ofType('Observation').filter((o) => o.source_key.startsWith(`${vitalId}:`));
    expect(siblings.length).toBeGreaterThan(1);
    const revisionOf = async () => new Map((await h.state.db('items').whereIn('id', siblings.map((o) => o.id)).select('id', 'current_revision')).map((r) => [r.id as number, r.current_revision as number]));
    const revisionsBefore = await revisionOf();

    // The clinic adds a second diagnosis to the closed visit and corrects the heart rate.
    const changedAt = '2099-01-01 00:00:00';
    const { id: _id, ...diagnosis } = await h.source.db('diagnoses').where('id', diagnosisId).first();
    const [newDiagnosisId] = await h.source.db('diagnoses').insert({ ...diagnosis, rank: 2, created_at: changedAt, updated_at: changedAt });
    const { heart_rate: oldRate } = await h.source.db('vital_signs').where('id', vitalId).first('heart_rate');
    const newRate = Number(oldRate) + 7;
    await h.source.db('vital_signs').where('id', vitalId).update({ heart_rate: newRate, updated_at: changedAt });

    const rt = await h.openRuntime();
    const result = await syncOnce(rt, { pollMs: 100 });
    expect(result.extraction.Condition).toMatchObject({ inserted: 1, changed: 0 });
    expect(result.extraction.Observation).toMatchObject({ inserted: 0, changed: 1 });
    const after = h.simulator.stats();

    // The new diagnosis: one create, pointing at the visit's Encounter as SATUSEHAT knows it.
    const added = await h.state.db('items').where({ resource_type: 'Condition', source_key: String(newDiagnosisId) }).first('status', 'satusehat_id');
    expect(added.status).toBe('sent');
    expect(after.created.Condition).toBe((before.created.Condition ?? 0) + 1);
    const stored = (h.simulator.resources('Condition') as Json[]).find((c) => c.id === added.satusehat_id);
    expect(ref(stored?.encounter)).toBe(`Encounter/${encounter.satusehat_id}`);
    // The visit is read again for its new diagnosis: its Encounter is updated (PUT) to name it.
    expect(result.extraction.Encounter).toMatchObject({ inserted: 0, changed: 1 });
    const storedEncounter = (h.simulator.resources('Encounter') as Json[]).find((e) => e.id === encounter.satusehat_id);
    expect(refs((storedEncounter?.diagnosis as Json[] | undefined)?.map((d) => d.condition))).toContain(`Condition/${added.satusehat_id}`);
    expect(after.updated.Encounter ?? 0).toBeGreaterThan(before.updated.Encounter ?? 0);

    // The corrected heart rate: a new revision, sent as a PUT to the same id; its siblings untouched.
    const hr = await h.state.db('items').where('id', heartRate.id).first('status', 'satusehat_id', 'current_revision');
    expect(hr).toMatchObject({ status: 'sent', satusehat_id: heartRate.satusehat_id, current_revision: revisionsBefore.get(heartRate.id)! + 1 });
    const last = await h.state.db('attempts').where('item_id', heartRate.id).orderBy('id', 'desc').first('method', 'url');
    expect(last.method).toBe('PUT');
    expect(last.url).toContain(`/Observation/${heartRate.satusehat_id}`);
    expect(after.created.Observation).toBe(before.created.Observation);
    expect(after.updated.Observation).toBe((before.updated.Observation ?? 0) + 1);
    const observation = (h.simulator.resources('Observation') as Json[]).find((o) => o.id === heartRate.satusehat_id);
    expect((observation?.valueQuantity as { value?: number } | undefined)?.value).toBe(newRate);
    const revisionsAfter = await revisionOf();
    for (const sibling of siblings.filter((o) => o.id !== heartRate.id)) expect(revisionsAfter.get(sibling.id), sibling.source_key).toBe(revisionsBefore.get(sibling.id));
    expect(after.duplicateIdentifiersStored).toBe(0);
  });
});
