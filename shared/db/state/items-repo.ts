// The items, their request revisions and parent links. Status changes are compare-and-set so
// two workers, or a worker and the reconciler, can never both own an item.
import type { Knex } from 'knex';
import type { Db } from '../connect.js';
import { affectedRows, rowsOf, runStatements, statementOf } from '../one-trip.js';
import { withDeadlockRetry } from '../retry.js';
import { sqlLiteral } from './sql-values.js';
import { RESOURCE_TYPES, type BuiltRequest, type MapIssue, type ParentRef, type ResourceTypeName } from '../../fhir/types.js';
import type { ItemStatus, SendJobData } from '../../types/items.js';

/** A mapper result prepared for storage (hash and search text computed by the caller). */
export interface MappedItem {
  sourceKey: string;
  businessDate: string | null;
  summary: Record<string, string | null>;
  searchText: string;
  hash: string;
  request: BuiltRequest | null;
  /**
   * JSON.stringify(request.body), when the caller has it already; request.body may then be null,
   * so that the object graph is garbage while still young instead of surviving the write.
   */
  bodyJson?: string;
  parents: ParentRef[];
  issues: MapIssue[];
}

export interface ApplyResult {
  inserted: number;
  changed: number;
  unchanged: number;
  invalid: number;
  blocked: number;
  /** Items that are ready to send and now need a job. */
  ready: SendJobData[];
}

export interface ParentState {
  status: ItemStatus;
  satusehatId: string | null;
  /** The name SATUSEHAT returned for a looked-up person (censored), used as reference display. */
  display: string | null;
  lastError: string | null;
  blockedBy: string | null;
}

const keyOf = (type: string, key: string) => `${type}\u0000${key}`;

/**
 * `(typeColumn = ? AND keyColumn IN (...)) OR …`, one branch per type: each a range on a
 * (type, key) index, where a row-constructor IN list is not range-optimised by MariaDB.
 */
export function whereTypedKeys(refs: Iterable<ParentRef>, typeColumn: string, keyColumn: string) {
  const byType = new Map<string, Set<string>>();
  for (const r of refs) byType.set(r.type, (byType.get(r.type) ?? new Set()).add(r.sourceKey));
  return (q: Knex.QueryBuilder) => {
    for (const [type, keys] of byType) q.orWhere((q2) => q2.where(typeColumn, type).whereIn(keyColumn, [...keys]));
  };
}

/** The columns of an item read as a parent's state. */
export interface ParentStateRow {
  status: ItemStatus;
  satusehat_id: string | null;
  satusehat_display?: string | null;
  last_error: string | null;
  blocked_by: string | null;
}

export function toParentState(row: ParentStateRow): ParentState {
  return { status: row.status, satusehatId: row.satusehat_id ?? null, display: row.satusehat_display ?? null, lastError: row.last_error ?? null, blockedBy: row.blocked_by ?? null };
}

/**
 * `lock` (in a transaction): the parents found are then read again by id under shared locks, so
 * their states stay as read until it commits. By id, not by key: a locking read of a key that does
 * not exist would lock the gap where it would go, and concurrent batches inserting next to it
 * could deadlock.
 */
async function loadParentStates(db: Db | Knex.Transaction, refs: ParentRef[], lock = false): Promise<Map<string, ParentState>> {
  const states = new Map<string, ParentState>();
  const unique = [...new Map(refs.map((r) => [keyOf(r.type, r.sourceKey), r])).values()];
  const columns = ['id', 'resource_type', 'source_key', 'status', 'satusehat_id', 'satusehat_display', 'last_error', 'blocked_by'];
  // One statement for every type, at most 1000 keys per statement.
  for (let i = 0; i < unique.length; i += 1000) {
    let rows = await db('items').select(columns).where(whereTypedKeys(unique.slice(i, i + 1000), 'resource_type', 'source_key'));
    if (lock && rows.length > 0) rows = await db.from(db.raw(`items ${PK_ONLY}`)).select(columns).whereIn('id', rows.map((r) => r.id as number)).forShare();
    for (const row of rows) states.set(keyOf(row.resource_type, row.source_key), toParentState(row));
  }
  return states;
}

