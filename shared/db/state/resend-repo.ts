// Resend: put chosen items back to not_sent (compare-and-set on the status the operator saw),
// audited in the same transaction; after their jobs are added they become queued.
import type { Db } from '../connect.js';
import { withDeadlockRetry } from '../retry.js';
import type { ItemStatus } from '../../types/items.js';
import { insertAudit, type AuditInsert } from './audit-repo.js';

export interface ResendCandidate {
  id: number;
  type: string;
  status: ItemStatus;
  currentRevision: number;
  satusehatId: string | null;
  blockedBy: string | null;
  lastError: string | null;
}

export async function resendCandidates(db: Db, ids: number[]): Promise<ResendCandidate[]> {
  const out: ResendCandidate[] = [];
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db('items')
      .select('id', 'resource_type', 'status', 'current_revision', 'satusehat_id', 'blocked_by')
      .select(db.raw('LEFT(last_error, 300) AS last_error'))
      .whereIn('id', ids.slice(i, i + 1000));
    for (const r of rows) {
      out.push({
        id: Number(r.id), type: String(r.resource_type), status: r.status, currentRevision: Number(r.current_revision),
        satusehatId: r.satusehat_id ?? null, blockedBy: r.blocked_by ?? null, lastError: r.last_error ?? null,
      });
    }
  }
  return out;
}

/**
 * Sets not_sent on the items still in the status and revision they were seen in, and writes one
 * audit row per item that changed. Returns the ids (with revisions) that changed.
 */
export async function markForResend(db: Db, seen: ResendCandidate[], audit: (c: ResendCandidate) => AuditInsert): Promise<ResendCandidate[]> {
  if (seen.length === 0) return [];
  return withDeadlockRetry(() =>
    db.transaction(async (trx) => {
      const changed: ResendCandidate[] = [];
      // One statement per status seen: the CAS condition is the same for the whole group.
      const groups = new Map<ItemStatus, ResendCandidate[]>();
      for (const c of seen) groups.set(c.status, [...(groups.get(c.status) ?? []), c]);
      for (const [status, group] of groups) {
        for (let i = 0; i < group.length; i += 1000) {
          const chunk = group.slice(i, i + 1000);
          const ids = chunk.map((c) => c.id);
          const locked = await trx('items').select('id', 'current_revision').whereIn('id', ids).where('status', status).forUpdate();
          const seenRevision = new Map(chunk.map((c) => [c.id, c.currentRevision]));
          const ok = new Set(locked.filter((r) => seenRevision.get(Number(r.id)) === Number(r.current_revision)).map((r) => Number(r.id)));
          if (ok.size === 0) continue;
          await trx('items').whereIn('id', [...ok]).update({ status: 'not_sent', blocked_by: null, updated_at: trx.fn.now(3) });
          changed.push(...chunk.filter((c) => ok.has(c.id)));
        }
      }
      await insertAudit(trx, changed.map(audit));
      return changed;
    }),
  );
}

/** After their jobs were added: not_sent → queued. Items a worker already took are left alone. */
export async function markResendQueued(db: Db, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    await withDeadlockRetry(() => db('items').whereIn('id', chunk).where('status', 'not_sent').update({ status: 'queued', updated_at: db.fn.now(3) }));
  }
}
