// The Request tab's first line is the request the next send makes: the worker sends a PUT by id to
// an item SATUSEHAT holds (daemon/send/send-job.ts), a POST otherwise, and a lookup's own GET.
import { describe, expect, it } from 'vitest';
import { nextSendOf } from '../../shared/services/items-service.js';

const FHIR = 'https://api-satusehat-stg.dto.kemkes.go.id/fhir-r4/v1/';

describe('nextSendOf', () => {
  it('POST for a new resource, PUT by id once SATUSEHAT holds it, the lookup GET, nothing without a request', () => {
    const rev = { method: 'POST', path: 'Encounter' };
    expect(nextSendOf({ type: 'Encounter', satusehatId: null }, rev, FHIR)).toMatchObject({ method: 'POST', url: `${FHIR}Encounter` });
    expect(nextSendOf({ type: 'Encounter', satusehatId: 'e-1' }, rev, FHIR)).toMatchObject({ method: 'PUT', url: `${FHIR}Encounter/e-1`, why: 'an update: SATUSEHAT holds it as this id' });
    // A registry type with its own FHIR type: the vital-sign Observation, the education Procedure.
    expect(nextSendOf({ type: 'ProcedureEducation', satusehatId: 'p-9' }, { method: 'POST', path: 'Procedure' }, FHIR)).toMatchObject({ method: 'PUT', url: `${FHIR}Procedure/p-9` });
    const nik = 'Patient?identifier=https%3A%2F%2Ffhir.kemkes.go.id%2Fid%2Fnik%7C3171000000000001';
    expect(nextSendOf({ type: 'Patient', satusehatId: 'P0001' }, { method: 'GET', path: nik }, FHIR)).toMatchObject({ method: 'GET', url: `${FHIR}${nik}` });
    expect(nextSendOf({ type: 'Encounter', satusehatId: null }, null, FHIR)).toBeNull();
  });
});
