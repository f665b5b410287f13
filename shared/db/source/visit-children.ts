// The readers of a visit's own records, each a row of one Dekacare table plus its visit's number
// and patient (visit-child-query.ts): Condition ← `diagnoses` (ICD-10), Observation ←
// `vital_signs` (one wide row per measurement round), Procedure ← `procedures` (tindakan,
// ICD-9-CM), Immunization ← `immunizations` (imunisasi). A new type of this shape is one more reader here, and one more key in
// visitChildReaders (docs/adding-a-resource-type.md).
import type { Consciousness, DiagnosisRow, ImmunizationRow, ProcedureRow, VitalSignsRow } from '../../types/source-rows.js';
import type { Db } from '../connect.js';
import type { ReadOptions } from './keyset.js';
import { sourceReader } from './source-reader.js';
import { readVisitChildren, visitChildChangedAt, type RawVisitChild, type RawVisitChildBy } from './visit-child-query.js';
import { toDateOrNull, toDateTime, toDateTimeOrNull, toInt, toNumberOrNull, toRefIdOrNull, toText, toTextOrNull } from './values.js';

/** The visit part of a row, as every visit child has it. */
function visitPart(raw: RawVisitChild) {
  return { id: toInt(raw.id), visitId: toRefIdOrNull(raw.visit_id), visitNo: toText(raw.visit_no), patientId: toRefIdOrNull(raw.patient_id), patientName: toText(raw.patient_name) };
}

/** …and the practitioner who made the record. */
function visitPartBy(raw: RawVisitChildBy) {
  return { ...visitPart(raw), practitionerId: toRefIdOrNull(raw.practitioner_id), practitionerName: toText(raw.practitioner_name) };
}

// --- Condition ← diagnoses ---

interface RawDiagnosis extends RawVisitChild {
  icd10_code: unknown;
  icd10_display: unknown;
  rank: unknown;
  recorded_at: unknown;
}

export function toDiagnosisRow(raw: RawDiagnosis): DiagnosisRow {
  return {
    ...visitPart(raw),
    icd10Code: toText(raw.icd10_code),
    icd10Display: toTextOrNull(raw.icd10_display),
    rank: toInt(raw.rank),
    recordedAt: toDateTime(raw.recorded_at),
    updatedAt: toDateTime(raw.updated_at),
  };
}

export function readDiagnoses(db: Db, options?: ReadOptions): AsyncGenerator<DiagnosisRow[]> {
  return readVisitChildren(db, options, { table: 'diagnoses', alias: 'd', visitId: 'd.visit_id' }, ['d.icd10_code', 'd.icd10_display', 'd.rank', 'd.recorded_at'], toDiagnosisRow);
}

export const diagnosisReader = sourceReader({ tables: ['diagnoses'], changedAt: visitChildChangedAt('diagnoses'), idColumn: 'd.id', read: readDiagnoses });

// --- Observation (vital signs) ← vital_signs ---

const CONSCIOUSNESS: ReadonlySet<string> = new Set(['alert', 'voice', 'pain', 'unresponsive']);

interface RawVitalSigns extends RawVisitChildBy {
  heart_rate: unknown;
  respiratory_rate: unknown;
  systolic: unknown;
  diastolic: unknown;
  temperature: unknown;
  height: unknown;
  weight: unknown;
  spo2: unknown;
  consciousness: unknown;
  measured_at: unknown;
}

function toConsciousness(value: unknown): Consciousness | null {
  const text = toTextOrNull(value)?.toLowerCase() ?? null;
  return text !== null && CONSCIOUSNESS.has(text) ? (text as Consciousness) : null;
}

export function toVitalSignsRow(raw: RawVitalSigns): VitalSignsRow {
  return {
    ...visitPartBy(raw),
    heartRate: toNumberOrNull(raw.heart_rate),
    respiratoryRate: toNumberOrNull(raw.respiratory_rate),
    systolic: toNumberOrNull(raw.systolic),
    diastolic: toNumberOrNull(raw.diastolic),
    temperature: toNumberOrNull(raw.temperature),
    height: toNumberOrNull(raw.height),
    weight: toNumberOrNull(raw.weight),
    spo2: toNumberOrNull(raw.spo2),
    consciousness: toConsciousness(raw.consciousness),
    measuredAt: toDateTime(raw.measured_at),
    updatedAt: toDateTime(raw.updated_at),
  };
}

