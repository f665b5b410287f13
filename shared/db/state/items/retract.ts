// The deletion sweep's side of the item store: which sent items to check against Dekacare, and
// the revision that says a record is gone (transition `retract`).
import type { Db } from '../../connect.js';
import { withDeadlockRetry } from '../../retry.js';
import type { SendJobData } from '../../../types/items.js';
import { movesFrom } from './transitions.js';

/** Who made a retraction revision: the item's history shows it as the source change that caused it. */
export const RETRACTED_BY = 'sweep: deleted or visit cancelled in Dekacare';

export interface SweepCandidate {
  id: number;
  sourceKey: string;
  revision: number;
  method: string;
  path: string;
  body: Record<string, unknown> | null;
}

/** Sent items of a type after `afterId`, in id order, not already retracted. */
export async function sweepCandidates(db: Db, type: string, afterId: number, limit: number): Promise<SweepCandidate[]> {
  const rows = await db('items as i')
    .join('request_revisions as r', function () {
      this.on('r.item_id', 'i.id').andOn('r.revision', 'i.current_revision');
    })
    .select('i.id', 'i.source_key', 'i.current_revision', 'r.method', 'r.path', 'r.body')
    .where({ 'i.resource_type': type, 'i.status': 'sent' })
    .whereNotNull('i.satusehat_id')
    .andWhere('i.id', '>', afterId)
    .andWhereNot('r.created_by', RETRACTED_BY)
    .orderBy('i.id')
    .limit(limit);
  return rows.map((r) => ({
    id: Number(r.id), sourceKey: String(r.source_key), revision: Number(r.current_revision), method: String(r.method), path: String(r.path),
    body: typeof r.body === 'string' ? JSON.parse(r.body) : (r.body ?? null),
  }));
}

/**
 * A new revision for each item whose record is gone, made from the one it was sent with, and the
 * item back to not_sent (a PUT by its id follows). Compare-and-set on status and revision: an item
 * planned or sent meanwhile is left alone. The source hash is cleared, so a record that comes back
 * is planned as a change. Returns the jobs to add.
 */
export async function retractItems(db: Db, entries: Array<{ item: SweepCandidate; body: Record<string, unknown> }>): Promise<SendJobData[]> {
  if (entries.length === 0) return [];
  const from = movesFrom('retract', 'not_sent');
  return withDeadlockRetry(() =>
    db.transaction(async (trx) => {
      const jobs: SendJobData[] = [];
      for (const { item, body } of entries) {
        const locked = await trx('items').select('current_revision').where('id', item.id).whereIn('status', from).forUpdate().first();
        if (!locked || Number(locked.current_revision) !== item.revision) continue;
        const max = await trx('request_revisions').max({ n: 'revision' }).where('item_id', item.id).first();
        const revision = Math.max(item.revision, Number(max?.n ?? 0)) + 1;
        await trx('request_revisions').insert({ item_id: item.id, revision, method: item.method, path: item.path.slice(0, 500), body: JSON.stringify(body), created_by: RETRACTED_BY, edited: false });
        await trx('items').where('id', item.id).update({ current_revision: revision, status: 'not_sent', source_hash: null, last_error: null, error_class: null, updated_at: trx.fn.now(3) });
        jobs.push({ itemId: item.id, revision });
      }
      return jobs;
    }),
  );
}
