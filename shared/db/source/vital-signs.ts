// Observations (vital signs) ← Dekacare `vital_signs`, one wide row per measurement round, with the
// visit's number and patient and the name of who measured. Rows of cancelled visits are skipped,
// as their Encounter is never sent; so are orphans whose visit row is gone. STRAIGHT_JOIN keeps
// MySQL walking vital_signs in id order.
import type { Consciousness, VitalSignsRow } from '../../types/source-rows.js';
import type { Db } from '../connect.js';
import { keysetPages, type ReadOptions } from './keyset.js';
import { toDateTime, toInt, toNumberOrNull, toRefIdOrNull, toText, toTextOrNull } from './values.js';

const CONSCIOUSNESS: ReadonlySet<string> = new Set(['alert', 'voice', 'pain', 'unresponsive']);

interface RawVitalSigns {
  id: unknown;
  visit_id: unknown;
  visit_no: unknown;
  patient_id: unknown;
  patient_name: unknown;
  practitioner_id: unknown;
  practitioner_name: unknown;
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
  updated_at: unknown;
}

function toConsciousness(value: unknown): Consciousness | null {
  const text = toTextOrNull(value)?.toLowerCase() ?? null;
  return text !== null && CONSCIOUSNESS.has(text) ? (text as Consciousness) : null;
}

export function toVitalSignsRow(raw: RawVitalSigns): VitalSignsRow {
  return {
    id: toInt(raw.id),
    visitId: toRefIdOrNull(raw.visit_id),
    visitNo: toText(raw.visit_no),
    patientId: toRefIdOrNull(raw.patient_id),
    patientName: toText(raw.patient_name),
    practitionerId: toRefIdOrNull(raw.practitioner_id),
    practitionerName: toText(raw.practitioner_name),
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
  return keysetPages<RawVitalSigns, VitalSignsRow>(options, 'vs.id', 'vs.updated_at', () =>
    db('vital_signs as vs')
      .joinRaw('STRAIGHT_JOIN ?? ON ?? = ??', ['visits as v', 'v.id', 'vs.visit_id'])
      .leftJoin('patients as p', 'p.id', 'v.patient_id')
      .leftJoin('practitioners as pr', 'pr.id', 'vs.practitioner_id')
      .whereNot('v.status', 'cancelled')
      .select(
        'vs.id',
        'vs.visit_id',
        'v.visit_no',
        'v.patient_id',
        'p.name as patient_name',
        'vs.practitioner_id',
        'pr.name as practitioner_name',
        'vs.heart_rate',
        'vs.respiratory_rate',
        'vs.systolic',
        'vs.diastolic',
        'vs.temperature',
        'vs.height',
        'vs.weight',
        'vs.spo2',
        'vs.consciousness',
        'vs.measured_at',
        db.raw('COALESCE(vs.updated_at, vs.created_at) AS updated_at'),
      ),
  toVitalSignsRow);
}
