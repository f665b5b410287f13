// Releasing items: blocked children freed once their parents have ids (and the reason shown by
// those still waiting), and the claims of workers that died.
import type { Db } from '../../connect.js';
import { withDeadlockRetry } from '../../retry.js';
import type { ParentRef, ResourceTypeName } from '../../../fhir/types.js';
import type { SendJobData } from '../../../types/items.js';
import { blockedReason, loadParentStates, STUCK } from './parents.js';
import { chunks, keyOf, PK_ONLY, whereTypedKeys } from './sql.js';
import { movesFrom } from './transitions.js';

/**
 * Re-evaluates blocked items (e.g. the children of a parent just sent): those whose parents all
 * have ids become not_sent (compare-and-set) and are returned for enqueueing. Children still
 * waiting get an up-to-date reason.
 */
export async function releaseBlocked(db: Db, itemIds: number[]): Promise<SendJobData[]> {
  const ready: SendJobData[] = [];
  for (let i = 0; i < itemIds.length; i += 500) {
    const chunk = itemIds.slice(i, i + 500);
    // FORCE INDEX: with statistics lagging behind a fast-growing table, a long IN list was read
    // by scanning every link (114,443 rows for 500 items).
    const links = await db.from(db.raw('item_links FORCE INDEX (PRIMARY)')).select('item_id', 'parent_type', 'parent_key').whereIn('item_id', chunk);
    const states = await loadParentStates(db, links.map((l) => ({ type: l.parent_type, sourceKey: l.parent_key })));
    const parentsOf = new Map<number, ParentRef[]>();
    for (const l of links) parentsOf.set(l.item_id, [...(parentsOf.get(l.item_id) ?? []), { type: l.parent_type, sourceKey: l.parent_key }]);
    const current = new Map((await db('items').select('id', 'resource_type', 'source_key', 'blocked_by').whereIn('id', chunk)).map((r) => [r.id as number, r as { resource_type: string; source_key: string; blocked_by: string | null }]));
    const freed: number[] = [];
    const rewrites = new Map<number, string>();
    for (const id of chunk) {
      const reason = blockedReason(parentsOf.get(id) ?? [], states);
      if (reason === null) freed.push(id);
      else if (current.get(id)?.blocked_by !== reason) rewrites.set(id, reason);
    }
    // Freeing first: the reasons below are what an operator reads, the freeing is what sends.
    if (freed.length > 0) {
      await withDeadlockRetry(() => db('items').whereIn('id', freed).whereIn('status', movesFrom('release', 'not_sent')).update({ status: 'not_sent', blocked_by: null, updated_at: db.fn.now(3) }));
      const rows = await db('items').select('id', 'current_revision').whereIn('id', freed).where('status', 'not_sent');
      for (const r of rows) ready.push({ itemId: r.id, revision: r.current_revision });
    }
    await withDeadlockRetry(() => setBlockedReasons(db, rewrites));
    const stuck = [...rewrites].filter(([id, reason]) => STUCK.test(reason) && current.has(id));
    if (stuck.length > 0) {
      const starts = stuck.map(([id, reason]) => {
        const { resource_type: type, source_key: key } = current.get(id)!;
        return { type, key, text: `${type} ${key} is blocked: ${reason}` };
      });
      await withDeadlockRetry(() => propagateBlocked(db, starts));
    }
  }
  return ready;
}

/**
 * Blocked items whose every parent is now sent (a release that was missed, e.g. a crash between
 * a parent's send and its children's release). One query; the database does the checking.
 */
export async function releasableBlockedIds(db: Db, afterId: number, limit: number): Promise<number[]> {
  const rows = await db('items as i')
    .select('i.id')
    .where('i.status', 'blocked')
    .andWhere('i.id', '>', afterId)
    .whereNotExists(function () {
      this.select(db.raw('1'))
        .from('item_links as l')
        .leftJoin('items as p', function () {
          this.on('p.resource_type', 'l.parent_type').andOn('p.source_key', 'l.parent_key');
        })
        .whereRaw('l.item_id = i.id')
        .andWhere((q) => q.whereNull('p.id').orWhereNot('p.status', 'sent'));
    })
    .orderBy('i.id')
    .limit(limit);
  return rows.map((r) => r.id as number);
}

