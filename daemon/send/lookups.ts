// Looking a resource up by its identifier (after an unknown outcome or a duplicate answer), and
// what a thrown error means for the item.
import { matchesOf } from '../../shared/satusehat/client.js';
import { AuthUnavailableError, SatusehatTransportError } from '../../shared/satusehat/errors.js';
import { failureText, identifierOf, identifierSearchPath, retryOutcome, type AttemptLog, type SendOutcome } from '../../shared/satusehat/outcome.js';
import { recordedRequest } from '../../shared/satusehat/recorded-request.js';
import { RetryableSendError, type SendDeps } from './deps.js';

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
