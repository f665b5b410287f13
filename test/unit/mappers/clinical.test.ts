// The clinical mappers beyond their goldens: code checks, one Observation per measure, placeholder
// kinds that must not be confused (Observation vs ObservationLab), offsets, and the terminology
// tables themselves (every LOINC code has a valid check digit, every demo drug maps to KFA).
import type { Condition, DiagnosticReport, MedicationRequest, Observation, ServiceRequest } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { mapCondition } from '../../../shared/fhir/mappers/condition.js';
import { mapDiagnosticReport } from '../../../shared/fhir/mappers/diagnostic-report.js';
import { drugQuantity, mapMedicationRequest } from '../../../shared/fhir/mappers/medication-request.js';
import { mapObservationLab } from '../../../shared/fhir/mappers/observation-lab.js';
import { mapServiceRequest } from '../../../shared/fhir/mappers/service-request.js';
import { VITAL_MEASURES, mapVitalSigns } from '../../../shared/fhir/mappers/vital-signs.js';
import { listPlaceholders, resolvePlaceholders } from '../../../shared/fhir/placeholders.js';
import { ICD10_COMMON, ICD9CM_COMMON, KFA_BY_CODE, LOINC_BY_CODE, LOINC_LAB, checkIcd10, checkIcd9cm, checkLoinc, isKfaCode, loincCheckDigit, toUcum } from '../../../shared/fhir/terminology/index.js';
import type { MapContext, MapResult } from '../../../shared/fhir/types.js';
import type { DiagnosisRow, LabOrderRow, LabResultRow, VitalSignsRow } from '../../../shared/types/source-rows.js';
import { DEMO_DRUGS, LAB_TESTS, UNMAPPED_DRUG_KEY } from '../../../shared/demo/index.js';
import { prescriptionItem } from './prescription-item.js';
import { FIXED_CTX } from './support.js';

const diagnosis = (over: Partial<DiagnosisRow> = {}): DiagnosisRow =>
  Object.freeze({ id: 5001, visitId: 1001, visitNo: 'RJ1', patientId: 101, patientName: 'Budi Santoso', icd10Code: 'J06.9', icd10Display: null, rank: 1, recordedAt: '2026-11-20 08:40:00', updatedAt: '2026-11-20 08:40:00', ...over });

const vitals = (over: Partial<VitalSignsRow> = {}): VitalSignsRow =>
  Object.freeze({
    id: 7001, visitId: 1001, visitNo: 'RJ1', patientId: 101, patientName: 'Budi Santoso', practitionerId: 31, practitionerName: 'Ns. Dewi',
    heartRate: 80, respiratoryRate: 18, systolic: 120, diastolic: 80, temperature: 36.6, height: 165, weight: 60, spo2: 98, consciousness: 'alert' as const,
    measuredAt: '2026-11-20 08:15:00', updatedAt: '2026-11-20 08:15:00', ...over,
  });

function body<T>(result: MapResult | MapResult[]): T {
  const r = Array.isArray(result) ? result[0] : result;
  if (!r?.ok) throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r.request.body as T;
}

