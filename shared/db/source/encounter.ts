// Encounter ← Dekacare `visits`, joined with the names the detail table shows. Cancelled visits
// are not read: SATUSEHAT has no use for them. LEFT JOINs on purpose: they make MySQL walk
// visits in id order (with inner joins the optimiser may start from `units` and sort every
// page), and a visit whose patient/practitioner/room/unit row is gone still shows up (with empty
// names, and waits for a parent that never comes) instead of vanishing silently.
// Each page then reads the rooms of its stays (`visit_rooms`) and its diagnoses (id and rank, for
// Encounter.diagnosis) by visit id: two indexed reads per page, not a join that repeats visits.
// Incrementally, a visit is read again when it, one of its diagnoses or one of its rooms changed.
import type { VisitDiagnosisRef, VisitDischarge, VisitRoomRow, VisitRow, VisitStatus } from '../../types/source-rows.js';
import type { Db } from '../connect.js';
import { keysetPages, type ChangedSince, type ReadOptions } from './keyset.js';
import { sourceReader, updatedAt } from './source-reader.js';
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
  room_service_class: unknown;
  discharge_disposition: unknown;
  updated_at: unknown;
}

interface RawVisitRoom {
  visit_id: unknown;
  room_id: unknown;
  room_name: unknown;
  service_class: unknown;
  entered_at: unknown;
  left_at: unknown;
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
    roomServiceClass: toTextOrNull(raw.room_service_class),
    dischargeDisposition: toTextOrNull(raw.discharge_disposition) as VisitDischarge | null,
    rooms: [],
    diagnoses: [],
    updatedAt: toDateTime(raw.updated_at),
  };
}

export function toVisitRoomRow(raw: RawVisitRoom): VisitRoomRow {
  return {
    roomId: toRefId(raw.room_id),
    roomName: toText(raw.room_name),
    serviceClass: toTextOrNull(raw.service_class),
    enteredAt: toDateTime(raw.entered_at),
    leftAt: toDateTimeOrNull(raw.left_at),
  };
}

/** A visit, one of its diagnoses or one of its rooms changed at or after `since`. */
function visitChangedSince(db: Db): ChangedSince {
  return (query, since) =>
    query.where((q) =>
      q.where('v.updated_at', '>=', since)
        .orWhereIn('v.id', db('diagnoses').select('visit_id').where('updated_at', '>=', since))
        .orWhereIn('v.id', db('visit_rooms').select('visit_id').where('updated_at', '>=', since)),
    );
}

/** Attaches the rooms and diagnosis references of one page of visits. */
async function withStayDetails(db: Db, rows: VisitRow[]): Promise<VisitRow[]> {
  const ids = rows.map((r) => r.id);
  const [rooms, diagnoses] = await Promise.all([
    db('visit_rooms as vr')
      .leftJoin('rooms as r', 'r.id', 'vr.room_id')
      .whereIn('vr.visit_id', ids)
      .orderBy([{ column: 'vr.visit_id' }, { column: 'vr.entered_at' }, { column: 'vr.id' }])
      .select('vr.visit_id', 'vr.room_id', 'r.name as room_name', 'r.service_class', 'vr.entered_at', 'vr.left_at') as Promise<RawVisitRoom[]>,
    db('diagnoses').whereIn('visit_id', ids).orderBy([{ column: 'visit_id' }, { column: 'rank' }, { column: 'id' }]).select('id', 'visit_id', 'rank') as Promise<Array<{ id: unknown; visit_id: unknown; rank: unknown }>>,
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const raw of rooms) byId.get(toInt(raw.visit_id))?.rooms.push(toVisitRoomRow(raw));
  for (const raw of diagnoses) byId.get(toInt(raw.visit_id))?.diagnoses.push({ id: toInt(raw.id), rank: toInt(raw.rank) } satisfies VisitDiagnosisRef);
  return rows;
}

export async function* readVisits(db: Db, options?: ReadOptions): AsyncGenerator<VisitRow[]> {
  for await (const page of visitPages(db, options)) yield await withStayDetails(db, page);
}

/** A visit is read again when one of its diagnoses or rooms changes (Encounter.diagnosis, location[]). */
export const visitReader = sourceReader({
  tables: ['visits', 'visit_rooms'],
  changedAt: [updatedAt('visits'), updatedAt('diagnoses'), updatedAt('visit_rooms')],
  idColumn: 'v.id',
  read: readVisits,
});

function visitPages(db: Db, options?: ReadOptions): AsyncGenerator<VisitRow[]> {
  return keysetPages<RawVisit, VisitRow>(options, 'v.id', visitChangedSince(db), () =>
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
        'r.service_class as room_service_class',
        'v.discharge_disposition',
        db.raw('COALESCE(v.updated_at, v.created_at) AS updated_at'),
      ),
  toVisitRow);
}
