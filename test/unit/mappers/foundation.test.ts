import type { Location, Organization } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { mapLocation } from '../../../shared/fhir/mappers/location.js';
import { mapOrganization } from '../../../shared/fhir/mappers/organization.js';
import { mapPatient } from '../../../shared/fhir/mappers/patient.js';
import { mapPractitioner } from '../../../shared/fhir/mappers/practitioner.js';
import type { MapResult } from '../../../shared/fhir/types.js';
import type { PatientRow, PractitionerRow, RoomRow, UnitRow } from '../../../shared/types/source-rows.js';
import { FIXED_CTX } from './support.js';

const unit = (over: Partial<UnitRow> = {}): UnitRow =>
  Object.freeze({ id: 1, code: 'POLI-UMUM', name: 'Poliklinik Umum', phone: null, email: null, address: null, city: null, postalCode: null, updatedAt: '2026-03-02 09:15:00', ...over });
const room = (over: Partial<RoomRow> = {}): RoomRow =>
  Object.freeze({ id: 11, code: 'RJ-UMUM-01', name: 'Ruang Periksa Umum 1', description: null, unitId: 1, unitName: 'Poliklinik Umum', updatedAt: '2026-03-02 09:20:00', ...over });
const patient = (over: Partial<PatientRow> = {}): PatientRow =>
  Object.freeze({ id: 101, mrn: '00-12-34', nik: '3174051203850007', name: 'Budi Santoso', gender: 'male', birthDate: '1985-03-12', updatedAt: '2026-11-20 07:45:00', ...over });
const practitioner = (over: Partial<PractitionerRow> = {}): PractitionerRow =>
  Object.freeze({ id: 21, nik: '7209061211900001', name: 'dr. Alexander', gender: 'male', birthDate: '1990-11-12', updatedAt: '2026-01-10 08:00:00', ...over });

const bodyOf = <T>(r: MapResult): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.request.body as T;
};

describe('mapOrganization', () => {
  it('trims values and builds an address from whatever parts exist', () => {
    const org = bodyOf<Organization>(mapOrganization(unit({ code: ' POLI-UMUM ', name: ' Poliklinik Umum ', postalCode: '11530' }), FIXED_CTX));
    expect(org.identifier?.[0]?.value).toBe('POLI-UMUM');
    expect(org.name).toBe('Poliklinik Umum');
    expect(org.address).toEqual([{ use: 'work', type: 'both', postalCode: '11530', country: 'ID' }]);
    expect(org.telecom).toBeUndefined();
  });

  it('is a POST to Organization, part of the facility, with no parents', () => {
    const result = mapOrganization(unit(), FIXED_CTX);
    expect(result.ok && result.request.method).toBe('POST');
    expect(result.ok && result.request.path).toBe('Organization');
    expect(result.ok && result.parents).toEqual([]);
    expect(bodyOf<Organization>(result).partOf).toEqual({ reference: 'Organization/100011961' });
  });

  it('rejects a missing code, naming the unit', () => {
    const result = mapOrganization(unit({ code: '' }), FIXED_CTX);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]?.message).toMatch(/^Unit 'Poliklinik Umum' \(id 1\) has no code/);
  });
});

describe('mapLocation', () => {
  it('references its unit through a placeholder and declares the parent', () => {
    const result = mapLocation(room({ unitId: 7 }), FIXED_CTX);
    expect(bodyOf<Location>(result).managingOrganization).toEqual({ reference: 'Organization/{{Organization:7}}', display: 'Poliklinik Umum' });
    expect(result.ok && result.parents).toEqual([{ type: 'Organization', sourceKey: '7' }]);
  });

  it('rejects a room without a unit', () => {
    const result = mapLocation(room({ unitId: null as unknown as number }), FIXED_CTX);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toEqual(['Location.managingOrganization']);
  });
});

describe('lookups', () => {
  it('looks a patient up by trimmed NIK with a GET and no body', () => {
    const result = mapPatient(patient({ nik: ' 3174051203850007 ' }), FIXED_CTX);
    expect(result).toMatchObject({
      ok: true,
      sourceKey: '101',
      businessDate: null,
      request: { method: 'GET', path: 'Patient?identifier=https%3A%2F%2Ffhir.kemkes.go.id%2Fid%2Fnik%7C3174051203850007', body: null },
      parents: [],
    });
    expect(result.summary).toEqual({ mrn: '00-12-34', nik: '3174051203850007', name: 'Budi Santoso', birthDate: '1985-03-12' });
  });

  it('looks a practitioner up by NIK', () => {
    const result = mapPractitioner(practitioner(), FIXED_CTX);
    expect(result.ok && result.request.path).toBe('Practitioner?identifier=https%3A%2F%2Ffhir.kemkes.go.id%2Fid%2Fnik%7C7209061211900001');
  });

  it('reports a missing NIK at Patient.identifier[nik] / Practitioner.identifier[nik]', () => {
    const p = mapPatient(patient({ nik: null }), FIXED_CTX);
    const d = mapPractitioner(practitioner({ nik: '' }), FIXED_CTX);
    expect(!p.ok && p.issues.map((i) => i.path)).toEqual(['Patient.identifier[nik]']);
    expect(!d.ok && d.issues.map((i) => i.path)).toEqual(['Practitioner.identifier[nik]']);
  });
});