const STUCK = / (is )?(failed|invalid)|is blocked: /;

/** Why an item cannot be sent yet, or null when every parent has a SATUSEHAT id. */
export function blockedReason(parents: ParentRef[], states: Map<string, ParentState>): string | null {
  // A parent that can never be sent as things stand (failed, invalid, or itself stuck) is the
  // real reason, whatever else is still pending: say that first.
  for (const parent of parents) {
    const state = states.get(keyOf(parent.type, parent.sourceKey));
    const name = `${parent.type} ${parent.sourceKey}`;
    if (!state) return `${name} is not in the source data`;
    if (state.status === 'failed' || state.status === 'invalid') return `${name} is ${state.status}: ${(state.lastError ?? 'see that item').slice(0, 200)}`.slice(0, 300);
    if (state.status === 'blocked' && state.blockedBy && STUCK.test(state.blockedBy)) return `${name} is blocked: ${state.blockedBy}`.slice(0, 300);
  }
  // Otherwise the nearest pending parent (Encounter before Patient): the reason then names what
  // the item really waits for and need not be rewritten each time a more distant parent is sent.
  const nearestFirst = [...parents].sort((a, b) => RESOURCE_TYPES.indexOf(b.type) - RESOURCE_TYPES.indexOf(a.type));
  for (const parent of nearestFirst) {
    const state = states.get(keyOf(parent.type, parent.sourceKey))!;
    if (state.status === 'sent' && state.satusehatId) continue;
    return `waiting for ${parent.type} ${parent.sourceKey} to be sent`;
  }
  return null;
}

function issuesText(issues: MapIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}

export interface ApplyOptions {
  /**
   * The caller expects every item to be new (its type had no items when the pass started): the
   * batch is inserted without looking for existing rows. If one exists after all, the insert
   * fails on the unique key, the transaction is rolled back and the batch goes the normal way.
   */
  expectNew?: boolean;
}

/**
 * Stores one batch of mapped source rows of one type: new rows become items with revision 1,
 * rows whose mapped output changed get a new revision, unchanged rows are left alone.
 */
export async function applyMappedBatch(db: Db, type: ResourceTypeName, batch: MappedItem[], options: ApplyOptions = {}): Promise<ApplyResult> {
  if (options.expectNew && batch.length > 0) {
    try {
      return await withDeadlockRetry(() => applyMappedBatchOnce(db, type, batch, true));
    } catch (err) {
      if ((err as { code?: string }).code !== 'ER_DUP_ENTRY') throw err;
    }
  }
  return withDeadlockRetry(() => applyMappedBatchOnce(db, type, batch, false));
}

interface AutoIncrement {
  /** Whether one multi-row INSERT gets consecutive ids (innodb_autoinc_lock_mode 0 or 1). */
  consecutive: boolean;
  step: number;
}

const autoIncrementOf = new WeakMap<Db, Promise<AutoIncrement>>();

/**
 * innodb_autoinc_lock_mode is fixed at server start; with 0 or 1 a multi-row INSERT with known
 * row count ("simple insert") gets ids first, first + step, … With 2 (MySQL 8's default) ids of
 * concurrent inserts interleave, and the ids must be read back.
 */
function autoIncrement(db: Db): Promise<AutoIncrement> {
  let known = autoIncrementOf.get(db);
  if (!known) {
    known = db.raw('SELECT @@innodb_autoinc_lock_mode AS mode, @@auto_increment_increment AS step').then(([rows]) => {
      const row = (rows as Array<{ mode: number | string; step: number | string }>)[0]!;
      return { consecutive: Number(row.mode) === 0 || Number(row.mode) === 1, step: Number(row.step) };
    });
    known.catch(() => autoIncrementOf.delete(db));
    autoIncrementOf.set(db, known);
  }
  return known;
}

type SqlValue = string | number | boolean | null;

