// The pieces every kind of send shares: one recorded HTTP exchange, error classes, retry outcomes.
import type { AttemptRecord, SendOutcome } from '../../shared/db/state/items-repo.js';
import { identifierSearchPath as searchPathFor } from '../../shared/fhir/identifiers.js';
import { parseOperationOutcome, ruleViolationsOf, type ParsedOutcome } from '../../shared/fhir/operation-outcome.js';
import type { SatusehatClient, SatusehatResponse } from '../../shared/satusehat/client.js';
import { SatusehatTransportError } from '../../shared/satusehat/errors.js';

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

/** The attempts of one job run, plus the last Retry-After SATUSEHAT asked for. */
export type AttemptLog = AttemptRecord[] & { retryAfterMs: number | null };

export const newAttemptLog = (): AttemptLog => Object.assign([] as AttemptRecord[], { retryAfterMs: null });

/** Called after every HTTP exchange (metrics). */
export type ExchangeObserver = (type: string, code: number | 'timeout' | 'network', seconds: number) => void;

export interface Identifier {
  system: string;
  value: string;
}

export function identifierOf(body: Record<string, unknown> | null | undefined): Identifier | null {
  // Most resources carry a list; a few (Composition) carry a single Identifier.
  const raw = body?.identifier as Array<{ system?: string; value?: string }> | { system?: string; value?: string } | undefined;
  const first = Array.isArray(raw) ? raw[0] : raw;
  return first?.system && first.value ? { system: first.system, value: first.value } : null;
}

export function identifierSearchPath(fhirType: string, identifier: Identifier): string {
  return searchPathFor(fhirType, identifier.system, identifier.value);
}

/**
 * A response as the send path judges it, its body parsed once. A 2xx is accepted only when its
 * body is not a rule-violation array: SATUSEHAT sends those with HTTP 200 too (reference A13).
 */
export interface JudgedResponse extends SatusehatResponse {
  accepted: boolean;
  /** What SATUSEHAT objected to; empty when accepted. */
  outcome: ParsedOutcome;
}

const is2xx = (status: number) => status >= 200 && status < 300;

export function judge(response: SatusehatResponse): JudgedResponse {
  const accepted = is2xx(response.status) && ruleViolationsOf(response.text) === null;
  return { ...response, accepted, outcome: accepted ? { messages: [], ruleNumbers: [] } : parseOperationOutcome(response.json ?? response.text) };
}

/** null when accepted; 'rejected' for a 2xx that carried rule violations. */
export function errorClassOf(status: number, accepted = is2xx(status)): string | null {
  if (accepted) return null;
  if (is2xx(status)) return 'rejected';
  if (status === 429) return 'rate_limited';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'http_5xx';
  return 'http_4xx';
}

export const isRetryableStatus = (status: number) => status === 408 || status === 429 || status >= 500 || status === 401;

/** One HTTP exchange, recorded as an attempt whatever its result. */
export async function exchange(client: SatusehatClient, attempts: AttemptLog, method: string, path: string, body?: unknown, observe?: (code: number | 'timeout' | 'network', seconds: number) => void): Promise<JudgedResponse> {
  const startedAt = new Date();
  try {
    const response = judge(await client.request(method, path, body));
    attempts.retryAfterMs = response.retryAfterMs;
    observe?.(response.status, response.durationMs / 1000);
    const parsed = response.outcome;
    attempts.push({
      method, url: response.url, requestBody: body ?? null, responseBody: response.text, httpCode: response.status,
      durationMs: response.durationMs, errorClass: errorClassOf(response.status, response.accepted),
      errorMessage: parsed.messages.length > 0 ? parsed.messages.join('; ') : null, ruleNumbers: parsed.ruleNumbers,
      startedAt: response.startedAt, finishedAt: response.finishedAt,
    });
    return response;
  } catch (err) {
    if (err instanceof SatusehatTransportError) {
      observe?.(err.kind, err.durationMs / 1000);
      attempts.push({
        method, url: `${client.fhirUrl}/${path}`, requestBody: body ?? null, responseBody: null, httpCode: null,
        durationMs: err.durationMs, errorClass: err.kind, errorMessage: err.message, ruleNumbers: [], startedAt, finishedAt: new Date(),
      });
    }
    throw err;
  }
}

export function failureText(response: JudgedResponse): string {
  const status = is2xx(response.status) ? `HTTP ${response.status} with rule violations` : `HTTP ${response.status}`;
  return `${status}: ${response.outcome.messages.join('; ') || 'no details'}`;
}

/** A response worth retrying, or a transport error: retry, or give up on the last attempt. */
export function retryOutcome(isLast: boolean, httpCode: number | null, errorClass: string, message: string, lookupFirst: boolean): SendOutcome {
  return { status: isLast ? 'failed' : 'queued', httpCode, errorClass, lastError: isLast ? `gave up after retries: ${message}` : message, lookupFirst };
}

/** A 20002 (or "duplicate") rejection, as a 400 or as a rule-violation array with HTTP 200. */
export function isDuplicate(response: JudgedResponse): boolean {
  if (response.accepted || (response.status !== 400 && !is2xx(response.status))) return false;
  return response.outcome.ruleNumbers.includes('20002') || /duplicate/i.test(response.outcome.messages.join(' '));
}
