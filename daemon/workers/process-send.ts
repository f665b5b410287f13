// Sends one item revision to SATUSEHAT and records what happened. Exported on its own so tests
// can drive it directly; send-worker.ts wraps it in a BullMQ Worker.
import type { Logger } from '../../shared/log/create-logger.js';
import type { Db } from '../../shared/db/connect.js';
import {
  blockedReason, claimItem, finishSend, noteParentFailure, parentIds, parentKey, releaseChildren, releaseClaim,
  type AttemptRecord, type ClaimedItem, type SendOutcome,
} from '../../shared/db/state/items-repo.js';
import { cacheLookup } from '../../shared/db/state/nik-cache-repo.js';
import { listPlaceholders, resolvePlaceholders } from '../../shared/fhir/placeholders.js';
import { parseOperationOutcome } from '../../shared/fhir/operation-outcome.js';
import { registry } from '../../shared/fhir/registry.js';
import type { ResourceTypeName } from '../../shared/fhir/types.js';
import { matchesOf, type SatusehatClient, type SatusehatResponse } from '../../shared/satusehat/client.js';
import { AuthUnavailableError, SatusehatTransportError } from '../../shared/satusehat/errors.js';
import type { SendJobData } from '../../shared/types/items.js';

export interface SendDeps {
  db: Db;
  client: SatusehatClient;
  /** Adds jobs for items this send released (children whose parents are now all sent). */
  enqueue(jobs: SendJobData[]): Promise<void>;
  log: Logger;
  workerId: string;
  sendingStaleMs: number;
}

/** Thrown to let BullMQ retry later with backoff; the attempt is already recorded. */
export class RetryableSendError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null,
  ) {
    super(message);
    this.name = 'RetryableSendError';
  }
}

export type SendResult = { kind: 'sent' | 'failed' | 'blocked' | 'skipped'; detail?: string };

interface Identifier {
  system: string;
  value: string;
}

function identifierOf(body: Record<string, unknown> | null): Identifier | null {
  const first = (body?.identifier as Array<{ system?: string; value?: string }> | undefined)?.[0];
  return first?.system && first.value ? { system: first.system, value: first.value } : null;
}

function errorClassOf(status: number): string | null {
  if (status >= 200 && status < 300) return null;
  if (status === 429) return 'rate_limited';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'http_5xx';
  return 'http_4xx';
}

const isRetryableStatus = (status: number) => status === 408 || status === 429 || status >= 500 || status === 401;

/** The attempts of one job run, plus the last Retry-After SATUSEHAT asked for. */
type AttemptLog = AttemptRecord[] & { retryAfterMs: number | null };

/** One HTTP exchange, recorded as an attempt whatever its result. */
async function exchange(client: SatusehatClient, attempts: AttemptLog, method: string, path: string, body?: unknown): Promise<SatusehatResponse> {
  const startedAt = new Date();
  try {
    const response = await client.request(method, path, body);
    attempts.retryAfterMs = response.retryAfterMs;
    const parsed = response.status >= 400 ? parseOperationOutcome(response.json ?? response.text) : { messages: [], ruleNumbers: [] };
    attempts.push({
      method, url: response.url, requestBody: body ?? null, responseBody: response.text, httpCode: response.status,
      durationMs: response.durationMs, errorClass: errorClassOf(response.status),
      errorMessage: parsed.messages.length > 0 ? parsed.messages.join('; ') : null, ruleNumbers: parsed.ruleNumbers,
      startedAt: response.startedAt, finishedAt: response.finishedAt,
    });
    return response;
  } catch (err) {
    if (err instanceof SatusehatTransportError) {
      attempts.push({
        method, url: `${client.fhirUrl}/${path}`, requestBody: body ?? null, responseBody: null, httpCode: null,
        durationMs: err.durationMs, errorClass: err.kind, errorMessage: err.message, ruleNumbers: [], startedAt, finishedAt: new Date(),
      });
    }
    throw err;
  }
}

function failureText(response: SatusehatResponse): string {
  const parsed = parseOperationOutcome(response.json ?? response.text);
  return `HTTP ${response.status}: ${parsed.messages.join('; ') || 'no details'}`;
}

/** A response that is worth retrying, or a transport error: retry, or give up on the last attempt. */
function retryOutcome(isLast: boolean, httpCode: number | null, errorClass: string, message: string, lookupFirst: boolean): SendOutcome {
  return { status: isLast ? 'failed' : 'queued', httpCode, errorClass, lastError: isLast ? `gave up after retries: ${message}` : message, lookupFirst };
}

