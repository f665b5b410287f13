// Folds the trigger-written +1/-1 rows of item_count_deltas into item_counts (migration 5).
// Readers stay exact without it; folding only keeps their statement small.
import type { Db } from '../connect.js';
import { NO_BUSINESS_DATE } from '../../../migrations/20261127000005_create_item_counts.js';

export { NO_BUSINESS_DATE };

const FOLD_BATCH = 100_000;

/**
 * Moves pending deltas into item_counts, in batches, one transaction each. One folder at a time
 * per state DB (a named lock): two folders would both read the same deltas before either
 * deleted them. Returns the number of delta rows folded (0 when another process holds the lock).
 */
export async function foldItemCounts(db: Db): Promise<number> {
  let folded = 0;
  for (;;) {
    const n: number = await db.transaction(async (trx): Promise<number> => {
      const [lockRows] = (await trx.raw("SELECT GET_LOCK(CONCAT('satusehat_item_counts:', DATABASE()), 0) AS got")) as [Array<{ got: number | null }>];
      if (Number(lockRows[0]?.got) !== 1) return -1;
      try {
        const [idRows] = (await trx.raw('SELECT id FROM item_count_deltas ORDER BY id LIMIT 1 OFFSET ?', [FOLD_BATCH - 1])) as [Array<{ id: number }>];
        const upTo = idRows[0]?.id ?? Number.MAX_SAFE_INTEGER;
        // INSERT … SELECT reads the deltas with shared locks, i.e. the latest committed rows, and
        // keeps them until the DELETE below: exactly the rows added are the rows removed.
        await trx.raw(
          `INSERT INTO item_counts (resource_type, date_key, status, n, last_sent_at)
           SELECT resource_type, COALESCE(business_date, ?), status, SUM(n), MAX(last_sent_at)
           FROM item_count_deltas WHERE id <= ? GROUP BY resource_type, COALESCE(business_date, ?), status
           ON DUPLICATE KEY UPDATE n = n + VALUES(n),
             last_sent_at = GREATEST(COALESCE(last_sent_at, VALUES(last_sent_at)), COALESCE(VALUES(last_sent_at), last_sent_at))`,
          [NO_BUSINESS_DATE, upTo, NO_BUSINESS_DATE],
        );
        return await trx('item_count_deltas').where('id', '<=', upTo).del();
      } finally {
        await trx.raw("SELECT RELEASE_LOCK(CONCAT('satusehat_item_counts:', DATABASE()))");
      }
    });
    if (n < 0) return folded;
    folded += n;
    if (n < FOLD_BATCH) return folded;
  }
}

/** Deltas beyond which a reader folds first (no daemon running to do it). */
const READER_FOLD_BACKLOG = 20_000;

/**
 * Folds when many deltas wait, e.g. with no daemon running while SQL or a bulk CLI action moved
 * items: readers then stay fast. Cheap to ask (the ends of the primary key).
 */
export async function foldIfBacklogged(db: Db): Promise<void> {
  const [rows] = (await db.raw('SELECT MIN(id) AS lo, MAX(id) AS hi FROM item_count_deltas')) as [Array<{ lo: number | null; hi: number | null }>];
  const { lo, hi } = rows[0] ?? { lo: null, hi: null };
  if (lo !== null && hi !== null && Number(hi) - Number(lo) >= READER_FOLD_BACKLOG) await foldItemCounts(db);
}

export interface CountRow {
  resource_type: string;
  status: string;
  n: number | string;
  last_sent: string | Date | null;
}

/** Items per type and status from the folded counts plus the pending deltas, in one statement. */
export async function readItemCounts(db: Db, date?: string): Promise<CountRow[]> {
  const countsWhere = date ? 'WHERE date_key IN (?, ?)' : '';
  const deltasWhere = date ? 'WHERE business_date = ? OR business_date IS NULL' : '';
  const bindings = date ? [date, NO_BUSINESS_DATE, date] : [];
  const [rows] = (await db.raw(
    `SELECT resource_type, status, SUM(n) AS n, MAX(last_sent_at) AS last_sent FROM (
       SELECT resource_type, status, n, last_sent_at FROM item_counts ${countsWhere}
       UNION ALL
       SELECT resource_type, status, n, last_sent_at FROM item_count_deltas ${deltasWhere}
     ) AS c GROUP BY resource_type, status HAVING SUM(n) > 0`,
    bindings,
  )) as [CountRow[]];
  return rows;
}

/** How many items of one type match statuses and a business date, from the counters. */
export async function countFromCounters(db: Db, f: { type: string; statuses?: readonly string[]; date?: string }): Promise<number> {
  const where = (dateColumn: string) => {
    const parts = ['resource_type = ?'];
    const bindings: unknown[] = [f.type];
    if (f.statuses && f.statuses.length > 0) {
      parts.push(`status IN (${f.statuses.map(() => '?').join(', ')})`);
      bindings.push(...f.statuses);
    }
    if (f.date) {
      parts.push(`${dateColumn} = ?`);
      bindings.push(f.date);
    }
    return { sql: parts.join(' AND '), bindings };
  };
  const counts = where('date_key');
  const deltas = where('business_date');
  const [rows] = (await db.raw(
    `SELECT COALESCE(SUM(n), 0) AS n FROM (
       SELECT n FROM item_counts WHERE ${counts.sql}
       UNION ALL
       SELECT n FROM item_count_deltas WHERE ${deltas.sql}
     ) AS c`,
    [...counts.bindings, ...deltas.bindings] as never,
  )) as [Array<{ n: number | string }>];
  return Number(rows[0]?.n ?? 0);
}
