// The watermark of incremental extraction: the newest change time over the columns a type's
// reader names (an indexed MAX per table) is where the next pass starts.
import type { ResourceTypeName } from '../../fhir/types.js';
import type { Db } from '../connect.js';
import { sourceReaders } from './readers.js';
import type { ChangeColumn } from './source-reader.js';

/** The newest change of the type's rows as 'YYYY-MM-DD HH:mm:ss', or null while its tables are empty. */
export async function sourceHighWater(db: Db, type: ResourceTypeName): Promise<string | null> {
  let newest: string | null = null;
  for (const column of sourceReaders[type].changedAt) {
    const hw = await columnHighWater(db, column);
    if (hw !== null && (newest === null || hw > newest)) newest = hw;
  }
  return newest;
}

async function columnHighWater(db: Db, { table, column }: ChangeColumn): Promise<string | null> {
  const row = (await db(table).max({ hw: column }).first()) as { hw?: string | Date | null } | undefined;
  const hw = row?.hw;
  if (!hw) return null;
  return typeof hw === 'string' ? hw.slice(0, 19) : hw.toISOString().slice(0, 19).replace('T', ' ');
}
