// Reading SATUSEHAT error responses. Validation errors are OperationOutcomes whose
// issue[].details.text embeds the rule, e.g. "Reference is mandatory : Encounter.serviceProvider
// (RuleNumber: 10124)"; gateway errors (502/503/504) are text/plain bodies like "Gateway Timeout".
// SATUSEHAT also answers with a bare JSON array of rule violations, `[{"ruleNumber":"20002",
// "message":"…"}]`, with HTTP 200 as well as 400 (reference A13), and the Apigee gateway with
// `{"fault":{"faultstring":"…","detail":{"errorcode":"…"}}}` (a 429 quota or spike arrest).
// Pure: takes the body the client already read, as parsed JSON or as text.

export interface ParsedOutcome {
  /** One readable line per issue, prefixed with its FHIR path when SATUSEHAT gave one. */
  messages: string[];
  /** Distinct RuleNumbers in order of appearance, e.g. ['10117', '10132']. */
  ruleNumbers: string[];
}

const RULE_NUMBER_RE = /RuleNumber:\s*(\d+)/g;
/** Longest text kept from a non-FHIR body (an HTML error page, say). */
const MAX_TEXT = 500;

export function extractRuleNumbers(text: string): string[] {
  return [...new Set([...text.matchAll(RULE_NUMBER_RE)].map((m) => m[1] ?? ''))];
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_TEXT ? `${oneLine.slice(0, MAX_TEXT - 1)}…` : oneLine;
}

function issueMessage(issue: unknown): string | undefined {
  if (!isRecord(issue)) return undefined;
  const details = isRecord(issue.details) ? issue.details : {};
  const firstCoding = Array.isArray(details.coding) && isRecord(details.coding[0]) ? details.coding[0] : {};
  const text = str(details.text) ?? str(issue.diagnostics) ?? str(firstCoding.display) ?? str(firstCoding.code) ?? str(issue.code);
  if (text === undefined) return undefined;
  const paths = [issue.expression, issue.location].find((p) => Array.isArray(p) && p.length > 0) as unknown[] | undefined;
  const where = paths?.filter((p): p is string => typeof p === 'string').join(', ');
  const severity = str(issue.severity);
  const prefix = severity === 'warning' || severity === 'information' ? `${severity}: ` : '';
  return `${prefix}${where ? `${where}: ` : ''}${text}`;
}

export interface RuleViolation {
  ruleNumber: string | null;
  message: string;
}

/**
 * The rule violations of a bare-array body (or of its JSON text); null for any other body. An
 * array like this is a rejection whatever the HTTP status that came with it.
 */
export function ruleViolationsOf(body: unknown): RuleViolation[] | null {
  const value = typeof body === 'string' && body.trimStart().startsWith('[') ? parseJsonOrNull(body) : body;
  if (!Array.isArray(value) || value.length === 0 || !value.every(isRecord)) return null;
  const violations = value.map((v) => {
    const rule = v.ruleNumber ?? v.RuleNumber ?? v.rule_number;
    const ruleNumber = typeof rule === 'number' ? String(rule) : (str(rule) ?? null);
    return { ruleNumber, message: str(v.message) ?? str(v.Message) ?? str(v.description) ?? (ruleNumber ? '' : clip(JSON.stringify(v))) };
  });
  return violations.some((v) => v.ruleNumber !== null || v.message !== '') ? violations : null;
}

function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** "message (RuleNumber: N)", like an OperationOutcome's details.text, unless it names its rule already. */
function violationMessage(v: RuleViolation): string {
  const text = v.message || 'rule violated';
  return v.ruleNumber === null || extractRuleNumbers(text).includes(v.ruleNumber) ? clip(text) : `${clip(text)} (RuleNumber: ${v.ruleNumber})`;
}

/** True when an OperationOutcome carries an issue of severity error or fatal (not only warnings). */
export function hasErrorIssue(outcome: unknown): boolean {
  if (!isRecord(outcome) || !Array.isArray(outcome.issue)) return false;
  return outcome.issue.some((i) => isRecord(i) && (i.severity === 'error' || i.severity === 'fatal'));
}

