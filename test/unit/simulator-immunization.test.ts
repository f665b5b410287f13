// The simulator's rules for Immunization (simulator/validate-immunization.ts): it accepts what we
// send (our goldens) and the IG's own examples' codes, and refuses what the IG profile does not
// allow: a missing required element, a performer without actor, a dose without number, a code
// outside the IG's lists or a display that does not belong to its code.
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../simulator/types.js';
import { ctx, golden, messages as messagesOf } from './simulator-support.js';

const messages = (r: JsonObject, c = ctx()) => messagesOf('Immunization', r, c);
const without = (body: JsonObject, key: string) => Object.fromEntries(Object.entries(body).filter(([k]) => k !== key)) as JsonObject;

describe('simulator: Immunization', () => {
  const td = () => golden('immunization/imunisasi-td-anc.json');

  it('accepts the vaccinations we send', () => {
    expect(messages(td())).toEqual([]);
    expect(messages(golden('immunization/imunisasi-rabies-dosis-2.json'))).toEqual([]);
  });

  it('accepts the IG example shapes: a record from recall, not done with a Kemkes reason, an Organization performer', () => {
    const body = td();
    const recalled = { ...body, primarySource: false, reportOrigin: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/immunization-origin', code: 'recall', display: 'Parent/Guardian/Patient Recall' }] } };
    expect(messages(recalled)).toEqual([]);
    const notDone = { ...body, status: 'not-done', statusReason: { coding: [{ system: 'http://terminology.kemkes.go.id/CodeSystem/immunization-statusReason', code: 'IS000001', display: 'Tunda' }] } };
    expect(messages(notDone)).toEqual([]);
    expect(messages({ ...body, performer: [...(body.performer as JsonObject[]), { actor: { reference: 'Organization/100011961' } }] })).toEqual([]);
  });

  it('refuses a missing status, vaccine, patient or occurrence, and a status outside the profile', () => {
    const body = td();
    expect(messages(without(body, 'status')).join()).toMatch(/Immunization\.status/);
    expect(messages(without(body, 'vaccineCode')).join()).toMatch(/Immunization\.vaccineCode/);
    expect(messages(without(body, 'patient')).join()).toMatch(/Immunization\.patient/);
    expect(messages(without(body, 'occurrenceDateTime')).join()).toMatch(/Immunization\.occurrence\[x\]/);
    expect(messages({ ...body, status: 'given' }).join()).toMatch(/Code not found: 'given' in Immunization\.status/);
    expect(messages({ ...body, status: 'not-done' }).join()).toMatch(/Immunization\.statusReason/);
  });

  it('refuses a performer without actor, a dose without number, and references that point nowhere', () => {
    const body = td();
    expect(messages({ ...body, performer: [{ function: (body.performer as JsonObject[])[0]!.function }] }).join()).toMatch(/Immunization\.performer\[0\]\.actor/);
    expect(messages({ ...body, protocolApplied: [{ series: 'Td' }] }).join()).toMatch(/Immunization\.protocolApplied\[0\]\.doseNumber\[x\]/);
    expect(messages({ ...body, protocolApplied: [{ doseNumberPositiveInt: 0 }] }).join()).toMatch(/positive integer/);
    const encounter = (body.encounter as { reference: string }).reference;
    expect(messages(body, ctx([encounter])).join()).toMatch(/Reference not found : Immunization\.encounter/);
  });

  it('refuses vaccine codes outside KFA and CVX, unknown reasons and routes, and displays that do not fit their code', () => {
    const body = td();
    expect(messages({ ...body, vaccineCode: { coding: [{ system: 'http://snomed.info/sct', code: '333621002' }] } }).join()).toMatch(/RuleNumber: 10002/);
    expect(messages({ ...body, vaccineCode: { coding: [{ system: 'http://sys-ids.kemkes.go.id/kfa', code: 'TT-01' }] } }).join()).toMatch(/Code not found: 'TT-01'.*RuleNumber: 10001/);
    expect(messages({ ...body, reasonCode: [{ coding: [{ system: 'http://terminology.kemkes.go.id/CodeSystem/immunization-reason', code: 'IM-ANC' }] }] }).join()).toMatch(/Code not found: 'IM-ANC'/);
    expect(messages({ ...body, route: { coding: [{ system: 'http://www.whocc.no/atc', code: 'IM' }] } }).join()).toMatch(/Code not found: 'IM'/);
    expect(messages({ ...body, reasonCode: [{ coding: [{ system: 'http://terminology.kemkes.go.id/CodeSystem/immunization-reason', code: 'IM-WUS', display: 'Imunisasi Program' }] }] }).join()).toMatch(/Display 'Imunisasi Program' does not match code 'IM-WUS'/);
    const performer = [{ ...(body.performer as JsonObject[])[0]!, function: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0443', code: 'AP', display: 'Vaccinator' }] } }];
    expect(messages({ ...body, performer }).join()).toMatch(/Display 'Vaccinator' does not match code 'AP'/);
    expect(messages({ ...body, doseQuantity: { value: 0.5, unit: 'mL', system: 'http://unitsofmeasure.org', code: 'cc' } }).join()).toMatch(/RuleNumber: 10012/);
  });
});