async function sendLookup(item: ClaimedItem, deps: SendDeps, attempts: AttemptLog): Promise<SendOutcome> {
  const response = await exchange(deps.client, attempts, item.method, item.path);
  if (response.status !== 200) {
    return { status: 'failed', httpCode: response.status, errorClass: errorClassOf(response.status), lastError: failureText(response), lookupFirst: false };
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

/** Looks the resource up by its identifier; adopts the id if SATUSEHAT already has it. */
async function adoptExisting(item: ClaimedItem, identifier: Identifier, deps: SendDeps, attempts: AttemptLog): Promise<SendOutcome | null> {
  const search = await exchange(deps.client, attempts, 'GET', `${item.resourceType}?identifier=${encodeURIComponent(`${identifier.system}|${identifier.value}`)}`);
  if (search.status !== 200) throw new RetryableSendError(`lookup by identifier failed: HTTP ${search.status}`, search.retryAfterMs);
  const { ids } = matchesOf(search);
  if (ids.length === 0) return null;
  return { status: 'sent', httpCode: search.status, satusehatId: ids[0]!, errorClass: null, lastError: null, lookupFirst: false };
}

async function sendCreate(item: ClaimedItem, body: Record<string, unknown>, deps: SendDeps, attempts: AttemptLog, isLast: boolean): Promise<SendOutcome> {
  const identifier = identifierOf(body);
  if (item.lookupFirst && identifier && !item.satusehatId) {
    const adopted = await adoptExisting(item, identifier, deps, attempts);
    if (adopted) return adopted;
  }
  const update = Boolean(item.satusehatId);
  const response = update
    ? await exchange(deps.client, attempts, 'PUT', `${item.resourceType}/${item.satusehatId}`, { ...body, id: item.satusehatId })
    : await exchange(deps.client, attempts, 'POST', item.path, body);
  const id = typeof response.json?.id === 'string' ? response.json.id : null;
  if (response.status >= 200 && response.status < 300) {
    if (!id && !update) return { status: 'failed', httpCode: response.status, errorClass: 'bad_response', lastError: 'SATUSEHAT accepted the request but returned no id', lookupFirst: true };
    return { status: 'sent', httpCode: response.status, satusehatId: id ?? item.satusehatId, errorClass: null, lastError: null, lookupFirst: false };
  }
  const parsed = parseOperationOutcome(response.json ?? response.text);
  const duplicate = parsed.ruleNumbers.includes('20002') || /duplicate/i.test(parsed.messages.join(' '));
  if (response.status === 400 && duplicate && identifier) {
    attempts[attempts.length - 1]!.errorClass = 'duplicate';
    const adopted = await adoptExisting(item, identifier, deps, attempts);
    if (adopted) return adopted;
  }
  if (isRetryableStatus(response.status)) {
    // A 5xx or 408 on a create may have been stored anyway: look it up before trying again.
    return retryOutcome(isLast, response.status, errorClassOf(response.status) ?? 'http_5xx', failureText(response), !update && response.status !== 429);
  }
  return { status: 'failed', httpCode: response.status, errorClass: errorClassOf(response.status), lastError: failureText(response), lookupFirst: false };
}

export async function processSendJob(job: SendJobData, attemptsMade: number, maxAttempts: number, deps: SendDeps): Promise<SendResult> {
  const claim = await claimItem(deps.db, job, deps.workerId, deps.sendingStaleMs);
  if (claim.kind === 'busy') throw new RetryableSendError('item is being sent by another worker', 5_000);
  if (claim.kind === 'skip') return { kind: 'skipped', detail: claim.reason };
  const item = claim.item;
  const def = registry[item.resourceType];
  const isLast = attemptsMade + 1 >= maxAttempts;

  let body = item.body;
  const refs = listPlaceholders(item.body);
  if (refs.length > 0) {
    const states = await parentIds(deps.db, refs);
    const resolved = resolvePlaceholders(item.body, (ref) => {
      const state = states.get(parentKey(ref.type, ref.sourceKey));
      return state?.status === 'sent' ? (state.satusehatId ?? undefined) : undefined;
    });
    if (!resolved.ok) {
      const reason = blockedReason(resolved.missing, states) ?? 'waiting for a parent';
      await releaseClaim(deps.db, item.id, deps.workerId, 'blocked', reason);
      return { kind: 'blocked', detail: reason };
    }
    body = resolved.body;
  }

  const attempts: AttemptLog = Object.assign([] as AttemptRecord[], { retryAfterMs: null });
  let outcome: SendOutcome;
  let retryAfterMs: number | null = null;
  try {
    outcome = def.kind === 'lookup' ? await sendLookup(item, deps, attempts) : await sendCreate(item, body ?? {}, deps, attempts, isLast);
    if (outcome.status === 'queued') retryAfterMs = attempts.retryAfterMs;
  } catch (err) {
    if (err instanceof SatusehatTransportError) {
      outcome = retryOutcome(isLast, null, err.kind, err.message, def.kind === 'create' && !item.satusehatId);
    } else if (err instanceof RetryableSendError) {
      outcome = retryOutcome(isLast, attempts.at(-1)?.httpCode ?? null, attempts.at(-1)?.errorClass ?? 'lookup', err.message, true);
      retryAfterMs = err.retryAfterMs;
    } else if (err instanceof AuthUnavailableError) {
      outcome = retryOutcome(isLast, null, 'auth', err.message, item.lookupFirst);
      retryAfterMs = err.retryAfterMs;
    } else {
      // Infrastructure (DB) trouble: release the claim so the stale-claim path does not wait.
      await releaseClaim(deps.db, item.id, deps.workerId, 'queued', null).catch(() => false);
      throw err;
    }
  }

  const owned = await finishSend(deps.db, item.id, deps.workerId, item.revision, attempts, outcome);
  if (!owned) {
    deps.log.warn({ itemId: item.id }, 'claim lost while sending; another worker took the item over');
    return { kind: 'skipped', detail: 'claim lost' };
  }
  if (outcome.status === 'sent') {
    const released = await releaseChildren(deps.db, item.resourceType as ResourceTypeName, item.sourceKey);
    if (released.length > 0) await deps.enqueue(released);
    return { kind: 'sent' };
  }
  if (outcome.status === 'queued') throw new RetryableSendError(outcome.lastError ?? 'retry', retryAfterMs);
  await noteParentFailure(deps.db, item.resourceType as ResourceTypeName, item.sourceKey, outcome.lastError ?? 'failed');
  return { kind: 'failed', detail: outcome.lastError ?? undefined };
}
