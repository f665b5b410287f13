import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getResourceType, registry, resourceTypeNames, resourceTypes } from '../../shared/fhir/registry.js';
import type { MapResult } from '../../shared/fhir/types.js';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/fhir');

describe('resource type registry', () => {
  it('lists types in dependency order', () => {
    expect(resourceTypeNames).toEqual([
      'Organization',
      'Location',
      'Practitioner',
      'Patient',
      'Encounter',
      'Condition',
      'Observation',
      'Procedure',
      'Immunization',
      'AllergyIntolerance',
      'Medication',
      'MedicationRequest',
      'ServiceRequest',
      'Specimen',
      'ObservationLab',
      'DiagnosticReport',
      'NutritionOrder',
      'ProcedureEducation',
      'Composition',
    ]);
    expect(Object.keys(registry)).toEqual(resourceTypeNames);
    expect(resourceTypes.map((t) => t.name)).toEqual(resourceTypeNames);
  });

  it('marks foundation and lookup types', () => {
    expect(resourceTypes.filter((t) => t.foundation).map((t) => t.name)).toEqual(['Organization', 'Location', 'Practitioner', 'Patient']);
    expect(resourceTypes.filter((t) => t.kind === 'lookup').map((t) => t.name)).toEqual(['Practitioner', 'Patient']);
  });

  it('has the Encounter columns the detail table expects', () => {
    expect(registry.Encounter.columns).toEqual([
      { key: 'visitNo', label: 'Visit no.', width: 18 },
      { key: 'patient', label: 'Patient', width: 22 },
      { key: 'practitioner', label: 'Practitioner', width: 22 },
      { key: 'date', label: 'Date', width: 16 },
      { key: 'unit', label: 'Unit', width: 16 },
    ]);
  });

  it.each(resourceTypeNames)("%s: column keys are exactly the mapper's summary keys", (name) => {
    const dir = join(GOLDEN, name.toLowerCase());
    const keys = registry[name].columns.map((c) => c.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const file of readdirSync(dir)) {
      const golden = JSON.parse(readFileSync(join(dir, file), 'utf8')) as MapResult | MapResult[];
      for (const result of Array.isArray(golden) ? golden : [golden]) expect(Object.keys(result.summary)).toEqual(keys);
    }
    for (const column of registry[name].columns) expect(column.width).toBeGreaterThan(0);
  });

  it('lists every parent type before the types that wait for it', () => {
    // Parent types seen in the goldens must come earlier in the extraction order.
    for (const name of resourceTypeNames) {
      const dir = join(GOLDEN, name.toLowerCase());
      for (const file of readdirSync(dir)) {
        const golden = JSON.parse(readFileSync(join(dir, file), 'utf8')) as MapResult | MapResult[];
        for (const result of Array.isArray(golden) ? golden : [golden]) {
          if (!result.ok) continue;
          for (const parent of result.parents) expect(resourceTypeNames.indexOf(parent.type), `${name} → ${parent.type}`).toBeLessThan(resourceTypeNames.indexOf(name));
        }
      }
    }
  });

  it('marks the types that may travel in their visit Bundle: ones that descend from an Encounter, and Medication pulled in by its MedicationRequest', () => {
    const visit = resourceTypes.filter((t) => t.bundle === 'visit').map((t) => t.name);
    expect(visit).toEqual(expect.arrayContaining(['Condition', 'Observation', 'Procedure']));
    // Never a foundation type or the Encounter itself. Medication has no parents: it travels only
    // when a MedicationRequest in the Bundle pulls it in.
    for (const name of visit) expect(resourceTypeNames.indexOf(name)).toBeGreaterThan(resourceTypeNames.indexOf('Encounter'));
    expect(visit).toContain('Medication');
    expect(registry.Medication.kind).toBe('create');
    expect(resourceTypes.filter((t) => t.fhirType !== undefined).map((t) => [t.name, t.fhirType])).toEqual([['ObservationLab', 'Observation'], ['ProcedureEducation', 'Procedure']]);
    expect(visit).toEqual(expect.arrayContaining(['NutritionOrder', 'ProcedureEducation', 'Composition']));
  });

  it('finds entries by name', () => {
    expect(getResourceType('Encounter')).toBe(registry.Encounter);
    expect(getResourceType('Patient')?.kind).toBe('lookup');
    expect(getResourceType('encounter')).toBeUndefined();
    expect(getResourceType('Condition')?.bundle).toBe('visit');
    expect(getResourceType('ObservationLab')?.fhirType).toBe('Observation');
    expect(getResourceType('Vitals')).toBeUndefined();
    expect(getResourceType('toString')).toBeUndefined();
  });
});
