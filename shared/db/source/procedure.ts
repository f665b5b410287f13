// Procedure ← Dekacare `procedures` (tindakan, ICD-9-CM), with the visit's number and patient and
// the performer's name. Procedures of cancelled visits and orphans are not read; STRAIGHT_JOIN
// keeps MySQL walking procedures in id order.
import type { ProcedureRow } from '../../types/source-rows.js';
import type { Db } from '../connect.js';
import { keysetPages, type ReadOptions } from './keyset.js';
import { toDateTime, toDateTimeOrNull, toInt, toRefIdOrNull, toText, toTextOrNull } from './values.js';

interface RawProcedure {
  id: unknown;
  visit_id: unknown;
  visit_no: unknown;
  patient_id: unknown;
  patient_name: unknown;
  practitioner_id: unknown;
  practitioner_name: unknown;
  icd9cm_code: unknown;
  icd9cm_display: unknown;
  performed_start: unknown;
  performed_end: unknown;
  updated_at: unknown;
}

export function toProcedureRow(raw: RawProcedure): ProcedureRow {
  return {
    id: toInt(raw.id),
    visitId: toRefIdOrNull(raw.visit_id),
    visitNo: toText(raw.visit_no),
    patientId: toRefIdOrNull(raw.patient_id),
    patientName: toText(raw.patient_name),
    practitionerId: toRefIdOrNull(raw.practitioner_id),
    practitionerName: toText(raw.practitioner_name),
    icd9cmCode: toText(raw.icd9cm_code),
    icd9cmDisplay: toTextOrNull(raw.icd9cm_display),
    performedStart: toDateTime(raw.performed_start),
    performedEnd: toDateTimeOrNull(raw.performed_end),
    updatedAt: toDateTime(raw.updated_at),
  };
}

export function readProcedures(db: Db, options?: ReadOptions): AsyncGenerator<ProcedureRow[]> {
  return keysetPages<RawProcedure, ProcedureRow>(options, 'pc.id', 'pc.updated_at', () =>
    db('procedures as pc')
      .joinRaw('STRAIGHT_JOIN ?? ON ?? = ??', ['visits as v', 'v.id', 'pc.visit_id'])
      .leftJoin('patients as p', 'p.id', 'v.patient_id')
      .leftJoin('practitioners as pr', 'pr.id', 'pc.practitioner_id')
      .whereNot('v.status', 'cancelled')
      .select(
        'pc.id',
        'pc.visit_id',
        'v.visit_no',
        'v.patient_id',
        'p.name as patient_name',
        'pc.practitioner_id',
        'pr.name as practitioner_name',
        'pc.icd9cm_code',
        'pc.icd9cm_display',
        'pc.performed_start',
        'pc.performed_end',
        db.raw('COALESCE(pc.updated_at, pc.created_at) AS updated_at'),
      ),
  toProcedureRow);
}
