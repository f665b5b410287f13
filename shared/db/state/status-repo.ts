// Figures for the dashboard cards and `satusehat status`, straight from SQL.
import type { Db } from '../connect.js';
import type { ItemStatus } from '../../types/items.js';

export interface StatusCountRow {
  resourceType: string;
  status: ItemStatus;
  count: number;
  lastSentAt: Date | null;
}

/**
 * Counts per type and status. With a date, dated items are filtered by their business date;
 * master data (no business date) is always counted in full.
 */
export async function countByTypeAndStatus(db: Db, date?: string): Promise<StatusCountRow[]> {
  const query = db('items').select('resource_type', 'status').count({ n: '*' }).max({ last_sent: 'sent_at' }).groupBy('resource_type', 'status');
  if (date) query.where((q) => q.where('business_date', date).orWhereNull('business_date'));
  const rows = (await query) as unknown as Array<{ resource_type: string; status: string; n: number | string; last_sent: string | Date | null }>;
  return rows.map((r) => ({
    resourceType: String(r.resource_type),
    status: r.status as ItemStatus,
    count: Number(r.n),
    lastSentAt: r.last_sent ? new Date(r.last_sent as string) : null,
  }));
}

export interface ProblemRow {
  resourceType: string;
  status: ItemStatus;
  reason: string;
  count: number;
}

/** The most common reasons items are not sent, for the end-of-run "why" list. */
export async function topProblems(db: Db, limit = 12): Promise<ProblemRow[]> {
  const rows = (await db('items')
    .select('resource_type', 'status')
    .select(db.raw("LEFT(COALESCE(blocked_by, last_error, ''), 160) AS reason"))
    .count({ n: '*' })
    .whereIn('status', ['failed', 'invalid', 'blocked'])
    .groupBy('resource_type', 'status', 'reason')
    .orderBy('n', 'desc')
    .limit(limit)) as unknown as Array<{ resource_type: string; status: string; reason: string; n: number | string }>;
  return rows.map((r) => ({ resourceType: String(r.resource_type), status: r.status as ItemStatus, reason: String((r as { reason?: string }).reason ?? ''), count: Number(r.n) }));
}