describe('terminology', () => {
  it('normalises and checks ICD-10 codes', () => {
    expect(checkIcd10(' j06.9 ')).toEqual({ ok: true, code: 'J06.9', display: 'Acute upper respiratory infection, unspecified', known: true });
    expect(checkIcd10('K297')).toMatchObject({ ok: true, code: 'K29.7' });
    expect(checkIcd10('S52.5')).toEqual({ ok: true, code: 'S52.5', display: null, known: false });
    for (const bad of ['J06,9', 'ZZZ', 'X99.9Z', '-', '', '1234']) expect(checkIcd10(bad).ok, bad).toBe(false);
    for (const e of ICD10_COMMON) expect(checkIcd10(e.code).ok, e.code).toBe(true);
  });

  it('normalises and checks ICD-9-CM codes, and tells diagnostic from therapeutic', () => {
    expect(checkIcd9cm('8952')).toMatchObject({ ok: true, code: '89.52', kind: 'diagnostic' });
    expect(checkIcd9cm('23.2')).toMatchObject({ ok: true, code: '23.2', kind: 'therapeutic' });
    for (const bad of ['HECTING', '99.999', 'TDK-01', '']) expect(checkIcd9cm(bad).ok, bad).toBe(false);
    for (const e of ICD9CM_COMMON) expect(checkIcd9cm(e.code).ok, e.code).toBe(true);
  });

  it('checks LOINC check digits, and every LOINC code we send has a valid one', () => {
    expect(loincCheckDigit('8867')).toBe(4);
    expect(checkLoinc('718-7').ok).toBe(true);
    expect(checkLoinc('718-6')).toMatchObject({ ok: false });
    expect(checkLoinc('7187').ok).toBe(false);
    for (const code of LOINC_BY_CODE.keys()) expect(checkLoinc(code).ok, code).toBe(true);
    for (const t of LAB_TESTS) {
      expect(checkLoinc(t.loinc).ok, t.code).toBe(true);
      for (const a of t.analytes) expect(LOINC_LAB.some((e) => e.code === a.loinc), a.loinc).toBe(true);
    }
  });

  it('maps common unit spellings to UCUM and refuses unknown ones', () => {
    expect(toUcum('mg/dl')).toBe('mg/dL');
    expect(toUcum('10^3/uL')).toBe('10*3/uL');
    expect(toUcum('mmHg')).toBe('mm[Hg]');
    expect(toUcum('°C')).toBe('Cel');
    expect(toUcum('g/dL')).toBe('g/dL');
    expect(toUcum('gr%')).toBeNull();
    expect(toUcum('')).toBeNull();
  });

  it('codes every demo drug with a published KFA code: products 92/93, ingredients 91 (or a product divided), only the bad row unmapped', () => {
    expect(DEMO_DRUGS.length).toBeGreaterThanOrEqual(6);
    for (const d of DEMO_DRUGS) {
      const codes = [...(d.kfa ? [d.kfa.code] : []), ...d.ingredients.map((g) => g.kfaCode)];
      if (d.key === UNMAPPED_DRUG_KEY) expect(codes).toContain(null);
      else for (const code of codes) expect(code !== null && isKfaCode(code) && KFA_BY_CODE.has(code), `${d.key} ${code}`).toBe(true);
      if (d.medicationType === 'NC') expect(d.kfa?.code, d.key).toMatch(/^9[23]\d{6}$/);
      else expect(d.ingredients.length, d.key).toBeGreaterThan(0);
    }
    // Every code in the table names the Kemenkes publication it was copied from.
    for (const entry of KFA_BY_CODE.values()) expect(entry.source, entry.code).toMatch(/^(IG |Playbook )/);
  });
});

describe('mapCondition', () => {
  it('converts with the configured offset (WITA) and keeps the local business date', () => {
    const wita: MapContext = { ...FIXED_CTX, sourceUtcOffset: '+08:00' };
    const result = mapCondition(diagnosis({ recordedAt: '2026-11-20 07:30:00' }), wita);
    expect(body<Condition>(result).recordedDate).toBe('2026-11-19T23:30:00+00:00');
    expect(result).toMatchObject({ businessDate: '2026-11-20' });
  });

  it('uses the source display for a well-formed code outside the table', () => {
    const c = body<Condition>(mapCondition(diagnosis({ icd10Code: 'S52.5', icd10Display: 'Patah tulang radius' }), FIXED_CTX));
    expect(c.code?.coding?.[0]).toEqual({ system: 'http://hl7.org/fhir/sid/icd-10', code: 'S52.5', display: 'Patah tulang radius' });
  });

  it('rejects dates before 2022-08-31 with RuleNumber 10132', () => {
    const result = mapCondition(diagnosis({ recordedAt: '2021-11-20 08:40:00' }), FIXED_CTX);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]?.rule).toBe('10132');
  });
});

describe('mapVitalSigns', () => {
  it('makes one Observation per measured value, keyed row:loinc, with identifier row-loinc', () => {
    const results = mapVitalSigns(vitals({ spo2: null }), FIXED_CTX);
    expect(results.map((r) => r.sourceKey)).toEqual(VITAL_MEASURES.filter((m) => m.field !== 'spo2').map((m) => `7001:${m.loinc.code}`).concat('7001:67775-7'));
    for (const r of results) {
      const obs = body<Observation>(r);
      const loinc = obs.code?.coding?.[0]?.code;
      expect(obs.identifier?.[0]).toEqual({ system: 'http://sys-ids.kemkes.go.id/observation/100011961', value: `7001-${loinc}` });
    }
  });

  it('keeps a zero value (it is measured) but calls it implausible', () => {
    const [hr] = mapVitalSigns(vitals({ heartRate: 0, respiratoryRate: null, systolic: null, diastolic: null, temperature: null, height: null, weight: null, spo2: null, consciousness: null }), FIXED_CTX);
    expect(hr?.ok).toBe(false);
  });

  it('is deterministic and does not touch its input', () => {
    const row = vitals();
    expect(mapVitalSigns(row, FIXED_CTX)).toEqual(mapVitalSigns(row, FIXED_CTX));
  });
});

