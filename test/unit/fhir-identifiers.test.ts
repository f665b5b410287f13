import { describe, expect, it } from 'vitest';
import {
  checkNik,
  identifierSearchPath,
  IHS_NUMBER_SYSTEM,
  NIK_SYSTEM,
  nikLookupPath,
  parseNik,
  sysIdSystem,
} from '../../shared/fhir/identifiers.js';

// SATUSEHAT sandbox patients and practitioners (reference A5): all must pass.
const SANDBOX_NIKS = [
  '9271060312000001', '9204014804000002', '9104224509000003', '9104223107000004', '9104224606000005',
  '9104025209000006', '9201076001000007', '9201394901000008', '9201076407000009', '9210060207000010',
  '7209061211900001', '3322071302900002', '3171071609900003', '3207192310600004', '6408130207800005',
  '3217040109800006', '3519111703800007', '5271002009700008', '3313096403900009', '3578083008700010',
];

describe('identifier systems', () => {
  it('builds facility-namespaced systems', () => {
    expect(sysIdSystem('encounter', '100011961')).toBe('http://sys-ids.kemkes.go.id/encounter/100011961');
    expect(sysIdSystem('organization', '100011961')).toBe('http://sys-ids.kemkes.go.id/organization/100011961');
    expect(sysIdSystem('location', '100011961')).toBe('http://sys-ids.kemkes.go.id/location/100011961');
  });
  it('has the national person systems', () => {
    expect(NIK_SYSTEM).toBe('https://fhir.kemkes.go.id/id/nik');
    expect(IHS_NUMBER_SYSTEM).toBe('https://fhir.kemkes.go.id/id/ihs-number');
  });
  it('URL-encodes system|value in search paths', () => {
    expect(nikLookupPath('Patient', '9271060312000001')).toBe('Patient?identifier=https%3A%2F%2Ffhir.kemkes.go.id%2Fid%2Fnik%7C9271060312000001');
    expect(decodeURIComponent(nikLookupPath('Practitioner', '7209061211900001').split('=')[1] ?? '')).toBe('https://fhir.kemkes.go.id/id/nik|7209061211900001');
    expect(identifierSearchPath('Encounter', sysIdSystem('encounter', '100011961'), 'RJ/2026/0007')).toBe(
      'Encounter?identifier=http%3A%2F%2Fsys-ids.kemkes.go.id%2Fencounter%2F100011961%7CRJ%2F2026%2F0007',
    );
  });
});

describe('NIK', () => {
  it.each(SANDBOX_NIKS)('accepts sandbox NIK %s', (nik) => {
    expect(checkNik(nik, 'Patient.identifier[nik]', 'Patient X')).toBeNull();
  });

  it('decodes the parts, removing the +40 for women', () => {
    expect(parseNik('9204014804000002')).toEqual({
      province: '92', regency: '04', district: '01', birthDay: 8, birthMonth: 4, birthYear2: '00', female: true, serial: '0002',
    });
    expect(parseNik('7209061211900001')).toMatchObject({ birthDay: 12, birthMonth: 11, birthYear2: '90', female: false });
    expect(parseNik('123')).toBeNull();
  });

  it('reports a missing NIK with the path and who it is', () => {
    for (const nik of [null, undefined, '', '   ']) {
      const issue = checkNik(nik, 'Patient.identifier[nik]', 'Patient Budi Santoso (MRN 00-12-34)');
      expect(issue?.path).toBe('Patient.identifier[nik]');
      expect(issue?.message).toMatch(/^Patient Budi Santoso \(MRN 00-12-34\) has no NIK/);
      expect(issue?.rule).toBeUndefined();
    }
  });

  it('trims surrounding whitespace', () => {
    expect(checkNik(' 3273014506900002\n', 'p', 'x')).toBeNull();
  });

  it.each([
    ['317107160990003', 'has 15 digits instead of 16'],
    ['31710716099000031', 'has 17 digits instead of 16'],
    ['31710716O9900003', 'characters other than digits'],
    ['3171 0716 0990 0003', 'characters other than digits'],
    ['0971071609900003', "'09', which is not an Indonesian province code"],
    ['3100071609900003', "regency code '00'"],
    ['3171071613900003', "birth month '13'"],
    ['3171071600900003', "birth month '00'"],
    ['3171070009900003', "birth day '00'"],
    ['3171073209900003', "birth day '32'"], // male, day 32
    ['3171074009900003', "birth day '40'"], // neither a male day nor a female one
    ['3171077209900003', "birth day '72'"], // female, day 32
    ['3171073104900003', "birth day '31'"], // 31 April
    ['3171073002900003', "birth day '30'"], // 30 February
    ['3171072902010003', "birth day '29'"], // 29 February in a year that cannot be a leap year
    ['3171071609900000', "serial number '0000'"],
  ])('rejects %s (%s)', (nik, reason) => {
    const issue = checkNik(nik, 'Practitioner.identifier[nik]', 'Practitioner dr. X');
    expect(issue?.path).toBe('Practitioner.identifier[nik]');
    expect(issue?.message).toContain(`invalid NIK '${nik}'`);
    expect(issue?.message).toContain(reason);
  });

  it.each(['3171074109900003', '3171077101900003', '3171072902040003', '3171076902000003', '3171073112900003'])('accepts edge date %s', (nik) => {
    expect(checkNik(nik, 'p', 'x')).toBeNull();
  });
});
