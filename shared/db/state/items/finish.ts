// Settling a worker's claims: the attempts and the new statuses of what it held, in one transaction.
import type { Knex } from 'knex';
import type { Db } from '../../connect.js';
import { rowsOf, runStatements, statementOf } from '../../statement-batch.js';
import { withDeadlockRetry } from '../../retry.js';
import type { ParentRef } from '../../../fhir/types.js';
import type { SendJobData } from '../../../types/items.js';
import type { AttemptRecord, SendOutcome } from '../../../satusehat/outcome.js';
import { chunks, PK_ONLY, whereTypedKeys } from './sql.js';
import { movesFrom } from './transitions.js';

/**
 * What becomes of one item a worker held: a verdict (SATUSEHAT answered, or local validation
 * refused it), or given back without one (a parent has no id, its Bundle is retried, the work
 * stopped). Both record their attempts: they are the audit trail.
 */
export type Settlement =
  | { itemId: number; revision: number; kind: 'verdict'; attempts: AttemptRecord[]; outcome: SendOutcome }
  | { itemId: number; revision: number; kind: 'giveBack'; attempts: AttemptRecord[]; status: 'blocked' | 'not_sent' | 'queued'; reason: string | null; lookupFirst: boolean };

export interface SettleOptions {
  /** Items just sent: their blocked children are read in the same trip, after the commit. */
  releaseOf?: ParentRef[];
}

export interface SettleResult {
  /** Per settlement, whether this worker still held the item (false: another worker took it over). */
  owned: boolean[];
  /** Blocked children of `releaseOf`, to be released if all their parents are sent now. */
  blockedChildren: number[];
  /** Items whose revision changed while they were held: queued again, each needs a job for its new revision. */
  superseded: SendJobData[];
  /**
   * Items sent now under another SATUSEHAT id than before (a patient whose corrected NIK is
   * another person on the MPI): what was sent naming the old id must go again.
   */
  reidentified: ParentRef[];
}

const statusOf = (s: Settlement) => (s.kind === 'verdict' ? s.outcome.status : s.status);

/**
 * Records the attempts and new statuses of what this worker holds in ONE transaction (a Bundle's
 * entries too): one commit instead of one per item. An item another worker took over keeps its
 * status; its attempts are recorded all the same.
 */
export async function settleClaims(db: Db, worker: string, settlements: Settlement[], options: SettleOptions = {}): Promise<SettleResult> {
  if (settlements.length === 0) return { owned: [], blockedChildren: [], superseded: [], reidentified: [] };
  for (const s of settlements) movesFrom(s.kind === 'verdict' ? 'finish' : 'giveBack', statusOf(s));
  const ids = settlements.map((e) => e.itemId);
  const attempts = settlements.flatMap((e) => e.attempts.map((a) => attemptRow(e.itemId, e.revision, worker, a)));
  const [updateSql, updateBindings] = settleSql(settlements, worker);
  const releaseOf = options.releaseOf ?? [];
  const results = await withDeadlockRetry(() =>
    runStatements(db, [
      // The rows this worker still owns, locked in id order, so the UPDATE (which touches only
      // those: locked_by = worker) and the answer agree. Item rows before attempts: inserting
      // first would take a shared lock through the foreign key and deadlock against status updates.
      { sql: `SELECT id, current_revision, satusehat_id, resource_type, source_key FROM items WHERE id IN (${ids.map(() => '?').join(', ')}) AND locked_by = ? ORDER BY id FOR UPDATE`, bindings: [...ids, worker] },
      { sql: updateSql, bindings: updateBindings },
      ...chunks(attempts, 200).map((rows) => statementOf(db('attempts').insert(rows))),
    ], { transaction: true, afterCommit: releaseOf.length > 0 ? [statementOf(blockedChildrenQuery(db, releaseOf))] : [] }),
  );
  type HeldRow = { id: number | string; current_revision: number | string; satusehat_id: string | null; resource_type: string; source_key: string };
  const heldRows = rowsOf<HeldRow>(results[0]);
  const held = new Map(heldRows.map((r) => [Number(r.id), Number(r.current_revision)]));
  const before = new Map(heldRows.map((r) => [Number(r.id), r]));
  const reidentified = settlements.flatMap((e): ParentRef[] => {
    const was = before.get(e.itemId);
    const now = e.kind === 'verdict' && e.outcome.status === 'sent' ? e.outcome.satusehatId : null;
    return was?.satusehat_id && now && now !== was.satusehat_id ? [{ type: was.resource_type as ParentRef['type'], sourceKey: was.source_key }] : [];
  });
  const children = releaseOf.length > 0 ? rowsOf<{ id: number | string }>(results.at(-1)).map((r) => Number(r.id)) : [];
  const superseded = settlements.filter((e) => held.has(e.itemId) && held.get(e.itemId) !== e.revision).map((e) => ({ itemId: e.itemId, revision: held.get(e.itemId)! }));
  return { owned: settlements.map((e) => held.has(e.itemId)), blockedChildren: children, superseded, reidentified };
}

