import { describe, expect, it } from 'vitest';
import { extractRuleNumbers, hasErrorIssue, hintForStatus, parseOperationOutcome, ruleViolationsOf } from '../../shared/fhir/operation-outcome.js';

// Shaped like SATUSEHAT's validation responses (reference A9).
const multiIssue = {
  resourceType: 'OperationOutcome',
  text: { status: 'generated' },
  issue: [
    {
      severity: 'error',
      code: 'value',
      details: { text: 'Wrong organization ID provided by system URL: http://sys-ids.kemkes.go.id/encounter/100025753 (RuleNumber: 10117)' },
      expression: ['Encounter.identifier[0].system'],
    },
    {
      severity: 'error',
      code: 'value',
      details: { text: 'Invalid date time value : 2021-06-02T12:28:03Z (RuleNumber: 10132) Not Allowed : Future Date or Past Date older than 31st August 2022' },
      expression: ['Encounter.period.start'],
    },
    { severity: 'error', code: 'value', details: { text: 'Reference is mandatory : Encounter.serviceProvider (RuleNumber: 10124)' } },
    {
      severity: 'error',
      code: 'format',
      details: { text: 'Invalid date time format : 2022-06-14 (RuleNumber: 10132). Format allowed : YYYY-MM-DDThh:mm:ss+00:00' },
      expression: ['Encounter.statusHistory[0].period.start'],
    },
  ],
};

