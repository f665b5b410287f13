// The other shapes SATUSEHAT answers in (reference A13), produced on demand by the faults: a bare
// array of rule violations (with HTTP 200 as well as 400), an Apigee fault body on a 429, and a
// failed transaction whose entries carry their own outcome.
import { issue, outcome, type Issue } from './outcome.js';
import { fhirJson, json, type Reply } from './reply.js';
import type { Rate429Body } from './types.js';

const RULE_RE = /\s*\(RuleNumber:\s*(\d+)\)/;

// Apigee's own fault texts for its two rate-limit policies.
const APIGEE_FAULTS: Record<Exclude<Rate429Body, 'operation-outcome'>, { faultstring: string; errorcode: string }> = {
  'apigee-quota': { faultstring: 'Rate limit quota violation. Quota limit  exceeded. Identifier : _default', errorcode: 'policies.ratelimit.QuotaViolation' },
  'apigee-spike-arrest': {
    faultstring: 'Spike arrest violation. Allowed rate : MessageRate{messagesPerPeriod=150, periodInMicroseconds=60000000, maxBurstMessageCount=1.0}',
    errorcode: 'policies.ratelimit.SpikeArrestViolation',
  },
};

/** A 429 in the configured body: SATUSEHAT's OperationOutcome, or the gateway's Apigee fault. */
export function tooManyRequests(body: Rate429Body, message: string, headers: Record<string, string>): Reply {
  if (body === 'operation-outcome') return fhirJson(429, outcome([issue('throttled', message)]), headers);
  const { faultstring, errorcode } = APIGEE_FAULTS[body];
  return json(429, { fault: { faultstring, detail: { errorcode } } }, headers);
}

/** `[{ruleNumber, message}]`: the RuleNumber moves out of the text into its own field. */
export function ruleViolations(issues: Issue[]): Array<{ ruleNumber: string; message: string }> {
  return issues.map((i) => ({ ruleNumber: RULE_RE.exec(i.details.text)?.[1] ?? '', message: i.details.text.replace(RULE_RE, '') }));
}

/** Issues of a 400 OperationOutcome or of an entry-outcomes Bundle; null for any other reply. */
function issuesOf(reply: Reply): Issue[] | null {
  if (reply.status !== 400) return null;
  let body: { resourceType?: string; issue?: Issue[]; entry?: Array<{ response?: { outcome?: { issue?: Issue[] } } }> };
  try {
    body = JSON.parse(reply.body) as typeof body;
  } catch {
    return null;
  }
  if (body.resourceType === 'OperationOutcome') return body.issue ?? [];
  if (body.resourceType === 'Bundle') return (body.entry ?? []).flatMap((e) => (e.response?.outcome?.issue ?? []).filter((i) => i.severity === 'error'));
  return null;
}

/** A rejected write re-written as a rule-violation array with `status`; other replies unchanged. */
export function asRuleArray(reply: Reply, status: 200 | 400): Reply {
  const issues = issuesOf(reply);
  return issues === null ? reply : json(status, ruleViolations(issues));
}

const ROLLED_BACK: Issue = { severity: 'information', code: 'informational', details: { text: 'Not stored: the transaction was rolled back' } };

/**
 * A failed transaction as a transaction-response Bundle: each entry's `response.outcome` holds its
 * own issues (expressions relative to its resource); an entry without issues was only rolled back.
 */
export function entryOutcomes(entries: Array<{ fullUrl: string; issues: Issue[] }>): Reply {
  const entry = entries.map((e) => ({
    fullUrl: e.fullUrl,
    response: {
      status: '400 Bad Request',
      outcome: outcome(e.issues.length > 0 ? e.issues : [ROLLED_BACK]),
    },
  }));
  return fhirJson(400, { resourceType: 'Bundle', type: 'transaction-response', entry });
}