/** One multi-row INSERT as a single SQL string (no per-value bindings). */
async function insertRows(trx: Knex.Transaction, table: string, columns: string[], rows: SqlValue[][], ignore = false): Promise<{ insertId: number; affectedRows: number }> {
  const values = rows.map((row) => `(${row.map(sqlLiteral).join(',')})`).join(',');
  const [result] = (await trx.raw(`INSERT${ignore ? ' IGNORE' : ''} INTO ${table} (${columns.join(',')}) VALUES ${values}`)) as [{ insertId: number; affectedRows: number }];
  return result;
}

const ITEM_COLUMNS = ['resource_type', 'source_key', 'current_revision', 'status', 'blocked_by', 'business_date', 'source_hash', 'summary', 'search_text', 'issues', 'last_error', 'error_class'];
const REVISION_COLUMNS = ['item_id', 'revision', 'method', 'path', 'body', 'created_by', 'edited'];
const LINK_COLUMNS = ['item_id', 'parent_type', 'parent_key'];

async function applyMappedBatchOnce(db: Db, type: ResourceTypeName, batch: MappedItem[], assumeNew: boolean): Promise<ApplyResult> {
  const result: ApplyResult = { inserted: 0, changed: 0, unchanged: 0, invalid: 0, blocked: 0, ready: [] };
  if (batch.length === 0) return result;
  const autoInc = await autoIncrement(db);

  await db.transaction(async (trx) => {
    // Read with shared locks in the transaction that stores the items: a parent cannot become
    // sent between this read and the commit, so its release (after its own commit) sees every
    // child stored here as blocked. Read before it, a parent sent meanwhile would leave them
    // blocked with nothing left to release them.
    const parentStates = await loadParentStates(trx, batch.flatMap((m) => m.parents), true);
    const existing = new Map<string, { id: number; source_hash: string | null; current_revision: number; status: ItemStatus }>();
    if (!assumeNew) {
      const rows = await trx('items')
        .select('id', 'source_key', 'source_hash', 'current_revision', 'status')
        .where('resource_type', type)
        .whereIn('source_key', batch.map((m) => m.sourceKey));
      for (const row of rows) existing.set(row.source_key, row);
    }

    const fresh = batch.filter((m) => !existing.has(m.sourceKey));
    const changed = batch.filter((m) => {
      const row = existing.get(m.sourceKey);
      return row !== undefined && row.source_hash !== m.hash;
    });
    result.unchanged = batch.length - fresh.length - changed.length;

    const statusOf = (m: MappedItem) => {
      if (!m.request) return { status: 'invalid' as const, blockedBy: null };
      const reason = blockedReason(m.parents, parentStates);
      return reason ? { status: 'blocked' as const, blockedBy: reason } : { status: 'not_sent' as const, blockedBy: null };
    };
    const columnsOf = (m: MappedItem) => {
      const { status, blockedBy } = statusOf(m);
      if (status === 'invalid') result.invalid += 1;
      if (status === 'blocked') result.blocked += 1;
      return {
        status,
        blocked_by: blockedBy,
        business_date: m.businessDate,
        source_hash: m.hash,
        summary: JSON.stringify(m.summary),
        search_text: m.searchText.slice(0, 400),
        issues: m.issues.length > 0 ? JSON.stringify(m.issues) : null,
        last_error: m.issues.length > 0 ? issuesText(m.issues).slice(0, 60_000) : null,
        error_class: m.issues.length > 0 ? 'invalid' : null,
        last_http_code: null,
      };
    };

    // What each touched item is now: its id, current revision and status as written below.
    const stored = new Map<string, { id: number; current_revision: number; status: ItemStatus }>();
    if (fresh.length > 0) {
      const rows = fresh.map((m) => {
        const c = columnsOf(m);
        stored.set(m.sourceKey, { id: 0, current_revision: m.request ? 1 : 0, status: c.status });
        return [type, m.sourceKey, m.request ? 1 : 0, c.status, c.blocked_by, c.business_date, c.source_hash, c.summary, c.search_text, c.issues, c.last_error, c.error_class];
      });
      // The counters get one delta row per (date, status) of the batch instead of one per item
      // from the trigger (migration 6), in this transaction, so they stay exact.
      await trx.raw('SET @satusehat_counted_by_caller = 1');
      let inserted: { insertId: number; affectedRows: number };
      try {
        inserted = await insertRows(trx, 'items', ITEM_COLUMNS, rows);
      } finally {
        await trx.raw('SET @satusehat_counted_by_caller = NULL');
      }
      const groups = new Map<string, SqlValue[]>();
      for (const row of rows) {
        const [, , , status, , businessDate] = row;
        const group = groups.get(`${businessDate}\u0000${status}`);
        if (group) group[3] = (group[3] as number) + 1;
        else groups.set(`${businessDate}\u0000${status}`, [type, businessDate!, status!, 1]);
      }
      await insertRows(trx, 'item_count_deltas', ['resource_type', 'business_date', 'status', 'n'], [...groups.values()]);
      if (inserted.affectedRows !== fresh.length) throw new Error(`inserted ${inserted.affectedRows} of ${fresh.length} items`);
      if (autoInc.consecutive) {
        fresh.forEach((m, i) => (stored.get(m.sourceKey)!.id = inserted.insertId + i * autoInc.step));
      } else {
        const ids = await trx('items').select('id', 'source_key').where('resource_type', type).whereIn('source_key', fresh.map((m) => m.sourceKey));
        for (const r of ids) stored.get(r.source_key)!.id = r.id;
      }
      result.inserted = fresh.length;
    }
    for (const m of changed) {
      const row = existing.get(m.sourceKey)!;
      const columns = columnsOf(m);
      const revision = m.request ? row.current_revision + 1 : row.current_revision;
      await trx('items')
        .where('id', row.id)
        .update({ ...columns, current_revision: revision, updated_at: trx.fn.now(3) });
      stored.set(m.sourceKey, { id: row.id, current_revision: revision, status: columns.status });
    }
    result.changed = changed.length;

    const touched = [...fresh, ...changed];
    if (touched.length === 0) return;

    const revisions = touched.filter((m) => m.request).map((m): SqlValue[] => {
      const row = stored.get(m.sourceKey)!;
      return [row.id, row.current_revision, m.request!.method, m.request!.path, m.bodyJson ?? (m.request!.body ? JSON.stringify(m.request!.body) : null), 'extractor', false];
    });
    for (let i = 0; i < revisions.length; i += 500) await insertRows(trx, 'request_revisions', REVISION_COLUMNS, revisions.slice(i, i + 500));

    const changedIds = changed.map((m) => stored.get(m.sourceKey)!.id);
    if (changedIds.length > 0) await trx('item_links').whereIn('item_id', changedIds).delete();
    const links = touched.flatMap((m) => m.parents.map((p): SqlValue[] => [stored.get(m.sourceKey)!.id, p.type, p.sourceKey]));
    for (let i = 0; i < links.length; i += 1000) await insertRows(trx, 'item_links', LINK_COLUMNS, links.slice(i, i + 1000), true);

    for (const m of touched) {
      const row = stored.get(m.sourceKey)!;
      if (row.status === 'not_sent') result.ready.push({ itemId: row.id, revision: row.current_revision });
    }
  });
  return result;
}

