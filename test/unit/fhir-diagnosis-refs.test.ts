import { describe, expect, it } from 'vitest';
import { diagnosisRefs, restoreDiagnosis, takeDiagnosis } from '../../shared/fhir/diagnosis-refs.js';

const entry = (key: string, rank: number) => ({ condition: { reference: `Condition/{{Condition:${key}}}` }, use: { coding: [{ code: 'DD' }] }, rank });
const encounter = () => Object.freeze({ resourceType: 'Encounter', subject: { reference: 'Patient/{{Patient:1}}' }, diagnosis: Object.freeze([entry('7', 1), entry('8', 2)]) });

describe('Encounter.diagnosis as child references', () => {
  it('names the Conditions of the diagnosis, and nothing for other types', () => {
    expect(diagnosisRefs(encounter())).toEqual([{ type: 'Condition', sourceKey: '7' }, { type: 'Condition', sourceKey: '8' }]);
    expect(diagnosisRefs({ resourceType: 'Condition', diagnosis: [entry('7', 1)] })).toEqual([]);
    expect(diagnosisRefs({ resourceType: 'Encounter' })).toEqual([]);
  });

  it('takes the diagnosis out without touching the input, and leaves other bodies alone', () => {
    const input = encounter();
    const taken = takeDiagnosis(input);
    expect(taken.body).toEqual({ resourceType: 'Encounter', subject: { reference: 'Patient/{{Patient:1}}' } });
    expect(taken.entries).toEqual([entry('7', 1), entry('8', 2)]);
    expect(input.diagnosis).toHaveLength(2);
    const other = { resourceType: 'Observation', code: {} };
    expect(takeDiagnosis(other)).toEqual({ body: other, entries: [] });
  });

  it('puts back the entries it can name, in order, and reports the others', () => {
    const { body, entries } = takeDiagnosis(encounter());
    const restored = restoreDiagnosis(body, entries, (ref) => (ref.sourceKey === '8' ? 'urn:uuid:00000000-0000-4000-8000-000000000008' : undefined));
    expect(restored.body).toEqual({ ...body, diagnosis: [{ ...entry('8', 2), condition: { reference: 'urn:uuid:00000000-0000-4000-8000-000000000008' } }] });
    expect(restored.left).toEqual([{ type: 'Condition', sourceKey: '7' }]);
  });

  it('sends no empty diagnosis when none can be named yet', () => {
    const { body, entries } = takeDiagnosis(encounter());
    const restored = restoreDiagnosis(body, entries, () => undefined);
    expect(restored.body).not.toHaveProperty('diagnosis');
    expect(restored.left.map((r) => r.sourceKey)).toEqual(['7', '8']);
  });

  it("keeps an entry an operator wrote with a SATUSEHAT id as it is", () => {
    const edited = { resourceType: 'Encounter', diagnosis: [{ condition: { reference: 'Condition/abc-123' }, rank: 1 }, entry('9', 2)] };
    const { body, entries } = takeDiagnosis(edited);
    const restored = restoreDiagnosis(body, entries, (ref) => `Condition/id-${ref.sourceKey}`);
    expect(restored.body).toEqual({ resourceType: 'Encounter', diagnosis: [{ condition: { reference: 'Condition/abc-123' }, rank: 1 }, { ...entry('9', 2), condition: { reference: 'Condition/id-9' } }] });
    expect(restored.left).toEqual([]);
  });
});
