// A send job's two verbs. claim(job) takes the job's item or says why not; settle(work, …) records
// what became of held items (attempts and statuses in one transaction) and returns the jobs that
// follow: children released, items given back to the queue, newer revisions. Whatever a job still
// holds when it ends, by any path, is given back by withWork: no error path releases by hand.
import {
  claimItem, noteParentFailure, releaseBlocked, resendForParentChange, settleClaims, type ClaimedItem, type ParentState, type Settlement,
} from '../../shared/db/state/items/index.js';
import type { AttemptRecord, SendOutcome } from '../../shared/satusehat/outcome.js';
import type { SendJobData } from '../../shared/types/items.js';
import { RetryableSendError, type SendDeps, type SendResult } from './deps.js';

export interface Work {
  job: SendJobData;
  /** The job's own item. */
  item: ClaimedItem;
  /** States of the item's parents, read with the claim. */
  parents: Map<string, ParentState>;
  /** Every item this job holds: its own, and a Bundle's members once claimed. */
  held: Map<number, ClaimedItem>;
  /**
   * Held items a request went out for that could have created them: given back unsettled, they
   * are looked up by identifier before they are sent again.
   */
  mayBeStored: Set<number>;
}

/** What becomes of one held item (see Settlement in the item store). */
export type Decision =
  | { item: ClaimedItem; kind: 'verdict'; outcome: SendOutcome; attempts?: AttemptRecord[] }
  | { item: ClaimedItem; kind: 'giveBack'; status: 'blocked' | 'not_sent' | 'queued'; reason?: string | null; lookupFirst?: boolean; attempts?: AttemptRecord[] };

export interface Next {
  /** Jobs to add: released children, items given back as not_sent, newer revisions. */
  enqueue: SendJobData[];
  /** The job's own item was given back and released at once: its job must run again. */
  ownReleased: boolean;
  /** Per decided item, whether this job still held it (false: another worker took it over). */
  owned: Map<number, boolean>;
}

/**
 * Claims are made in the name of this job, not only of this process: two jobs of one process
 * (an Encounter's Bundle and a Medication's own job) must never read each other's claims as theirs.
 */
export const claimOwner = (worker: string, job: SendJobData) => `${worker.slice(0, 80)}#${job.itemId}`;

export type Claimed = { kind: 'work'; work: Work } | { kind: 'skip'; reason: string };

export async function claim(job: SendJobData, deps: SendDeps): Promise<Claimed> {
  const result = await claimItem(deps.db, job, deps.workerId, deps.sendingStaleMs);
  if (result.kind === 'busy') throw new RetryableSendError('item is being sent by another worker', 5_000);
  if (result.kind === 'skip') return result;
  const work: Work = { job, item: result.item, parents: result.parents, held: new Map([[result.item.id, result.item]]), mayBeStored: new Set() };
  return { kind: 'work', work };
}

/** More items now held by this job (a Bundle's members). */
export function hold(work: Work, items: ClaimedItem[]): void {
  for (const item of items) work.held.set(item.id, item);
}

/** Runs `send` on a claimed job; gives back whatever it still holds when it ends, however it ends. */
export async function withWork(job: SendJobData, deps: SendDeps, send: (work: Work) => Promise<SendResult>): Promise<SendResult> {
  const claimed = await claim(job, deps);
  if (claimed.kind === 'skip') return { kind: 'skipped', detail: claimed.reason };
  const { work } = claimed;
  try {
    return await send(work);
  } finally {
    if (work.held.size > 0) await giveBackUnsettled(work, deps).catch((err: unknown) => deps.log.warn({ err, itemIds: [...work.held.keys()] }, 'could not give back claims; the stale-claim check will'));
  }
}

/** Back to the queue, looked up first where a request could have stored it. */
async function giveBackUnsettled(work: Work, deps: SendDeps): Promise<void> {
  const decisions: Decision[] = [...work.held.values()].map((item) => ({ item, kind: 'giveBack', status: 'queued', lookupFirst: work.mayBeStored.has(item.id) }));
  const next = await settle(work, decisions, deps);
  // Each needs a job again; the job's own item gets its job's retry.
  const requeued = decisions.filter((d) => d.item.id !== work.item.id && next.owned.get(d.item.id)).map((d) => ({ itemId: d.item.id, revision: d.item.revision }));
  await deps.enqueue([...next.enqueue, ...requeued]);
}

