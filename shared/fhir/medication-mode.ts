// A leaf of its own: mappers read the default, and the registry (which imports the mappers)
// exports the type list that shared/fhir/types.ts re-exports.

/**
 * How a prescribed drug's Medication travels. 'contained' (the default): inside its
 * MedicationRequest (`contained`, referenced as `#med`), as Playbook v6.2 (23 Dec 2024) requires for
 * prescribing and dispensing; no Medication items exist then. 'separate': a Medication item of its
 * own, POSTed first and referenced by id (the older way, still listed in v6.3's text).
 */
export type MedicationMode = 'contained' | 'separate';
export const DEFAULT_MEDICATION_MODE: MedicationMode = 'contained';
