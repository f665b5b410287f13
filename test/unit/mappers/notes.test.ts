// Visit notes by kind, beyond their goldens: a diet note is a NutritionOrder, an education note a
// Procedure with the KPTL and the SNOMED code, a summary a Resume Medis Composition whose sections
// refer to the visit's resources, leaving out (and naming) those that can never be sent.
import type { Composition, CompositionSection, NutritionOrder, Procedure } from '@medplum/fhirtypes';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_STATUS_URL } from '../../../shared/fhir/mappers/composition.js';
import { mapNutritionOrder } from '../../../shared/fhir/mappers/nutrition-order.js';
import { mapProcedureEducation } from '../../../shared/fhir/mappers/procedure-education.js';
import { listPlaceholders, resolvePlaceholders } from '../../../shared/fhir/placeholders.js';
import { registry } from '../../../shared/fhir/registry.js';
import { DIET_TYPES, EDUCATION_TOPICS, LOINC_DOCS, checkLoinc, isSnomedId } from '../../../shared/fhir/terminology/index.js';
import type { MapContext, MapResult } from '../../../shared/fhir/types.js';
import { mapVisitSiblings } from '../../../shared/fhir/visit-siblings.js';
import type { VisitNoteRow, VisitSiblingRows, VisitSummaryRow } from '../../../shared/types/source-rows.js';
import { validateR4 } from '../../../shared/validation/r4-validator.js';
import { FIXED_CTX, dummyId } from './support.js';

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/source');
const fixture = <T>(path: string): T => JSON.parse(readFileSync(join(SOURCE, path), 'utf8')) as T;

const note = (over: Partial<VisitNoteRow> = {}): VisitNoteRow => ({ ...fixture<VisitNoteRow>('nutritionorder/diet-rendah-garam.json'), ...over });
const summary = (): VisitSummaryRow => fixture<VisitSummaryRow>('composition/resume-lengkap.json');
const mapComposition = (row: VisitSummaryRow, ctx: MapContext = FIXED_CTX) => registry.Composition.map(row, ctx) as MapResult;