/**
 * One UPDATE for the rows this worker holds: every per-row value is a CASE on the id. A newer
 * revision saved while this one was in flight must still be sent: that row goes back to queued
 * (its job is added by the caller, see superseded()). A give-back keeps the last verdict's error.
 */
function settleSql(entries: Settlement[], worker: string): [string, Knex.RawBinding[]] {
  const bindings: Knex.RawBinding[] = [];
  type Sql = { sql: string; bindings: Knex.RawBinding[] };
  const caseOf = (column: string, value: (e: Settlement) => Sql) => {
    const parts = entries.map((e) => {
      const v = value(e);
      bindings.push(e.itemId, ...v.bindings);
      return `WHEN ? THEN ${v.sql}`;
    });
    return `${column} = CASE id ${parts.join(' ')} END`;
  };
  const val = (v: Knex.RawBinding): Sql => ({ sql: '?', bindings: [v] });
  const keep = (column: string): Sql => ({ sql: column, bindings: [] });
  const verdict = (column: string, value: (o: SendOutcome) => Sql) => caseOf(column, (e) => (e.kind === 'verdict' ? value(e.outcome) : keep(column)));
  const sets = [
    caseOf('status', (e) => ({ sql: 'CASE WHEN current_revision = ? THEN ? ELSE ? END', bindings: [e.revision, statusOf(e), 'queued'] })),
    verdict('last_http_code', (o) => val(o.httpCode)),
    verdict('satusehat_id', (o) => (o.satusehatId ? val(o.satusehatId) : keep('satusehat_id'))),
    verdict('satusehat_display', (o) => (o.display ? val(o.display.slice(0, 200)) : keep('satusehat_display'))),
    verdict('error_class', (o) => val(o.errorClass)),
    verdict('last_error', (o) => val(o.lastError?.slice(0, 60_000) ?? null)),
    caseOf('attempt_count', (e) => ({ sql: 'attempt_count + ?', bindings: [e.attempts.length] })),
    caseOf('lookup_first', (e) => (e.kind === 'verdict' ? val(e.outcome.lookupFirst) : { sql: '(lookup_first OR ?)', bindings: [e.lookupFirst] })),
    verdict('sent_at', (o) => (o.status === 'sent' ? { sql: 'NOW(3)', bindings: [] } : keep('sent_at'))),
    // An unknown outcome waits for its next look-up; any other verdict ends the checking.
    verdict('check_after', (o) => (o.status === 'checking' ? { sql: 'NOW(3) + INTERVAL ? MICROSECOND', bindings: [Math.round((o.checkAfterMs ?? 0) * 1000)] } : val(null))),
    verdict('check_count', (o) => (o.status === 'checking' ? { sql: 'check_count + 1', bindings: [] } : val(0))),
    verdict('check_revision', () => val(null)),
    caseOf('blocked_by', (e) => val(e.kind === 'giveBack' && e.status === 'blocked' ? (e.reason ?? 'waiting for a parent').slice(0, 300) : null)),
    'locked_by = NULL', 'sending_since = NULL', 'updated_at = NOW(3)',
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

/** The blocked children of these parents (read after a parent's settlement, SettleOptions.releaseOf). */
function blockedChildrenQuery(db: Db, parents: ParentRef[]) {
  // From the links to the items, always: on a table growing fast the optimizer's statistics lag,
  // and it then walks every blocked item instead (seen at 142 ms a call during a backfill's send).
  return db('item_links as l')
    .joinRaw(`STRAIGHT_JOIN items AS i ${PK_ONLY} ON i.id = l.item_id`)
    .distinct('i.id')
    .where(whereTypedKeys(parents, 'l.parent_type', 'l.parent_key'))
    .andWhere('i.status', 'blocked');
}

