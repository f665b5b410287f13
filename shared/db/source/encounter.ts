// Encounter ← Dekacare `visits`, joined with the names the detail table shows. Cancelled visits
// are not read: SATUSEHAT has no use for them. LEFT JOINs on purpose: they make MySQL walk
// visits in id order (with inner joins the optimiser may start from `units` and sort every
// page), and a visit whose patient/practitioner/room/unit row is gone still shows up (with empty
// names, and waits for a parent that never comes) instead of vanishing silently.
import type { VisitRow, VisitStatus } from '../../types/source-rows.js';
import type { Db } from '../connect.js';
import { keysetPages, type ReadOptions } from './keyset.js';
import { toDateTime, toDateTimeOrNull, toInt, toRefId, toText, toTextOrNull } from './values.js';

interface RawVisit {
  id: unknown;
  visit_no: unknown;
  patient_id: unknown;
  patient_name: unknown;
  patient_nik: unknown;
  practitioner_id: unknown;
  practitioner_name: unknown;
  room_id: unknown;
  room_name: unknown;
  unit_id: unknown;
  unit_name: unknown;
  encounter_class: unknown;
  status: unknown;
  arrived_at: unknown;
  started_at: unknown;
  finished_at: unknown;
  updated_at: unknown;
}

export function toVisitRow(raw: RawVisit): VisitRow {
  return {
    id: toInt(raw.id),
    visitNo: toText(raw.visit_no),
    patientId: toRefId(raw.patient_id),
    patientName: toText(raw.patient_name),
    patientNik: toTextOrNull(raw.patient_nik),
    practitionerId: toRefId(raw.practitioner_id),
    practitionerName: toText(raw.practitioner_name),
    roomId: toRefId(raw.room_id),
    roomName: toText(raw.room_name),
    unitId: toRefId(raw.unit_id),
    unitName: toText(raw.unit_name),
    // Unknown values pass through unchanged; the Encounter mapper reports them as invalid.
    encounterClass: toText(raw.encounter_class).toUpperCase() as VisitRow['encounterClass'],
    status: toText(raw.status).toLowerCase() as VisitStatus,
    arrivedAt: toDateTime(raw.arrived_at),
    startedAt: toDateTimeOrNull(raw.started_at),
    finishedAt: toDateTimeOrNull(raw.finished_at),
    updatedAt: toDateTime(raw.updated_at),
  };
}

export function readVisits(db: Db, options?: ReadOptions): AsyncGenerator<VisitRow[]> {
  return keysetPages<RawVisit, VisitRow>(options, 'v.id', 'v.updated_at', () =>
    db('visits as v')
      .leftJoin('patients as p', 'p.id', 'v.patient_id')
      .leftJoin('practitioners as pr', 'pr.id', 'v.practitioner_id')
      .leftJoin('rooms as r', 'r.id', 'v.room_id')
      .leftJoin('units as u', 'u.id', 'v.unit_id')
      .whereNot('v.status', 'cancelled')
      .select(
        'v.id',
        'v.visit_no',
        'v.patient_id',
        'p.name as patient_name',
        'p.nik as patient_nik',
        'v.practitioner_id',
        'pr.name as practitioner_name',
        'v.room_id',
        'r.name as room_name',
        'v.unit_id',
        'u.name as unit_name',
        'v.encounter_class',
        'v.status',
        'v.arrived_at',
        'v.started_at',
        'v.finished_at',
        db.raw('COALESCE(v.updated_at, v.created_at) AS updated_at'),
      ),
  toVisitRow);
}