function okBody<T>(result: MapResult): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.issues)}`);
  return result.request.body as T;
}

const entriesOf = (sections: CompositionSection[] | undefined): string[] => (sections ?? []).flatMap((s) => [...(s.entry ?? []).map((e) => e.reference ?? ''), ...entriesOf(s.section)]);
const sectionCodes = (sections: CompositionSection[] | undefined): string[] => (sections ?? []).flatMap((s) => [...(s.code?.coding ?? []).map((c) => c.code ?? ''), ...sectionCodes(s.section)]);

describe('code tables of the notes', () => {
  it('holds SNOMED concept ids and LOINC codes with valid check digits', () => {
    expect(DIET_TYPES.length).toBeGreaterThan(3);
    expect(EDUCATION_TOPICS.map((t) => t.code)).toEqual(['84635008', '967006', '410082002', '712651001', '61310001', '698608004', '362978005']);
    for (const e of [...DIET_TYPES, ...EDUCATION_TOPICS]) expect(isSnomedId(e.code), e.code).toBe(true);
    const loinc = Object.values(LOINC_DOCS).filter((e) => !e.code.startsWith('LP'));
    expect(loinc.length).toBeGreaterThan(8);
    for (const e of loinc) expect(checkLoinc(e.code).ok, e.code).toBe(true);
  });
});

describe('diet note → NutritionOrder', () => {
  it('sends advice as intent proposal with the SNOMED diet type and the advice as instruction', () => {
    const result = mapNutritionOrder(note(), FIXED_CTX);
    const body = okBody<NutritionOrder>(result);
    expect(body).toMatchObject({ resourceType: 'NutritionOrder', status: 'active', intent: 'proposal', dateTime: '2026-11-20T01:51:00+00:00' });
    expect(body.identifier).toEqual([{ system: 'http://sys-ids.kemkes.go.id/nutritionorder/100011961', use: 'official', value: '14001' }]);
    expect(body.oralDiet?.type?.[0]?.coding).toEqual([{ system: 'http://snomed.info/sct', code: '182957001', display: 'Low salt diet - prophylaxis' }]);
    expect(body.oralDiet?.instruction).toContain('Diet rendah garam');
    expect(body.patient?.reference).toBe('Patient/{{Patient:101}}');
    expect(body.encounter?.reference).toBe('Encounter/{{Encounter:1001}}');
    expect(body.orderer?.reference).toBe('Practitioner/{{Practitioner:21}}');
    expect(result.summary).toMatchObject({ diet: 'Low salt diet - prophylaxis', intent: 'advice' });
  });

  it('sends an order for the dietitian as intent order, and a note without diet code with its instruction only', () => {
    expect(okBody<NutritionOrder>(mapNutritionOrder(note({ dietIntent: 'ORDER' }), FIXED_CTX)).intent).toBe('order');
    const uncoded = okBody<NutritionOrder>(mapNutritionOrder(note({ snomedCode: null, snomedDisplay: null }), FIXED_CTX));
    expect(uncoded.oralDiet).toEqual({ instruction: expect.stringContaining('garam') });
  });

  it('refuses a diet code that is not SNOMED, an unknown intent, empty text and another kind of note', () => {
    const issues = (row: VisitNoteRow) => {
      const r = mapNutritionOrder(row, FIXED_CTX);
      return r.ok ? [] : r.issues.map((i) => `${i.path} ${i.rule ?? ''} ${i.message}`);
    };
    expect(issues(note({ snomedCode: 'RENDAH-GARAM' })).join()).toMatch(/oralDiet\.type\.coding\[0\]\.code 10001 Code not found: 'RENDAH-GARAM'/);
    expect(issues(note({ dietIntent: 'saran' })).join()).toMatch(/NutritionOrder\.intent .*'saran' \(expected proposal or order\)/);
    expect(issues(note({ text: ' ' })).join()).toMatch(/10134/);
    expect(issues(note({ noteType: 'education' })).join()).toMatch(/is a 'education' note, not a diet note/);
  });
});

describe('education note → Procedure', () => {
  const education = (over: Partial<VisitNoteRow> = {}) => ({ ...fixture<VisitNoteRow>('procedureeducation/edukasi-obat-dengan-tanda.json'), ...over });

  it('has category 409073007 Education and both the KPTL 10913 and the SNOMED topic in one code', () => {
    const body = okBody<Procedure>(mapProcedureEducation(education(), FIXED_CTX));
    expect(body.category?.coding).toEqual([{ system: 'http://snomed.info/sct', code: '409073007', display: 'Education' }]);
    expect(body.code?.coding).toEqual([
      { system: 'http://terminology.kemkes.go.id/CodeSystem/kptl', code: '10913', display: 'Edukasi Kesehatan Individu' },
      { system: 'http://snomed.info/sct', code: '967006', display: 'Medication education' },
    ]);
    expect(body.status).toBe('completed');
    expect(body.note?.[0]?.text).toContain('> 38 °C & tidak turun < 3 hari');
    expect(body.performer?.[0]?.actor?.reference).toBe('Practitioner/{{Practitioner:21}}');
  });

  it('uses identifier values no procedure row can have, under the procedure system', () => {
    const body = okBody<Procedure>(mapProcedureEducation(education({ id: 8001 }), FIXED_CTX));
    expect(body.identifier).toEqual([{ system: 'http://sys-ids.kemkes.go.id/procedure/100011961', value: 'edu-8001' }]);
    expect(registry.ProcedureEducation.fhirType).toBe('Procedure');
  });

  it('refuses an education note without a topic, saying what the Playbook needs', () => {
    const result = mapProcedureEducation(education({ snomedCode: null }), FIXED_CTX);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues[0]?.message).toMatch(/no education topic: the Playbook \(v6\.3 §21\) sends the KPTL code and a SNOMED CT topic/);
  });
});

describe('summary note → Resume Medis Composition', () => {
  it('is typed 88645-7 with category LP173421-1 and carries DocumentStatus', () => {
    const body = okBody<Composition>(mapComposition(summary()));
    expect(body.type?.coding).toEqual([{ system: 'http://loinc.org', code: '88645-7', display: 'Outpatient hospital Discharge summary' }]);
    expect(body.category?.[0]?.coding?.[0]?.code).toBe('LP173421-1');
    expect(body.extension).toEqual([
      {
        url: DOCUMENT_STATUS_URL,
        extension: [
          { url: 'statusCode', valueCode: 'final' },
          { url: 'statusTime', valueDateTime: '2026-11-20T02:05:00+00:00' },
          { url: 'statusAssigner', valueReference: { reference: 'Practitioner/{{Practitioner:21}}', display: '{{name:Practitioner:21}}' } },
        ],
      },
    ]);
    expect(body.status).toBe('final');
  });

  it('refers to the visit\'s resources in the Playbook\'s sections, and waits for each as a parent', () => {
    const result = mapComposition(summary());
    const body = okBody<Composition>(result);
    expect(sectionCodes(body.section)).toEqual(['TK000003', '48765-2', 'TK000007', '8716-3', 'TK000009', '11502-2', 'TK000004', '78375-3', 'TK000005', 'TK000013', '42346-7', '42344-2', '34895-3', '8648-8']);
    const entries = entriesOf(body.section);
    expect(entries).toContain('Condition/{{Condition:5001}}');
    expect(entries).toContain('Observation/{{Observation:7001:8867-4}}');
    expect(entries).toContain('Observation/{{ObservationLab:13001}}');
    expect(entries).toContain('Procedure/{{ProcedureEducation:14002}}');
    expect(entries).toContain('NutritionOrder/{{NutritionOrder:14001}}');
    expect(entries).toContain('MedicationRequest/{{MedicationRequest:11001}}');
    expect(result.ok && result.parents.map((p) => `${p.type}:${p.sourceKey}`)).toEqual(expect.arrayContaining(entries.map((e) => e.replace(/^.*\{\{(.+)\}\}$/, '$1'))));
    // The note's own text is the visit's course, as generated narrative.
    const course = body.section?.at(-1);
    expect(course).toMatchObject({ title: 'Perjalanan Kunjungan Pasien', text: { status: 'generated' } });
    expect(course?.text?.div).toContain('<p>Pasien datang dengan demam');
  });

  it('leaves out what can never be sent, with the reason, and whatever waits for it', () => {
    const result = mapComposition(summary());
    const entries = entriesOf(okBody<Composition>(result).section);
    // Invalid: the HECTING procedure, the racikan without KFA, the lab result without unit.
    expect(entries).not.toContain('Procedure/{{Procedure:8002}}');
    expect(entries).not.toContain('Observation/{{ObservationLab:13002}}');
    // Waiting for them: the racikan's MedicationRequest and the report of the result without unit.
    expect(entries).not.toContain('MedicationRequest/{{MedicationRequest:11002}}');
    expect(entries).not.toContain('DiagnosticReport/{{DiagnosticReport:12001}}');
    expect(result.ok && result.parents.some((p) => p.type === 'DiagnosticReport' || p.sourceKey === '8002')).toBe(false);
    // The Medication travels inside its MedicationRequest (the default): the racikan's request is invalid itself.
    expect(result.summary.leftOut).toMatch(/^4 left out: Procedure 8002 \(invalid: Code not found: 'HECTING'/);
    expect(result.summary.leftOut).toMatch(/MedicationRequest 11002 \(invalid: /);
    // Sent separately, the Medication is a sibling of its own, and the request waits for it.
    const separate = mapComposition(summary(), { ...FIXED_CTX, medicationMode: 'separate' });
    expect(separate.summary.leftOut).toMatch(/^5 left out: /);
    expect(separate.summary.leftOut).toContain('MedicationRequest 11002 (waits for Medication 11002, which cannot be sent)');
    expect(result.summary.leftOut).toContain('DiagnosticReport 12001 (waits for ObservationLab 13002, which cannot be sent)');
  });

  it('maps each sibling with its own type\'s mapper: the same source keys as their own items', () => {
    const row = summary();
    const siblings = mapVisitSiblings(row.siblings, FIXED_CTX, (type) => registry[type].map as never);
    const own = (type: keyof typeof registry, rows: unknown[]) => rows.flatMap((r) => [(registry[type].map as (x: unknown, c: typeof FIXED_CTX) => MapResult | MapResult[])(r, FIXED_CTX)].flat()).map((m) => `${type}:${m.sourceKey}`);
    const all = [...siblings.kept, ...siblings.leftOut.map((l) => ({ type: l.type, result: { sourceKey: l.sourceKey } }))].map((s) => `${s.type}:${s.result.sourceKey}`).sort();
    const expected = [
      ...own('Condition', row.siblings.diagnoses),
      ...own('Observation', row.siblings.vitalSigns),
      ...own('Procedure', row.siblings.procedures),
      ...own('AllergyIntolerance', row.siblings.allergies),
      // No Medication: in the default mode it travels inside its MedicationRequest.
      ...own('MedicationRequest', row.siblings.prescriptionItems),
      ...own('ServiceRequest', row.siblings.labOrders),
      ...own('Specimen', row.siblings.labOrders),
      ...own('DiagnosticReport', row.siblings.labOrders),
      ...own('ObservationLab', row.siblings.labResults),
      'NutritionOrder:14001',
      'ProcedureEducation:14002',
    ].sort();
    expect(all).toEqual(expected);
  });

  it('without other rows still sends the course; an unknown kind or an empty text is invalid', () => {
    const empty: VisitSiblingRows = { diagnoses: [], vitalSigns: [], procedures: [], allergies: [], prescriptionItems: [], labOrders: [], labResults: [], notes: [] };
    const alone = okBody<Composition>(mapComposition({ ...summary(), siblings: empty, title: '' }));
    expect(alone.section?.map((s) => s.title)).toEqual(['Perjalanan Kunjungan Pasien']);
    expect(alone.title).toBe('Resume Medis RJ/2026/11/20/0007');
    const other = mapComposition({ ...summary(), noteType: 'rujukan' });
    expect(!other.ok && other.issues[0]?.message).toMatch(/note type 'rujukan' \(expected diet, education or summary\)/);
    const blank = mapComposition({ ...summary(), text: '' });
    expect(!blank.ok && blank.issues.map((i) => i.rule)).toContain('10134');
  });

  it('passes FHIR R4 validation once its references are resolved', () => {
    const result = mapComposition(summary());
    const resolved = resolvePlaceholders(okBody<Composition>(result), dummyId);
    if (!resolved.ok) throw new Error(`unresolved: ${JSON.stringify(resolved.missing)}`);
    expect(listPlaceholders(resolved.body)).toEqual([]);
    expect(validateR4(resolved.body)).toEqual([]);
  });
});
