// Looking a resource up by its identifier (after an unknown outcome or a duplicate answer), and
// what a thrown error means for the item.
import type { ClaimedItem } from '../../shared/db/state/items/index.js';
import { matchesOf } from '../../shared/satusehat/client.js';
import { AuthUnavailableError, SatusehatTransportError } from '../../shared/satusehat/errors.js';
import { failureText, identifierOf, identifierSearchPath, retryOutcome, sentOutcome, type AttemptLog, type SendOutcome } from '../../shared/satusehat/outcome.js';
import { resourceDifferences } from '../../shared/satusehat/resource-diff.js';
import { recordedRequest } from '../../shared/satusehat/recorded-request.js';
import { fhirTypeOf, RetryableSendError, type SendDeps } from './deps.js';

/** The id of the resource SATUSEHAT holds with this body's identifier, or null. */
export async function findExisting(fhirType: string, body: Record<string, unknown> | null, deps: SendDeps, attempts: AttemptLog): Promise<string | null> {
  const identifier = identifierOf(body);
  if (!identifier) return null;
  const search = await recordedRequest(deps.client, attempts, 'GET', identifierSearchPath(fhirType, identifier), undefined, (c, s) => deps.observe?.(fhirType, c, s));
  if (!search.accepted || search.status !== 200) throw new RetryableSendError(`lookup by identifier failed: ${failureText(search)}`, search.retryAfterMs);
  return matchesOf(search).ids[0] ?? null;
}

/**
 * Turns what a send threw into the item's outcome (retry, or give up on the last attempt);
 * rethrows what is not SATUSEHAT's doing (the database): the job's claims are then given back.
 */
export function outcomeOfError(err: unknown, isLast: boolean, lookupFirst: boolean, attempts: AttemptLog): { outcome: SendOutcome; retryAfterMs: number | null } {
  if (err instanceof SatusehatTransportError) return { outcome: retryOutcome(isLast, null, err.kind, err.message, lookupFirst), retryAfterMs: null };
  if (err instanceof RetryableSendError) {
    return { outcome: retryOutcome(isLast, attempts.at(-1)?.httpCode ?? null, attempts.at(-1)?.errorClass ?? 'retry', err.message, lookupFirst), retryAfterMs: err.retryAfterMs };
  }
  if (err instanceof AuthUnavailableError) return { outcome: retryOutcome(isLast, null, 'auth', err.message, lookupFirst), retryAfterMs: err.retryAfterMs };
  throw err;
}

/** SATUSEHAT's own trouble on a request (as opposed to the database's, which is rethrown). */
const isSatusehatTrouble = (err: unknown) => err instanceof SatusehatTransportError || err instanceof RetryableSendError || err instanceof AuthUnavailableError;

/** Default base of the backoff between look-ups of an unknown outcome (UNKNOWN_CHECK_BASE_MS). */
export const CHECK_BASE_MS = 60_000;
const CHECK_MAX_MS = 3_600_000;

/** The wait before the next look-up, after `failedChecks` failed in a row: base × 2^n, at most an hour. */
export const checkBackoffMs = (failedChecks: number, baseMs = CHECK_BASE_MS) => Math.min(baseMs * 2 ** Math.min(failedChecks, 20), CHECK_MAX_MS);

const UNKNOWN = 'outcome unknown after: ';
const LOOKUP_FAILED = ' | look-up by identifier failed: ';

/** What made the outcome unknown, from a checking item's last error (without the look-ups' own errors). */
export const unknownCause = (lastError: string | null) => (lastError ?? 'an earlier send').split(LOOKUP_FAILED)[0]!.replace(UNKNOWN, '');

/** Error classes after which a write may have been applied without our hearing so. */
const UNKNOWN_CLASSES = new Set(['timeout', 'network', 'http_5xx']);

/**
 * The last attempt ended and its outcome is unknown (the request may have been applied): never
 * leave it as plain `failed`, ask SATUSEHAT now. A create is looked up by identifier; an update
 * (`sentBody`, PUT by id) is read back and compared. Other outcomes pass through unchanged, and so
 * does a create without an identifier (nothing to ask by: an operator decides, see sendCreate).
 */
