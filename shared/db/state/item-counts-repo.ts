// Folds the trigger-written rows of item_count_deltas into item_counts (migrations 5 and 7).
// Readers stay exact without it; folding only keeps their statement small.
import type { Db } from '../connect.js';
import { NO_BUSINESS_DATE } from '../../../migrations/20261127000005_create_item_counts.js';

export { NO_BUSINESS_DATE };

const FOLD_BATCH = 100_000;
const FOLD_LOCK = "CONCAT('satusehat_item_counts:', DATABASE())";

/**
 * Moves pending deltas into item_counts, in batches, one transaction each. One folder at a time
 * per state DB (a named lock): two folders would both read the same deltas before either
 * deleted them. Returns the number of delta rows folded (0 when another process holds the lock).
 */
export async function foldItemCounts(db: Db): Promise<number> {
  let folded = 0;
  for (;;) {
    const n: number = await db.transaction(async (trx): Promise<number> => {
      const [lockRows] = (await trx.raw(`SELECT GET_LOCK(${FOLD_LOCK}, 0) AS got`)) as [Array<{ got: number | null }>];
      if (Number(lockRows[0]?.got) !== 1) return -1;
      try {
        const [idRows] = (await trx.raw('SELECT id FROM item_count_deltas ORDER BY id LIMIT 1 OFFSET ?', [FOLD_BATCH - 1])) as [Array<{ id: number }>];
        const upTo = idRows[0]?.id ?? Number.MAX_SAFE_INTEGER;
        // INSERT … SELECT reads the deltas with shared locks, i.e. the latest committed rows, and
        // keeps them until the DELETE below: exactly the rows added are the rows removed. A row
        // with from_status (one status change, migration 7) is +n for status, -n for from_status.
        for (const [status, n, lastSent, where] of [['status', 'n', 'last_sent_at', ''], ['from_status', '-n', 'NULL', 'AND from_status IS NOT NULL']]) {
          await trx.raw(
            `INSERT INTO item_counts (resource_type, date_key, status, n, last_sent_at)
             SELECT resource_type, COALESCE(business_date, ?), ${status}, SUM(${n}), MAX(${lastSent})
             FROM item_count_deltas WHERE id <= ? ${where} GROUP BY resource_type, COALESCE(business_date, ?), ${status}
             ON DUPLICATE KEY UPDATE n = n + VALUES(n),
               last_sent_at = GREATEST(COALESCE(last_sent_at, VALUES(last_sent_at)), COALESCE(VALUES(last_sent_at), last_sent_at))`,
            [NO_BUSINESS_DATE, upTo, NO_BUSINESS_DATE],
          );
        }
        return await trx('item_count_deltas').where('id', '<=', upTo).del();
      } finally {
        await trx.raw(`SELECT RELEASE_LOCK(${FOLD_LOCK})`);
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

interface CounterFilter {
  type?: string;
  statuses?: readonly string[];
  /** Business dates to include; null stands for master data (no business date). */
  dates?: ReadonlyArray<string | null>;
}

/**
 * The folded counts and the pending deltas that match a filter, as one UNION ALL: whatever a
 * reader sums over it is exact, folded or not.
 */
function countersUnion(f: CounterFilter): { sql: string; bindings: unknown[] } {
  const side = (table: 'item_counts' | 'item_count_deltas' | 'from_status') => {
    const parts: string[] = table === 'from_status' ? ['from_status IS NOT NULL'] : [];
    const bindings: unknown[] = [];
    const statusColumn = table === 'from_status' ? 'from_status' : 'status';
    if (f.type) {
      parts.push('resource_type = ?');
      bindings.push(f.type);
    }
    if (f.statuses && f.statuses.length > 0) {
      parts.push(`${statusColumn} IN (${f.statuses.map(() => '?').join(', ')})`);
      bindings.push(...f.statuses);
    }
    if (f.dates) {
      if (table === 'item_counts') {
        parts.push(`date_key IN (${f.dates.map(() => '?').join(', ')})`);
        bindings.push(...f.dates.map((d) => d ?? NO_BUSINESS_DATE));
      } else {
        const dated = f.dates.filter((d): d is string => d !== null);
        const alternatives = [...dated.map(() => 'business_date = ?'), ...(dated.length < f.dates.length ? ['business_date IS NULL'] : [])];
        parts.push(`(${alternatives.join(' OR ')})`);
        bindings.push(...dated);
      }
    }
    const columns = table === 'from_status' ? 'resource_type, from_status AS status, -n AS n, NULL AS last_sent_at' : 'resource_type, status, n, last_sent_at';
    const from = table === 'from_status' ? 'item_count_deltas' : table;
    return { sql: `SELECT ${columns} FROM ${from}${parts.length > 0 ? ` WHERE ${parts.join(' AND ')}` : ''}`, bindings };
  };
  const sides = [side('item_counts'), side('item_count_deltas'), side('from_status')];
  return { sql: sides.map((s) => s.sql).join(' UNION ALL '), bindings: sides.flatMap((s) => s.bindings) };
}

/** Items per type and status; with a date, dated items of that date plus all master data. */
export async function readItemCounts(db: Db, date?: string): Promise<CountRow[]> {
  const union = countersUnion(date ? { dates: [date, null] } : {});
  const [rows] = (await db.raw(
    `SELECT resource_type, status, SUM(n) AS n, MAX(last_sent_at) AS last_sent FROM (${union.sql}) AS c
     GROUP BY resource_type, status HAVING SUM(n) > 0`,
    union.bindings as never,
  )) as [CountRow[]];
  return rows;
}

/** How many items of one type match statuses and a business date, from the counters. */
export async function countFromCounters(db: Db, f: { type: string; statuses?: readonly string[]; date?: string }): Promise<number> {
  const union = countersUnion({ type: f.type, statuses: f.statuses, dates: f.date ? [f.date] : undefined });
  const [rows] = (await db.raw(`SELECT COALESCE(SUM(n), 0) AS n FROM (${union.sql}) AS c`, union.bindings as never)) as [Array<{ n: number | string }>];
  return Number(rows[0]?.n ?? 0);
}
