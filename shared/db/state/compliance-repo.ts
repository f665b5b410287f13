// The state side of the compliance figure: for a page of visits, their Encounter items and the
// items that name those Encounters and are not sent yet (item_links_parent_idx).
import type { Db } from '../connect.js';
import type { ItemStatus } from '../../types/items.js';

export interface VisitItemState {
  visitKey: string;
  status: ItemStatus;
  httpCode: number | null;
  errorClass: string | null;
  lastError: string | null;
  blockedBy: string | null;
}

export interface UnsentChild extends Omit<VisitItemState, 'visitKey'> {
  visitKey: string;
  type: string;
}

const CHUNK = 1_000;

const stateOf = (r: Record<string, unknown>) => ({
  status: r.status as ItemStatus, httpCode: r.last_http_code === null || r.last_http_code === undefined ? null : Number(r.last_http_code),
  errorClass: (r.error_class as string | null) ?? null, lastError: (r.last_error as string | null) ?? null, blockedBy: (r.blocked_by as string | null) ?? null,
});

export async function encountersOfVisits(db: Db, visitKeys: string[]): Promise<Map<string, VisitItemState>> {
  const out = new Map<string, VisitItemState>();
  for (let i = 0; i < visitKeys.length; i += CHUNK) {
    const rows = await db('items')
      .select('source_key', 'status', 'last_http_code', 'error_class', 'last_error', 'blocked_by')
      .where('resource_type', 'Encounter')
      .whereIn('source_key', visitKeys.slice(i, i + CHUNK));
    for (const r of rows) {
      out.set(String(r.source_key), { visitKey: String(r.source_key), ...stateOf(r) });
    }
  }
  return out;
}

/** Items naming one of these visits' Encounters that are not sent, grouped by visit. */
export async function unsentChildrenOfVisits(db: Db, visitKeys: string[]): Promise<Map<string, UnsentChild[]>> {
  const out = new Map<string, UnsentChild[]>();
  for (let i = 0; i < visitKeys.length; i += CHUNK) {
    const rows = await db('item_links as l')
      .join('items as c', 'c.id', 'l.item_id')
      .select('l.parent_key', 'c.resource_type', 'c.status', 'c.last_http_code', 'c.error_class', 'c.last_error', 'c.blocked_by')
      .where('l.parent_type', 'Encounter')
      .whereIn('l.parent_key', visitKeys.slice(i, i + CHUNK))
      .andWhereNot('c.status', 'sent')
      .orderBy('c.id');
    for (const r of rows) {
      const key = String(r.parent_key);
      const list = out.get(key) ?? [];
      list.push({ visitKey: key, type: String(r.resource_type), ...stateOf(r) });
      out.set(key, list);
    }
  }
  return out;
}
