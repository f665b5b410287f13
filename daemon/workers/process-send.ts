// Sends one item revision to SATUSEHAT and records what happened. Exported on its own so tests
// can drive it directly; send-worker.ts wraps it in a BullMQ Worker.
import {
  blockedReason, claimItem, parentIds, releaseClaim, resendSent, sentEncountersNaming, sentIdIn, sentNameIn, type ClaimedItem, type ParentState, type SendOutcome,
} from '../../shared/db/state/items-repo.js';
import { cacheLookup } from '../../shared/db/state/nik-cache-repo.js';
import { restoreDiagnosis, takeDiagnosis } from '../../shared/fhir/diagnosis-refs.js';
import { listPlaceholders, resolvePlaceholders } from '../../shared/fhir/placeholders.js';
import type { ParentRef } from '../../shared/fhir/types.js';
import { registry } from '../../shared/fhir/registry.js';
import { matchesOf } from '../../shared/satusehat/client.js';
import type { SendJobData } from '../../shared/types/items.js';
import {
  errorClassOf, exchange, failureText, identifierOf, isDuplicate, isRetryableStatus, newAttemptLog, retryOutcome, RetryableSendError, type AttemptLog,
} from './exchange.js';
import { blockForParents, findExisting, fhirTypeOf, outcomeOfError, settle, type SendDeps, type SendResult } from './send-common.js';
import { localValidationErrors } from './local-validation.js';
import { sendVisitBundle } from './visit-bundle.js';

export { RetryableSendError, type SendDeps, type SendResult };

async function sendLookup(item: ClaimedItem, deps: SendDeps, attempts: AttemptLog): Promise<SendOutcome> {
  const observe = (code: number | 'timeout' | 'network', s: number) => deps.observe?.(item.resourceType, code, s);
  const response = await exchange(deps.client, attempts, item.method, item.path, undefined, observe);
  if (!response.accepted || response.status !== 200) {
    if (isRetryableStatus(response.status)) throw new RetryableSendError(failureText(response), response.retryAfterMs);
    return { status: 'failed', httpCode: response.status, errorClass: errorClassOf(response.status, response.accepted), lastError: failureText(response), lookupFirst: false };
  }
  const nik = decodeURIComponent(item.path).match(/\|(\d{16})$/)?.[1];
  const { ids, displays } = matchesOf(response);
  if (nik) await cacheLookup(deps.db, item.resourceType, nik, { satusehatId: ids[0] ?? null, display: displays[0] ?? null });
  if (ids.length === 0) {
    attempts[attempts.length - 1]!.errorClass = 'not_found';
    return { status: 'failed', httpCode: 200, errorClass: 'not_found', lastError: `NIK not found in SATUSEHAT (${item.resourceType} lookup returned total 0)`, lookupFirst: false };
  }
  return { status: 'sent', httpCode: 200, satusehatId: ids[0]!, display: displays[0] ?? null, errorClass: null, lastError: null, lookupFirst: false };
}

async function sendCreate(item: ClaimedItem, body: Record<string, unknown>, deps: SendDeps, attempts: AttemptLog, isLast: boolean): Promise<SendOutcome> {
  const fhirType = fhirTypeOf(item.resourceType);
  const adopt = (id: string, code: number): SendOutcome => ({ status: 'sent', httpCode: code, satusehatId: id, errorClass: null, lastError: null, lookupFirst: false });
  if (item.lookupFirst && !item.satusehatId) {
    if (!identifierOf(body)) {
      // Never resend blindly: without an identifier SATUSEHAT cannot tell us whether the first
      // send was stored, and a second POST could create a copy. An operator decides.
      return { status: 'failed', httpCode: null, errorClass: 'unknown_outcome', lastError: 'the previous send may or may not have been stored, and this resource has no identifier to look it up by: check SATUSEHAT, then resend (satusehat resend <id>)', lookupFirst: true };
    }
    const existing = await findExisting(fhirType, body, deps, attempts);
    if (existing) return adopt(existing, 200);
  }
  const update = Boolean(item.satusehatId);
  const observe = (code: number | 'timeout' | 'network', s: number) => deps.observe?.(item.resourceType, code, s);
  const response = update
    ? await exchange(deps.client, attempts, 'PUT', `${fhirType}/${item.satusehatId}`, { ...body, id: item.satusehatId }, observe)
    : await exchange(deps.client, attempts, 'POST', fhirType, body, observe);
  const id = typeof response.json?.id === 'string' ? response.json.id : null;
  if (response.accepted) {
    if (!id && !update) return { status: 'failed', httpCode: response.status, errorClass: 'bad_response', lastError: 'SATUSEHAT accepted the request but returned no id', lookupFirst: true };
    return adopt(id ?? item.satusehatId!, response.status);
  }
  if (isDuplicate(response)) {
    attempts[attempts.length - 1]!.errorClass = 'duplicate';
    const existing = await findExisting(fhirType, body, deps, attempts);
    if (existing) return adopt(existing, 200);
  }
  if (isRetryableStatus(response.status)) {
    // A 5xx or 408 on a create may have been stored anyway: look it up before trying again.
    return retryOutcome(isLast, response.status, errorClassOf(response.status) ?? 'http_5xx', failureText(response), !update && response.status !== 429);
  }
  return { status: 'failed', httpCode: response.status, errorClass: errorClassOf(response.status, response.accepted), lastError: failureText(response), lookupFirst: false };
}

