// How the send path judges one SATUSEHAT response (reference A13): a rule-violation array is a
// rejection whatever its HTTP status, a 20002 array is a duplicate, and an Apigee 429 without
// Retry-After asks for its policy's default wait.
import { describe, expect, it } from 'vitest';
import { errorClassOf, failureText, isDuplicate, judge } from '../../shared/satusehat/outcome.js';
import type { SatusehatResponse } from '../../shared/satusehat/client.js';
import { gatewayBackoffMs, gatewayLimitOf, QUOTA_VIOLATION_BACKOFF_MS, SPIKE_ARREST_BACKOFF_MS } from '../../shared/satusehat/gateway-backoff.js';

function response(status: number, body: unknown): SatusehatResponse {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const json = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  return { method: 'POST', url: 'http://sim/fhir-r4/v1/Encounter', status, text, json, retryAfterMs: null, durationMs: 1, startedAt: new Date(), finishedAt: new Date() };
}

const duplicateArray = [{ ruleNumber: '20002', message: 'Found duplicate: Encounter' }];
const dateArray = [{ ruleNumber: '10132', message: 'Invalid date time value : 2021-06-02T12:28:03+00:00' }];

describe('judge', () => {
  it('accepts a 2xx resource, and parses nothing for it', () => {
    const judged = judge(response(201, { resourceType: 'Encounter', id: 'e-1' }));
    expect(judged.accepted).toBe(true);
    expect(judged.outcome).toEqual({ messages: [], ruleNumbers: [] });
    expect(errorClassOf(judged.status, judged.accepted)).toBeNull();
  });

  it.each([200, 201, 400])('a rule-violation array with HTTP %i is a rejection with its rule numbers', (status) => {
    const judged = judge(response(status, dateArray));
    expect(judged.accepted).toBe(false);
    expect(judged.outcome).toEqual({ messages: ['Invalid date time value : 2021-06-02T12:28:03+00:00 (RuleNumber: 10132)'], ruleNumbers: ['10132'] });
    expect(errorClassOf(judged.status, judged.accepted)).toBe(status === 400 ? 'http_4xx' : 'rejected');
    expect(failureText(judged)).toBe(`HTTP ${status}${status === 400 ? '' : ' with rule violations'}: Invalid date time value : 2021-06-02T12:28:03+00:00 (RuleNumber: 10132)`);
    expect(isDuplicate(judged)).toBe(false);
  });

  it('a 20002 array is a duplicate with HTTP 200 as with 400, like a 20002 OperationOutcome', () => {
    expect(isDuplicate(judge(response(200, duplicateArray)))).toBe(true);
    expect(isDuplicate(judge(response(400, duplicateArray)))).toBe(true);
    const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'duplicate', details: { text: 'Found duplicate resource: Encounter (RuleNumber: 20002)' } }] };
    expect(isDuplicate(judge(response(400, outcome)))).toBe(true);
    // Not a duplicate: a 2xx resource, a 5xx, a 20002 that came as 409.
    expect(isDuplicate(judge(response(201, { resourceType: 'Encounter', id: 'e-1' })))).toBe(false);
    expect(isDuplicate(judge(response(503, 'Found duplicate? Service Unavailable')))).toBe(false);
    expect(isDuplicate(judge(response(409, duplicateArray)))).toBe(false);
  });

  it('classifies other statuses as before', () => {
    expect(errorClassOf(429)).toBe('rate_limited');
    expect(errorClassOf(408)).toBe('timeout');
    expect(errorClassOf(502)).toBe('http_5xx');
    expect(errorClassOf(404)).toBe('http_4xx');
  });
});

describe('gatewayBackoffMs', () => {
  const quota = { fault: { faultstring: 'Rate limit quota violation. Quota limit  exceeded. Identifier : _default', detail: { errorcode: 'policies.ratelimit.QuotaViolation' } } };
  const spike = { fault: { faultstring: 'Spike arrest violation. Allowed rate : MessageRate{messagesPerPeriod=150}', detail: { errorcode: 'policies.ratelimit.SpikeArrestViolation' } } };

  it('names the Apigee policy that refused', () => {
    expect(gatewayLimitOf(quota)).toBe('quota');
    expect(gatewayLimitOf(spike)).toBe('spike-arrest');
    expect(gatewayLimitOf({ fault: { faultstring: 'Spike arrest violation' } })).toBe('spike-arrest');
    expect(gatewayLimitOf({ fault: { faultstring: 'Invalid ApiKey', detail: { errorcode: 'oauth.v2.InvalidApiKey' } } })).toBeNull();
    expect(gatewayLimitOf({ resourceType: 'OperationOutcome' })).toBeNull();
  });

  it('gives a 429 with an Apigee rate-limit body its default wait, and nothing else one', () => {
    expect(gatewayBackoffMs(429, quota)).toBe(QUOTA_VIOLATION_BACKOFF_MS);
    expect(gatewayBackoffMs(429, spike)).toBe(SPIKE_ARREST_BACKOFF_MS);
    expect(QUOTA_VIOLATION_BACKOFF_MS).toBe(60_000);
    expect(SPIKE_ARREST_BACKOFF_MS).toBe(5_000);
    expect(gatewayBackoffMs(429, { resourceType: 'OperationOutcome', issue: [] })).toBeNull();
    expect(gatewayBackoffMs(429, null)).toBeNull();
    expect(gatewayBackoffMs(500, quota)).toBeNull();
  });
});
