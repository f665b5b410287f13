// What a resource becomes when its Dekacare record is gone (deleted, or its visit cancelled):
// the same resource, marked as not to be relied on, sent as an update. Pure.

const CONDITION_VER_STATUS = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';

/** FHIR types a retraction is defined for. */
export const RETRACTABLE_TYPES = ['Encounter', 'Condition', 'Observation', 'Procedure', 'Immunization'] as const;

/**
 * The body to PUT for a record Dekacare no longer has, or null for a type without a retraction.
 * Condition: verificationStatus entered-in-error, and no clinicalStatus (FHIR con-5). Observation,
 * Procedure, Immunization: status entered-in-error. Encounter: status cancelled (the IG's binding
 * has no entered-in-error), with a cancelled entry closing its statusHistory.
 */
export function retractedBody(fhirType: string, body: Record<string, unknown>, at: string): Record<string, unknown> | null {
  const copy = structuredClone(body);
  switch (fhirType) {
    case 'Condition':
      delete copy.clinicalStatus;
      copy.verificationStatus = { coding: [{ system: CONDITION_VER_STATUS, code: 'entered-in-error', display: 'Entered in Error' }] };
      return copy;
    case 'Observation':
    case 'Procedure':
    case 'Immunization':
      copy.status = 'entered-in-error';
      return copy;
    case 'Encounter': {
      copy.status = 'cancelled';
      const history = Array.isArray(copy.statusHistory) ? (copy.statusHistory as Array<Record<string, unknown>>) : [];
      copy.statusHistory = [...history.filter((h) => h.status !== 'cancelled'), { status: 'cancelled', period: { start: at, end: at } }];
      return copy;
    }
    default:
      return null;
  }
}
