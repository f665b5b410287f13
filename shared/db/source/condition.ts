// Condition ← Dekacare `diagnoses` (ICD-10), with the visit's number and patient. Diagnoses of
// cancelled visits are skipped, as their Encounter is never sent; so are orphans whose visit row
// is gone. STRAIGHT_JOIN keeps MySQL walking diagnoses in id order instead of sorting every page.
import type { DiagnosisRow } from '../../types/source-rows.js';
import type { Db } from '../connect.js';
import { keysetPages, type ReadOptions } from './keyset.js';
import { toDateTime, toInt, toRefIdOrNull, toText, toTextOrNull } from './values.js';

interface RawDiagnosis {
  id: unknown;
  visit_id: unknown;
  visit_no: unknown;
  patient_id: unknown;
  patient_name: unknown;
  icd10_code: unknown;
  icd10_display: unknown;
  rank: unknown;
  recorded_at: unknown;
  updated_at: unknown;
}

export function toDiagnosisRow(raw: RawDiagnosis): DiagnosisRow {
  return {
    id: toInt(raw.id),
    visitId: toRefIdOrNull(raw.visit_id),
    visitNo: toText(raw.visit_no),
    patientId: toRefIdOrNull(raw.patient_id),
    patientName: toText(raw.patient_name),
    icd10Code: toText(raw.icd10_code),
    icd10Display: toTextOrNull(raw.icd10_display),
    rank: toInt(raw.rank),
    recordedAt: toDateTime(raw.recorded_at),
    updatedAt: toDateTime(raw.updated_at),
  };
}

export function readDiagnoses(db: Db, options?: ReadOptions): AsyncGenerator<DiagnosisRow[]> {
  return keysetPages<RawDiagnosis, DiagnosisRow>(options, 'd.id', 'd.updated_at', () =>
    db('diagnoses as d')
      .joinRaw('STRAIGHT_JOIN ?? ON ?? = ??', ['visits as v', 'v.id', 'd.visit_id'])
      .leftJoin('patients as p', 'p.id', 'v.patient_id')
      .whereNot('v.status', 'cancelled')
      .select(
        'd.id',
        'd.visit_id',
        'v.visit_no',
        'v.patient_id',
        'p.name as patient_name',
        'd.icd10_code',
        'd.icd10_display',
        'd.rank',
        'd.recorded_at',
        db.raw('COALESCE(d.updated_at, d.created_at) AS updated_at'),
      ),
  toDiagnosisRow);
}
