// The audit log: append-only rows of operator actions. Writers pass their transaction, so an
// action and its audit row are stored together or not at all.
import type { Db } from '../connect.js';
import { isoOrNull, parseJsonColumn } from './sql-values.js';

export const AUDIT_ACTIONS = ['login', 'login_refused', 'resend', 'edit', 'regenerate', 'pause', 'resume', 'resend_bulk', 'verify_repair'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditInsert {
  actor: string;
  action: AuditAction;
  target?: string | null;
  details?: Record<string, unknown> | null;
}

export interface AuditRecord {
  id: number;
  at: string;
  actor: string;
  action: AuditAction;
  target: string | null;
  details: Record<string, unknown> | null;
}

export async function insertAudit(db: Db, entries: AuditInsert[]): Promise<void> {
  const rows = entries.map((e) => ({
    actor: e.actor.slice(0, 100),
    action: e.action,
    target: e.target ? e.target.slice(0, 200) : null,
    details: e.details ? JSON.stringify(e.details) : null,
  }));
  for (let i = 0; i < rows.length; i += 500) await db('audit_log').insert(rows.slice(i, i + 500));
}

/** Newest first (audit_log_at_idx); optionally one actor's rows (audit_log_actor_idx). */
export async function listAudit(db: Db, limit: number, actor?: string): Promise<AuditRecord[]> {
  const q = db('audit_log').select('id', 'at', 'actor', 'action', 'target', 'details').orderBy([{ column: 'at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit);
  if (actor) q.where('actor', actor);
  const rows = await q;
  return rows.map((r) => ({
    id: Number(r.id),
    at: isoOrNull(r.at) ?? '',
    actor: String(r.actor),
    action: r.action as AuditAction,
    target: r.target ?? null,
    details: parseJsonColumn<Record<string, unknown> | null>(r.details, null),
  }));
}

/**
 * An account's wrong logins in a row (a wrong password or an unknown name; not throttled tries,
 * not refusals for role or permission) since its last login, within `windowMs`, and when the
 * newest was. Read through audit_log_actor_idx: the actor of a refusal is the name that was tried.
 */
export async function recentWrongLogins(db: Db, actor: string, windowMs: number): Promise<{ count: number; lastAt: number | null }> {
  const rows: Array<{ action: string; at: Date | string; reason: string | null }> = await db('audit_log')
    .select('action', 'at', db.raw("JSON_UNQUOTE(JSON_EXTRACT(details, '$.reason')) AS reason"))
    .where('actor', actor.slice(0, 100))
    .whereIn('action', ['login', 'login_refused'])
    .andWhere('at', '>', db.raw('NOW(3) - INTERVAL ? MICROSECOND', [windowMs * 1000]))
    .orderBy('at', 'desc')
    .limit(50);
  let count = 0;
  let lastAt: number | null = null;
  for (const r of rows) {
    if (r.action === 'login') break;
    if (r.reason !== 'wrong_password' && r.reason !== 'unknown_user') continue;
    count += 1;
    lastAt ??= new Date(r.at).getTime();
  }
  return { count, lastAt };
}
