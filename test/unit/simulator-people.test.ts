import { describe, expect, it } from 'vitest';
import { buildPerson, isKnownPersonId, MASKED_NIK, resolveNik, SANDBOX_PATIENTS, SANDBOX_PRACTITIONERS } from '../../simulator/people.js';

const niks = (from: number, count: number): string[] => Array.from({ length: count }, (_, i) => String(from + i));

describe('simulator NIK rule', () => {
  it('maps every sandbox dummy to its published id, whatever the unknown share', () => {
    for (const p of SANDBOX_PATIENTS) expect(resolveNik('Patient', p.nik, 100)).toBe(p.id);
    for (const p of SANDBOX_PRACTITIONERS) expect(resolveNik('Practitioner', p.nik, 100)).toBe(p.id);
    expect(resolveNik('Patient', '9271060312000001', 3)).toBe('P02478375538');
    expect(resolveNik('Practitioner', '7209061211900001', 3)).toBe('10009880728');
  });

  it('is deterministic and shapes ids like SATUSEHAT', () => {
    const nik = '3201010101900001';
    const patient = resolveNik('Patient', nik, 0);
    expect(patient).toMatch(/^P\d{11}$/);
    expect(resolveNik('Patient', nik, 0)).toBe(patient);
    expect(resolveNik('Practitioner', nik, 0)).toMatch(/^\d{11}$/);
  });

  it('treats about unknownNikPercent of well-formed NIKs as unknown', () => {
    const sample = niks(3201010000000000, 5000);
    const unknown = (pct: number): number => sample.filter((n) => resolveNik('Patient', n, pct) === null).length;
    expect(unknown(0)).toBe(0);
    expect(unknown(100)).toBe(5000);
    expect(unknown(3)).toBeGreaterThan(5000 * 0.02);
    expect(unknown(3)).toBeLessThan(5000 * 0.04);
  });

  it('rejects malformed NIKs', () => {
    for (const nik of ['', '123', '32010101019000011', '320101010190000a']) expect(resolveNik('Patient', nik, 0)).toBeNull();
  });

  it('recognises ids it issued, the sandbox ids, and nothing else', () => {
    for (const n of niks(3201010000000000, 200)) {
      const id = resolveNik('Patient', n, 0) as string;
      expect(isKnownPersonId('Patient', id)).toBe(true);
      expect(isKnownPersonId('Practitioner', id)).toBe(false);
    }
    expect(isKnownPersonId('Patient', 'P02478375538')).toBe(true);
    expect(isKnownPersonId('Practitioner', '10009880728')).toBe(true);
    expect(isKnownPersonId('Patient', 'P99999999999')).toBe(false);
    expect(isKnownPersonId('Patient', 'not-an-ihs')).toBe(false);
  });

  it('builds the same masked person for the same id', () => {
    const id = resolveNik('Practitioner', '3201010101900001', 0) as string;
    const person = buildPerson('Practitioner', id);
    expect(person).toEqual(buildPerson('Practitioner', id));
    expect(person).toMatchObject({ resourceType: 'Practitioner', id, active: true });
    expect(person.identifier).toEqual([
      expect.objectContaining({ system: 'https://fhir.kemkes.go.id/id/nik', value: MASKED_NIK }),
      expect.objectContaining({ system: 'https://fhir.kemkes.go.id/id/ihs-number', value: id }),
      expect.objectContaining({ system: 'https://fhir.kemkes.go.id/id/nakes-his-number', value: id }),
    ]);
    expect(person.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Served censored, as the MPI has done since 21 Nov 2024 (Ardianto Putra).
    expect(buildPerson('Patient', 'P02478375538')).toMatchObject({ name: [{ text: 'Ar****** Pu***' }], gender: 'male', birthDate: '1992-01-09' });
  });
});
