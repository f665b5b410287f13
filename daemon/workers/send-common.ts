// What the single-item send and the visit Bundle share: dependencies, settling an outcome,
// identifier lookups and error classification.
import type { Logger } from '../../shared/log/create-logger.js';
import type { Db } from '../../shared/db/connect.js';
import { finishSend, noteParentFailure, releaseBlocked, releaseClaims, type ClaimedItem, type SendOutcome } from '../../shared/db/state/items-repo.js';
import { registry } from '../../shared/fhir/registry.js';
import { requestFullReleaseScan } from '../release-scan.js';
import type { ResourceTypeName } from '../../shared/fhir/types.js';
import { matchesOf, type SatusehatClient } from '../../shared/satusehat/client.js';
import { AuthUnavailableError, SatusehatTransportError } from '../../shared/satusehat/errors.js';
import type { SendJobData } from '../../shared/types/items.js';
import { exchange, failureText, identifierOf, identifierSearchPath, retryOutcome, RetryableSendError, type AttemptLog, type ExchangeObserver } from './exchange.js';

export interface SendDeps {
  db: Db;
  client: SatusehatClient;
  /** Adds jobs for items this send released (children whose parents are now all sent). */
  enqueue(jobs: SendJobData[]): Promise<void>;
  /** Removes jobs of items that went out another way (optional: a stale job only skips). */
  withdraw?(jobs: SendJobData[]): Promise<void>;
  log: Logger;
  workerId: string;
  sendingStaleMs: number;
  /** 'bundle': an Encounter goes with its Conditions, Observations… in one transaction Bundle. */
  sendMode?: 'single' | 'bundle';
  /** Validate against FHIR R4 + SATUSEHAT rules before sending (default true). */
  validate?: boolean;
  /** MIN_RESOURCE_DATE: the date floor of that validation (default 2022-08-31). */
  minResourceDate?: string;
  observe?: ExchangeObserver;
}

export type SendResult = { kind: 'sent' | 'failed' | 'blocked' | 'skipped' | 'invalid'; detail?: string };

export const fhirTypeOf = (name: string) => registry[name as ResourceTypeName]?.fhirType ?? name;

/** Looks the resource up by its identifier; returns its id if SATUSEHAT already has it. */
export async function findExisting(fhirType: string, body: Record<string, unknown> | null, deps: SendDeps, attempts: AttemptLog): Promise<string | null> {
  const identifier = identifierOf(body);
  if (!identifier) return null;
  const search = await exchange(deps.client, attempts, 'GET', identifierSearchPath(fhirType, identifier), undefined, (c, s) => deps.observe?.(fhirType, c, s));
  if (!search.accepted || search.status !== 200) throw new RetryableSendError(`lookup by identifier failed: ${failureText(search)}`, search.retryAfterMs);
  return matchesOf(search).ids[0] ?? null;
}

/** Records the outcome and moves the dependency graph on. */
export async function settle(item: ClaimedItem, attempts: AttemptLog, outcome: SendOutcome, deps: SendDeps, retryAfterMs: number | null): Promise<SendResult> {
  const sent = outcome.status === 'sent';
  const { owned, blockedChildren } = await afterCommitFailures(deps.db, () => finishSend(deps.db, item.id, deps.workerId, item.revision, attempts, outcome, { releaseOf: sent ? [{ type: item.resourceType, sourceKey: item.sourceKey }] : [] }));
  if (!owned) {
    deps.log.warn({ itemId: item.id }, 'claim lost while sending; another worker took the item over');
    return { kind: 'skipped', detail: 'claim lost' };
  }
  if (sent) {
    const released = await afterCommitFailures(deps.db, () => releaseBlocked(deps.db, blockedChildren));
    if (released.length > 0) await deps.enqueue(released);
    return { kind: 'sent' };
  }
  if (outcome.status === 'queued') throw new RetryableSendError(outcome.lastError ?? 'retry', retryAfterMs);
  await noteParentFailure(deps.db, item.resourceType, item.sourceKey, outcome.lastError ?? outcome.status);
  return { kind: outcome.status === 'invalid' ? 'invalid' : 'failed', detail: outcome.lastError ?? undefined };
}

/**
 * Runs a step of finishing a send that may fail after the send was committed (the database went
 * away, a deadlock while releasing children): children of what was sent could then stay blocked,
 * so the reconciler is asked to walk every blocked item in its next pass. The error goes on.
 */
export async function afterCommitFailures<T>(db: Db, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    requestFullReleaseScan(db);
    throw err;
  }
}

/**
 * Claimed items that found a parent unsent go back to blocked. The parent may have been sent
 * meanwhile, its release not seeing them (they were being sent): so the parents are read again
 * after the write, and those now all sent are released here, not left to the reconciler.
 * The running job's own item is not enqueued (its job id is taken until the job ends, so the add
 * would be dropped): the caller is told, and retries the job instead.
 */
export async function blockForParents(deps: SendDeps, itemIds: number[], reason: string, options: { lookupFirst?: boolean; ownItemId?: number } = {}): Promise<{ ownReleased: boolean }> {
  if (itemIds.length === 0) return { ownReleased: false };
  await releaseClaims(deps.db, itemIds, deps.workerId, 'blocked', reason, options.lookupFirst ?? false);
  const released = await releaseBlocked(deps.db, itemIds);
  const others = released.filter((job) => job.itemId !== options.ownItemId);
  if (others.length > 0) await deps.enqueue(others);
  return { ownReleased: others.length < released.length };
}

/** Turns what a send threw into an outcome; rethrows what is not SATUSEHAT's doing. */
export async function outcomeOfError(err: unknown, isLast: boolean, lookupFirst: boolean, attempts: AttemptLog, release: () => Promise<unknown>): Promise<{ outcome: SendOutcome; retryAfterMs: number | null }> {
  if (err instanceof SatusehatTransportError) return { outcome: retryOutcome(isLast, null, err.kind, err.message, lookupFirst), retryAfterMs: null };
  if (err instanceof RetryableSendError) {
    return { outcome: retryOutcome(isLast, attempts.at(-1)?.httpCode ?? null, attempts.at(-1)?.errorClass ?? 'retry', err.message, lookupFirst), retryAfterMs: err.retryAfterMs };
  }
  if (err instanceof AuthUnavailableError) return { outcome: retryOutcome(isLast, null, 'auth', err.message, lookupFirst), retryAfterMs: err.retryAfterMs };
  // Infrastructure (DB) trouble: release the claim so the stale-claim path does not wait.
  await release().catch(() => false);
  throw err;
}

