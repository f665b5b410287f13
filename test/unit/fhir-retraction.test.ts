import { describe, expect, it } from 'vitest';
import { retractedBody } from '../../shared/fhir/retraction.js';

const AT = '2026-12-02T05:00:00+00:00';

describe('retraction bodies', () => {
  it('a Condition: entered-in-error, without clinicalStatus (con-5), the rest as it was', () => {
    const body = { resourceType: 'Condition', clinicalStatus: { coding: [{ code: 'active' }] }, code: { text: 'x' } };
    const out = retractedBody('Condition', body, AT)!;
    expect(out.clinicalStatus).toBeUndefined();
    expect(out.verificationStatus).toEqual({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'entered-in-error', display: 'Entered in Error' }] });
    expect(out.code).toEqual({ text: 'x' });
    expect(body.clinicalStatus, 'the input is left alone').toBeDefined();
  });

  it('Observation, Procedure, Immunization: status entered-in-error; an Encounter: cancelled, closing its history once', () => {
    for (const type of ['Observation', 'Procedure', 'Immunization']) expect(retractedBody(type, { resourceType: type, status: 'final' }, AT)!.status).toBe('entered-in-error');
    const encounter = { resourceType: 'Encounter', status: 'finished', statusHistory: [{ status: 'arrived' }, { status: 'finished' }] };
    const once = retractedBody('Encounter', encounter, AT)!;
    expect(once.status).toBe('cancelled');
    expect(once.statusHistory).toEqual([{ status: 'arrived' }, { status: 'finished' }, { status: 'cancelled', period: { start: AT, end: AT } }]);
    expect((retractedBody('Encounter', once, AT)!.statusHistory as unknown[]).length).toBe(3);
    expect(retractedBody('MedicationRequest', { resourceType: 'MedicationRequest' }, AT)).toBeNull();
  });
});