/** Whether any item of the type exists (a first pass of a type can skip looking for its items). */
export async function hasItemsOfType(db: Db, type: ResourceTypeName): Promise<boolean> {
  return (await db('items').first('id').where('resource_type', type)) !== undefined;
}

/** After jobs were added: not_sent → queued. Items a worker already took are left alone. */
export async function markQueued(db: Db, itemIds: number[]): Promise<void> {
  for (let i = 0; i < itemIds.length; i += 1000) {
    const chunk = itemIds.slice(i, i + 1000);
    await withDeadlockRetry(() => db('items').whereIn('id', chunk).where('status', 'not_sent').update({ status: 'queued', updated_at: db.fn.now(3) }));
  }
}

export interface ClaimedItem {
  id: number;
  resourceType: ResourceTypeName;
  sourceKey: string;
  revision: number;
  satusehatId: string | null;
  lookupFirst: boolean;
  attemptCount: number;
  method: 'GET' | 'POST';
  path: string;
  body: Record<string, unknown> | null;
}

export type ClaimResult =
  | { kind: 'claimed'; item: ClaimedItem; /** States of the item's parents, read in the same trip. */ parents: Map<string, ParentState> }
  | { kind: 'busy' }
  | { kind: 'skip'; reason: string };

/**
 * Takes an item for sending. A `sending` item is taken over only when its claim is older than
 * staleMs (its worker died); then its outcome is unknown and it must be looked up first.
 * One round trip: the compare-and-set, the item with its revision, and its parents' states.
 */
