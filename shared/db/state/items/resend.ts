// Sending again what was sent, failed or refused: resends, regenerate and the Encounter PUT after
// its diagnosis got ids.
import type { Db } from '../../connect.js';
import { withDeadlockRetry } from '../../retry.js';
import type { ParentRef, ResourceTypeName } from '../../../fhir/types.js';
import type { ItemStatus, SendJobData } from '../../../types/items.js';
import { insertAudit, type AuditInsert } from '../audit-repo.js';
import { whereTypedKeys } from './sql.js';
import { movesFrom } from './transitions.js';

/**
 * Sent Encounters to be sent again as they are (a PUT of their current revision): sent → not_sent,
 * compare-and-set, so an item in flight or already waiting is left alone. Returns the jobs to add.
 */
export async function resendForDiagnosis(db: Db, itemIds: number[]): Promise<SendJobData[]> {
  if (itemIds.length === 0) return [];
  const jobs: SendJobData[] = [];
  for (const id of itemIds) {
    const changed = await withDeadlockRetry(() => db('items').where({ id }).whereIn('status', movesFrom('refreshDiagnosis', 'not_sent')).whereNotNull('satusehat_id').update({ status: 'not_sent', updated_at: db.fn.now(3) }));
    if (changed === 0) continue;
    const row = await db('items').first('current_revision').where({ id, status: 'not_sent' });
    if (row) jobs.push({ itemId: id, revision: row.current_revision as number });
  }
  return jobs;
}

/**
 * The sent Encounters of a Condition whose current revision names it in Encounter.diagnosis
 * (a child reference, see shared/fhir/diagnosis-refs.ts): they were sent before it had an id.
 */
export async function sentEncountersNaming(db: Db, conditionItemId: number, conditionKey: string): Promise<number[]> {
  const rows = await db('item_links as l')
    .joinRaw(`STRAIGHT_JOIN items AS e ON e.resource_type = l.parent_type AND e.source_key = l.parent_key`)
    .join('request_revisions as r', function () {
      this.on('r.item_id', 'e.id').andOn('r.revision', 'e.current_revision');
    })
    .where({ 'l.item_id': conditionItemId, 'l.parent_type': 'Encounter', 'e.status': 'sent' })
    .andWhereRaw('INSTR(CAST(r.body AS CHAR), ?) > 0', [`{{Condition:${conditionKey}}}`])
    .select('e.id');
  return rows.map((r) => Number(r.id));
}

/** Regenerate: failed items of a type are tried again (a lookup may succeed now). */
export async function requeueFailedOfType(db: Db, type: ResourceTypeName): Promise<SendJobData[]> {
  const from = movesFrom('regenerate', 'not_sent');
  const rows = await db('items').select('id', 'current_revision').where({ resource_type: type }).whereIn('status', from).andWhere('current_revision', '>', 0);
  const ids = rows.map((r) => r.id as number);
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    await withDeadlockRetry(() => db('items').whereIn('id', chunk).whereIn('status', from).update({ status: 'not_sent', updated_at: db.fn.now(3) }));
  }
  return rows.map((r) => ({ itemId: r.id, revision: r.current_revision }));
}

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
      const resendable = movesFrom('resend', 'not_sent');
      for (const [status, group] of groups) {
        if (!resendable.includes(status)) continue;
        for (let i = 0; i < group.length; i += 1000) {
          const chunk = group.slice(i, i + 1000);
          const ids = chunk.map((c) => c.id);
          const locked = await trx('items').select('id', 'current_revision').whereIn('id', ids).where('status', status).forUpdate();
          const seenRevision = new Map(chunk.map((c) => [c.id, c.currentRevision]));
          const ok = new Set(locked.filter((r) => seenRevision.get(Number(r.id)) === Number(r.current_revision)).map((r) => Number(r.id)));
          if (ok.size === 0) continue;
          // A resend of a checking item sends again (looking up first), not only looks up.
          await trx('items').whereIn('id', [...ok]).update({ status: 'not_sent', blocked_by: null, check_revision: null, updated_at: trx.fn.now(3) });
          changed.push(...chunk.filter((c) => ok.has(c.id)));
        }
      }
      await insertAudit(trx, changed.map(audit));
      return changed;
    }),
  );
}

/**
 * `satusehat verify --repair`: a sent item whose resource SATUSEHAT does not hold under its id goes
 * again as a create, looked up by identifier first (another resource may carry it: then that one is
 * adopted). Only while it is still sent with that id. Returns its job, or null.
 */
export async function markMissingForCreate(db: Db, itemId: number, missingId: string): Promise<SendJobData | null> {
  return markSentItem(db, itemId, missingId, { satusehat_id: null, lookup_first: true });
}

/** `verify --repair`: a sent item whose stored resource differs from what we sent goes again as an update (PUT by id). */
export async function markChangedForUpdate(db: Db, itemId: number, satusehatId: string): Promise<SendJobData | null> {
  return markSentItem(db, itemId, satusehatId, {});
}

/** `verify --repair`: an unsent item SATUSEHAT holds a resource of (a lost answer) is sent again, looking itself up first: adopted. */
export async function markForAdoption(db: Db, itemId: number): Promise<SendJobData | null> {
  const n = await withDeadlockRetry(() => db('items').where('id', itemId).whereIn('status', movesFrom('resend', 'not_sent')).whereNot('status', 'sent').whereNull('satusehat_id')
    .update({ status: 'not_sent', lookup_first: true, blocked_by: null, check_revision: null, updated_at: db.fn.now(3) }));
  return n > 0 ? jobOf(db, itemId) : null;
}

async function markSentItem(db: Db, itemId: number, satusehatId: string, set: Record<string, unknown>): Promise<SendJobData | null> {
  const from = movesFrom('resend', 'not_sent');
  if (!from.includes('sent')) throw new Error('resend no longer moves sent items');
  const n = await withDeadlockRetry(() => db('items').where({ id: itemId, status: 'sent', satusehat_id: satusehatId }).update({ status: 'not_sent', ...set, updated_at: db.fn.now(3) }));
  return n > 0 ? jobOf(db, itemId) : null;
}

async function jobOf(db: Db, itemId: number): Promise<SendJobData | null> {
  const row = await db('items').select('current_revision').where('id', itemId).first();
  return row ? { itemId, revision: Number(row.current_revision) } : null;
}

/**
 * Sent items that name one of these parents, which were sent again under another SATUSEHAT id:
 * each goes again as an update (PUT by its id), its references resolving to the new id. Returns
 * their jobs.
 */
export async function resendForParentChange(db: Db, parents: ParentRef[]): Promise<SendJobData[]> {
  if (parents.length === 0) return [];
  const rows: Array<{ id: number; current_revision: number }> = await db('item_links as l')
    .join('items as i', 'i.id', 'l.item_id')
    .distinct('i.id', 'i.current_revision')
    .where(whereTypedKeys(parents, 'l.parent_type', 'l.parent_key'))
    .whereIn('i.status', movesFrom('parentChanged', 'not_sent'))
    .whereNotNull('i.satusehat_id');
  const jobs: SendJobData[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const changed = await withDeadlockRetry(() => db('items').whereIn('id', chunk.map((r) => r.id)).whereIn('status', movesFrom('parentChanged', 'not_sent')).update({ status: 'not_sent', updated_at: db.fn.now(3) }));
    if (changed > 0) jobs.push(...chunk.map((r) => ({ itemId: Number(r.id), revision: Number(r.current_revision) })));
  }
  return jobs;
}
