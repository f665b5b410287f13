// How mappers write parent placeholders into request bodies. Kept apart from the resolving side
// (placeholders.ts), which needs the list of type names: mappers are part of the registry that
// list comes from, so they must not import it back.
import type { ResourceTypeName } from './types.js';

/**
 * References to parents are written into request bodies as placeholders, e.g.
 * `{ "reference": "Patient/{{Patient:42}}" }`. The worker replaces each with the parent's
 * SATUSEHAT id just before sending (shared/fhir/placeholders.ts), and records the exact body sent.
 */
export function parentPlaceholder(type: ResourceTypeName, sourceKey: string): string {
  return `{{${type}:${sourceKey}}}`;
}

/** The display placeholder of a Patient or Practitioner parent, resolved at send time. */
export function namePlaceholder(type: 'Patient' | 'Practitioner', sourceKey: string): string {
  return `{{name:${type}:${sourceKey}}}`;
}