/** An Apigee fault body: `faultstring (errorcode)`. */
function faultMessage(fault: unknown): string | undefined {
  if (!isRecord(fault)) return str(fault);
  const errorcode = isRecord(fault.detail) ? str(fault.detail.errorcode) : undefined;
  const text = str(fault.faultstring);
  if (text === undefined) return errorcode;
  return errorcode ? `${text} (${errorcode})` : text;
}

function collect(body: unknown, messages: string[]): void {
  const violations = ruleViolationsOf(body);
  if (violations) {
    for (const v of violations) messages.push(violationMessage(v));
    return;
  }
  if (!isRecord(body)) return;
  if (body.resourceType === 'OperationOutcome') {
    const issues = Array.isArray(body.issue) ? body.issue : [];
    for (const issue of issues) {
      const message = issueMessage(issue);
      if (message !== undefined) messages.push(message);
    }
    const narrative = isRecord(body.text) ? str(body.text.div) : undefined;
    if (issues.length === 0 && narrative) messages.push(clip(narrative.replace(/<[^>]*>/g, ' ')));
    return;
  }
  // One entry's response of a transaction-response Bundle, {status, outcome}, as kept for its item.
  if (body.resourceType === undefined && isRecord(body.outcome)) {
    collect(body.outcome, messages);
    return;
  }
  if (body.resourceType === 'Bundle' && Array.isArray(body.entry)) {
    // transaction-response: per-entry outcomes.
    for (const entry of body.entry) {
      if (isRecord(entry) && isRecord(entry.response)) collect(entry.response.outcome, messages);
    }
    return;
  }
  // Non-FHIR JSON, e.g. Patient create's {success, message, data} or an OAuth error.
  const text = str(body.message) ?? str(body.error_description) ?? str(body.error) ?? faultMessage(body.fault);
  if (text !== undefined) messages.push(clip(text));
  else if (Object.keys(body).length > 0) messages.push(clip(JSON.stringify(body)));
}

/**
 * Parses any response body: an OperationOutcome object, a JSON string of one, a transaction
 * response Bundle, a rule-violation array, another JSON object, or plain text. Never throws.
 */
export function parseOperationOutcome(body: unknown): ParsedOutcome {
  let value = body;
  if (typeof body === 'string') {
    const trimmed = body.trim();
    if (trimmed === '') return { messages: [], ruleNumbers: [] };
    try {
      value = JSON.parse(trimmed) as unknown;
    } catch {
      return { messages: [clip(trimmed)], ruleNumbers: extractRuleNumbers(trimmed) };
    }
    if (!isRecord(value) && !ruleViolationsOf(value)) return { messages: [clip(trimmed)], ruleNumbers: extractRuleNumbers(trimmed) };
  }
  const messages: string[] = [];
  collect(value, messages);
  return { messages, ruleNumbers: extractRuleNumbers(messages.join('\n')) };
}

/** Plain-language meaning of an HTTP status from SATUSEHAT, for the operator. 0 means no response. */
export function hintForStatus(httpCode: number): string {
  if (httpCode === 0) return 'no response (network error or timeout): will retry';
  if (httpCode >= 200 && httpCode < 300) return 'accepted by SATUSEHAT';
  if (httpCode === 400 || httpCode === 422) return 'data invalid: fix the request and resend';
  if (httpCode === 401) return 'not authenticated: check the client id/secret; the token may have expired';
  if (httpCode === 403) return 'no permission: this client or organization may not use this resource type';
  if (httpCode === 404) return 'not found: the referenced resource or id does not exist in this SATUSEHAT environment';
  if (httpCode === 408) return 'request timed out: will retry';
  if (httpCode === 409 || httpCode === 412) return 'conflict: a matching resource already exists; look it up by identifier';
  if (httpCode === 429) return 'rate limited: waiting before retrying';
  if (httpCode >= 500 && httpCode < 600) return 'SATUSEHAT problem: retry later';
  if (httpCode >= 400 && httpCode < 500) return `request rejected (HTTP ${httpCode}): check the request`;
  return `unexpected HTTP status ${httpCode}`;
}
