// One send job: claim → plan (parents, diagnosis, local validation) → exchange → classify → settle.
// Exported on its own so tests can drive it directly; send-worker.ts wraps it in a BullMQ Worker.
import { blockedReason, parentIds, sentIdIn, sentNameIn } from '../../shared/db/state/items/index.js';
import { cacheLookup } from '../../shared/db/state/nik-cache-repo.js';
import { restoreDiagnosis, takeDiagnosis } from '../../shared/fhir/diagnosis-refs.js';
import { listPlaceholders, resolvePlaceholders } from '../../shared/fhir/placeholders.js';
import { registry } from '../../shared/fhir/registry.js';
import { matchesOf } from '../../shared/satusehat/client.js';
import {
  classifyWrite, errorClassOf, failureText, identifierOf, isRetryableStatus, newAttemptLog, rejectedOutcome, sentOutcome, type AttemptLog, type SendOutcome,
} from '../../shared/satusehat/outcome.js';
import { recordedRequest } from '../../shared/satusehat/recorded-request.js';
import type { SendJobData } from '../../shared/types/items.js';
import { fhirTypeOf, RetryableSendError, type SendDeps, type SendResult } from './deps.js';
import { sendAgainForDiagnosis, withSentDiagnosis } from './encounter-diagnosis.js';
import { localValidationErrors } from './local-validation.js';
import { findExisting, knowOutcome, lookUpUnknown, outcomeOfError, readBackUpdate, unknownCause } from './lookups.js';
import { lastSentBodies } from '../../shared/db/state/verify-repo.js';
import { sendVisitBundle } from './visit-bundle.js';
import { claimOwner, finishWith, settleAndEnqueue, withWork, type Work } from './work.js';

export { RetryableSendError, type SendDeps, type SendResult };

export async function processSendJob(job: SendJobData, attemptsMade: number, maxAttempts: number, processDeps: SendDeps): Promise<SendResult> {
  const deps: SendDeps = { ...processDeps, workerId: claimOwner(processDeps.workerId, job) };
  return withWork(job, deps, (work) => sendClaimed(work, attemptsMade + 1 >= maxAttempts, deps));
}

async function sendClaimed(work: Work, isLast: boolean, deps: SendDeps): Promise<SendResult> {
  const { item } = work;
  if (item.checkOnly) return checkUnknown(work, deps);
  const def = registry[item.resourceType];
  // Encounter.diagnosis names children, not parents: taken out here, put back below.
  const diagnosis = takeDiagnosis(item.body);
  const resolved = await resolveParents(work, diagnosis.body, deps);
  if (!resolved) return { kind: 'blocked' };
  const toBundle = deps.sendMode === 'bundle' && item.resourceType === 'Encounter' && !item.satusehatId;
  // The Bundle names its Conditions by urn:uuid once it has claimed them; the shape is checked now.
  const withDiagnosis = toBundle
    ? restoreDiagnosis(resolved.body, diagnosis.entries, (ref) => `Condition/${ref.sourceKey}`)
    : await withSentDiagnosis(resolved.body, diagnosis.entries, deps);
  if (def.kind === 'create' && deps.validate !== false) {
    const errors = localValidationErrors(withDiagnosis.body, Date.now(), deps.minResourceDate);
    if (errors.length > 0) {
      return finishWith(work, { status: 'invalid', httpCode: null, errorClass: 'invalid', lastError: `local validation: ${errors.join('; ')}`, lookupFirst: item.lookupFirst }, [], deps, null);
    }
  }
  if (toBundle) return sendVisitBundle(work, resolved.body ?? {}, diagnosis.entries, deps, isLast);

  const attempts = newAttemptLog();
  let outcome: SendOutcome;
  let retryAfterMs: number | null = null;
  try {
    outcome = def.kind === 'lookup' ? await sendLookup(work, deps, attempts) : await sendCreate(work, withDiagnosis.body ?? {}, deps, attempts, isLast);
    if (outcome.status === 'queued') retryAfterMs = attempts.retryAfterMs;
  } catch (err) {
    ({ outcome, retryAfterMs } = outcomeOfError(err, isLast, def.kind === 'create' && !item.satusehatId, attempts));
  }
  outcome = await knowOutcome(item, outcome, deps, attempts, withDiagnosis.body ?? {});
  const result = await finishWith(work, outcome, attempts, deps, retryAfterMs);
  if (result.kind === 'sent') await sendAgainForDiagnosis(item, withDiagnosis.left, deps);
  return result;
}