describe('laboratory placeholders', () => {
  const order: LabOrderRow = {
    id: 12001, orderNo: 'LAB-1', visitId: 1001, visitNo: 'RJ1', patientId: 101, patientName: 'Budi', practitionerId: 21, practitionerName: 'dr. A',
    loincCode: '58410-2', testName: 'Darah Lengkap', specimenCode: '122555007', specimenName: null, orderedAt: '2026-11-20 08:42:00',
    collectedAt: '2026-11-20 08:55:00', transportedAt: '2026-11-20 08:58:00', reportedAt: '2026-11-20 10:12:00', conclusion: null, resultIds: [3, 1, 2].sort(), updatedAt: '2026-11-20 10:12:00',
  };

  it('refers to ObservationLab items as Observation/…, and resolves them as ObservationLab', () => {
    const [report] = mapDiagnosticReport(order, FIXED_CTX);
    const dr = body<DiagnosticReport>(report as MapResult);
    expect(dr.result?.map((r) => r.reference)).toEqual(['Observation/{{ObservationLab:1}}', 'Observation/{{ObservationLab:2}}', 'Observation/{{ObservationLab:3}}']);
    const refs = listPlaceholders(dr);
    expect(refs.filter((r) => r.type === 'ObservationLab').map((r) => r.sourceKey)).toEqual(['1', '2', '3']);
    const resolved = resolvePlaceholders(dr, (ref) => `${ref.type}-${ref.sourceKey}`);
    expect(resolved.ok && resolved.body.result?.[0]?.reference).toBe('Observation/ObservationLab-1');
  });

  it('keeps the order active with the facility as performer, as every IG ServiceRequest example does, even once reported', () => {
    const sr = body<ServiceRequest>(mapServiceRequest(order, FIXED_CTX));
    expect(sr.status).toBe('active');
    expect(sr.intent).toBe('original-order');
    expect(sr.performer).toEqual([{ reference: 'Organization/100011961' }]);
  });

  it('names the ordering practitioner and the facility as performers of the report and of each result, as the IG lab examples do', () => {
    const [report] = mapDiagnosticReport(order, FIXED_CTX);
    expect(body<DiagnosticReport>(report as MapResult).performer).toEqual([{ reference: 'Practitioner/{{Practitioner:21}}', display: '{{name:Practitioner:21}}' }, { reference: 'Organization/100011961' }]);
    const result: LabResultRow = { id: 1, orderId: 12001, orderNo: 'LAB-1', visitId: 1001, visitNo: 'RJ1', patientId: 101, patientName: 'Budi', practitionerId: 21, practitionerName: 'dr. A', loincCode: '718-7', testName: 'Hb', value: 10, unit: 'g/dL', referenceLow: 12, referenceHigh: 15, collectedAt: null, resultedAt: '2026-11-20 10:00:00', updatedAt: '2026-11-20 10:00:00' };
    const mapped = mapObservationLab(result, FIXED_CTX);
    expect(body<Observation>(mapped).performer).toEqual([{ reference: 'Practitioner/{{Practitioner:21}}', display: '{{name:Practitioner:21}}' }, { reference: 'Organization/100011961' }]);
    expect(mapped.ok && mapped.parents).toContainEqual({ type: 'Practitioner', sourceKey: '21' });
  });

  it('has no specimen reference when the sample was never recorded as collected', () => {
    const result: LabResultRow = { id: 1, orderId: 12001, orderNo: 'LAB-1', visitId: 1001, visitNo: 'RJ1', patientId: 101, patientName: 'Budi', practitionerId: null, practitionerName: '', loincCode: '718-7', testName: 'Hb', value: 10, unit: 'g/dL', referenceLow: 12, referenceHigh: 15, collectedAt: null, resultedAt: '2026-11-20 10:00:00', updatedAt: '2026-11-20 10:00:00' };
    const mapped = mapObservationLab(result, FIXED_CTX);
    const obs = body<Observation>(mapped);
    expect(obs.specimen).toBeUndefined();
    expect(obs.interpretation?.[0]?.coding?.[0]?.code).toBe('L');
    expect(mapped.ok && mapped.parents.map((p) => p.type)).toEqual(['Patient', 'Encounter', 'ServiceRequest']);
  });
});

describe('mapMedicationRequest', () => {
  it('expresses tablets as orderable drug forms and liquids in UCUM', () => {
    expect(drugQuantity(10, 'TAB')).toEqual({ value: 10, unit: 'TAB', system: 'http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm', code: 'TAB' });
    expect(drugQuantity(60, 'ml')).toMatchObject({ system: 'http://unitsofmeasure.org', code: 'mL' });
    expect(drugQuantity(6, 'sachet')).toMatchObject({ code: '{sachet}' });
    expect(drugQuantity(1, 'botol')).toBeNull();
  });

  it('is active and inpatient while an inpatient stay goes on', () => {
    const mr = body<MedicationRequest>(mapMedicationRequest(prescriptionItem({ lineNo: 2, visitStatus: 'in_progress', encounterClass: 'IMP', signa: null, frequency: 2 }), FIXED_CTX));
    expect(mr.status).toBe('active');
    expect(mr.category?.[0]?.coding?.[0]?.code).toBe('inpatient');
    expect(mr.identifier?.[0]?.value).toBe('RX-1-2');
    expect(mr.dosageInstruction?.[0]?.text).toBe('2 x sehari');
  });
});
