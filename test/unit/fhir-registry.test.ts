import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getResourceType, registry, resourceTypeNames, resourceTypes } from '../../shared/fhir/registry.js';
import type { MapResult } from '../../shared/fhir/types.js';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/fhir');

describe('resource type registry', () => {
  it('lists types in dependency order', () => {
    expect(resourceTypeNames).toEqual(['Organization', 'Location', 'Practitioner', 'Patient', 'Encounter']);
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
      const result = JSON.parse(readFileSync(join(dir, file), 'utf8')) as MapResult;
      expect(Object.keys(result.summary)).toEqual(keys);
    }
    for (const column of registry[name].columns) expect(column.width).toBeGreaterThan(0);
  });

  it('finds entries by name', () => {
    expect(getResourceType('Encounter')).toBe(registry.Encounter);
    expect(getResourceType('Patient')?.kind).toBe('lookup');
    expect(getResourceType('encounter')).toBeUndefined();
    expect(getResourceType('Condition')).toBeUndefined();
    expect(getResourceType('toString')).toBeUndefined();
  });
});
