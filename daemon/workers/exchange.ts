// The pieces every kind of send shares: one recorded HTTP exchange, error classes, retry outcomes.
import type { AttemptRecord, SendOutcome } from '../../shared/db/state/items-repo.js';
import { identifierSearchPath as searchPathFor } from '../../shared/fhir/identifiers.js';
import { parseOperationOutcome } from '../../shared/fhir/operation-outcome.js';
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

export function errorClassOf(status: number): string | null {
  if (status >= 200 && status < 300) return null;
  if (status === 429) return 'rate_limited';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'http_5xx';
  return 'http_4xx';
}

export const isRetryableStatus = (status: number) => status === 408 || status === 429 || status >= 500 || status === 401;

/** One HTTP exchange, recorded as an attempt whatever its result. */
export async function exchange(client: SatusehatClient, attempts: AttemptLog, method: string, path: string, body?: unknown, observe?: (code: number | 'timeout' | 'network', seconds: number) => void): Promise<SatusehatResponse> {
  const startedAt = new Date();
  try {
    const response = await client.request(method, path, body);
    attempts.retryAfterMs = response.retryAfterMs;
    observe?.(response.status, response.durationMs / 1000);
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
      observe?.(err.kind, err.durationMs / 1000);
      attempts.push({
        method, url: `${client.fhirUrl}/${path}`, requestBody: body ?? null, responseBody: null, httpCode: null,
        durationMs: err.durationMs, errorClass: err.kind, errorMessage: err.message, ruleNumbers: [], startedAt, finishedAt: new Date(),
      });
    }
    throw err;
  }
}

export function failureText(response: SatusehatResponse): string {
  const parsed = parseOperationOutcome(response.json ?? response.text);
  return `HTTP ${response.status}: ${parsed.messages.join('; ') || 'no details'}`;
}

/** A response worth retrying, or a transport error: retry, or give up on the last attempt. */
export function retryOutcome(isLast: boolean, httpCode: number | null, errorClass: string, message: string, lookupFirst: boolean): SendOutcome {
  return { status: isLast ? 'failed' : 'queued', httpCode, errorClass, lastError: isLast ? `gave up after retries: ${message}` : message, lookupFirst };
}

export function isDuplicate(response: SatusehatResponse): boolean {
  if (response.status !== 400) return false;
  const parsed = parseOperationOutcome(response.json ?? response.text);
  return parsed.ruleNumbers.includes('20002') || /duplicate/i.test(parsed.messages.join(' '));
}
