// Practitioner ← Dekacare `practitioners`, looked up in SATUSEHAT by NIK. Inactive staff are read
// too: their past visits still need them.
import type { PractitionerRow } from '../../types/source-rows.js';
import type { Db } from '../connect.js';
import { keysetPages, type ReadOptions } from './keyset.js';
import { sourceReader, updatedAt } from './source-reader.js';
import { toDateOrNull, toDateTime, toGender, toInt, toText, toTextOrNull } from './values.js';

interface RawPractitioner {
  id: unknown;
  nik: unknown;
  name: unknown;
  gender: unknown;
  birth_date: unknown;
  updated_at: unknown;
}

export function toPractitionerRow(raw: RawPractitioner): PractitionerRow {
  return {
    id: toInt(raw.id),
    nik: toTextOrNull(raw.nik),
    name: toText(raw.name),
    gender: toGender(raw.gender),
    birthDate: toDateOrNull(raw.birth_date),
    updatedAt: toDateTime(raw.updated_at),
  };
}

export function readPractitioners(db: Db, options?: ReadOptions): AsyncGenerator<PractitionerRow[]> {
  return keysetPages<RawPractitioner, PractitionerRow>(options, 'pr.id', 'pr.updated_at', () =>
    db('practitioners as pr').select(
      'pr.id',
      'pr.nik',
      'pr.name',
      'pr.gender',
      'pr.birth_date',
      db.raw('COALESCE(pr.updated_at, pr.created_at) AS updated_at'),
    ),
  toPractitionerRow);
}

export const practitionerReader = sourceReader({ tables: ['practitioners'], changedAt: [updatedAt('practitioners')], read: readPractitioners });
