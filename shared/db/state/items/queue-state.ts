// Which items need a send job, and how much is in process.
import type { Knex } from 'knex';
import type { Db } from '../../connect.js';
import { withDeadlockRetry } from '../../retry.js';
import type { ItemStatus, SendJobData } from '../../../types/items.js';
import { movesFrom } from './transitions.js';

/** After jobs were added: not_sent → queued. Items a worker already took are left alone. */
export async function markQueued(db: Db, itemIds: number[]): Promise<void> {
  for (let i = 0; i < itemIds.length; i += 1000) {
    const chunk = itemIds.slice(i, i + 1000);
    await withDeadlockRetry(() => db('items').whereIn('id', chunk).whereIn('status', movesFrom('queue', 'queued')).update({ status: 'queued', updated_at: db.fn.now(3) }));
  }
}


/**
 * `checking` items whose look-up is due, oldest due first: queued (`check`) with the revision the
 * look-up is for, so that their job only asks SATUSEHAT. Returns their jobs.
 */
export async function queueDueChecks(db: Db, limit: number): Promise<SendJobData[]> {
  return withDeadlockRetry(() =>
    db.transaction(async (trx) => {
      const rows: Array<{ id: number; current_revision: number }> = await trx('items')
        .select('id', 'current_revision')
        .whereIn('status', movesFrom('check', 'queued'))
        .andWhere('check_after', '<=', trx.raw('NOW(3)'))
        .orderBy('check_after')
        .limit(limit)
        .forUpdate();
      if (rows.length === 0) return [];
      await trx('items').whereIn('id', rows.map((r) => r.id)).update({ status: 'queued', check_revision: trx.raw('current_revision'), updated_at: trx.fn.now(3) });
      return rows.map((r) => ({ itemId: r.id, revision: r.current_revision }));
    }),
  );
}

/** How many items wait for a look-up of an unknown outcome, and when the next one is due. */
export async function checkingSummary(db: Db): Promise<{ count: number; nextAt: Date | null }> {
  const row = (await db('items').where('status', 'checking').first(db.raw('COUNT(*) AS n'), db.raw('MIN(check_after) AS next_at'))) as { n: number | string; next_at: Date | null } | undefined;
  return { count: Number(row?.n ?? 0), nextAt: row?.next_at ?? null };
}

/**
 * Items that should have a job: not_sent, or queued for longer than minAgeMs. With minAgeMs null
 * only not_sent ones (read through the status index: a few among a backlog of queued items).
 */
export async function dueItems(db: Db, minAgeMs: number | null, afterId: number, limit: number): Promise<SendJobData[]> {
  const query: Knex.QueryBuilder =
    minAgeMs === null
      ? db.from(db.raw('items FORCE INDEX (items_status_updated_idx)')).where('status', 'not_sent')
      : db('items').where((q) => q.where('status', 'not_sent').orWhere((q2) => q2.where('status', 'queued').andWhere('updated_at', '<', db.raw('NOW(3) - INTERVAL ? MICROSECOND', [minAgeMs * 1000]))));
  const rows: Array<{ id: number; current_revision: number }> = await query
    .select('id', 'current_revision')
    .andWhere('id', '>', afterId)
    .orderBy('id')
    .limit(limit);
  return rows.map((r) => ({ itemId: r.id, revision: r.current_revision }));
}

export async function countInProcess(db: Db): Promise<{ queued: number; sending: number; notSent: number }> {
  const rows: Array<{ status: string; n: number | string }> = await db('items').select('status').count({ n: '*' }).whereIn('status', ['queued', 'sending', 'not_sent']).groupBy('status');
  const get = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  return { queued: get('queued'), sending: get('sending'), notSent: get('not_sent') };
}

/**
 * Which of queued, sending and not sent has any item (1 or 0 each): three index probes, where
 * countInProcess counts every such item (all of a backlog). For loops that poll.
 */
export async function workInProcess(db: Db): Promise<{ queued: number; sending: number; notSent: number }> {
  const probe = (status: ItemStatus) => `EXISTS (SELECT 1 FROM items WHERE status = '${status}')`;
  const [rows] = (await db.raw(`SELECT ${probe('queued')} AS queued, ${probe('sending')} AS sending, ${probe('not_sent')} AS not_sent`)) as [Array<Record<string, number>>];
  const row = rows[0]!;
  return { queued: Number(row.queued), sending: Number(row.sending), notSent: Number(row.not_sent) };
}

/** Whether any item outside `types` is still queued, sending or not sent. */
export async function hasWorkOutside(db: Db, types: readonly string[]): Promise<boolean> {
  const row = await db('items').first('id').whereIn('status', ['queued', 'sending', 'not_sent']).whereNotIn('resource_type', [...types]);
  return row !== undefined;
}

