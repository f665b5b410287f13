// Shared by the mapper tests: the fixed mapping context and dummy SATUSEHAT ids for parents.
import type { MapContext, ParentRef } from '../../../shared/fhir/types.js';

/** The context every golden is built with: org 100011961, now 2026-11-27 10:00 WIB, source in WIB. */
export const FIXED_CTX: MapContext = Object.freeze({
  orgId: '100011961',
  now: new Date('2026-11-27T03:00:00Z'),
  sourceUtcOffset: '+07:00',
});

/** Ids shaped like real ones: IHS number for patients, 11 digits for practitioners, UUIDs otherwise. */
export function dummyId(ref: ParentRef): string {
  if (ref.type === 'Patient') return 'P02478375538';
  if (ref.type === 'Practitioner') return '10009880728';
  return `7c9e6679-7425-40de-944b-${ref.sourceKey.replace(/\D/g, '').padStart(12, '0').slice(-12)}`;
}