export async function knowOutcome(item: ClaimedItem, outcome: SendOutcome, deps: SendDeps, attempts: AttemptLog, sentBody: Record<string, unknown> | null = null): Promise<SendOutcome> {
  if (outcome.status !== 'failed') return outcome;
  const last = { httpCode: outcome.httpCode, errorClass: outcome.errorClass, cause: outcome.lastError ?? 'unknown' };
  if (item.satusehatId) return UNKNOWN_CLASSES.has(outcome.errorClass ?? '') && sentBody ? readBackUpdate(item, sentBody, last, deps, attempts) : outcome;
  if (!outcome.lookupFirst || !identifierOf(item.body)) return outcome;
  return lookUpUnknown(item, last, deps, attempts);
}

type LastOutcome = { httpCode: number | null; errorClass: string | null; cause: string };

/**
 * An update whose answer never came: SATUSEHAT holds the resource either way, so read it back.
 * It says what we sent: sent. It does not: the update was not applied, failed, safe to resend.
 * The read fails too: checking, read again after a backoff.
 */
export async function readBackUpdate(item: ClaimedItem, sentBody: Record<string, unknown>, last: LastOutcome, deps: SendDeps, attempts: AttemptLog): Promise<SendOutcome> {
  const fhirType = fhirTypeOf(item.resourceType);
  try {
    const read = await recordedRequest(deps.client, attempts, 'GET', `${fhirType}/${item.satusehatId}`, undefined, (c, s) => deps.observe?.(fhirType, c, s));
    if (read.status === 200 && read.json) {
      const paths = resourceDifferences(sentBody, read.json);
      if (paths.length === 0) return sentOutcome(item.satusehatId!, 200);
      return { status: 'failed', httpCode: last.httpCode, errorClass: last.errorClass, lastError: `${last.cause}; SATUSEHAT still holds the earlier version (read back: ${paths.slice(0, 3).join(', ')} differ), so a resend is safe`, lookupFirst: false };
    }
    if (read.status === 404 || read.status === 410) {
      return { status: 'failed', httpCode: read.status, errorClass: last.errorClass, lastError: `${last.cause}; SATUSEHAT no longer holds ${fhirType}/${item.satusehatId} (see satusehat verify)`, lookupFirst: false };
    }
    throw new RetryableSendError(`read back failed: ${failureText(read)}`, read.retryAfterMs);
  } catch (err) {
    if (!isSatusehatTrouble(err)) throw err;
    return checkingOutcome(item, last, err as Error, deps);
  }
}

function checkingOutcome(item: ClaimedItem, last: LastOutcome, err: Error, deps: SendDeps): SendOutcome {
  return {
    status: 'checking',
    httpCode: last.httpCode,
    errorClass: last.errorClass,
    lastError: `${UNKNOWN}${last.cause}${LOOKUP_FAILED}${err.message}`,
    lookupFirst: !item.satusehatId,
    checkAfterMs: checkBackoffMs(item.checkCount, deps.checkBaseMs),
  };
}

/**
 * Asks SATUSEHAT by identifier whether a send whose answer never came was stored. Found: sent,
 * with that id. Not found: nothing was stored; failed as the cause says, safe to resend. The
 * look-up failed too: checking, asked again after a backoff (the reconciler queues it).
 */
export async function lookUpUnknown(item: ClaimedItem, last: LastOutcome, deps: SendDeps, attempts: AttemptLog): Promise<SendOutcome> {
  try {
    const existing = await findExisting(fhirTypeOf(item.resourceType), item.body, deps, attempts);
    if (existing) return sentOutcome(existing, 200);
    return { status: 'failed', httpCode: last.httpCode, errorClass: last.errorClass, lastError: `${last.cause}; SATUSEHAT does not hold it (looked up by identifier), so a resend is safe`, lookupFirst: false };
  } catch (err) {
    if (!isSatusehatTrouble(err)) throw err;
    return checkingOutcome(item, last, err as Error, deps);
  }
}