export async function claimItem(db: Db, job: SendJobData, worker: string, staleMs: number): Promise<ClaimResult> {
  const [updated, itemRows, parentRows] = await withDeadlockRetry(() =>
    runStatements(db, [
      {
        // MySQL applies SET assignments left to right: lookup_first must read the old status.
        sql: `UPDATE items ${PK_ONLY} SET lookup_first = (lookup_first OR status = 'sending'), status = 'sending', locked_by = ?,
                sending_since = NOW(3), updated_at = NOW(3)
              WHERE id = ? AND current_revision = ?
                AND (status IN ('not_sent', 'queued') OR (status = 'sending' AND sending_since < NOW(3) - INTERVAL ? MICROSECOND))`,
        bindings: [worker, job.itemId, job.revision, staleMs * 1000],
      },
      {
        sql: `SELECT i.status, ${CLAIMED_COLUMNS.join(', ')} FROM items i
              LEFT JOIN request_revisions r ON r.item_id = i.id AND r.revision = i.current_revision WHERE i.id = ?`,
        bindings: [job.itemId],
      },
      {
        sql: `SELECT l.parent_type, l.parent_key, p.status, p.satusehat_id, p.satusehat_display, p.last_error, p.blocked_by FROM item_links l
              JOIN items p ON p.resource_type = l.parent_type AND p.source_key = l.parent_key WHERE l.item_id = ?`,
        bindings: [job.itemId],
      },
    ], { transaction: false }),
  );
  const row = rowsOf<Record<string, unknown>>(itemRows)[0];
  if (affectedRows(updated) === 0) {
    if (!row) return { kind: 'skip', reason: 'item no longer exists' };
    if (row.current_revision !== job.revision) return { kind: 'skip', reason: `revision ${job.revision} superseded by ${String(row.current_revision)}` };
    if (row.status === 'sending') return { kind: 'busy' };
    return { kind: 'skip', reason: `item is ${String(row.status)}` };
  }
  if (!row || row.method === null) {
    await releaseClaim(db, job.itemId, worker, 'failed', 'request revision missing');
    return { kind: 'skip', reason: 'request revision missing' };
  }
  const parents = new Map(rowsOf<ParentStateRow & { parent_type: string; parent_key: string }>(parentRows).map((p) => [keyOf(p.parent_type, p.parent_key), toParentState(p)]));
  return { kind: 'claimed', item: toClaimed(row), parents };
}

function toClaimed(row: Record<string, unknown>): ClaimedItem {
  return {
    id: row.id as number,
    resourceType: row.resource_type as ResourceTypeName,
    sourceKey: row.source_key as string,
    revision: row.current_revision as number,
    satusehatId: (row.satusehat_id as string | null) ?? null,
    lookupFirst: Boolean(row.lookup_first),
    attemptCount: row.attempt_count as number,
    method: row.method as 'GET' | 'POST',
    path: row.path as string,
    body: typeof row.body === 'string' ? JSON.parse(row.body) : (row.body as Record<string, unknown> | null),
  };
}

const CLAIMED_COLUMNS = ['i.id', 'i.resource_type', 'i.source_key', 'i.current_revision', 'i.satusehat_id', 'i.lookup_first', 'i.attempt_count', 'r.method', 'r.path', 'r.body'];

/** The items among `ids` this worker now holds, with their current request revision. */
export function claimedRowsQuery(db: Db, ids: number[], worker: string) {
  // By id only: the optimizer would also weigh the status indexes, for nothing (see PK_ONLY).
  return db.from(db.raw(`items AS i ${PK_ONLY}`))
    .join('request_revisions as r', function () {
      this.on('r.item_id', 'i.id').andOn('r.revision', 'i.current_revision');
    })
    .select(CLAIMED_COLUMNS)
    .whereIn('i.id', ids)
    .andWhere({ 'i.locked_by': worker, 'i.status': 'sending' })
    .orderBy('i.id');
}

