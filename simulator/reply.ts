// Handlers return a Reply instead of writing to the socket, so the server can apply
// "store, then lose the response" faults after a successful write.
import { issue, outcome, type IssueCode } from './outcome.js';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Set when the request wrote to the store (POST/PUT): the lost-response fault applies. */
  stored?: boolean;
}

export const FHIR_JSON = 'application/fhir+json;charset=utf-8';

export function fhirJson(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': FHIR_JSON, ...headers }, body: JSON.stringify(body) };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function text(status: number, body: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'text/plain', ...headers }, body };
}

/** A one-issue OperationOutcome reply. */
export function fail(status: number, code: IssueCode, message: string, expression?: string): Reply {
  return fhirJson(status, outcome([issue(code, message, expression)]));
}
