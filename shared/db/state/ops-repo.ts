// SQL for the operations side: health checks, scrape-time metrics, alerts and retention.
// Every query here is cheap enough to run on each scrape or evaluation (indexed, grouped).
import type { Db } from '../connect.js';
import { withDeadlockRetry } from '../retry.js';

export interface SuccessfulRun {
  id: number;
  trigger: string;
  host: string;
  startedAt: Date;
  finishedAt: Date | null;
}

/**
 * The newest full extraction that finished ok (scheduled tick, `sync --once`, demo), or null.
 * A regeneration covers one type only, so it does not count as the schedule having run.
 */
export async function lastSuccessfulRun(db: Db): Promise<SuccessfulRun | null> {
  const row = await db('sync_runs').select('id', 'trigger', 'host', 'started_at', 'finished_at').where({ status: 'ok' }).whereNot('trigger', 'regenerate').orderBy('id', 'desc').first();
  if (!row) return null;
  return { id: Number(row.id), trigger: String(row.trigger), host: String(row.host), startedAt: new Date(row.started_at), finishedAt: row.finished_at ? new Date(row.finished_at) : null };
}

export interface FailedCountRow {
  resourceType: string;
  /** HTTP code, or the error class when there is no meaningful code (timeout, network, not_found…). */
  code: string;
  count: number;
}

const HTTP_CLASSES = new Set(['http_4xx', 'http_5xx', 'rate_limited', 'duplicate']);

/** The code an operator reads for a failed item: its HTTP code, unless the error class says more. */
export function failureCode(httpCode: number | null, errorClass: string | null): string {
  if (httpCode !== null && httpCode >= 300 && (errorClass === null || HTTP_CLASSES.has(errorClass))) return String(httpCode);
  return errorClass ?? (httpCode !== null ? String(httpCode) : 'unknown');
}

/** Failed items per type and code (status index). */
export async function failedCountsByTypeAndCode(db: Db): Promise<FailedCountRow[]> {
  const rows = (await db('items')
    .select('resource_type', 'last_http_code', 'error_class')
    .count({ n: '*' })
    .where({ status: 'failed' })
    .groupBy('resource_type', 'last_http_code', 'error_class')) as unknown as Array<{ resource_type: string; last_http_code: number | null; error_class: string | null; n: number | string }>;
  const merged = new Map<string, FailedCountRow>();
  for (const r of rows) {
    const code = failureCode(r.last_http_code === null ? null : Number(r.last_http_code), r.error_class);
    const key = `${r.resource_type}\u0000${code}`;
    const entry = merged.get(key);
    if (entry) entry.count += Number(r.n);
    else merged.set(key, { resourceType: String(r.resource_type), code, count: Number(r.n) });
  }
  return [...merged.values()];
}

// ── Retention ────────────────────────────────────────────────────────────────────────────────────

/**
 * One past the highest id of an attempt older than `days` (0 when there is none), so the prune's
 * id-order scan stops where the recent attempts begin instead of walking them.
 */
export async function attemptIdUpperBound(db: Db, days: number): Promise<number> {
  const row = (await db('attempts').max({ id: 'id' }).where('started_at', '<', db.raw('DATE_SUB(NOW(3), INTERVAL ? DAY)', [days])).first()) as { id: number | string | null } | undefined;
  return row?.id === null || row?.id === undefined ? 0 : Number(row.id) + 1;
}

/**
 * Up to `limit` attempt ids that may be pruned, in id order after `afterId` and below `upperId`:
 * older than `days`, of an item whose status is 'sent', and not that item's latest attempt.
 */
export async function prunableAttemptIds(db: Db, days: number, afterId: number, upperId: number, limit: number): Promise<number[]> {
  const rows = (await db.raw(
    `SELECT a.id FROM attempts a
       JOIN items i ON i.id = a.item_id AND i.status = 'sent'
      WHERE a.id > ? AND a.id < ?
        AND a.started_at < DATE_SUB(NOW(3), INTERVAL ? DAY)
        AND a.id < (SELECT MAX(l.id) FROM attempts l WHERE l.item_id = a.item_id)
      ORDER BY a.id
      LIMIT ?`,
    [afterId, upperId, days, limit],
  )) as unknown as [Array<{ id: number | string }>];
  return rows[0].map((r) => Number(r.id));
}

/**
 * Deletes these attempts, re-checking in the same statement that their item is still 'sent' (an
 * operator may have resent it since the ids were read). Returns the number deleted.
 */
export async function deleteSentAttempts(db: Db, ids: number[]): Promise<number> {
  if (ids.length === 0) return 0;
  return withDeadlockRetry(async () => {
    const result = (await db.raw(`DELETE a FROM attempts a JOIN items i ON i.id = a.item_id WHERE a.id IN (${ids.map(() => '?').join(',')}) AND i.status = 'sent'`, ids)) as unknown as [{ affectedRows: number }];
    return Number(result[0].affectedRows);
  });
}

// ── Persisted alerts (control_state, when that table exists) ─────────────────────────────────────

export const CONTROL_STATE_TABLE = 'control_state';
export const ALERTS_KEY = 'alerts';

export async function controlStateExists(db: Db): Promise<boolean> {
  return db.schema.hasTable(CONTROL_STATE_TABLE);
}

/** Upserts control_state['alerts']; the caller checks that the table exists. */
export async function saveActiveAlerts(db: Db, alerts: unknown[], updatedBy: string): Promise<void> {
  await db(CONTROL_STATE_TABLE)
    .insert({ key: ALERTS_KEY, value: JSON.stringify(alerts), updated_at: db.fn.now(3), updated_by: updatedBy.slice(0, 100) })
    .onConflict('key')
    .merge(['value', 'updated_at', 'updated_by']);
}

/** The alerts a daemon last persisted, for `status` and the TUI; [] when none or no table. */
export async function loadActiveAlerts<T = unknown>(db: Db): Promise<T[]> {
  if (!(await controlStateExists(db))) return [];
  const row = await db(CONTROL_STATE_TABLE).select('value').where({ key: ALERTS_KEY }).first();
  if (!row || row.value === null || row.value === undefined) return [];
  // MySQL returns JSON columns parsed; MariaDB (JSON = LONGTEXT) returns the text.
  const value = typeof row.value === 'string' ? (JSON.parse(row.value) as unknown) : (row.value as unknown);
  return Array.isArray(value) ? (value as T[]) : [];
}
