// The audit log: append-only rows of operator actions. Writers pass their transaction, so an
// action and its audit row are stored together or not at all.
import type { Db } from '../connect.js';
import { isoOrNull, parseJsonColumn } from './sql-values.js';

export const AUDIT_ACTIONS = ['login', 'login_refused', 'resend', 'edit', 'regenerate', 'pause', 'resume', 'resend_bulk'] as const;
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
