// Keyset pagination shared by the source readers: `WHERE id > ? ORDER BY id LIMIT ?`, never OFFSET,
// so every page costs the same however deep into a million rows the reader is.
import type { Knex } from 'knex';

export interface ReadOptions {
  /** Rows per batch (default 1000, at most 10,000). */
  batchSize?: number;
  /** Resume after this id (exclusive). */
  afterId?: number;
  /**
   * Only rows whose updated_at is at or after this local time ('YYYY-MM-DD' or
   * 'YYYY-MM-DD HH:mm:ss'). Inclusive, so a run that stopped on a boundary re-reads, never skips.
   */
  updatedSince?: string;
  /**
   * Only rows whose `column` (a qualified column of the reader's query, e.g. 'd.visit_id') is one
   * of `ids`: the visit summary reads its visit's rows through the types' own readers.
   */
  only?: { column: string; ids: readonly number[] };
}

export interface ResolvedReadOptions {
  batchSize: number;
  afterId: number;
  updatedSince: string | null;
}

export const DEFAULT_READ_BATCH = 1000;
const MAX_READ_BATCH = 10_000;

export function resolveReadOptions(options: ReadOptions = {}): ResolvedReadOptions {
  const batchSize = options.batchSize ?? DEFAULT_READ_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_READ_BATCH) throw new Error(`batchSize must be an integer from 1 to ${MAX_READ_BATCH}, got ${batchSize}`);
  const afterId = options.afterId ?? 0;
  if (!Number.isSafeInteger(afterId) || afterId < 0) throw new Error(`afterId must be a non-negative integer, got ${afterId}`);
  const since = options.updatedSince ?? null;
  if (since !== null && !/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/.test(since)) throw new Error(`updatedSince must be 'YYYY-MM-DD' or 'YYYY-MM-DD HH:mm:ss', got ${since}`);
  return { batchSize, afterId, updatedSince: since === null || since.length > 10 ? since : `${since} 00:00:00` };
}

/** Restricts a page query to rows changed at or after `since` (a row whose parts live in several tables). */
export type ChangedSince = (query: Knex.QueryBuilder, since: string) => void;

/**
 * Streams `build(afterId)` page by page. `build` returns the query for rows after the given id
 * (already filtered); this adds the key condition, the order and the limit. `updated` is the
 * updated_at column, or a filter of its own when a row's parts live in several tables.
 */
export async function* keysetPages<Raw extends { id: unknown }, Row>(
  options: ReadOptions | undefined,
  idColumn: string,
  updated: string | ChangedSince,
  build: () => Knex.QueryBuilder,
  toRow: (raw: Raw) => Row,
): AsyncGenerator<Row[]> {
  const { batchSize, afterId, updatedSince } = resolveReadOptions(options);
  const only = options?.only;
  if (only && only.ids.length === 0) return;
  let cursor = afterId;
  for (;;) {
    const query = build().where(idColumn, '>', cursor).orderBy(idColumn, 'asc').limit(batchSize);
    if (updatedSince !== null) {
      if (typeof updated === 'string') query.where(updated, '>=', updatedSince);
      else updated(query, updatedSince);
    }
    if (only) query.whereIn(only.column, only.ids as number[]);
    const raws = (await query) as Raw[];
    if (raws.length === 0) return;
    const last = raws[raws.length - 1] as Raw;
    cursor = Number(last.id);
    yield raws.map(toRow);
    if (raws.length < batchSize) return;
  }
}