/**
 * Index hint for statements that reach items by id. Without it MariaDB plans every candidate
 * range of the (type, status) indexes for rows it then reads by primary key anyway: 0.2 ms of
 * planning for a Bundle's 10-row claim, more than the claim itself.
 */
export const PK_ONLY = 'USE INDEX (PRIMARY)';

export const claimedFromRows = (rows: Array<Record<string, unknown>>): ClaimedItem[] => rows.map(toClaimed);

/** Gives up a claim without an attempt (e.g. a parent lost its id), setting a new status. */
export async function releaseClaim(db: Db, itemId: number, worker: string, status: ItemStatus, reason: string | null): Promise<boolean> {
  const n = await db('items')
    .where({ id: itemId, locked_by: worker })
    .update({ status, blocked_by: status === 'blocked' ? reason : null, last_error: status === 'blocked' ? db.raw('last_error') : reason, locked_by: null, sending_since: null, updated_at: db.fn.now(3) });
  return n > 0;
}

/** Gives up several claims at once, e.g. the children of a Bundle that could not be sent. */
export async function releaseClaims(db: Db, itemIds: number[], worker: string, status: 'blocked' | 'not_sent' | 'queued', reason: string | null, lookupFirst: boolean): Promise<void> {
  if (itemIds.length === 0) return;
  await withDeadlockRetry(() =>
    db('items')
      .whereIn('id', itemIds)
      .andWhere('locked_by', worker)
      .update({
        status,
        blocked_by: status === 'blocked' ? reason : null,
        lookup_first: lookupFirst ? true : db.raw('lookup_first'),
        locked_by: null,
        sending_since: null,
        updated_at: db.fn.now(3),
      }),
  );
}

/**
 * The states of the parents `refs` names. States already read (`known`, e.g. with the claim) are
 * used as they are; only the others are read now.
 */
export async function parentIds(db: Db, refs: ParentRef[], known?: ReadonlyMap<string, ParentState>): Promise<Map<string, ParentState>> {
  const states = new Map(known);
  const unseen = refs.filter((ref) => !states.has(keyOf(ref.type, ref.sourceKey)));
  if (unseen.length > 0) for (const [key, state] of await loadParentStates(db, unseen)) states.set(key, state);
  return states;
}

export { keyOf as parentKey };

/** For resolvePlaceholders: a parent's SATUSEHAT id if it is sent, else undefined. */
export const sentIdIn = (states: ReadonlyMap<string, ParentState>) => (ref: ParentRef): string | undefined => {
  const state = states.get(keyOf(ref.type, ref.sourceKey));
  return state?.status === 'sent' ? (state.satusehatId ?? undefined) : undefined;
};

/** For resolvePlaceholders: the censored name SATUSEHAT returned for a sent person parent. */
export const sentNameIn = (states: ReadonlyMap<string, ParentState>) => (ref: ParentRef): string | null => {
  const state = states.get(keyOf(ref.type, ref.sourceKey));
  return state?.status === 'sent' ? state.display : null;
};

export interface AttemptRecord {
  method: string;
  url: string;
  requestBody: unknown;
  responseBody: string | null;
  httpCode: number | null;
  durationMs: number;
  errorClass: string | null;
  errorMessage: string | null;
  ruleNumbers: string[];
  startedAt: Date;
  finishedAt: Date;
}

export interface SendOutcome {
  status: ItemStatus;
  httpCode: number | null;
  satusehatId?: string | null;
  display?: string | null;
  errorClass: string | null;
  lastError: string | null;
  /** Outcome unknown (timeout, lost response): look up by identifier before the next send. */
  lookupFirst: boolean;
}

/**
 * Records the attempts (always: they are the audit trail) and, if this worker still owns the
 * item, its new status. Returns false when the claim was lost to another worker.
 */
