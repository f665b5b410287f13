// Planning: mapped source rows become items (revision 1), changed rows new revisions, unchanged
// rows are left alone. The items' first statuses and every re-planned status are declared in
// transitions.ts (`plan`).
import type { Db } from '../../connect.js';
import { withDeadlockRetry } from '../../retry.js';
import type { BuiltRequest, MapIssue, ParentRef, ResourceTypeName } from '../../../fhir/types.js';
import type { ItemStatus, SendJobData } from '../../../types/items.js';
import { blockedReason, loadParentStates } from './parents.js';
import { insertRows, type SqlValue } from './sql.js';
import { TRANSITIONS } from './transitions.js';

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
      const update = { ...columns, current_revision: revision, updated_at: trx.fn.now(3) };
      // An item being sent keeps its status (and its worker's claim): the worker's settlement
      // sees the newer revision and queues it again. Read at rest, it may have been claimed since.
      const replanned = row.status !== 'sending' && (await trx('items').where('id', row.id).whereIn('status', TRANSITIONS.plan.from).update(update)) > 0;
      if (!replanned) {
        const { status: _status, blocked_by: _blockedBy, ...inFlight } = update;
        await trx('items').where('id', row.id).update(inFlight);
      }
      stored.set(m.sourceKey, { id: row.id, current_revision: revision, status: replanned ? columns.status : 'sending' });
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

