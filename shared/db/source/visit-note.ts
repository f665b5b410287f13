// Composition ← Dekacare `visit_notes` (diet advice, patient education), with the visit's number
// and patient and the author's name. Notes of cancelled visits and orphans are not read.
import type { VisitNoteRow, VisitNoteType } from '../../types/source-rows.js';
import type { Db } from '../connect.js';
import { keysetPages, type ReadOptions } from './keyset.js';
import { toDateTime, toInt, toRefIdOrNull, toText } from './values.js';

interface RawVisitNote {
  id: unknown;
  visit_id: unknown;
  visit_no: unknown;
  patient_id: unknown;
  patient_name: unknown;
  practitioner_id: unknown;
  practitioner_name: unknown;
  note_type: unknown;
  title: unknown;
  text: unknown;
  written_at: unknown;
  updated_at: unknown;
}

export function toVisitNoteRow(raw: RawVisitNote): VisitNoteRow {
  return {
    id: toInt(raw.id),
    visitId: toRefIdOrNull(raw.visit_id),
    visitNo: toText(raw.visit_no),
    patientId: toRefIdOrNull(raw.patient_id),
    patientName: toText(raw.patient_name),
    practitionerId: toRefIdOrNull(raw.practitioner_id),
    practitionerName: toText(raw.practitioner_name),
    noteType: toText(raw.note_type).toLowerCase() as VisitNoteType,
    title: toText(raw.title),
    text: toText(raw.text),
    writtenAt: toDateTime(raw.written_at),
    updatedAt: toDateTime(raw.updated_at),
  };
}

export function readVisitNotes(db: Db, options?: ReadOptions): AsyncGenerator<VisitNoteRow[]> {
  return keysetPages<RawVisitNote, VisitNoteRow>(options, 'n.id', 'n.updated_at', () =>
    db('visit_notes as n')
      .joinRaw('STRAIGHT_JOIN ?? ON ?? = ??', ['visits as v', 'v.id', 'n.visit_id'])
      .leftJoin('patients as p', 'p.id', 'v.patient_id')
      .leftJoin('practitioners as pr', 'pr.id', 'n.practitioner_id')
      .whereNot('v.status', 'cancelled')
      .select(
        'n.id',
        'n.visit_id',
        'v.visit_no',
        'v.patient_id',
        'p.name as patient_name',
        'n.practitioner_id',
        'pr.name as practitioner_name',
        'n.note_type',
        'n.title',
        'n.text',
        'n.written_at',
        db.raw('COALESCE(n.updated_at, n.created_at) AS updated_at'),
      ),
  toVisitNoteRow);
}
