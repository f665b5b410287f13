// The check every payload passes before it is sent or saved: base FHIR R4 (Medplum's validator),
// its type's SATUSEHAT profile and every required binding (profile-validator.ts). Memoised per
// shape like validateR4, with a shape key that also keeps the codes the bindings read literal.
import type { Resource } from '@medplum/fhirtypes';
import { boundCodeKeys, profileErrors } from './profile-validator.js';
import { validateWithMedplum } from './r4-validator.js';
import { shapeMemo } from './shape-memo.js';

/** Every error, base R4 first, then what the profile or a required binding adds; [] when valid. */
export function validatePayloadUncached(resource: Resource): string[] {
  const base = validateWithMedplum(resource);
  return [...base, ...profileErrors(resource, resource.resourceType, new Set(base))];
}

const memo = shapeMemo(validatePayloadUncached, boundCodeKeys);
export const payloadMemoStats = memo.stats;

/** validatePayloadUncached, answered from the memo for a shape that passed before. */
export const validatePayload = (resource: Resource): string[] => memo.validate(resource);
