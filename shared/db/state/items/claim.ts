// Claiming one item for sending: a compare-and-set that only one worker can win.
import type { Db } from '../../connect.js';
import { affectedRows, rowsOf, runStatements } from '../../statement-batch.js';
import { withDeadlockRetry } from '../../retry.js';
import type { ResourceTypeName } from '../../../fhir/types.js';
import type { SendJobData } from '../../../types/items.js';
import { toParentState, type ParentState, type ParentStateRow } from './parents.js';
import { keyOf, PK_ONLY } from './sql.js';
import { settleClaims } from './finish.js';
import { statusIn } from './transitions.js';

export interface ClaimedItem {
  id: number;
  resourceType: ResourceTypeName;
  sourceKey: string;
  revision: number;
  satusehatId: string | null;
  lookupFirst: boolean;
  /** Queued by the reconciler to be looked up only (status checking before): nothing is sent. */
  checkOnly: boolean;
  /** Look-ups of its unknown outcome that failed in a row. */
  checkCount: number;
  /** The last verdict's error, for a check to say what it checks. */
  lastError: string | null;
  errorClass: string | null;
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
                AND (${statusIn('claim', 'sending')} OR (status = 'sending' AND sending_since < NOW(3) - INTERVAL ? MICROSECOND))`,
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
    const lastError = 'request revision missing';
    await settleClaims(db, worker, [{ itemId: job.itemId, revision: job.revision, kind: 'verdict', attempts: [], outcome: { status: 'failed', httpCode: null, errorClass: 'internal', lastError, lookupFirst: Boolean(row?.lookup_first) } }]);
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
    checkOnly: row.check_revision !== null && row.check_revision !== undefined && Number(row.check_revision) === Number(row.current_revision),
    checkCount: Number(row.check_count ?? 0),
    lastError: (row.last_error as string | null) ?? null,
    errorClass: (row.error_class as string | null) ?? null,
    attemptCount: row.attempt_count as number,
    method: row.method as 'GET' | 'POST',
    path: row.path as string,
    body: typeof row.body === 'string' ? JSON.parse(row.body) : (row.body as Record<string, unknown> | null),
  };
}

const CLAIMED_COLUMNS = [
  'i.id', 'i.resource_type', 'i.source_key', 'i.current_revision', 'i.satusehat_id', 'i.lookup_first', 'i.check_revision', 'i.check_count', 'i.last_error', 'i.error_class',
  'i.attempt_count', 'r.method', 'r.path', 'r.body',
];

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


export const claimedFromRows = (rows: Array<Record<string, unknown>>): ClaimedItem[] => rows.map(toClaimed);

