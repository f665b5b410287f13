// The source contract's SQL half: one reader per resource type over Dekacare's tables. Adapting
// to a real Dekacare database means changing only these readers (or creating views); see
// docs/source-contract.md.
import type { ResourceTypeName } from '../../fhir/types.js';
import type { Db } from '../connect.js';
import type { ReadOptions } from './keyset.js';
import { readAllergies } from './allergy.js';
import { readDiagnoses } from './condition.js';
import { readVisits } from './encounter.js';
import { readLabOrders, readLabResults } from './lab.js';
import { readRooms } from './location.js';
import { readUnits } from './organization.js';
import { readPatients } from './patient.js';
import { readPractitioners } from './practitioner.js';
import { readPrescriptionItems } from './prescription.js';
import { readProcedures } from './procedure.js';
import { readDietNotes, readEducationNotes, readVisitSummaries } from './visit-note.js';
import { readVitalSigns } from './vital-signs.js';

export { readAllergies, toAllergyRow } from './allergy.js';
export { readDiagnoses, toDiagnosisRow } from './condition.js';
export { countSourceRows, type SourceRowCounts } from './counts.js';
export { readVisits, toVisitRow } from './encounter.js';
export { DEFAULT_READ_BATCH, resolveReadOptions, type ReadOptions } from './keyset.js';
export { readLabOrders, readLabResults, toLabOrderRow, toLabResultRow } from './lab.js';
export { readRooms, toRoomRow } from './location.js';
export { readUnits, toUnitRow } from './organization.js';
export { readPatients, toPatientRow } from './patient.js';
export { readPractitioners, toPractitionerRow } from './practitioner.js';
export { readPrescriptionItems, toPrescriptionItemRow } from './prescription.js';
export { readProcedures, toProcedureRow } from './procedure.js';
export { findOperator, type Operator } from './users.js';
export { readDietNotes, readEducationNotes, readVisitNotes, readVisitSiblings, readVisitSummaries, toVisitNoteRow } from './visit-note.js';
export { readVitalSigns, toVitalSignsRow } from './vital-signs.js';

export type SourceReader = (db: Db, options?: ReadOptions) => AsyncGenerator<unknown[]>;

/**
 * The reader behind each resource type the pipeline extracts. Some readers feed several types:
 * a prescription item is both a Medication and a MedicationRequest; a lab order is a
 * ServiceRequest, a Specimen once collected and a DiagnosticReport once reported. Visit notes
 * are read by kind: diet (NutritionOrder), education (ProcedureEducation), summary (Composition,
 * with the visit's other rows).
 */
export const sourceReaders = {
  Organization: readUnits,
  Location: readRooms,
  Practitioner: readPractitioners,
  Patient: readPatients,
  Encounter: readVisits,
  Condition: readDiagnoses,
  Observation: readVitalSigns,
  Procedure: readProcedures,
  AllergyIntolerance: readAllergies,
  Medication: readPrescriptionItems,
  MedicationRequest: readPrescriptionItems,
  ServiceRequest: readLabOrders,
  Specimen: readLabOrders,
  ObservationLab: readLabResults,
  DiagnosticReport: readLabOrders,
  NutritionOrder: readDietNotes,
  ProcedureEducation: readEducationNotes,
  Composition: readVisitSummaries,
} as const satisfies Record<ResourceTypeName, SourceReader>;