export function readVitalSigns(db: Db, options?: ReadOptions): AsyncGenerator<VitalSignsRow[]> {
  return readVisitChildren(
    db,
    options,
    { table: 'vital_signs', alias: 'vs', visitId: 'vs.visit_id', practitionerId: 'vs.practitioner_id' },
    ['vs.heart_rate', 'vs.respiratory_rate', 'vs.systolic', 'vs.diastolic', 'vs.temperature', 'vs.height', 'vs.weight', 'vs.spo2', 'vs.consciousness', 'vs.measured_at'],
    toVitalSignsRow,
  );
}

export const vitalSignsReader = sourceReader({ tables: ['vital_signs'], changedAt: visitChildChangedAt('vital_signs'), idColumn: 'vs.id', read: readVitalSigns });

// --- Procedure ← procedures ---

interface RawProcedure extends RawVisitChildBy {
  icd9cm_code: unknown;
  icd9cm_display: unknown;
  performed_start: unknown;
  performed_end: unknown;
}

export function toProcedureRow(raw: RawProcedure): ProcedureRow {
  return {
    ...visitPartBy(raw),
    icd9cmCode: toText(raw.icd9cm_code),
    icd9cmDisplay: toTextOrNull(raw.icd9cm_display),
    performedStart: toDateTime(raw.performed_start),
    performedEnd: toDateTimeOrNull(raw.performed_end),
    updatedAt: toDateTime(raw.updated_at),
  };
}

export function readProcedures(db: Db, options?: ReadOptions): AsyncGenerator<ProcedureRow[]> {
  return readVisitChildren(
    db,
    options,
    { table: 'procedures', alias: 'pc', visitId: 'pc.visit_id', practitionerId: 'pc.practitioner_id' },
    ['pc.icd9cm_code', 'pc.icd9cm_display', 'pc.performed_start', 'pc.performed_end'],
    toProcedureRow,
  );
}

export const procedureReader = sourceReader({ tables: ['procedures'], changedAt: visitChildChangedAt('procedures'), idColumn: 'pc.id', read: readProcedures });

// --- Immunization ← immunizations ---

interface RawImmunization extends RawVisitChildBy {
  kfa_code: unknown;
  vaccine_name: unknown;
  lot_number: unknown;
  expiration_date: unknown;
  dose_number: unknown;
  dose_ml: unknown;
  site: unknown;
  reason_code: unknown;
  given_at: unknown;
}

export function toImmunizationRow(raw: RawImmunization): ImmunizationRow {
  const site = toTextOrNull(raw.site);
  return {
    ...visitPartBy(raw),
    kfaCode: toTextOrNull(raw.kfa_code),
    vaccineName: toText(raw.vaccine_name),
    lotNumber: toTextOrNull(raw.lot_number),
    expirationDate: toDateOrNull(raw.expiration_date),
    doseNumber: toNumberOrNull(raw.dose_number),
    doseMl: toNumberOrNull(raw.dose_ml),
    site: site === null ? null : site.toUpperCase(),
    reasonCode: toTextOrNull(raw.reason_code),
    givenAt: toDateTime(raw.given_at),
    updatedAt: toDateTime(raw.updated_at),
  };
}

export function readImmunizations(db: Db, options?: ReadOptions): AsyncGenerator<ImmunizationRow[]> {
  return readVisitChildren(
    db,
    options,
    { table: 'immunizations', alias: 'im', visitId: 'im.visit_id', practitionerId: 'im.practitioner_id' },
    ['im.kfa_code', 'im.vaccine_name', 'im.lot_number', 'im.expiration_date', 'im.dose_number', 'im.dose_ml', 'im.site', 'im.reason_code', 'im.given_at'],
    toImmunizationRow,
  );
}

export const immunizationReader = sourceReader({ tables: ['immunizations'], changedAt: visitChildChangedAt('immunizations'), idColumn: 'im.id', read: readImmunizations });

/** The readers of this file, by the type each feeds (spread into sourceReaders). */
export const visitChildReaders = {
  Condition: diagnosisReader,
  Observation: vitalSignsReader,
  Procedure: procedureReader,
  Immunization: immunizationReader,
};
