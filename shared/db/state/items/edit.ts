// Operator edits: a new request revision, the item pointed at it, its parent links and the audit
// row, in one transaction. The item row is locked first and checked against the revision the
// operator edited, so a concurrent edit or re-extraction is refused instead of overwritten.
import type { Db } from '../../connect.js';
import { withDeadlockRetry } from '../../retry.js';
import type { ItemStatus } from '../../../types/items.js';
import { insertAudit, type AuditInsert } from '../audit-repo.js';
import { movesFrom } from './transitions.js';

export interface EditedRevision {
  itemId: number;
  /** The revision the operator started from (0 = the item had none). */
  baseRevision: number;
  method: string;
  path: string;
  body: unknown;
  createdBy: string;
  /** Parents referenced by placeholders in the new body. */
  parents: Array<{ type: string; sourceKey: string }>;
}

export type SaveEditOutcome =
  | { ok: true; revision: number }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'sending' }
  | { ok: false; reason: 'changed'; currentRevision: number };

export async function saveEditedRevision(db: Db, edit: EditedRevision, audit: Omit<AuditInsert, 'details'> & { details?: Record<string, unknown> }): Promise<SaveEditOutcome> {
  return withDeadlockRetry(() =>
    db.transaction(async (trx): Promise<SaveEditOutcome> => {
      const item = await trx('items').select('status', 'current_revision').where('id', edit.itemId).forUpdate().first();
      if (!item) return { ok: false, reason: 'not_found' };
      if (!movesFrom('edit', 'not_sent').includes(item.status as ItemStatus)) return { ok: false, reason: 'sending' };
      const current = Number(item.current_revision);
      if (current !== edit.baseRevision) return { ok: false, reason: 'changed', currentRevision: current };
      // Numbering continues after the highest stored revision, whatever the item points at.
      const max = await trx('request_revisions').max({ n: 'revision' }).where('item_id', edit.itemId).first();
      const revision = Math.max(current, Number(max?.n ?? 0)) + 1;
      await trx('request_revisions').insert({
        item_id: edit.itemId, revision, method: edit.method, path: edit.path.slice(0, 500),
        body: edit.body === null ? null : JSON.stringify(edit.body), created_by: edit.createdBy.slice(0, 100), edited: true,
      });
      await trx('items').where('id', edit.itemId).update({
        current_revision: revision, status: 'not_sent', last_error: null, error_class: null, blocked_by: null, issues: null, updated_at: trx.fn.now(3),
      });
      await trx('item_links').where('item_id', edit.itemId).delete();
      if (edit.parents.length > 0) {
        await trx('item_links').insert(edit.parents.map((p) => ({ item_id: edit.itemId, parent_type: p.type, parent_key: p.sourceKey }))).onConflict().ignore();
      }
      await insertAudit(trx, [{ ...audit, details: { ...audit.details, revision, previousRevision: current, previousStatus: item.status } }]);
      return { ok: true, revision };
    }),
  );
}
