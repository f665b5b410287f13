// Read side of items for the item list and the detail panel. Every list query is shaped so one
// index answers it (figures at a million items: README "Commands", item list cost):
//   type only              → items_type_id_idx (resource_type, id): already in id order
//   type + status          → items_type_status_idx (resource_type, status, id)
//   type + date [+ status] → items_type_date_status_idx (resource_type, business_date, status, id)
//   search                 → items_type_search_idx (resource_type, search_text) scanned for
//                            LIKE '%q%', plus exact satusehat_id / source_key lookups, as a
//                            UNION of ids; page and total come from that one scan
// Pages are an OFFSET over ids only; rows are fetched afterwards by primary key.
import type { Knex } from 'knex';
import type { Db } from '../connect.js';
import type { ItemRow, ItemStatus } from '../../types/items.js';
import { countFromCounters } from './item-counts-repo.js';
import { containsPattern, dateOrNull, isoOrNull, parseJsonColumn } from './sql-values.js';

export interface ItemFilter {
  type: string;
  statuses?: readonly ItemStatus[];
  /** Business date 'YYYY-MM-DD'. */
  date?: string;
  search?: string;
}

/** An item row with what only the send path reads. */
export interface ItemRecord extends ItemRow {
  lookupFirst: boolean;
}

export interface ItemIssue {
  path: string;
  message: string;
  rule?: string;
}

/** The longest error text a list row carries; the detail view has the full text. */
const LIST_ERROR_CHARS = 500;

const LIST_COLUMNS = [
  'id', 'resource_type', 'source_key', 'status', 'last_http_code', 'error_class', 'satusehat_id', 'business_date', 'summary',
  'blocked_by', 'attempt_count', 'current_revision', 'lookup_first', 'updated_at', 'sent_at',
];

function toRecord(row: Record<string, unknown>): ItemRecord {
  return {
    id: Number(row.id),
    type: String(row.resource_type),
    sourceKey: String(row.source_key),
    status: row.status as ItemStatus,
    httpCode: row.last_http_code === null || row.last_http_code === undefined ? null : Number(row.last_http_code),
    errorClass: (row.error_class as string | null) ?? null,
    satusehatId: (row.satusehat_id as string | null) ?? null,
    businessDate: dateOrNull(row.business_date),
    summary: parseJsonColumn<Record<string, string | null>>(row.summary, {}),
    lastError: (row.last_error as string | null) ?? null,
    blockedBy: (row.blocked_by as string | null) ?? null,
    attemptCount: Number(row.attempt_count ?? 0),
    currentRevision: Number(row.current_revision ?? 0),
    lookupFirst: Boolean(row.lookup_first),
    updatedAt: isoOrNull(row.updated_at) ?? '',
    sentAt: isoOrNull(row.sent_at),
  };
}

function applyFilter(q: Knex.QueryBuilder, f: Omit<ItemFilter, 'search'>): Knex.QueryBuilder {
  q.where('resource_type', f.type);
  if (f.statuses && f.statuses.length === 1) q.where('status', f.statuses[0]!);
  else if (f.statuses && f.statuses.length > 1) q.whereIn('status', [...f.statuses]);
  if (f.date) q.where('business_date', f.date);
  return q;
}

/** The index that walks a filter without search in id order (see the header). */
function indexFor(f: ItemFilter): string {
  if (f.date) return 'items_type_date_status_idx';
  if (f.statuses && f.statuses.length > 0) return 'items_type_status_idx';
  return 'items_type_id_idx';
}

/**
 * Ids matching a filter without search. FORCE INDEX: with ORDER BY id LIMIT, MariaDB otherwise
 * tends to walk the primary key and skip every row of the other types first (2.4 s instead of
 * 1 ms for the first page of Patients at a million items).
 */
function filteredIds(db: Db, f: ItemFilter): Knex.QueryBuilder {
  return applyFilter(db.select('id').from(db.raw('?? FORCE INDEX (??)', ['items', indexFor(f)])), f);
}

/** Ids matching a search: contains on search_text, or exactly the SATUSEHAT id or source key. */
function searchIds(db: Db, f: ItemFilter, search: string): Knex.QueryBuilder {
  const ids = () => applyFilter(db('items').select('id'), f);
  // search_text is stored lower-case; ids are matched exactly (they are not in search_text).
  return ids()
    .where('search_text', 'like', containsPattern(search.toLowerCase()))
    .union([ids().where('satusehat_id', search), ids().where('source_key', search)]);
}

const searchOf = (f: ItemFilter) => f.search?.trim() || null;

/** Without a search, the total comes from the counters (migration 5), not a scan of the index. */
export async function countItems(db: Db, f: ItemFilter): Promise<number> {
  const search = searchOf(f);
  if (!search) return countFromCounters(db, f);
  const q = db.from(searchIds(db, f, search).as('m')).count({ n: '*' });
  const rows = (await q) as Array<{ n: number | string }>;
  return Number(rows[0]?.n ?? 0);
}

/**
 * One page of ids in id order: the OFFSET walks index entries only, never rows. Given the
 * total, a page in the second half is walked from the end, so no OFFSET exceeds half the total.
 */
export async function pageIds(db: Db, f: ItemFilter, limit: number, offset: number, total?: number): Promise<number[]> {
  if (total !== undefined && offset > total / 2 && offset < total) {
    const want = Math.min(limit, total - offset);
    const rows = (await filteredIds(db, f).orderBy('id', 'desc').limit(want).offset(total - offset - want)) as Array<{ id: number }>;
    return rows.map((r) => Number(r.id)).reverse();
  }
  const rows = (await filteredIds(db, f).orderBy('id').limit(limit).offset(offset)) as Array<{ id: number }>;
  return rows.map((r) => Number(r.id));
}

