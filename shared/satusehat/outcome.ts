// The send path's vocabulary, and how a SATUSEHAT response is judged: pure, the body parsed once.
// An attempt is one recorded HTTP exchange; an outcome is what the item becomes because of it.
import { identifierSearchPath as searchPathFor } from '../fhir/identifiers.js';
import { parseOperationOutcome, ruleViolationsOf, type ParsedOutcome } from '../fhir/operation-outcome.js';
import type { ItemStatus } from '../types/items.js';
import type { SatusehatResponse } from './client.js';

export interface AttemptRecord {
  method: string;
  url: string;
  requestBody: unknown;
  responseBody: string | null;
  httpCode: number | null;
  durationMs: number;
  errorClass: string | null;
  errorMessage: string | null;
  ruleNumbers: string[];
  startedAt: Date;
  finishedAt: Date;
}

/**
 * What a send makes of an item: sent, failed, invalid, queued to be tried again, or checking (the
 * outcome is unknown and SATUSEHAT could not be asked yet).
 */
export interface SendOutcome {
  status: Extract<ItemStatus, 'sent' | 'failed' | 'invalid' | 'queued' | 'checking'>;
  httpCode: number | null;
  satusehatId?: string | null;
  display?: string | null;
  errorClass: string | null;
  lastError: string | null;
  /** Outcome unknown (timeout, lost response): look up by identifier before the next send. */
  lookupFirst: boolean;
  /** checking: when SATUSEHAT is asked again, from now. */
  checkAfterMs?: number;
}

/** The attempts of one job run, plus the last Retry-After SATUSEHAT asked for. */
export type AttemptLog = AttemptRecord[] & { retryAfterMs: number | null };

export const newAttemptLog = (): AttemptLog => Object.assign([] as AttemptRecord[], { retryAfterMs: null });

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

/**
 * What a POST (create) or PUT (update) answer means for the item. `duplicate`: SATUSEHAT has it
 * already (an earlier send whose answer was lost); the caller looks it up by identifier.
 */
export type WriteVerdict = { kind: 'outcome'; outcome: SendOutcome } | { kind: 'duplicate' };

export function classifyWrite(response: JudgedResponse, options: { update: boolean; knownId: string | null; isLast: boolean }): WriteVerdict {
  const id = typeof response.json?.id === 'string' ? response.json.id : null;
  if (response.accepted) {
    if (!id && !options.update) return { kind: 'outcome', outcome: { status: 'failed', httpCode: response.status, errorClass: 'bad_response', lastError: 'SATUSEHAT accepted the request but returned no id', lookupFirst: true } };
    return { kind: 'outcome', outcome: sentOutcome(id ?? options.knownId!, response.status) };
  }
  if (isDuplicate(response)) return { kind: 'duplicate' };
  if (isRetryableStatus(response.status)) {
    // A 5xx or 408 on a create may have been stored anyway: look it up before trying again.
    return { kind: 'outcome', outcome: retryOutcome(options.isLast, response.status, errorClassOf(response.status) ?? 'http_5xx', failureText(response), !options.update && response.status !== 429) };
  }
  return { kind: 'outcome', outcome: rejectedOutcome(response) };
}

export const sentOutcome = (satusehatId: string, httpCode: number, display: string | null = null): SendOutcome => ({ status: 'sent', httpCode, satusehatId, display, errorClass: null, lastError: null, lookupFirst: false });

/** A refusal that retrying will not change. */
export const rejectedOutcome = (response: JudgedResponse): SendOutcome => ({ status: 'failed', httpCode: response.status, errorClass: errorClassOf(response.status, response.accepted), lastError: failureText(response), lookupFirst: false });

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
