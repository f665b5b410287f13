// A parent's state as its children see it, and why a child cannot be sent yet.
import type { Knex } from 'knex';
import type { Db } from '../../connect.js';
import { RESOURCE_TYPES, type ParentRef } from '../../../fhir/types.js';
import type { ItemStatus } from '../../../types/items.js';
import { keyOf, PK_ONLY, whereTypedKeys } from './sql.js';

export interface ParentState {
  status: ItemStatus;
  satusehatId: string | null;
  /** The name SATUSEHAT returned for a looked-up person (censored), used as reference display. */
  display: string | null;
  lastError: string | null;
  blockedBy: string | null;
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
export async function loadParentStates(db: Db | Knex.Transaction, refs: ParentRef[], lock = false): Promise<Map<string, ParentState>> {
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

/** A reason that names a parent that cannot be sent as things stand. */
export const STUCK = / (is )?(failed|invalid)|is blocked: /;

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

