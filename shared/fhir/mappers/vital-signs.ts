// Dekacare vital-signs round → one SATUSEHAT Observation per measured value (reference A8).
// Each Observation is its own item with source key `${row.id}:${loinc}` and identifier
// `observation/{org}|${row.id}-${loinc}`, so a re-send can be found by identifier although
// SATUSEHAT's own examples send vital signs without one. Values outside what a living patient can
// have (a temperature of 365 °C: the decimal point was lost) make that one measure invalid.
import type { CodeableConcept, Observation } from '@medplum/fhirtypes';
import { localBusinessDate, localMinute } from '../datetime.js';
import { sysIdSystem } from '../identifiers.js';
import { LOINC_SYSTEM, LOINC_VITALS, type LoincEntry } from '../terminology/loinc.js';
import { CONSCIOUSNESS, SNOMED_SYSTEM } from '../terminology/snomed.js';
import { ucumQuantity } from '../terminology/ucum.js';
import type { MapContext, MapIssue, MapResult } from '../types.js';
import type { VitalSignsRow } from '../../types/source-rows.js';
import { ParentRefs, clean, contextIssues, convertTime, formatNumber, hasId, invalid, ok } from './common.js';

export const OBSERVATION_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';

type NumericField = 'heartRate' | 'respiratoryRate' | 'systolic' | 'diastolic' | 'temperature' | 'height' | 'weight' | 'spo2';

interface Measure {
  field: NumericField;
  loinc: LoincEntry;
  ucum: string;
  unit: string;
  /** Inclusive bounds of a value that can be real; outside them it is a typing error. */
  min: number;
  max: number;
}

/** The measures of a vital-signs round, in the order they are sent. */
export const VITAL_MEASURES: readonly Measure[] = [
  { field: 'heartRate', loinc: LOINC_VITALS.heartRate, ucum: '/min', unit: 'beats/minute', min: 20, max: 300 },
  { field: 'respiratoryRate', loinc: LOINC_VITALS.respiratoryRate, ucum: '/min', unit: 'breaths/minute', min: 4, max: 80 },
  { field: 'systolic', loinc: LOINC_VITALS.systolic, ucum: 'mm[Hg]', unit: 'mmHg', min: 40, max: 300 },
  { field: 'diastolic', loinc: LOINC_VITALS.diastolic, ucum: 'mm[Hg]', unit: 'mmHg', min: 20, max: 200 },
  { field: 'temperature', loinc: LOINC_VITALS.temperature, ucum: 'Cel', unit: 'C', min: 30, max: 45 },
  { field: 'height', loinc: LOINC_VITALS.height, ucum: 'cm', unit: 'cm', min: 20, max: 250 },
  { field: 'weight', loinc: LOINC_VITALS.weight, ucum: 'kg', unit: 'kg', min: 0.3, max: 400 },
  { field: 'spo2', loinc: LOINC_VITALS.spo2, ucum: '%', unit: '%', min: 50, max: 100 },
];

/** Source key of one measure's item. */
export const vitalSourceKey = (rowId: number, loinc: string): string => `${rowId}:${loinc}`;

export function mapVitalSigns(row: VitalSignsRow, ctx: MapContext): MapResult[] {
  const visitNo = clean(row.visitNo);
  const patientName = clean(row.patientName);
  const measuredRaw = clean(row.measuredAt);
  const label = `Vital signs #${row.id}${visitNo ? ` of visit ${visitNo}` : ''}`;

  // Problems of the round itself apply to every measure taken in it.
  const shared: MapIssue[] = contextIssues(ctx, 'Observation');
  if (!hasId(row.visitId)) shared.push({ path: 'Observation.encounter', rule: '10130', message: `${label} belongs to no visit: an Observation needs its Encounter` });
  if (!hasId(row.patientId)) shared.push({ path: 'Observation.subject', message: `${label} has no patient (the visit's patient_id is empty)` });
  if (!hasId(row.practitionerId)) shared.push({ path: 'Observation.performer', message: `${label} does not say who measured (practitioner_id is empty)` });
  const measured = convertTime(row.measuredAt, ctx, 'Observation.effectiveDateTime', 'measuredAt', shared, `${label} has no measurement time (measuredAt)`);

  const results: MapResult[] = [];
  const base = (loinc: LoincEntry, value: string | null) => ({
    sourceKey: vitalSourceKey(row.id, loinc.code),
    businessDate: measuredRaw === null ? null : localBusinessDate(measuredRaw),
    summary: { visitNo, patient: patientName, measure: loinc.display, value, date: measuredRaw === null ? null : (localMinute(measuredRaw) ?? measuredRaw) },
  });
  const build = (loinc: LoincEntry, value: Pick<Observation, 'valueQuantity' | 'valueCodeableConcept'>, issues: MapIssue[], shown: string): MapResult => {
    const common = base(loinc, shown);
    if (issues.length > 0 || measured === null || !hasId(row.visitId) || !hasId(row.patientId) || !hasId(row.practitionerId)) return invalid(common, issues);
    const refs = new ParentRefs();
    const body: Observation = {
      resourceType: 'Observation',
      identifier: [{ system: sysIdSystem('observation', ctx.orgId), value: `${row.id}-${loinc.code}` }],
      status: 'final',
      category: [{ coding: [{ system: OBSERVATION_CATEGORY_SYSTEM, code: 'vital-signs', display: 'Vital Signs' }] }],
      code: { coding: [{ system: LOINC_SYSTEM, code: loinc.code, display: loinc.display }] },
      subject: refs.person('Patient', row.patientId),
      performer: [refs.person('Practitioner', row.practitionerId)],
      encounter: refs.ref('Encounter', row.visitId),
      effectiveDateTime: measured.utc,
      issued: measured.utc,
      ...value,
    };
    return ok(common, { method: 'POST', path: 'Observation', body }, refs.list);
  };

  for (const m of VITAL_MEASURES) {
    const value = row[m.field];
    if (value === null || value === undefined) continue;
    const issues = [...shared];
    const shown = `${formatNumber(value)} ${m.unit}`;
    if (!Number.isFinite(value) || value < m.min || value > m.max) {
      issues.push({
        path: 'Observation.valueQuantity.value',
        message: `${label}: ${m.loinc.display.toLowerCase()} ${formatNumber(value)} ${m.ucum} cannot be right (expected ${m.min}–${m.max} ${m.ucum}); correct it in Dekacare`,
      });
    }
    results.push(build(m.loinc, { valueQuantity: ucumQuantity(value, m.ucum, m.unit) }, issues, shown));
  }

  if (row.consciousness !== null) {
    const answer = CONSCIOUSNESS[row.consciousness];
    const issues = [...shared];
    if (answer === undefined) issues.push({ path: 'Observation.valueCodeableConcept', message: `${label}: level of consciousness '${String(row.consciousness)}' is not one of alert, voice, pain, unresponsive` });
    const concept: CodeableConcept = answer ? { coding: [{ system: SNOMED_SYSTEM, code: answer.code, display: answer.display }] } : {};
    results.push(build(LOINC_VITALS.consciousness, { valueCodeableConcept: concept }, issues, answer?.display ?? String(row.consciousness)));
  }
  return results;
}