export async function finishSend(db: Db, itemId: number, worker: string, revision: number, attempts: AttemptRecord[], outcome: SendOutcome, options: FinishOptions = {}): Promise<FinishResult<boolean>> {
  const { owned, blockedChildren } = await finishSendMany(db, worker, [{ itemId, revision, attempts, outcome }], options);
  return { owned: owned[0] ?? false, blockedChildren };
}

export interface FinishOptions {
  /** Items just sent: their blocked children are read in the same trip, after the commit. */
  releaseOf?: ParentRef[];
}

export interface FinishResult<T> {
  owned: T;
  /** Blocked children of `releaseOf`, to be released if all their parents are sent now. */
  blockedChildren: number[];
}

export interface FinishEntry {
  itemId: number;
  revision: number;
  attempts: AttemptRecord[];
  outcome: SendOutcome;
}

/**
 * Records attempts and new statuses of several items in ONE transaction (a Bundle's entries):
 * one commit instead of one per item. Returns, per entry, whether this worker still owned it.
 */
export async function finishSendMany(db: Db, worker: string, entries: FinishEntry[], options: FinishOptions = {}): Promise<FinishResult<boolean[]>> {
  const ids = entries.map((e) => e.itemId);
  const attempts = entries.flatMap((e) => e.attempts.map((a) => attemptRow(e.itemId, e.revision, worker, a)));
  const [updateSql, updateBindings] = finishManySql(entries, worker);
  const releaseOf = options.releaseOf ?? [];
  const results = await withDeadlockRetry(() =>
    runStatements(db, [
      // The rows this worker still owns, locked in id order, so the UPDATE (which touches only
      // those: locked_by = worker) and the answer agree. Item rows before attempts: inserting
      // first would take a shared lock through the foreign key and deadlock against status updates.
      { sql: `SELECT id FROM items WHERE id IN (${ids.map(() => '?').join(', ')}) AND locked_by = ? ORDER BY id FOR UPDATE`, bindings: [...ids, worker] },
      { sql: updateSql, bindings: updateBindings },
      ...chunks(attempts, 200).map((rows) => statementOf(db('attempts').insert(rows))),
    ], { transaction: true, afterCommit: releaseOf.length > 0 ? [statementOf(blockedChildrenQuery(db, releaseOf))] : [] }),
  );
  const owned = new Set(rowsOf<{ id: number | string }>(results[0]).map((r) => Number(r.id)));
  const children = releaseOf.length > 0 ? rowsOf<{ id: number | string }>(results.at(-1)).map((r) => Number(r.id)) : [];
  return { owned: entries.map((e) => owned.has(e.itemId)), blockedChildren: children };
}

const chunks = <T>(list: T[], size: number): T[][] => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

/**
 * One UPDATE for the rows this worker holds: every per-row value is a CASE on the id. A newer
 * revision saved while this one was in flight must still be sent: that row goes back to queued.
 */
function finishManySql(entries: FinishEntry[], worker: string): [string, Knex.RawBinding[]] {
  const bindings: Knex.RawBinding[] = [];
  const caseOf = (column: string, value: (e: FinishEntry) => { sql: string; bindings: Knex.RawBinding[] }) => {
    const parts = entries.map((e) => {
      const v = value(e);
      bindings.push(e.itemId, ...v.bindings);
      return `WHEN ? THEN ${v.sql}`;
    });
    return `${column} = CASE id ${parts.join(' ')} END`;
  };
  const val = (v: Knex.RawBinding) => ({ sql: '?', bindings: [v] });
  const keep = (column: string) => ({ sql: column, bindings: [] });
  const sets = [
    caseOf('status', (e) => ({ sql: 'CASE WHEN current_revision = ? THEN ? ELSE ? END', bindings: [e.revision, e.outcome.status, 'queued'] })),
    caseOf('last_http_code', (e) => val(e.outcome.httpCode)),
    caseOf('satusehat_id', (e) => (e.outcome.satusehatId ? val(e.outcome.satusehatId) : keep('satusehat_id'))),
    caseOf('satusehat_display', (e) => (e.outcome.display ? val(e.outcome.display.slice(0, 200)) : keep('satusehat_display'))),
    caseOf('error_class', (e) => val(e.outcome.errorClass)),
    caseOf('last_error', (e) => val(e.outcome.lastError?.slice(0, 60_000) ?? null)),
    caseOf('attempt_count', (e) => ({ sql: 'attempt_count + ?', bindings: [e.attempts.length] })),
    caseOf('lookup_first', (e) => val(e.outcome.lookupFirst)),
    caseOf('sent_at', (e) => (e.outcome.status === 'sent' ? { sql: 'NOW(3)', bindings: [] } : keep('sent_at'))),
    'blocked_by = NULL', 'locked_by = NULL', 'sending_since = NULL', 'updated_at = NOW(3)',
  ];
  const ids = entries.map((e) => e.itemId);
  return [`UPDATE items SET ${sets.join(', ')} WHERE id IN (${ids.map(() => '?').join(', ')}) AND locked_by = ?`, [...bindings, ...ids, worker]];
}

