// Figures for the dashboard cards and `satusehat status`, straight from SQL.
import type { Db } from '../connect.js';
import type { ItemStatus } from '../../types/items.js';
import { foldIfBacklogged, readItemCounts } from './item-counts-repo.js';

export interface StatusCountRow {
  resourceType: string;
  status: ItemStatus;
  count: number;
  lastSentAt: Date | null;
}

/**
 * Counts per type and status. With a date, dated items are filtered by their business date;
 * master data (no business date) is always counted in full. Read from the trigger-maintained
 * counters (item-counts-repo.ts), not by scanning items.
 */
export async function countByTypeAndStatus(db: Db, date?: string): Promise<StatusCountRow[]> {
  await foldIfBacklogged(db).catch(() => undefined); // a read-only DB user: read unfolded
  const rows = await readItemCounts(db, date);
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
  /** What kind of problem: the error class, or for blocked items the parent type and its state. */
  kind: string;
  /** One example reason of this kind. */
  example: string;
  count: number;
}

/**
 * The most common kinds of problems (failed, invalid, blocked, checking), one example each, for the
 * end-of-run "why" list. Grouped by kind rather than text, because texts carry names and ids.
 */
export async function topProblems(db: Db, limit = 12, only: { statuses?: ItemStatus[]; changedSinceRun?: number } = {}): Promise<ProblemRow[]> {
  const kind = db.raw(
    `CASE WHEN status = 'blocked' THEN CONCAT(SUBSTRING_INDEX(COALESCE(blocked_by, ''), ' ', 1), ' ',
       CASE WHEN blocked_by LIKE '% is failed:%' OR blocked_by LIKE '% failed:%' THEN 'failed' WHEN blocked_by LIKE '% is invalid:%' THEN 'invalid' ELSE 'pending' END)
     ELSE COALESCE(error_class, status) END`,
  );
  const rows = (await db('items')
    .select('resource_type', 'status')
    .select(db.raw(`${kind.toQuery()} AS kind`))
    .select(db.raw("LEFT(MIN(COALESCE(blocked_by, last_error, '')), 240) AS example"))
    .count({ n: '*' })
    .whereIn('status', only.statuses ?? ['failed', 'invalid', 'blocked', 'checking'])
    .modify((q) => {
      // Items whose status changed since the run began (items_status_updated_idx): what went wrong in that run.
      if (only.changedSinceRun !== undefined) q.where('updated_at', '>=', db('sync_runs').select('started_at').where('id', only.changedSinceRun));
    })
    .groupBy('resource_type', 'status', 'kind')
    .orderBy('n', 'desc')
    .limit(limit)) as unknown as Array<{ resource_type: string; status: string; kind: string; example: string; n: number | string }>;
  return rows.map((r) => ({ resourceType: String(r.resource_type), status: r.status as ItemStatus, kind: String(r.kind), example: String(r.example ?? ''), count: Number(r.n) }));
}