const toSettlement = (d: Decision): Settlement =>
  d.kind === 'verdict'
    ? { itemId: d.item.id, revision: d.item.revision, kind: 'verdict', attempts: d.attempts ?? [], outcome: d.outcome }
    : { itemId: d.item.id, revision: d.item.revision, kind: 'giveBack', attempts: d.attempts ?? [], status: d.status, reason: d.reason ?? null, lookupFirst: d.lookupFirst ?? false };

/**
 * Records the decisions in one transaction, then moves the dependency graph on: children of what
 * was sent are released, blocked children are told why a parent failed, items given back as
 * blocked are checked again (a parent sent meanwhile could not see them while they were held).
 * A failure after the commit asks the reconciler to walk every blocked item.
 */
export async function settle(work: Work, decisions: Decision[], deps: SendDeps): Promise<Next> {
  const next: Next = { enqueue: [], ownReleased: false, owned: new Map() };
  if (decisions.length === 0) return next;
  const sent = decisions.filter((d) => d.kind === 'verdict' && d.outcome.status === 'sent').map((d) => ({ type: d.item.resourceType, sourceKey: d.item.sourceKey }));
  const result = await settleClaims(deps.db, deps.workerId, decisions.map(toSettlement), { releaseOf: sent });
  for (const d of decisions) work.held.delete(d.item.id);
  decisions.forEach((d, i) => next.owned.set(d.item.id, result.owned[i]!));
  next.enqueue.push(...result.superseded);
  try {
    const owned = decisions.filter((d) => next.owned.get(d.item.id));
    for (const d of owned) {
      if (d.kind === 'verdict' && (d.outcome.status === 'failed' || d.outcome.status === 'invalid')) {
        await noteParentFailure(deps.db, d.item.resourceType, d.item.sourceKey, d.outcome.lastError ?? d.outcome.status);
      }
      if (d.kind === 'giveBack' && d.status === 'not_sent') next.enqueue.push({ itemId: d.item.id, revision: d.item.revision });
    }
    const recheck = owned.filter((d) => d.kind === 'giveBack' && d.status === 'blocked').map((d) => d.item.id);
    const released = await releaseBlocked(deps.db, [...result.blockedChildren, ...recheck]);
    // The running job's own item is not enqueued (its job id is taken until the job ends, so the
    // add would be dropped): the caller retries the job instead.
    next.ownReleased = released.some((job) => job.itemId === work.item.id);
    next.enqueue.push(...released.filter((job) => job.itemId !== work.item.id));
    // What was sent naming a parent's old id goes again as an update.
    next.enqueue.push(...(await resendForParentChange(deps.db, result.reidentified)));
  } catch (err) {
    deps.releaseScans.request();
    throw err;
  }
  return next;
}

/** settle(), then the jobs that follow are added. */
export async function settleAndEnqueue(work: Work, decisions: Decision[], deps: SendDeps): Promise<Next> {
  const next = await settle(work, decisions, deps);
  if (next.enqueue.length > 0) await deps.enqueue(next.enqueue);
  return next;
}

/**
 * The job's own item's verdict (with what becomes of the others it holds, in the same
 * transaction) as the job's result; a retry is thrown for BullMQ to schedule.
 */
export async function finishWith(work: Work, outcome: SendOutcome, attempts: AttemptRecord[], deps: SendDeps, retryAfterMs: number | null, others: Decision[] = []): Promise<SendResult> {
  const next = await settleAndEnqueue(work, [{ item: work.item, kind: 'verdict', outcome, attempts }, ...others], deps);
  if (!next.owned.get(work.item.id)) {
    deps.log.warn({ itemId: work.item.id }, 'claim lost while sending; another worker took the item over');
    return { kind: 'skipped', detail: 'claim lost' };
  }
  if (outcome.status === 'queued') throw new RetryableSendError(outcome.lastError ?? 'retry', retryAfterMs);
  if (outcome.status === 'sent') return { kind: 'sent' };
  if (outcome.status === 'checking') return { kind: 'checking', detail: outcome.lastError ?? undefined };
  return { kind: outcome.status === 'invalid' ? 'invalid' : 'failed', detail: outcome.lastError ?? undefined };
}