function attemptRow(itemId: number, revision: number, worker: string, a: AttemptRecord) {
  return {
    item_id: itemId,
    revision,
    method: a.method,
    url: a.url.slice(0, 1000),
    request_body: a.requestBody === null || a.requestBody === undefined ? null : JSON.stringify(a.requestBody),
    response_body: a.responseBody === null ? null : a.responseBody.slice(0, 4_000_000),
    http_code: a.httpCode,
    duration_ms: Math.max(0, Math.round(a.durationMs)),
    error_class: a.errorClass,
    error_message: a.errorMessage?.slice(0, 60_000) ?? null,
    rule_numbers: a.ruleNumbers.length > 0 ? a.ruleNumbers.join(',').slice(0, 200) : null,
    worker,
    started_at: a.startedAt,
    finished_at: a.finishedAt,
  };
}

/** The blocked children of these parents (read by a parent's finish, FinishOptions.releaseOf). */
function blockedChildrenQuery(db: Db, parents: ParentRef[]) {
  // From the links to the items, always: on a table growing fast the optimizer's statistics lag,
  // and it then walks every blocked item instead (seen at 142 ms a call during a backfill's send).
  return db('item_links as l')
    .joinRaw(`STRAIGHT_JOIN items AS i ${PK_ONLY} ON i.id = l.item_id`)
    .distinct('i.id')
    .where(whereTypedKeys(parents, 'l.parent_type', 'l.parent_key'))
    .andWhere('i.status', 'blocked');
}

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
      await withDeadlockRetry(() => db('items').whereIn('id', freed).where('status', 'blocked').update({ status: 'not_sent', blocked_by: null, updated_at: db.fn.now(3) }));
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
    .where('status', 'sending')
    .andWhere('sending_since', '<', db.raw('NOW(3) - INTERVAL ? MICROSECOND', [staleMs * 1000]))
    .update({ status: 'queued', lookup_first: true, locked_by: null, sending_since: null, updated_at: db.fn.now(3) });
  return rows.map((r) => ({ itemId: r.id, revision: r.current_revision }));
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

/**
 * Sent items to be sent again as they are (a PUT of their current revision): sent → not_sent,
 * compare-and-set, so an item in flight or already waiting is left alone. Returns the jobs to add.
 */
export async function resendSent(db: Db, itemIds: number[]): Promise<SendJobData[]> {
  if (itemIds.length === 0) return [];
  const jobs: SendJobData[] = [];
  for (const id of itemIds) {
    const changed = await withDeadlockRetry(() => db('items').where({ id, status: 'sent' }).whereNotNull('satusehat_id').update({ status: 'not_sent', updated_at: db.fn.now(3) }));
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
  const rows = await db('items').select('id', 'current_revision').where({ resource_type: type, status: 'failed' }).andWhere('current_revision', '>', 0);
  const ids = rows.map((r) => r.id as number);
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    await withDeadlockRetry(() => db('items').whereIn('id', chunk).where('status', 'failed').update({ status: 'not_sent', updated_at: db.fn.now(3) }));
  }
  return rows.map((r) => ({ itemId: r.id, revision: r.current_revision }));
}
