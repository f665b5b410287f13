// The simulator's code-system and reference rules that the official IG examples showed to be wrong,
// each with the valid case it used to refuse and a neighbouring invalid case it must still refuse.
import { describe, expect, it } from 'vitest';
import { isLoinc } from '../../simulator/terminology.js';
import type { JsonObject } from '../../simulator/types.js';
import { validateResource, type ValidationContext } from '../../simulator/validate.js';

const ORG = '100011961';
const PATIENT = 'P02478375538';
const PRACTITIONER = '10009880728';
const STORED = new Set(['Encounter/enc-1', 'ServiceRequest/sr-1', 'Observation/obs-1', 'Organization/lab-1', 'Location/loc-1']);
const ctx: ValidationContext = {
  orgId: ORG,
  now: Date.UTC(2026, 0, 1),
  hasResource: (type, id) => STORED.has(`${type}/${id}`),
  isKnownPerson: (kind, id) => (kind === 'Patient' ? id === PATIENT : id === PRACTITIONER),
  personName: null,
};
const WHEN = '2025-06-01T01:00:00+00:00';
const visit = { subject: { reference: `Patient/${PATIENT}` }, encounter: { reference: 'Encounter/enc-1' } };
const cc = (system: string, code: string): JsonObject => ({ coding: [{ system, code }] });

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const KEMKES = 'http://terminology.kemkes.go.id/CodeSystem/';

/** `<RuleNumber or -> <expression>` of every issue, so a test names exactly what is refused. */
function issues(type: string, resource: JsonObject): string[] {
  return validateResource(type, { resourceType: type, ...resource }, ctx).map(
    (i) => `${/RuleNumber: (\d+)/.exec(i.details.text)?.[1] ?? '-'} ${(i.expression ?? []).join(',')}`,
  );
}

const observation = (extra: JsonObject): JsonObject => ({ status: 'final', code: cc(LOINC, '8867-4'), ...visit, effectiveDateTime: WHEN, ...extra });
const report = (extra: JsonObject): JsonObject => ({ status: 'final', code: cc(LOINC, '11477-7'), ...visit, ...extra });
const serviceRequest = (extra: JsonObject): JsonObject => ({
  status: 'active', intent: 'order', code: cc(LOINC, '11477-7'), ...visit, requester: { reference: `Practitioner/${PRACTITIONER}` }, ...extra,
});

describe('LOINC answer codes', () => {
  it('accepts LA…-C answer codes (their check digit is not the mod 10 of the digits) and still checks ordinary codes', () => {
    expect(isLoinc('LA6576-8')).toBe(true);
    expect(isLoinc('LA11882-0')).toBe(true);
    expect(isLoinc('LA6576')).toBe(false);
    expect(isLoinc('8867-4')).toBe(true);
    expect(isLoinc('8867-5')).toBe(false);
    expect(issues('Observation', observation({ valueCodeableConcept: cc(LOINC, 'LA6576-8') }))).toEqual([]);
    expect(issues('Observation', observation({ valueCodeableConcept: cc(LOINC, 'LA-8') }))).toEqual(['10001 Observation.valueCodeableConcept.coding[0].code']);
  });
});

describe('Observation code systems', () => {
  it.each([
    [SNOMED, '162214009'],
    [`${KEMKES}clinical-term`, 'OC000001'],
    [`${KEMKES}examination`, 'TK000003'],
    [`${KEMKES}anc-custom-codes`, 'ANC.SS.DE13'],
    [`${KEMKES}who/ikp-custom-codes`, 'IKP.DE1'],
    ['http://fhir.org/guides/who/anc-cds/CodeSystem/anc-custom-codes', 'ANC.B6.DE14'],
  ])('accepts Observation.code in %s', (system, code) => {
    expect(issues('Observation', observation({ code: cc(system, code) }))).toEqual([]);
  });

  it.each([['http://terminology.kemkes.go.id'], ['#tbd'], ['http://hl7.org/fhir/location-type'], [`${KEMKES}medication-form`]])('refuses Observation.code in %s (10002)', (system) => {
    expect(issues('Observation', observation({ code: cc(system, 'X1') }))).toEqual(['10002 Observation.code.coding[0].system']);
  });

  it('accepts kemkes clinical-term and examination answers, not the kemkes composition types', () => {
    expect(issues('Observation', observation({ valueCodeableConcept: cc(`${KEMKES}clinical-term`, 'OV000052') }))).toEqual([]);
    expect(issues('Observation', observation({ valueCodeableConcept: cc(`${KEMKES}examination`, 'TK000001') }))).toEqual([]);
    expect(issues('Observation', observation({ valueCodeableConcept: cc(`${KEMKES}composition-type`, 'TK000001') }))).toEqual(['10002 Observation.valueCodeableConcept.coding[0].system']);
  });
});

