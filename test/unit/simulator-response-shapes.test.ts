// The simulator's other SATUSEHAT answer shapes (reference A13) and its configurable date floor.
import { describe, expect, it } from 'vitest';
import { issue, outcome } from '../../simulator/outcome.js';
import { fail, fhirJson } from '../../simulator/reply.js';
import { asRuleArray, entryOutcomes, ruleViolations, tooManyRequests } from '../../simulator/response-shapes.js';
import { checkDateTime, floorWords, parseFloorDate, type ValidationContext } from '../../simulator/validate-common.js';
import type { Issue } from '../../simulator/outcome.js';

describe('rule-violation arrays', () => {
  it('moves each RuleNumber out of its text into its own field', () => {
    expect(ruleViolations([
      issue('duplicate', 'Found duplicate resource: Encounter (RuleNumber: 20002)', 'Encounter.identifier'),
      issue('value', 'Invalid date time value : 2021-06-02T12:28:03+00:00 (RuleNumber: 10132) Not Allowed : Future Date'),
      issue('structure', 'Encounter.identifier must be an array'),
    ])).toEqual([
      { ruleNumber: '20002', message: 'Found duplicate resource: Encounter' },
      { ruleNumber: '10132', message: 'Invalid date time value : 2021-06-02T12:28:03+00:00 Not Allowed : Future Date' },
      { ruleNumber: '', message: 'Encounter.identifier must be an array' },
    ]);
  });

  it('re-writes a 400 OperationOutcome with the status asked for, and leaves other replies alone', () => {
    const rejected = fail(400, 'duplicate', 'Found duplicate resource: Encounter (RuleNumber: 20002)');
    for (const status of [200, 400] as const) {
      const reply = asRuleArray(rejected, status);
      expect(reply.status).toBe(status);
      expect(reply.headers['content-type']).toBe('application/json');
      expect(JSON.parse(reply.body)).toEqual([{ ruleNumber: '20002', message: 'Found duplicate resource: Encounter' }]);
    }
    const created = fhirJson(201, { resourceType: 'Encounter', id: 'x' });
    expect(asRuleArray(created, 200)).toBe(created);
    const notFound = fail(404, 'not-found', 'Resource not found Encounter/x (RuleNumber: 20007)');
    expect(asRuleArray(notFound, 200)).toBe(notFound);
  });

  it('takes the error issues of an entry-outcomes Bundle', () => {
    const bundle = entryOutcomes([
      { fullUrl: 'urn:uuid:a', issues: [] },
      { fullUrl: 'urn:uuid:b', issues: [issue('value', 'Invalid coding system: http://x (RuleNumber: 10002)', 'Condition.code.coding[0].system')] },
    ]);
    expect(JSON.parse(asRuleArray(bundle, 200).body)).toEqual([{ ruleNumber: '10002', message: 'Invalid coding system: http://x' }]);
  });
});

describe('a failed transaction with per-entry outcomes', () => {
  it('gives each entry its own outcome; an entry without issues says it was rolled back', () => {
    const own: Issue = issue('value', 'Invalid coding system: http://x (RuleNumber: 10002)', 'Condition.code.coding[0].system');
    const reply = entryOutcomes([{ fullUrl: 'urn:uuid:a', issues: [] }, { fullUrl: 'urn:uuid:b', issues: [own] }]);
    expect(reply.status).toBe(400);
    const body = JSON.parse(reply.body);
    expect(body).toMatchObject({ resourceType: 'Bundle', type: 'transaction-response' });
    expect(body.entry).toEqual([
      { fullUrl: 'urn:uuid:a', response: { status: '400 Bad Request', outcome: outcome([{ severity: 'information', code: 'informational', details: { text: 'Not stored: the transaction was rolled back' } }]) } },
      { fullUrl: 'urn:uuid:b', response: { status: '400 Bad Request', outcome: outcome([own]) } },
    ]);
  });
});

describe('429 bodies', () => {
  it('answers as SATUSEHAT or as its Apigee gateway, headers as given', () => {
    expect(JSON.parse(tooManyRequests('operation-outcome', 'Too Many Requests', {}).body)).toEqual(outcome([issue('throttled', 'Too Many Requests')]));
    const quota = tooManyRequests('apigee-quota', 'Too Many Requests', {});
    expect(quota.status).toBe(429);
    expect(quota.headers['retry-after']).toBeUndefined();
    expect(JSON.parse(quota.body)).toEqual({ fault: { faultstring: 'Rate limit quota violation. Quota limit  exceeded. Identifier : _default', detail: { errorcode: 'policies.ratelimit.QuotaViolation' } } });
    const spike = tooManyRequests('apigee-spike-arrest', 'x', { 'retry-after': '2' });
    expect(spike.headers['retry-after']).toBe('2');
    expect(JSON.parse(spike.body).fault.detail.errorcode).toBe('policies.ratelimit.SpikeArrestViolation');
  });
});

describe('the date floor (10132)', () => {
  const ctx = (minResourceDate?: string): ValidationContext => ({
    orgId: '100011961', now: Date.UTC(2026, 10, 20), minResourceDate, hasResource: () => true, isKnownPerson: () => true, personName: null,
  });

  it('words the floor as SATUSEHAT does', () => {
    expect(floorWords(Date.UTC(2022, 7, 31))).toBe('31st August 2022');
    expect(floorWords(Date.UTC(2014, 5, 3))).toBe('3rd June 2014');
    expect(floorWords(Date.UTC(2020, 0, 12))).toBe('12th January 2020');
    expect(floorWords(Date.UTC(2020, 1, 22))).toBe('22nd February 2020');
    expect(parseFloorDate('2014-06-03')).toBe(Date.UTC(2014, 5, 3));
    expect(parseFloorDate('2014-06-31')).toBeNull();
  });

  it('rejects what is before the configured floor, naming it', () => {
    const issues: Issue[] = [];
    expect(checkDateTime('2020-01-01T00:00:00+00:00', 'Encounter.period.start', ctx(), issues)).toBeNull();
    expect(checkDateTime('2020-01-01T00:00:00+00:00', 'Encounter.period.start', ctx('2014-06-03'), issues)).toBe(Date.UTC(2020, 0, 1));
    expect(checkDateTime('2014-06-02T23:59:59+00:00', 'Encounter.period.start', ctx('2014-06-03'), issues)).toBeNull();
    expect(issues.map((i) => i.details.text)).toEqual([
      'Invalid date time value : 2020-01-01T00:00:00+00:00 (RuleNumber: 10132) Not Allowed : Future Date or Past Date older than 31st August 2022',
      'Invalid date time value : 2014-06-02T23:59:59+00:00 (RuleNumber: 10132) Not Allowed : Future Date or Past Date older than 3rd June 2014',
    ]);
  });
});