/** Tells blocked children that their parent failed, so the reason they show is the real one. */
export async function noteParentFailure(db: Db, parentType: ResourceTypeName, parentKey: string, reason: string): Promise<void> {
  await propagateBlocked(db, [{ type: parentType, key: parentKey, text: `${parentType} ${parentKey} failed: ${reason}` }]);
}

/** New reasons for blocked items, each its own: one UPDATE per 500 items. */
async function setBlockedReasons(db: Db, reasons: ReadonlyMap<number, string>): Promise<void> {
  for (const chunk of chunks([...reasons], 500)) {
    await db.raw(
      `UPDATE items SET blocked_by = CASE id ${chunk.map(() => 'WHEN ? THEN ?').join(' ')} END WHERE id IN (${chunk.map(() => '?').join(', ')}) AND status = 'blocked'`,
      [...chunk.flat(), ...chunk.map(([id]) => id)],
    );
  }
}

/**
 * Down the chain (Patient → Encounter → Condition …): every blocked descendant names the cause.
 * One read and at most one write per level, whatever the number of parents.
 */
async function propagateBlocked(db: Db, starts: Array<{ type: string; key: string; text: string }>): Promise<void> {
  let parents = starts;
  for (let depth = 0; depth < 5 && parents.length > 0; depth += 1) {
    const textOf = new Map(parents.map((p) => [keyOf(p.type, p.key), p.text.slice(0, 300)]));
    const children = await db('item_links as l')
      .joinRaw(`STRAIGHT_JOIN items AS i ${PK_ONLY} ON i.id = l.item_id`)
      .select('i.id', 'i.resource_type', 'i.source_key', 'i.blocked_by', 'l.parent_type', 'l.parent_key')
      .where(whereTypedKeys(parents.map((p) => ({ type: p.type as ResourceTypeName, sourceKey: p.key })), 'l.parent_type', 'l.parent_key'))
      .andWhere('i.status', 'blocked');
    // A child of two stuck parents names the first one.
    const reasonOf = new Map<number, { row: (typeof children)[number]; reason: string }>();
    for (const row of children) if (!reasonOf.has(row.id)) reasonOf.set(row.id, { row, reason: textOf.get(keyOf(row.parent_type, row.parent_key))! });
    await setBlockedReasons(db, new Map([...reasonOf].filter(([, c]) => c.row.blocked_by !== c.reason).map(([id, c]) => [id, c.reason])));
    parents = [...reasonOf.values()].map(({ row, reason }) => ({ type: row.resource_type, key: row.source_key, text: `${row.resource_type} ${row.source_key} is blocked: ${reason}` }));
  }
}

/**
 * Items whose worker died mid-send: back to queued with lookup_first, so the next send looks
 * the resource up by identifier instead of creating it twice.
 */
export async function requeueStaleSending(db: Db, staleMs: number): Promise<SendJobData[]> {
  const rows = await db('items')
    .select('id', 'current_revision')
    .where('status', 'sending')
    .andWhere('sending_since', '<', db.raw('NOW(3) - INTERVAL ? MICROSECOND', [staleMs * 1000]))
    .limit(5000);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id as number);
  await db('items')
    .whereIn('id', ids)
    .whereIn('status', movesFrom('takeOverStale', 'queued'))
    .andWhere('sending_since', '<', db.raw('NOW(3) - INTERVAL ? MICROSECOND', [staleMs * 1000]))
    .update({ status: 'queued', lookup_first: true, locked_by: null, sending_since: null, updated_at: db.fn.now(3) });
  return rows.map((r) => ({ itemId: r.id, revision: r.current_revision }));
}

