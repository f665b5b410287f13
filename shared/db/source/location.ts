// Location ← Dekacare `rooms`, with the name of the unit (Organization) that manages each room.
// LEFT JOIN: a room whose unit row is gone is still read (unitName ''), not silently dropped.
import type { RoomRow } from '../../types/source-rows.js';
import type { Db } from '../connect.js';
import { keysetPages, type ReadOptions } from './keyset.js';
import { sourceReader, updatedAt } from './source-reader.js';
import { toDateTime, toInt, toRefId, toText, toTextOrNull } from './values.js';

interface RawRoom {
  id: unknown;
  code: unknown;
  name: unknown;
  description: unknown;
  unit_id: unknown;
  unit_name: unknown;
  updated_at: unknown;
}

export function toRoomRow(raw: RawRoom): RoomRow {
  return {
    id: toInt(raw.id),
    code: toText(raw.code),
    name: toText(raw.name),
    description: toTextOrNull(raw.description),
    unitId: toRefId(raw.unit_id),
    unitName: toText(raw.unit_name),
    updatedAt: toDateTime(raw.updated_at),
  };
}

export function readRooms(db: Db, options?: ReadOptions): AsyncGenerator<RoomRow[]> {
  return keysetPages<RawRoom, RoomRow>(options, 'r.id', 'r.updated_at', () =>
    db('rooms as r')
      .leftJoin('units as u', 'u.id', 'r.unit_id')
      .select(
        'r.id',
        'r.code',
        'r.name',
        'r.description',
        'r.unit_id',
        'u.name as unit_name',
        db.raw('COALESCE(r.updated_at, r.created_at) AS updated_at'),
      ),
  toRoomRow);
}

export const roomReader = sourceReader({ tables: ['rooms'], changedAt: [updatedAt('rooms')], read: readRooms });