describe('parseOperationOutcome', () => {
  it('reads a multi-issue outcome: one message per issue, distinct rule numbers in order', () => {
    expect(parseOperationOutcome(multiIssue)).toEqual({
      messages: [
        'Encounter.identifier[0].system: Wrong organization ID provided by system URL: http://sys-ids.kemkes.go.id/encounter/100025753 (RuleNumber: 10117)',
        'Encounter.period.start: Invalid date time value : 2021-06-02T12:28:03Z (RuleNumber: 10132) Not Allowed : Future Date or Past Date older than 31st August 2022',
        'Reference is mandatory : Encounter.serviceProvider (RuleNumber: 10124)',
        'Encounter.statusHistory[0].period.start: Invalid date time format : 2022-06-14 (RuleNumber: 10132). Format allowed : YYYY-MM-DDThh:mm:ss+00:00',
      ],
      ruleNumbers: ['10117', '10132', '10124'],
    });
  });

  it('reads the same outcome from a JSON string', () => {
    expect(parseOperationOutcome(JSON.stringify(multiIssue))).toEqual(parseOperationOutcome(multiIssue));
  });

  it('reads a text/plain gateway error', () => {
    expect(parseOperationOutcome('Gateway Timeout')).toEqual({ messages: ['Gateway Timeout'], ruleNumbers: [] });
    expect(parseOperationOutcome('Bad Gateway\n')).toEqual({ messages: ['Bad Gateway'], ruleNumbers: [] });
  });

  it('reads a duplicate', () => {
    const duplicate = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'duplicate', details: { text: 'Found duplicate resource: Encounter (RuleNumber: 20002)' } }],
    };
    expect(parseOperationOutcome(duplicate)).toEqual({ messages: ['Found duplicate resource: Encounter (RuleNumber: 20002)'], ruleNumbers: ['20002'] });
  });

  it('falls back to diagnostics, then the code; tolerates the non-standard "invalid" severity', () => {
    const outcome = {
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'invalid', code: 'value', details: { text: 'The user or system was not able to be authenticated (either client_id or client_secret combination is unacceptable)' } },
        { severity: 'error', code: 'processing', diagnostics: 'Resource not found Encounter/abc (RuleNumber: 20007)' },
        { severity: 'warning', code: 'not-found' },
      ],
    };
    expect(parseOperationOutcome(outcome)).toEqual({
      messages: [
        'The user or system was not able to be authenticated (either client_id or client_secret combination is unacceptable)',
        'Resource not found Encounter/abc (RuleNumber: 20007)',
        'warning: not-found',
      ],
      ruleNumbers: ['20007'],
    });
  });

  it('reads outcomes inside a transaction-response Bundle', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction-response',
      entry: [
        { response: { status: '400', outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'value', details: { text: 'fullUrl must be urn:uuid (RuleNumber: 20017)' } }] } } },
        { response: { status: '201 Created' } },
      ],
    };
    expect(parseOperationOutcome(bundle)).toEqual({ messages: ['fullUrl must be urn:uuid (RuleNumber: 20017)'], ruleNumbers: ['20017'] });
  });

  it('reads one entry response of such a Bundle, as kept for the entry\'s item', () => {
    const entryResponse = { status: '400 Bad Request', outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'value', details: { text: 'Invalid date time value : 2023-03-01T03:00:00+00:00 (RuleNumber: 10132)' }, expression: ['Condition.recordedDate'] }] } };
    expect(parseOperationOutcome(JSON.stringify(entryResponse))).toEqual({ messages: ['Condition.recordedDate: Invalid date time value : 2023-03-01T03:00:00+00:00 (RuleNumber: 10132)'], ruleNumbers: ['10132'] });
  });

  it('reads non-FHIR JSON bodies (Patient create, OAuth errors)', () => {
    expect(parseOperationOutcome({ success: false, message: 'Failed to create new patient, another identifier has found', data: { resourceID: 'P02029102427' } }).messages).toEqual([
      'Failed to create new patient, another identifier has found',
    ]);
    expect(parseOperationOutcome('{"error":"invalid_client"}').messages).toEqual(['invalid_client']);
  });

  it('returns nothing for empty bodies and clips long text', () => {
    for (const empty of [undefined, null, '', '   ', {}]) expect(parseOperationOutcome(empty)).toEqual({ messages: [], ruleNumbers: [] });
    const html = `<html><body>${'x'.repeat(2000)}</body></html>`;
    const [message] = parseOperationOutcome(html).messages;
    expect(message?.length).toBeLessThanOrEqual(500);
    expect(message?.endsWith('…')).toBe(true);
  });

  it('reads a bare array of rule violations, as object or as JSON text, rule numbers kept like an OperationOutcome\'s', () => {
    const body = [
      { ruleNumber: '20002', message: 'Found duplicate: Encounter' },
      { ruleNumber: '10132', message: 'Invalid date time value : 2021-06-02T12:28:03+00:00' },
      { ruleNumber: 10117, message: 'Wrong organization ID (RuleNumber: 10117)' },
    ];
    const expected = {
      messages: ['Found duplicate: Encounter (RuleNumber: 20002)', 'Invalid date time value : 2021-06-02T12:28:03+00:00 (RuleNumber: 10132)', 'Wrong organization ID (RuleNumber: 10117)'],
      ruleNumbers: ['20002', '10132', '10117'],
    };
    expect(parseOperationOutcome(body)).toEqual(expected);
    expect(parseOperationOutcome(` ${JSON.stringify(body)}\n`)).toEqual(expected);
    expect(ruleViolationsOf(JSON.stringify(body))).toEqual([
      { ruleNumber: '20002', message: 'Found duplicate: Encounter' },
      { ruleNumber: '10132', message: 'Invalid date time value : 2021-06-02T12:28:03+00:00' },
      { ruleNumber: '10117', message: 'Wrong organization ID (RuleNumber: 10117)' },
    ]);
  });

  it('tells a rule-violation array from other bodies', () => {
    expect(ruleViolationsOf([{ RuleNumber: '10001' }])).toEqual([{ ruleNumber: '10001', message: '' }]);
    expect(parseOperationOutcome([{ RuleNumber: '10001' }])).toEqual({ messages: ['rule violated (RuleNumber: 10001)'], ruleNumbers: ['10001'] });
    for (const other of [[], '[]', [1, 2], ['a'], { resourceType: 'OperationOutcome', issue: [] }, '{"id":"x"}', 'Gateway Timeout', null]) {
      expect(ruleViolationsOf(other), JSON.stringify(other)).toBeNull();
    }
  });

  it('reads an Apigee fault body: its faultstring and errorcode', () => {
    const quota = { fault: { faultstring: 'Rate limit quota violation. Quota limit  exceeded. Identifier : _default', detail: { errorcode: 'policies.ratelimit.QuotaViolation' } } };
    expect(parseOperationOutcome(quota)).toEqual({ messages: ['Rate limit quota violation. Quota limit exceeded. Identifier : _default (policies.ratelimit.QuotaViolation)'], ruleNumbers: [] });
    expect(parseOperationOutcome(JSON.stringify({ fault: { detail: { errorcode: 'policies.ratelimit.SpikeArrestViolation' } } })).messages).toEqual(['policies.ratelimit.SpikeArrestViolation']);
  });

  it('finds error issues, not warnings or information, in an outcome', () => {
    const outcome = (severity: string) => ({ resourceType: 'OperationOutcome', issue: [{ severity, code: 'value', details: { text: 'x' } }] });
    expect(hasErrorIssue(outcome('error'))).toBe(true);
    expect(hasErrorIssue(outcome('fatal'))).toBe(true);
    expect(hasErrorIssue(outcome('warning'))).toBe(false);
    expect(hasErrorIssue(outcome('information'))).toBe(false);
    expect(hasErrorIssue(undefined)).toBe(false);
  });

  it('extracts rule numbers from any text', () => {
    expect(extractRuleNumbers('a (RuleNumber: 10117) b (RuleNumber:10132) c (RuleNumber: 10117)')).toEqual(['10117', '10132']);
  });
});

describe('hintForStatus', () => {
  it.each([
    [400, 'data invalid: fix the request and resend'],
    [401, 'not authenticated'],
    [403, 'no permission'],
    [404, 'not found'],
    [409, 'conflict'],
    [412, 'conflict'],
    [429, 'rate limited'],
    [500, 'SATUSEHAT problem: retry later'],
    [502, 'SATUSEHAT problem: retry later'],
    [503, 'SATUSEHAT problem: retry later'],
    [504, 'SATUSEHAT problem: retry later'],
    [408, 'timed out'],
    [0, 'no response'],
    [201, 'accepted'],
    [418, 'HTTP 418'],
  ])('%i → %s', (code, hint) => {
    expect(hintForStatus(code)).toContain(hint);
  });
});
