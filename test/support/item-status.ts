// Puts test items in a status the way the system could: along declared transitions only (the
// database refuses any other change), by the shortest path from where each item is.
import type { Db } from '../../shared/db/connect.js';
import { ALL_STATUSES, isAllowedChange } from '../../shared/db/state/items/transitions.js';
import type { ItemStatus } from '../../shared/types/items.js';

function pathTo(from: ItemStatus, to: ItemStatus): ItemStatus[] {
  const previous = new Map<ItemStatus, ItemStatus | null>([[from, null]]);
  const queue: ItemStatus[] = [from];
  while (queue.length > 0) {
    const at = queue.shift()!;
    if (at === to) break;
    for (const next of ALL_STATUSES) {
      if (previous.has(next) || !isAllowedChange(at, next)) continue;
      previous.set(next, at);
      queue.push(next);
    }
  }
  if (!previous.has(to)) throw new Error(`no declared path from ${from} to ${to}`);
  const steps: ItemStatus[] = [];
  for (let at: ItemStatus | null = to; at !== null && at !== from; at = previous.get(at)!) steps.unshift(at);
  return steps;
}

/** Moves the items to `status` step by step; `extra` columns are set with the last step. */
export async function moveItemsTo(db: Db, ids: number[], status: ItemStatus, extra: Record<string, unknown> = {}): Promise<void> {
  const rows: Array<{ id: number; status: ItemStatus }> = await db('items').select('id', 'status').whereIn('id', ids);
  if (rows.length !== ids.length) throw new Error(`moveItemsTo: ${ids.length - rows.length} of the items do not exist`);
  for (const row of rows) {
    const steps = pathTo(row.status, status);
    for (const [i, step] of steps.entries()) await db('items').where('id', row.id).update({ status: step, ...(i === steps.length - 1 ? extra : {}) });
    if (steps.length === 0 && Object.keys(extra).length > 0) await db('items').where('id', row.id).update(extra);
  }
}