/** Replaces parent placeholders with SATUSEHAT ids; null (and the item blocked) if a parent has none. */
async function resolveParents(item: ClaimedItem, body: Record<string, unknown> | null, known: Map<string, ParentState>, deps: SendDeps): Promise<{ body: Record<string, unknown> | null } | null> {
  const refs = listPlaceholders(body);
  if (refs.length === 0) return { body };
  // The claim read the linked parents; a placeholder without a link (an operator's edit) is read now.
  const states = await parentIds(deps.db, refs, known);
  const resolved = resolvePlaceholders(body, sentIdIn(states), sentNameIn(states));
  if (resolved.ok) return { body: resolved.body };
  const { ownReleased } = await blockForParents(deps, [item.id], blockedReason(resolved.missing, states) ?? 'waiting for a parent', { ownItemId: item.id });
  // Its parents were sent meanwhile: this same job tries again (the item is not_sent now).
  if (ownReleased) throw new RetryableSendError('a parent was sent while this item was being claimed', 1_000);
  return null;
}

/**
 * Claims are made in the name of this job, not only of this process: two jobs of one process
 * (an Encounter's Bundle and a Medication's own job) must never read each other's claims as theirs.
 */
const claimOwner = (worker: string, job: SendJobData) => `${worker.slice(0, 80)}#${job.itemId}`;

export async function processSendJob(job: SendJobData, attemptsMade: number, maxAttempts: number, processDeps: SendDeps): Promise<SendResult> {
  const deps: SendDeps = { ...processDeps, workerId: claimOwner(processDeps.workerId, job) };
  const claim = await claimItem(deps.db, job, deps.workerId, deps.sendingStaleMs);
  if (claim.kind === 'busy') throw new RetryableSendError('item is being sent by another worker', 5_000);
  if (claim.kind === 'skip') return { kind: 'skipped', detail: claim.reason };
  const item = claim.item;
  const def = registry[item.resourceType];
  const isLast = attemptsMade + 1 >= maxAttempts;

  // Encounter.diagnosis names children, not parents: taken out here, put back below.
  const diagnosis = takeDiagnosis(item.body);
  const resolved = await resolveParents(item, diagnosis.body, claim.parents, deps);
  if (!resolved) return { kind: 'blocked' };
  const toBundle = deps.sendMode === 'bundle' && item.resourceType === 'Encounter' && !item.satusehatId;
  // The Bundle names its Conditions by urn:uuid once it has claimed them; the shape is checked now.
  const withDiagnosis = toBundle
    ? restoreDiagnosis(resolved.body, diagnosis.entries, (ref) => `Condition/${ref.sourceKey}`)
    : await withSentDiagnosis(resolved.body, diagnosis.entries, deps);
  if (def.kind === 'create' && deps.validate !== false) {
    const errors = localValidationErrors(withDiagnosis.body, Date.now(), deps.minResourceDate);
    if (errors.length > 0) {
      return settle(item, newAttemptLog(), { status: 'invalid', httpCode: null, errorClass: 'invalid', lastError: `local validation: ${errors.join('; ')}`, lookupFirst: item.lookupFirst }, deps, null);
    }
  }
  if (toBundle) return sendVisitBundle(item, resolved.body ?? {}, diagnosis.entries, deps, isLast);

  const attempts = newAttemptLog();
  let outcome: SendOutcome;
  let retryAfterMs: number | null = null;
  try {
    outcome = def.kind === 'lookup' ? await sendLookup(item, deps, attempts) : await sendCreate(item, withDiagnosis.body ?? {}, deps, attempts, isLast);
    if (outcome.status === 'queued') retryAfterMs = attempts.retryAfterMs;
  } catch (err) {
    ({ outcome, retryAfterMs } = await outcomeOfError(err, isLast, def.kind === 'create' && !item.satusehatId, attempts, () => releaseClaim(deps.db, item.id, deps.workerId, 'queued', null)));
  }
  const result = await settle(item, attempts, outcome, deps, retryAfterMs);
  if (result.kind === 'sent') await sendAgainForDiagnosis(item, withDiagnosis.left, deps);
  return result;
}

/** Encounter.diagnosis with the Conditions that have SATUSEHAT ids; those without are left out. */
async function withSentDiagnosis(body: Record<string, unknown> | null, entries: unknown[], deps: SendDeps) {
  if (entries.length === 0) return { body, left: [] as ParentRef[] };
  const idOf = sentIdIn(await parentIds(deps.db, listPlaceholders(entries)));
  return restoreDiagnosis(body, entries, (ref) => {
    const id = idOf(ref);
    return id === undefined ? undefined : `Condition/${id}`;
  });
}

/**
 * What a send leaves for a later PUT of the Encounter (single mode, or a diagnosis added to a
 * visit already sent): a Condition that got its first id sends its sent Encounter again; an
 * Encounter that left Conditions out looks at them once more after its commit, in case one was
 * sent meanwhile (its own trigger then found the Encounter still in flight).
 */
async function sendAgainForDiagnosis(item: ClaimedItem, left: ParentRef[], deps: SendDeps): Promise<void> {
  let again: number[] = [];
  let refresh = '';
  if (item.resourceType === 'Condition' && !item.satusehatId) {
    again = await sentEncountersNaming(deps.db, item.id, item.sourceKey);
    refresh = `c${item.id}`;
  } else if (left.length > 0) {
    const idOf = sentIdIn(await parentIds(deps.db, left));
    if (left.some((ref) => idOf(ref) !== undefined)) again = [item.id];
    // This job's own id is still taken: the attempt number makes the new one differ from it.
    refresh = `a${item.attemptCount + 1}`;
  }
  const jobs = await resendSent(deps.db, again);
  if (jobs.length > 0) await deps.enqueue(jobs.map((job) => ({ ...job, refresh })));
}
