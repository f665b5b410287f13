// Patient ← Dekacare `patients`, looked up in SATUSEHAT by NIK (Master Patient Index).
import type { PatientRow } from '../../types/source-rows.js';
import type { Db } from '../connect.js';
import { keysetPages, type ReadOptions } from './keyset.js';
import { sourceReader, updatedAt } from './source-reader.js';
import { toDateOrNull, toDateTime, toGender, toInt, toText, toTextOrNull } from './values.js';

interface RawPatient {
  id: unknown;
  mrn: unknown;
  nik: unknown;
  name: unknown;
  gender: unknown;
  birth_date: unknown;
  updated_at: unknown;
}

export function toPatientRow(raw: RawPatient): PatientRow {
  return {
    id: toInt(raw.id),
    mrn: toText(raw.mrn),
    nik: toTextOrNull(raw.nik),
    name: toText(raw.name),
    gender: toGender(raw.gender),
    birthDate: toDateOrNull(raw.birth_date),
    updatedAt: toDateTime(raw.updated_at),
  };
}

export function readPatients(db: Db, options?: ReadOptions): AsyncGenerator<PatientRow[]> {
  return keysetPages<RawPatient, PatientRow>(options, 'p.id', 'p.updated_at', () =>
    db('patients as p').select(
      'p.id',
      'p.mrn',
      'p.nik',
      'p.name',
      'p.gender',
      'p.birth_date',
      db.raw('COALESCE(p.updated_at, p.created_at) AS updated_at'),
    ),
  toPatientRow);
}

export const patientReader = sourceReader({ tables: ['patients'], changedAt: [updatedAt('patients')], read: readPatients });
