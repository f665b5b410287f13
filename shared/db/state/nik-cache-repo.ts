// NIK → SATUSEHAT id, remembered from lookups so regenerating people does not look them up again.
import type { Db } from '../connect.js';

export interface CachedLookup {
  satusehatId: string | null;
  display: string | null;
}

export async function getCachedLookup(db: Db, resourceType: string, nik: string, maxAgeMs: number): Promise<CachedLookup | null> {
  const row = await db('nik_ihs_cache')
    .select('satusehat_id', 'display')
    .where({ resource_type: resourceType, nik })
    .andWhere('looked_up_at', '>', db.raw('NOW(3) - INTERVAL ? MICROSECOND', [maxAgeMs * 1000]))
    .first();
  return row ? { satusehatId: row.satusehat_id, display: row.display } : null;
}

export async function cacheLookup(db: Db, resourceType: string, nik: string, value: CachedLookup): Promise<void> {
  await db('nik_ihs_cache')
    .insert({ resource_type: resourceType, nik, satusehat_id: value.satusehatId, display: value.display, looked_up_at: db.fn.now(3) })
    .onConflict(['resource_type', 'nik'])
    .merge();
}
