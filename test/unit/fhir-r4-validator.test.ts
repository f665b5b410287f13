import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { validateR4 } from '../../shared/validation/r4-validator.js';

describe('validateR4', () => {
  it('accepts a valid resource', () => {
    const location: Resource = {
      resourceType: 'Location',
      identifier: [{ system: 'http://sys-ids.kemkes.go.id/location/100011961', value: 'RJ-UMUM-01' }],
      status: 'active',
      name: 'Ruang Periksa Umum 1',
      mode: 'instance',
      physicalType: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code: 'ro', display: 'Room' }] },
      managingOrganization: { reference: 'Organization/b017aa54-f1df-4ec2-9d84-8823815d7228' },
    };
    expect(validateR4(location)).toEqual([]);
  });

  it('returns one message per structural error, with its path', () => {
    const broken = {
      resourceType: 'Encounter',
      status: 'finished',
      period: { start: '2026-11-20 08:05:12' },
      colour: 'blue',
    } as unknown as Resource;
    const messages = validateR4(broken);
    expect(messages).toContain('Encounter.class: Missing required property');
    expect(messages).toContain('Encounter.period.start: Invalid dateTime format');
    expect(messages.some((m) => m.startsWith('Encounter.colour:'))).toBe(true);
  });

  it('does not throw on garbage', () => {
    expect(validateR4({ resourceType: 'NotAType' } as unknown as Resource).length).toBeGreaterThan(0);
  });
});