describe('DiagnosticReport, ServiceRequest, Composition, Procedure, Specimen, Medication codes', () => {
  it('DiagnosticReport.code: LOINC, SNOMED and kemkes examination; not an observation category', () => {
    expect(issues('DiagnosticReport', report({ code: cc(SNOMED, '399208008') }))).toEqual([]);
    expect(issues('DiagnosticReport', report({ code: cc(`${KEMKES}examination`, 'TK000003') }))).toEqual([]);
    expect(issues('DiagnosticReport', report({ code: cc('http://terminology.hl7.org/CodeSystem/observation-category', 'imaging') }))).toEqual(['10002 DiagnosticReport.code.coding[0].system']);
  });

  it('ServiceRequest.code: kemkes examination too; not ICD-10', () => {
    expect(issues('ServiceRequest', serviceRequest({ code: cc(`${KEMKES}examination`, 'TK000003') }))).toEqual([]);
    expect(issues('ServiceRequest', serviceRequest({ code: cc('http://hl7.org/fhir/sid/icd-10', 'A15.0') }))).toEqual(['10002 ServiceRequest.code.coding[0].system']);
  });

  it('Composition.type: LOINC or kemkes composition-type; not SNOMED', () => {
    const composition = (type: JsonObject): JsonObject => ({
      status: 'final', type, ...visit, date: WHEN, author: [{ reference: `Practitioner/${PRACTITIONER}` }], title: 'Resume Medis',
    });
    expect(issues('Composition', composition(cc(`${KEMKES}composition-type`, 'TK000003')))).toEqual([]);
    expect(issues('Composition', composition(cc(LOINC, '88645-7')))).toEqual([]);
    expect(issues('Composition', composition(cc(SNOMED, '371530004')))).toEqual(['10002 Composition.type.coding[0].system']);
  });

  it('Procedure.code: kemkes clinical-term too; not LOINC', () => {
    const procedure = (code: JsonObject): JsonObject => ({ status: 'completed', code, ...visit });
    expect(issues('Procedure', procedure(cc(`${KEMKES}clinical-term`, 'PC000001')))).toEqual([]);
    expect(issues('Procedure', procedure(cc(LOINC, '8867-4')))).toEqual(['10002 Procedure.code.coding[0].system']);
  });

  it('Specimen.type: SNOMED or v2-0487; not LOINC', () => {
    const specimen = (type: JsonObject): JsonObject => ({ status: 'available', type, subject: visit.subject, request: [{ reference: 'ServiceRequest/sr-1' }] });
    expect(issues('Specimen', specimen(cc('http://terminology.hl7.org/CodeSystem/v2-0487', 'BLD')))).toEqual([]);
    expect(issues('Specimen', specimen(cc(LOINC, '8867-4')))).toEqual(['10002 Specimen.type.coding[0].system']);
  });

  it('Medication.form: kemkes medication-form or SNOMED dose forms, each with its own code format', () => {
    const medication = (form: JsonObject): JsonObject => ({ code: cc('http://sys-ids.kemkes.go.id/kfa', '93001019'), form });
    expect(issues('Medication', medication(cc(`${KEMKES}medication-form`, 'BS066')))).toEqual([]);
    expect(issues('Medication', medication(cc(SNOMED, '385101003')))).toEqual([]);
    expect(issues('Medication', medication(cc(SNOMED, 'BS066')))).toEqual(['10001 Medication.form.coding[0].code']);
  });
});

describe('Medication.code of compounded drugs', () => {
  const type = (code: string): JsonObject => ({
    extension: [{ url: 'https://fhir.kemkes.go.id/r4/StructureDefinition/MedicationType', valueCodeableConcept: cc(`${KEMKES}medication-type`, code) }],
  });

  it('may be empty for a compounded drug (MedicationType SD, Playbook step 16), and only then', () => {
    const ingredient = [{ itemCodeableConcept: cc('http://sys-ids.kemkes.go.id/kfa', '91000101'), isActive: true }];
    expect(issues('Medication', { ...type('SD'), ingredient })).toEqual([]);
    // A compound is known by its ingredients: without them it is not identified at all.
    expect(issues('Medication', type('SD'))).toEqual(['- Medication.ingredient']);
    expect(issues('Medication', type('NC'))).toEqual(['- Medication.code']);
    expect(issues('Medication', {})).toEqual(['- Medication.code']);
  });
});

