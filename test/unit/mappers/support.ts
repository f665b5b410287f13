// Shared by the mapper tests: the fixed mapping context and dummy SATUSEHAT ids for parents.
import type { MapContext, ParentRef } from '../../../shared/fhir/types.js';

/** The context every golden is built with: org 100011961, now 2026-11-27 10:00 WIB, source in WIB. */
export const FIXED_CTX: MapContext = Object.freeze({
  orgId: '100011961',
  now: new Date('2026-11-27T03:00:00Z'),
  sourceUtcOffset: '+07:00',
});

// A distinct UUID group per type, so Encounter 5 and ServiceRequest 5 never get the same id.
const TYPE_GROUP: Record<string, string> = {
  Organization: '8001',
  Location: '8002',
  Encounter: '8003',
  Condition: '8004',
  Observation: '8005',
  Procedure: '8006',
  AllergyIntolerance: '8007',
  Medication: '8008',
  MedicationRequest: '8009',
  ServiceRequest: '800a',
  Specimen: '800b',
  ObservationLab: '800c',
  DiagnosticReport: '800d',
  NutritionOrder: '800f',
  ProcedureEducation: '8010',
  Composition: '800e',
};

/**
 * Ids shaped like real ones: IHS number for patients, 11 digits for practitioners, UUIDs otherwise
 * (one UUID group per type; the source key's digits at the end).
 */
export function dummyId(ref: ParentRef): string {
  if (ref.type === 'Patient') return 'P02478375538';
  if (ref.type === 'Practitioner') return '10009880728';
  return `7c9e6679-7425-40de-${TYPE_GROUP[ref.type] ?? '8fff'}-${ref.sourceKey.replace(/\D/g, '').padStart(12, '0').slice(-12)}`;
}
