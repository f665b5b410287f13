// The SATUSEHAT profile and required-binding check on payloads built from the golden fixtures:
// each IG constraint it enforces, with the element path and message an operator reads.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Resource } from '@medplum/fhirtypes';
import { localValidationErrors } from '../../daemon/send/local-validation.js';
import { resolvePlaceholders } from '../../shared/fhir/placeholders.js';
import { validatePayloadUncached } from '../../shared/validation/payload-validator.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/fhir');
const TRANSPORTED = 'https://fhir.kemkes.go.id/r4/StructureDefinition/TransportedTime';
const DOCUMENT_STATUS = 'https://fhir.kemkes.go.id/r4/StructureDefinition/DocumentStatus';

type Json = Record<string, unknown>;
function golden(path: string): Json {
  const parsed = JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as unknown;
  const result = (Array.isArray(parsed) ? parsed[0] : parsed) as { request: { body: unknown } };
  const resolved = resolvePlaceholders(result.request.body, () => '00000000-0000-0000-0000-000000000000');
  if (!resolved.ok) throw new Error(`unresolved placeholders in ${path}`);
  return resolved.body as Json;
}
const check = (body: Json) => validatePayloadUncached(body as unknown as Resource);

describe('SATUSEHAT profile check', () => {
  const encounter = golden('encounter/visit-finished-budi.json');
  const specimen = golden('specimen/spesimen-darah-vena.json');
  const medication = golden('medication/obat-paracetamol.json');
  const composition = golden('composition/resume-tanpa-data-lain.json');

  it('passes the golden payloads it is given here', () => {
    expect(check(encounter)).toEqual([]);
    expect(check(specimen)).toEqual([]);
    expect(check(medication)).toEqual([]);
  });

  it('refuses a code outside a required binding on a code, a Coding and a CodeableConcept, listing the allowed codes', () => {
    expect(check({ ...encounter, status: 'bogus-status' })).toEqual([
      'Encounter.status: "bogus-status" is not in the required ValueSet encounter-status (allowed: arrived, cancelled, entered-in-error, finished, in-progress, onleave, planned, triaged, … (9 codes))',
    ]);
    const history = (encounter.statusHistory as Json[]).map((h, i) => (i === 0 ? { ...h, status: 'done' } : h));
    expect(check({ ...encounter, statusHistory: history })).toEqual([expect.stringMatching(/^Encounter\.statusHistory\[0\]\.status: "done" is not in the required ValueSet encounter-status/)]);
    const condition = golden('condition/diagnosis-ispa.json');
    const clinicalStatus = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'cured' }] };
    expect(check({ ...condition, clinicalStatus })).toEqual([
      'Condition.clinicalStatus: http://terminology.hl7.org/CodeSystem/condition-clinical|cured is not in the required ValueSet condition-clinical (allowed: active, inactive, recurrence, relapse, remission, resolved)',
    ]);
    const identifier = [{ ...(encounter.identifier as Json[])[0], use: 'primary' }];
    expect(check({ ...encounter, identifier })).toEqual(['Encounter.identifier[0].use: "primary" is not in the required ValueSet identifier-use (allowed: official, old, secondary, temp, usual)']);
  });

  it('requires what base R4 leaves optional: Encounter.statusHistory, Observation.encounter …', () => {
    const { statusHistory: _s, ...noHistory } = encounter;
    expect(check(noHistory)).toEqual(['Encounter.statusHistory: Missing required property (SATUSEHAT profile Encounter)']);
    const { encounter: _e, ...observation } = golden('observation/vital-lengkap.json');
    expect(check(observation)).toEqual(['Observation.encounter: Missing required property (SATUSEHAT profile Observation)']);
  });

  it('passes our Immunizations and requires what its IG profile adds: performer.actor, protocolApplied.doseNumber[x]', () => {
    const immunization = golden('immunization/imunisasi-td-anc.json');
    expect(check(immunization)).toEqual([]);
    expect(check(golden('immunization/imunisasi-rabies-dosis-2.json'))).toEqual([]);
    const performer = [{ function: (immunization.performer as Json[])[0]!.function }];
    expect(check({ ...immunization, performer }).join()).toMatch(/^Immunization\.performer\[0\]\.actor: Missing required property/);
    expect(check({ ...immunization, protocolApplied: [{ series: 'Td' }] }).join()).toMatch(/^Immunization\.protocolApplied\[0\]\.doseNumber/);
    expect(check({ ...immunization, status: 'given' }).join()).toMatch(/^Immunization\.status: "given" is not in the required ValueSet immunization-status/);
  });

  it('requires the Specimen TransportedTime extension, once, as a dateTime', () => {
    const { extension: _x, ...bare } = specimen;
    expect(check(bare)).toEqual(["Specimen.extension: Incorrect number of values provided for slice 'transportedTime': expected 1..1, but found 0 (SATUSEHAT profile Specimen)"]);
    expect(check({ ...specimen, extension: [{ url: TRANSPORTED, valueString: 'pagi' }] })).toEqual([
      'Specimen.extension[0].valueString: valueString is not allowed here (allowed: valueDateTime) (extension TransportedTime) (SATUSEHAT profile Specimen)',
    ]);
    const twice = [...(specimen.extension as Json[]), ...(specimen.extension as Json[])];
    expect(check({ ...specimen, extension: twice })).toEqual(["Specimen.extension: Incorrect number of values provided for slice 'transportedTime': expected 1..1, but found 2 (SATUSEHAT profile Specimen)"]);
  });

  it('checks the DocumentStatus extension of a Composition against its definition', () => {
    // Our Resume Medis carries DocumentStatus; without it the profile refuses the Composition.
    expect(check(composition)).toEqual([]);
    const { extension: _status, ...bare } = composition;
    expect(check(bare)).toEqual(["Composition.extension: Incorrect number of values provided for slice 'documentStatus': expected 1..*, but found 0 (SATUSEHAT profile Composition)"]);
    const withStatus = (extension: Json[]) => check({ ...composition, extension: [{ url: DOCUMENT_STATUS, extension }] });
    expect(withStatus([{ url: 'statusCode', valueCode: 'final' }])).toEqual([]);
    expect(withStatus([{ url: 'statusTime', valueDateTime: '2026-11-20T02:00:00+00:00' }])).toEqual([
      "Composition.extension[0].extension: Incorrect number of values provided for slice 'statusCode': expected 1..1, but found 0 (extension DocumentStatus) (SATUSEHAT profile Composition)",
    ]);
  });

  it('keeps the MedicationType coding to its code system, in the Medication and contained in a MedicationRequest', () => {
    const wrong = [{ ...(medication.extension as Json[])[0], valueCodeableConcept: { coding: [{ system: 'http://example.org/type', code: 'NC' }] } }];
    expect(check({ ...medication, extension: wrong })).toEqual([
      'Medication.extension[0].value[x].coding.system: must be "http://terminology.kemkes.go.id/CodeSystem/medication-type", got "http://example.org/type" (SATUSEHAT profile Medication)',
    ]);
    const request = golden('medicationrequest/resep-paracetamol.json');
    const { extension: _x, ...rest } = medication;
    const untyped = { ...rest, id: 'med1' };
    const contained = { ...request, contained: [untyped], medicationReference: { reference: '#med1' } };
    expect(check(contained)).toEqual(["MedicationRequest.contained[0].extension: Incorrect number of values provided for slice 'medicationType': expected 1..1, but found 0 (SATUSEHAT profile Medication)"]);
  });

  it('applies the profile inside backbones: one ServiceClass per Encounter.location', () => {
    const serviceClass = { url: 'https://fhir.kemkes.go.id/r4/StructureDefinition/ServiceClass', extension: [{ url: 'value', valueCodeableConcept: { text: 'Kelas 1' } }] };
    const location = (encounter.location as Json[]).map((l) => ({ ...l, extension: [serviceClass, serviceClass] }));
    expect(check({ ...encounter, location })).toEqual(["Encounter.location[0].extension: Incorrect number of values provided for slice 'serviceClass': expected 0..1, but found 2 (SATUSEHAT profile Encounter)"]);
  });

  it('is part of the last check before a send (a failure makes the item invalid, never sent)', () => {
    const { extension: _x, ...bare } = specimen;
    const now = Date.parse('2026-11-27T03:00:00Z');
    expect(localValidationErrors(specimen, now)).toEqual([]);
    expect(localValidationErrors(bare, now)).toEqual(["Specimen.extension: Incorrect number of values provided for slice 'transportedTime': expected 1..1, but found 0 (SATUSEHAT profile Specimen)"]);
    expect(localValidationErrors({ ...encounter, status: 'bogus-status' }, now)).toEqual([expect.stringMatching(/^Encounter\.status: "bogus-status" is not in the required ValueSet/)]);
  });

  it("lets a prescription's validity end after now, and nothing else (10132 is about when things happened)", () => {
    const request = golden('medicationrequest/resep-paracetamol.json');
    const now = Date.parse('2026-11-27T03:00:00Z');
    const dispense = request.dispenseRequest as Json;
    const validity = { start: '2026-11-20T02:00:00+00:00', end: '2026-12-20T02:00:00+00:00' };
    expect(localValidationErrors({ ...request, dispenseRequest: { ...dispense, validityPeriod: validity } }, now)).toEqual([]);
    expect(localValidationErrors({ ...request, authoredOn: '2026-12-20T02:00:00+00:00' }, now)).toEqual(['MedicationRequest.authoredOn: 2026-12-20T02:00:00+00:00 is in the future (RuleNumber: 10132)']);
  });

  it('checks the R4 required bindings of a type the IG does not profile (NutritionOrder)', () => {
    const order = { resourceType: 'NutritionOrder', status: 'bogus', intent: 'order', patient: { reference: 'Patient/P1' }, dateTime: '2026-11-20T02:00:00+00:00', oralDiet: { type: [{ text: 'Diet rendah garam' }] } };
    expect(check(order)).toEqual([expect.stringMatching(/^NutritionOrder\.status: "bogus" is not in the required ValueSet request-status \(allowed: /)]);
    expect(check({ ...order, status: 'active' })).toEqual([]);
  });
});