describe('ServiceRequest intent, requester and performer', () => {
  it('accepts intent directive (request-intent has it); MedicationRequest intents do not', () => {
    expect(issues('ServiceRequest', serviceRequest({ intent: 'directive' }))).toEqual([]);
    expect(issues('ServiceRequest', serviceRequest({ intent: 'command' }))).toEqual(['10001 ServiceRequest.intent']);
    const medicationRequest = {
      status: 'active', intent: 'directive', medicationReference: { reference: 'Medication/m-1' }, ...visit, requester: { reference: `Practitioner/${PRACTITIONER}` },
    };
    expect(issues('MedicationRequest', medicationRequest)).toContain('10001 MedicationRequest.intent');
  });

  it('accepts an Organization as requester (ours or a stored one); a requester is still mandatory and must exist', () => {
    expect(issues('ServiceRequest', serviceRequest({ requester: { reference: `Organization/${ORG}` } }))).toEqual([]);
    expect(issues('ServiceRequest', serviceRequest({ requester: { reference: 'Organization/lab-1' } }))).toEqual([]);
    expect(issues('ServiceRequest', serviceRequest({ requester: { reference: 'Organization/unknown' } }))).toEqual(['- ServiceRequest.requester.reference']);
    expect(issues('ServiceRequest', serviceRequest({ requester: { reference: 'Location/loc-1' } }))).toEqual(['- ServiceRequest.requester.reference']);
    expect(issues('ServiceRequest', serviceRequest({ requester: undefined }))).toEqual(['- ServiceRequest.requester']);
  });

  it('accepts the patient as performer (a follow-up plan the patient carries out), not a Location', () => {
    expect(issues('ServiceRequest', serviceRequest({ performer: [{ reference: `Patient/${PATIENT}` }] }))).toEqual([]);
    expect(issues('ServiceRequest', serviceRequest({ performer: [{ reference: 'Location/loc-1' }] }))).toEqual(['- ServiceRequest.performer[0].reference']);
  });
});

describe('second identifiers', () => {
  const encounter = (identifier: JsonObject[]): JsonObject => ({
    identifier,
    status: 'arrived',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    subject: { reference: `Patient/${PATIENT}` },
    participant: [{ individual: { reference: `Practitioner/${PRACTITIONER}` } }],
    period: { start: WHEN },
    location: [{ location: { reference: 'Location/loc-1' } }],
    statusHistory: [{ status: 'arrived', period: { start: WHEN } }],
    serviceProvider: { reference: `Organization/${ORG}` },
  });
  const own = { system: `http://sys-ids.kemkes.go.id/encounter/${ORG}`, value: 'REG-1' };

  it('Encounter: an episode-of-care or mortality-register number beside its own, never another org or instead of its own', () => {
    expect(issues('Encounter', encounter([own, { system: `${KEMKES}episodeofcare/ANC`, value: 'EOC-1' }]))).toEqual([]);
    expect(issues('Encounter', encounter([own, { system: `http://sys-ids.kemkes.go.id/mpdn/${ORG}`, value: 'M-1' }]))).toEqual([]);
    expect(issues('Encounter', encounter([own, { system: 'http://sys-ids.kemkes.go.id/mpdn/100025753', value: 'M-1' }]))).toEqual(['10117 Encounter.identifier[1].system']);
    expect(issues('Encounter', encounter([{ system: 'http://www.siloamhospital.com/encounter', value: 'E-1' }]))).toEqual(['10117 Encounter.identifier']);
    expect(issues('Encounter', encounter([own, { system: `http://sys-ids.kemkes.go.id/condition/${ORG}`, value: 'C-1' }]))).toEqual(['10117 Encounter.identifier[1].system']);
  });

  it('Observation: an SITB number beside its own; a kind of another type is still refused', () => {
    const own2 = { system: `http://sys-ids.kemkes.go.id/observation/${ORG}`, value: 'O-1' };
    expect(issues('Observation', observation({ identifier: [own2, { system: `http://sys-ids.kemkes.go.id/sitb/${ORG}`, value: 'TB-1' }] }))).toEqual([]);
    expect(issues('Observation', observation({ identifier: [own2, { system: `http://sys-ids.kemkes.go.id/encounter/${ORG}`, value: 'E-1' }] }))).toEqual(['- Observation.identifier[1].system']);
    expect(issues('Condition', { code: cc('http://hl7.org/fhir/sid/icd-10', 'A15.0'), ...visit, identifier: [{ system: `http://sys-ids.kemkes.go.id/sitb/${ORG}`, value: 'TB-1' }] })).toEqual([
      '- Condition.identifier[0].system',
    ]);
  });
});
