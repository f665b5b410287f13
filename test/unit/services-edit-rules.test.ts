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
  period: { start: '2026-11-20T01:00:00+00:00' },
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
