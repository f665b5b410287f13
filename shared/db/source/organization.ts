// Organization ← Dekacare `units` (departments and polyclinics, sent as sub-Organizations).
// Inactive units are read too: past visits still point at them.
import type { UnitRow } from '../../types/source-rows.js';
import type { Db } from '../connect.js';
import { keysetPages, type ReadOptions } from './keyset.js';
import { sourceReader, updatedAt } from './source-reader.js';
import { toDateTime, toInt, toText, toTextOrNull } from './values.js';

interface RawUnit {
  id: unknown;
  code: unknown;
  name: unknown;
  phone: unknown;
  email: unknown;
  address: unknown;
  city: unknown;
  postal_code: unknown;
  updated_at: unknown;
}

export function toUnitRow(raw: RawUnit): UnitRow {
  return {
    id: toInt(raw.id),
    code: toText(raw.code),
    name: toText(raw.name),
    phone: toTextOrNull(raw.phone),
    email: toTextOrNull(raw.email),
    address: toTextOrNull(raw.address),
    city: toTextOrNull(raw.city),
    postalCode: toTextOrNull(raw.postal_code),
    updatedAt: toDateTime(raw.updated_at),
  };
}

export function readUnits(db: Db, options?: ReadOptions): AsyncGenerator<UnitRow[]> {
  return keysetPages<RawUnit, UnitRow>(options, 'u.id', 'u.updated_at', () =>
    db('units as u').select(
      'u.id',
      'u.code',
      'u.name',
      'u.phone',
      'u.email',
      'u.address',
      'u.city',
      'u.postal_code',
      db.raw('COALESCE(u.updated_at, u.created_at) AS updated_at'),
    ),
  toUnitRow);
}

export const unitReader = sourceReader({ tables: ['units'], changedAt: [updatedAt('units')], read: readUnits });