/** A `checking` item's due look-up: only asks SATUSEHAT whether its lost send was stored. */
async function checkUnknown(work: Work, deps: SendDeps): Promise<SendResult> {
  const { item } = work;
  const attempts = newAttemptLog();
  const last = { httpCode: null, errorClass: item.errorClass, cause: unknownCause(item.lastError) };
  // An update is read back against the body of its PUT; a create is looked up by identifier.
  const sentBody = item.satusehatId ? (await lastSentBodies(deps.db, [item.id])).get(item.id) : undefined;
  const outcome = item.satusehatId && sentBody ? await readBackUpdate(item, sentBody, last, deps, attempts) : await lookUpUnknown(item, last, deps, attempts);
  return finishWith(work, outcome, attempts, deps, null);
}

/** A NIK lookup (Patient, Practitioner): the id and the censored name SATUSEHAT holds. */
async function sendLookup({ item }: Work, deps: SendDeps, attempts: AttemptLog): Promise<SendOutcome> {
  const response = await recordedRequest(deps.client, attempts, item.method, item.path, undefined, (code, s) => deps.observe?.(item.resourceType, code, s));
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
  return sentOutcome(ids[0]!, 200, displays[0] ?? null);
}

/** A POST of a new resource, or a PUT of one SATUSEHAT holds already (an update, a resend). */
async function sendCreate(work: Work, body: Record<string, unknown>, deps: SendDeps, attempts: AttemptLog, isLast: boolean): Promise<SendOutcome> {
  const { item } = work;
  const fhirType = fhirTypeOf(item.resourceType);
  if (item.lookupFirst && !item.satusehatId) {
    if (!identifierOf(body)) {
      // Never resend blindly: without an identifier SATUSEHAT cannot tell us whether the first
      // send was stored, and a second POST could create a copy. An operator decides.
      return { status: 'failed', httpCode: null, errorClass: 'unknown_outcome', lastError: 'the previous send may or may not have been stored, and this resource has no identifier to look it up by: check SATUSEHAT, then resend (satusehat resend <id>)', lookupFirst: true };
    }
    const existing = await findExisting(fhirType, body, deps, attempts);
    if (existing) return sentOutcome(existing, 200);
  }
  const update = Boolean(item.satusehatId);
  const observe = (code: number | 'timeout' | 'network', s: number) => deps.observe?.(item.resourceType, code, s);
  if (!update) work.mayBeStored.add(item.id);
  const response = update
    ? await recordedRequest(deps.client, attempts, 'PUT', `${fhirType}/${item.satusehatId}`, { ...body, id: item.satusehatId }, observe)
    : await recordedRequest(deps.client, attempts, 'POST', fhirType, body, observe);
  const verdict = classifyWrite(response, { update, knownId: item.satusehatId, isLast });
  if (verdict.kind === 'outcome') return verdict.outcome;
  attempts[attempts.length - 1]!.errorClass = 'duplicate';
  const existing = await findExisting(fhirType, body, deps, attempts);
  return existing ? sentOutcome(existing, 200) : rejectedOutcome(response);
}

/** Replaces parent placeholders with SATUSEHAT ids; null (and the item given back blocked) if a parent has none. */
async function resolveParents(work: Work, body: Record<string, unknown> | null, deps: SendDeps): Promise<{ body: Record<string, unknown> | null } | null> {
  const refs = listPlaceholders(body);
  if (refs.length === 0) return { body };
  // The claim read the linked parents; a placeholder without a link (an operator's edit) is read now.
  const states = await parentIds(deps.db, refs, work.parents);
  const resolved = resolvePlaceholders(body, sentIdIn(states), sentNameIn(states));
  if (resolved.ok) return { body: resolved.body };
  const reason = blockedReason(resolved.missing, states) ?? 'waiting for a parent';
  const next = await settleAndEnqueue(work, [{ item: work.item, kind: 'giveBack', status: 'blocked', reason }], deps);
  // Its parents were sent meanwhile: this same job tries again (the item is not_sent now).
  if (next.ownReleased) throw new RetryableSendError('a parent was sent while this item was being claimed', 1_000);
  return null;
}
