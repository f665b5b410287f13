import { describe, expect, it } from 'vitest';
import { checkEditedBody } from '../../shared/services/edit-validation.js';
import { resendRefusal } from '../../shared/services/resend-service.js';

const SYS = 'http://sys-ids.kemkes.go.id/encounter/100011961';
const encounter = (over: Record<string, unknown> = {}) => ({
  resourceType: 'Encounter',
  identifier: [{ system: SYS, value: 'RJ-0001' }],
  status: 'arrived',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
  subject: { reference: 'Patient/{{Patient:42}}', display: '{{name:Patient:42}}' },
  participant: [{ individual: { reference: 'Practitioner/N10000001', display: 'dr. Siti' } }],
  period: { start: '2026-11-20T01:00:00+00:00' },
  location: [{ location: { reference: 'Location/b017aa54-f1df-4ec2-9d84-8823815d7228' } }],
  statusHistory: [{ status: 'arrived', period: { start: '2026-11-20T01:00:00+00:00' } }],
  serviceProvider: { reference: 'Organization/100011961' },
  ...over,
});

describe('checkEditedBody', () => {
  it('accepts a valid body with placeholders and lists its parents', () => {
    const check = checkEditedBody(encounter(), 'Encounter', encounter());
    expect(check.errors).toEqual([]);
    expect(check.parents).toEqual([{ type: 'Patient', sourceKey: '42' }]);
  });

  it("does not list the Conditions of an Encounter's diagnosis as parents (they depend on it)", () => {
    const diagnosis = [{ condition: { reference: 'Condition/{{Condition:7}}' }, rank: 1 }];
    const check = checkEditedBody(encounter({ diagnosis }), 'Encounter', encounter());
    expect(check.errors).toEqual([]);
    expect(check.parents).toEqual([{ type: 'Patient', sourceKey: '42' }]);
  });

  it('refuses a non-object, another type, a changed or removed sys-ids identifier, and invalid R4', () => {
    expect(checkEditedBody([], 'Encounter', null).errors[0]!.message).toMatch(/JSON object/);
    expect(checkEditedBody(encounter({ resourceType: 'Patient' }), 'Encounter', null).errors[0]).toMatchObject({ path: 'resourceType' });
    expect(checkEditedBody(encounter({ identifier: [{ system: SYS, value: 'RJ-0002' }] }), 'Encounter', encounter()).errors[0]!.message).toMatch(/must keep its value "RJ-0001"/);
    expect(checkEditedBody(encounter({ identifier: [] }), 'Encounter', encounter()).errors[0]!.message).toMatch(/was removed/);
    const invalid = checkEditedBody(encounter({ period: { start: '20-11-2026' } }), 'Encounter', null).errors;
    expect(invalid).toContainEqual({ path: 'Encounter.period.start', message: expect.stringMatching(/Invalid dateTime/) });
  });

  it("refuses a person's name typed into a reference display, and accepts leaving it out", () => {
    const typed = checkEditedBody(encounter({ subject: { reference: 'Patient/{{Patient:42}}', display: 'Budi Santoso' } }), 'Encounter', encounter()).errors;
    expect(typed).toEqual([{ path: 'Encounter.subject.display', rule: '10118', message: expect.stringContaining('must be "{{name:Patient:42}}"') }]);
    const practitioner = { participant: [{ individual: { reference: 'Practitioner/{{Practitioner:7}}', display: 'dr. Alexander' } }] };
    expect(checkEditedBody(encounter(practitioner), 'Encounter', encounter()).errors).toEqual([
      { path: 'Encounter.participant[0].individual.display', rule: '10119', message: expect.stringContaining('{{name:Practitioner:7}}') },
    ]);
    expect(checkEditedBody(encounter({ subject: { reference: 'Patient/{{Patient:42}}' } }), 'Encounter', encounter()).errors).toEqual([]);
  });

  it('refuses a code outside a required binding, naming the path and the allowed codes', () => {
    const errors = checkEditedBody(encounter({ status: 'bogus-status' }), 'Encounter', encounter()).errors;
    expect(errors).toEqual([{ path: 'Encounter.status', message: expect.stringMatching(/^Encounter\.status: "bogus-status" is not in the required ValueSet encounter-status \(allowed: arrived, cancelled, .*finished/) }]);
  });

  it('refuses what base R4 allows and the SATUSEHAT profile does not', () => {
    const { statusHistory: _dropped, ...withoutHistory } = encounter();
    const errors = checkEditedBody(withoutHistory, 'Encounter', encounter()).errors;
    expect(errors).toEqual([{ path: 'Encounter.statusHistory', message: 'Encounter.statusHistory: Missing required property (SATUSEHAT profile Encounter)' }]);
  });
});

describe('resendRefusal', () => {
  const base = { currentRevision: 1, satusehatId: null, blockedBy: null, lastError: null };
  it('allows failed, not_sent and invalid with a request; sent only with force', () => {
    expect(resendRefusal({ ...base, status: 'failed' }, false)).toBeNull();
    expect(resendRefusal({ ...base, status: 'not_sent' }, false)).toBeNull();
    expect(resendRefusal({ ...base, status: 'invalid' }, false)).toBeNull();
    expect(resendRefusal({ ...base, status: 'invalid', currentRevision: 0, lastError: 'no NIK' }, false)).toMatch(/no request was built \(no NIK\)/);
    expect(resendRefusal({ ...base, status: 'sent', satusehatId: 'abc' }, false)).toMatch(/already sent \(SATUSEHAT id abc\)/);
    expect(resendRefusal({ ...base, status: 'sent' }, true)).toBeNull();
  });
  it('leaves queued, sending and blocked items alone', () => {
    expect(resendRefusal({ ...base, status: 'queued' }, true)).toBe('already queued');
    expect(resendRefusal({ ...base, status: 'sending' }, true)).toBe('being sent right now');
    expect(resendRefusal({ ...base, status: 'blocked', blockedBy: 'waiting for Patient 42 to be sent' }, true)).toMatch(/parent is \(waiting for Patient 42/);
  });
});
