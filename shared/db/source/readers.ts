// The reader behind each resource type the pipeline extracts, typed against the registry's
// SourceRowOf: a type without a reader, or a reader of the wrong row, does not compile. Some
// readers feed several types: a prescription item is both a Medication and a MedicationRequest;
// a lab order is a ServiceRequest, a Specimen once collected and a DiagnosticReport once
// reported. Visit notes are read by kind: diet (NutritionOrder), education (ProcedureEducation),
// summary (Composition, with the visit's other rows).
import type { SourceRowOf } from '../../fhir/registry.js';
import type { ResourceTypeName } from '../../fhir/types.js';
import { allergyReader } from './allergy.js';
import { visitReader } from './encounter.js';
import { labOrderReader, labResultReader } from './lab.js';
import { roomReader } from './location.js';
import { unitReader } from './organization.js';
import { patientReader } from './patient.js';
import { practitionerReader } from './practitioner.js';
import { prescriptionItemReader } from './prescription.js';
import type { SourceReader } from './source-reader.js';
import { visitChildReaders } from './visit-children.js';
import { dietNoteReader, educationNoteReader, visitSummaryReader } from './visit-note.js';

type SourceReaders = { readonly [K in ResourceTypeName]: SourceReader<SourceRowOf[K]> };

export const sourceReaders = {
  Organization: unitReader,
  Location: roomReader,
  Practitioner: practitionerReader,
  Patient: patientReader,
  Encounter: visitReader,
  ...visitChildReaders,
  AllergyIntolerance: allergyReader,
  Medication: prescriptionItemReader,
  MedicationRequest: prescriptionItemReader,
  ServiceRequest: labOrderReader,
  Specimen: labOrderReader,
  ObservationLab: labResultReader,
  DiagnosticReport: labOrderReader,
  NutritionOrder: dietNoteReader,
  ProcedureEducation: educationNoteReader,
  Composition: visitSummaryReader,
} as const satisfies SourceReaders;

/** The reader of one type, as the pipeline calls it (rows are the mapper's business). */
export function readerOf(type: ResourceTypeName): SourceReader<unknown> {
  return sourceReaders[type];
}