/**
 * A page of a search and the total in one scan (COUNT(*) OVER () sees every match before the
 * LIMIT). total is null when the page is past the end (no row carries it).
 */
export async function searchPage(db: Db, f: ItemFilter, limit: number, offset: number): Promise<{ ids: number[]; total: number | null }> {
  const search = searchOf(f);
  if (!search) throw new Error('searchPage needs a search text');
  const rows = (await db
    .from(searchIds(db, f, search).as('m'))
    .select('id', db.raw('COUNT(*) OVER () AS total'))
    .orderBy('id')
    .limit(limit)
    .offset(offset)) as Array<{ id: number; total: number | string }>;
  return { ids: rows.map((r) => Number(r.id)), total: rows.length > 0 ? Number(rows[0]!.total) : null };
}

/** Ids after `afterId` in id order (keyset), for walking every match of a bulk action. */
export async function nextIds(db: Db, f: ItemFilter, afterId: number, limit: number): Promise<number[]> {
  const search = searchOf(f);
  const q = search ? db.from(searchIds(db, f, search).as('m')).select('id') : filteredIds(db, f);
  const rows = (await q.where('id', '>', afterId).orderBy('id').limit(limit)) as Array<{ id: number }>;
  return rows.map((r) => Number(r.id));
}

/** Rows by primary key, in id order; the error text is cut for list display. */
export async function itemsByIds(db: Db, ids: number[]): Promise<ItemRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db('items')
    .select(LIST_COLUMNS)
    .select(db.raw('LEFT(last_error, ?) AS last_error', [LIST_ERROR_CHARS]))
    .whereIn('id', ids)
    .orderBy('id');
  return rows.map(toRecord);
}

/** One item with its full error text and local validation issues, or null. */
export async function getItem(db: Db, id: number): Promise<(ItemRecord & { issues: ItemIssue[] }) | null> {
  const row = await db('items').select([...LIST_COLUMNS, 'last_error', 'issues']).where('id', id).first();
  if (!row) return null;
  return { ...toRecord(row), issues: parseJsonColumn<ItemIssue[]>(row.issues, []) };
}

export interface RevisionRecord {
  revision: number;
  method: string;
  path: string;
  body: unknown;
  createdBy: string;
  edited: boolean;
  createdAt: string;
}

/** Every request revision of an item, newest first. */
export async function listRevisions(db: Db, itemId: number): Promise<RevisionRecord[]> {
  const rows = await db('request_revisions')
    .select('revision', 'method', 'path', 'body', 'created_by', 'edited', 'created_at')
    .where('item_id', itemId)
    .orderBy('revision', 'desc');
  return rows.map((r) => ({
    revision: Number(r.revision),
    method: String(r.method),
    path: String(r.path),
    body: parseJsonColumn<unknown>(r.body, null),
    createdBy: String(r.created_by),
    edited: Boolean(r.edited),
    createdAt: isoOrNull(r.created_at) ?? '',
  }));
}

export interface AttemptRecordView {
  id: number;
  revision: number;
  method: string;
  url: string;
  requestBody: unknown;
  /** Raw text as SATUSEHAT sent it. */
  responseText: string | null;
  httpCode: number | null;
  durationMs: number;
  errorClass: string | null;
  errorMessage: string | null;
  ruleNumbers: string[];
  worker: string | null;
  startedAt: string;
  finishedAt: string;
}

/** The newest attempts of an item (attempts_item_idx), newest first. */
export async function listAttempts(db: Db, itemId: number, limit: number): Promise<AttemptRecordView[]> {
  const rows = await db('attempts')
    .select('id', 'revision', 'method', 'url', 'request_body', 'response_body', 'http_code', 'duration_ms', 'error_class', 'error_message', 'rule_numbers', 'worker', 'started_at', 'finished_at')
    .where('item_id', itemId)
    .orderBy('id', 'desc')
    .limit(limit);
  return rows.map((r) => ({
    id: Number(r.id),
    revision: Number(r.revision),
    method: String(r.method),
    url: String(r.url),
    requestBody: parseJsonColumn<unknown>(r.request_body, null),
    responseText: r.response_body === null || r.response_body === undefined ? null : String(r.response_body),
    httpCode: r.http_code === null || r.http_code === undefined ? null : Number(r.http_code),
    durationMs: Number(r.duration_ms ?? 0),
    errorClass: r.error_class ?? null,
    errorMessage: r.error_message ?? null,
    ruleNumbers: r.rule_numbers ? String(r.rule_numbers).split(',').filter(Boolean) : [],
    worker: r.worker ?? null,
    startedAt: isoOrNull(r.started_at) ?? '',
    finishedAt: isoOrNull(r.finished_at) ?? '',
  }));
}

/** Which of these (type, source key) parents exist as items; keys are `${type}\0${key}`. */
export async function existingParents(db: Db, refs: Array<{ type: string; sourceKey: string }>): Promise<Set<string>> {
  const found = new Set<string>();
  const byType = new Map<string, string[]>();
  for (const r of refs) byType.set(r.type, [...(byType.get(r.type) ?? []), r.sourceKey]);
  for (const [type, keys] of byType) {
    const rows = await db('items').select('source_key').where('resource_type', type).whereIn('source_key', keys);
    for (const row of rows) found.add(`${type}\u0000${row.source_key}`);
  }
  return found;
}
