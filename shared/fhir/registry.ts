// The resource-type registry: one entry per type, in dependency order (a type only depends on
// types before it). It is the list of types: RESOURCE_TYPES, the source readers
// (shared/db/source/readers.ts), the watermarks and the row counts all follow from it. Adding a
// type is its row type, its reader, its mapper and its entry here (docs/adding-a-resource-type.md).
import type {
  AllergyRow,
  DiagnosisRow,
  ImmunizationRow,
  LabOrderRow,
  LabResultRow,
  PatientRow,
  PractitionerRow,
  PrescriptionItemRow,
  ProcedureRow,
  RoomRow,
  UnitRow,
  VisitNoteRow,
  VisitRow,
  VisitSummaryRow,
  VitalSignsRow,
} from '../types/source-rows.js';
import { mapAllergyIntolerance } from './mappers/allergy-intolerance.js';
import { mapComposition } from './mappers/composition.js';
import { mapCondition } from './mappers/condition.js';
import { mapDiagnosticReport } from './mappers/diagnostic-report.js';
import { mapEncounter } from './mappers/encounter.js';
import { mapImmunization } from './mappers/immunization.js';
import { mapLocation } from './mappers/location.js';
import { mapMedicationRequest } from './mappers/medication-request.js';
import { mapMedication } from './mappers/medication.js';
import { mapNutritionOrder } from './mappers/nutrition-order.js';
import { mapObservationLab } from './mappers/observation-lab.js';
import { mapOrganization } from './mappers/organization.js';
import { mapPatient } from './mappers/patient.js';
import { mapPractitioner } from './mappers/practitioner.js';
import { mapProcedureEducation } from './mappers/procedure-education.js';
import { mapProcedure } from './mappers/procedure.js';
import { mapServiceRequest } from './mappers/service-request.js';
import { mapSpecimen } from './mappers/specimen.js';
import { mapVitalSigns } from './mappers/vital-signs.js';
import { DEFAULT_MEDICATION_MODE, type MedicationMode } from './medication-mode.js';
import type { MapContext, MapResult, ResourceTypeDef, ResourceTypeName } from './types.js';
import { mapVisitSiblings } from './visit-siblings.js';

/** The source row each type's mapper takes: its keys are the type names (ResourceTypeName). */
export interface SourceRowOf {
  Organization: UnitRow;
  Location: RoomRow;
  Practitioner: PractitionerRow;
  Patient: PatientRow;
  Encounter: VisitRow;
  Condition: DiagnosisRow;
  Observation: VitalSignsRow;
  Procedure: ProcedureRow;
  Immunization: ImmunizationRow;
  AllergyIntolerance: AllergyRow;
  Medication: PrescriptionItemRow;
  MedicationRequest: PrescriptionItemRow;
  ServiceRequest: LabOrderRow;
  Specimen: LabOrderRow;
  ObservationLab: LabResultRow;
  DiagnosticReport: LabOrderRow;
  NutritionOrder: VisitNoteRow;
  ProcedureEducation: VisitNoteRow;
  Composition: VisitSummaryRow;
}

export type Registry = { readonly [K in ResourceTypeName]: ResourceTypeDef<SourceRowOf[K]> };

export const registry: Registry = {
  Organization: {
    name: 'Organization',
    foundation: true,
    kind: 'create',
    columns: [
      { key: 'code', label: 'Code', width: 12 },
      { key: 'name', label: 'Name', width: 28 },
      { key: 'city', label: 'City', width: 16 },
    ],
    map: mapOrganization,
  },
  Location: {
    name: 'Location',
    foundation: true,
    kind: 'create',
    columns: [
      { key: 'code', label: 'Code', width: 12 },
      { key: 'name', label: 'Name', width: 24 },
      { key: 'unit', label: 'Unit', width: 20 },
    ],
    map: mapLocation,
  },
  Practitioner: {
    name: 'Practitioner',
    foundation: true,
    kind: 'lookup',
    columns: [
      { key: 'nik', label: 'NIK', width: 18 },
      { key: 'name', label: 'Name', width: 28 },
    ],
    map: mapPractitioner,
  },
  Patient: {
    name: 'Patient',
    foundation: true,
    kind: 'lookup',
    columns: [
      { key: 'mrn', label: 'MRN', width: 12 },
      { key: 'nik', label: 'NIK', width: 18 },
      { key: 'name', label: 'Name', width: 24 },
      { key: 'birthDate', label: 'Birth date', width: 10 },
    ],
    map: mapPatient,
  },
  Encounter: {
    name: 'Encounter',
    foundation: false,
    kind: 'create',
    columns: [
      { key: 'visitNo', label: 'Visit no.', width: 18 },
      { key: 'patient', label: 'Patient', width: 22 },
      { key: 'practitioner', label: 'Practitioner', width: 22 },
      { key: 'date', label: 'Date', width: 16 },
      { key: 'unit', label: 'Unit', width: 16 },
    ],
    map: mapEncounter,
  },
  Condition: {
    name: 'Condition',
    bundle: 'visit',
    foundation: false,
    kind: 'create',
    columns: [
      { key: 'visitNo', label: 'Visit no.', width: 14 },
      { key: 'patient', label: 'Patient', width: 20 },
      { key: 'code', label: 'ICD-10', width: 8 },
      { key: 'display', label: 'Diagnosis', width: 30 },
      { key: 'date', label: 'Date', width: 16 },
    ],
    map: mapCondition,
  },
  Observation: {
    name: 'Observation',
    bundle: 'visit',
    foundation: false,
    kind: 'create',
    columns: [
      { key: 'visitNo', label: 'Visit no.', width: 14 },
      { key: 'patient', label: 'Patient', width: 20 },
      { key: 'measure', label: 'Vital sign', width: 22 },
      { key: 'value', label: 'Value', width: 16 },
      { key: 'date', label: 'Date', width: 16 },
    ],
    map: mapVitalSigns,
  },
  Procedure: {
    name: 'Procedure',
    bundle: 'visit',
    foundation: false,
    kind: 'create',
    columns: [
      { key: 'visitNo', label: 'Visit no.', width: 14 },
      { key: 'patient', label: 'Patient', width: 20 },
      { key: 'code', label: 'ICD-9-CM', width: 8 },
      { key: 'display', label: 'Procedure', width: 30 },
      { key: 'date', label: 'Date', width: 16 },
    ],
    map: mapProcedure,
  },
  Immunization: {
    name: 'Immunization',
    bundle: 'visit',
    foundation: false,
    kind: 'create',
    columns: [
      { key: 'visitNo', label: 'Visit no.', width: 14 },
      { key: 'patient', label: 'Patient', width: 20 },
      { key: 'vaccine', label: 'Vaccine', width: 30 },
      { key: 'dose', label: 'Dose', width: 4 },
      { key: 'date', label: 'Date', width: 16 },
    ],
    map: mapImmunization,
  },
  AllergyIntolerance: {
    name: 'AllergyIntolerance',
    bundle: 'visit',
    foundation: false,
    kind: 'create',
    columns: [
      { key: 'patient', label: 'Patient', width: 20 },
      { key: 'category', label: 'Category', width: 11 },
      { key: 'allergen', label: 'Allergen', width: 22 },
      { key: 'status', label: 'Status', width: 18 },
      { key: 'date', label: 'Recorded', width: 16 },
    ],
    map: mapAllergyIntolerance,
  },
  Medication: {
    name: 'Medication',
    bundle: 'visit',
    foundation: false,
    kind: 'create',
    columns: [
      { key: 'prescriptionNo', label: 'Prescription', width: 14 },
      { key: 'drug', label: 'Drug', width: 30 },
      { key: 'kfa', label: 'KFA', width: 9 },
      { key: 'form', label: 'Form', width: 16 },
    ],
    map: mapMedication,
  },
  MedicationRequest: {
    name: 'MedicationRequest',
    bundle: 'visit',
    foundation: false,
    kind: 'create',
    columns: [
      { key: 'prescriptionNo', label: 'Prescription', width: 14 },
      { key: 'patient', label: 'Patient', width: 20 },
      { key: 'drug', label: 'Drug', width: 26 },
      { key: 'signa', label: 'Signa', width: 14 },
      { key: 'date', label: 'Date', width: 16 },
    ],
    map: mapMedicationRequest,
  },
  ServiceRequest: {
    name: 'ServiceRequest',
    bundle: 'visit',
    foundation: false,
    kind: 'create',
    columns: [
      { key: 'orderNo', label: 'Lab order', width: 14 },
      { key: 'patient', label: 'Patient', width: 20 },
      { key: 'test', label: 'Test', width: 22 },
      { key: 'status', label: 'Status', width: 9 },
      { key: 'date', label: 'Ordered', width: 16 },
    ],
    map: mapServiceRequest,
  },
  Specimen: {
    name: 'Specimen',
    bundle: 'visit',
    foundation: false,
    kind: 'create',
    columns: [
      { key: 'orderNo', label: 'Lab order', width: 14 },
      { key: 'patient', label: 'Patient', width: 20 },
      { key: 'type', label: 'Specimen', width: 22 },
      { key: 'date', label: 'Collected', width: 16 },
    ],
    map: mapSpecimen,
  },
  ObservationLab: {
    name: 'ObservationLab',
    bundle: 'visit',
    fhirType: 'Observation',
    foundation: false,
    kind: 'create',
    columns: [
      { key: 'orderNo', label: 'Lab order', width: 14 },
      { key: 'patient', label: 'Patient', width: 20 },
      { key: 'test', label: 'Test', width: 22 },
      { key: 'value', label: 'Result', width: 14 },
      { key: 'date', label: 'Resulted', width: 16 },
    ],
    map: mapObservationLab,
  },
  DiagnosticReport: {
    name: 'DiagnosticReport',
    bundle: 'visit',
    foundation: false,
    kind: 'create',
    columns: [
      { key: 'orderNo', label: 'Lab order', width: 14 },
      { key: 'patient', label: 'Patient', width: 20 },
      { key: 'test', label: 'Test', width: 22 },
      { key: 'results', label: 'Results', width: 7 },
      { key: 'date', label: 'Reported', width: 16 },
    ],
    map: mapDiagnosticReport,
  },
  NutritionOrder: {
    name: 'NutritionOrder',
    bundle: 'visit',
    foundation: false,
    kind: 'create',
    columns: [
      { key: 'visitNo', label: 'Visit no.', width: 14 },
      { key: 'patient', label: 'Patient', width: 20 },
      { key: 'diet', label: 'Diet', width: 24 },
      { key: 'intent', label: 'For', width: 9 },
      { key: 'author', label: 'Ordered by', width: 18 },
      { key: 'date', label: 'Date', width: 16 },
    ],
    map: mapNutritionOrder,
  },
  ProcedureEducation: {
    name: 'ProcedureEducation',
    bundle: 'visit',
    fhirType: 'Procedure',
    foundation: false,
    kind: 'create',
    columns: [
      { key: 'visitNo', label: 'Visit no.', width: 14 },
      { key: 'patient', label: 'Patient', width: 20 },
      { key: 'topic', label: 'Education', width: 26 },
      { key: 'author', label: 'Educator', width: 18 },
      { key: 'date', label: 'Date', width: 16 },
    ],
    map: mapProcedureEducation,
  },
  Composition: {
    name: 'Composition',
    bundle: 'visit',
    foundation: false,
    kind: 'create',
    columns: [
      { key: 'visitNo', label: 'Visit no.', width: 14 },
      { key: 'patient', label: 'Patient', width: 20 },
      { key: 'entries', label: 'Refs', width: 5 },
      { key: 'leftOut', label: 'Left out', width: 30 },
      { key: 'author', label: 'Author', width: 18 },
      { key: 'date', label: 'Date', width: 16 },
    ],
    // The visit's other rows are mapped with their own mappers to know which can be referred to.
    map: (row, ctx) => mapComposition(row, ctx, mapVisitSiblings(row.siblings, ctx, mapperOf)),
  },
};

/** Each type's mapper, for the visit summary's siblings (read at call time, after `registry` exists). */
function mapperOf(type: ResourceTypeName): (row: never, ctx: MapContext) => MapResult | MapResult[] {
  return registry[type].map as (row: never, ctx: MapContext) => MapResult | MapResult[];
}

/** Type names in dependency order, the registry's own: foundation types, Encounter, then the clinical types. */
export const RESOURCE_TYPES = Object.keys(registry) as readonly ResourceTypeName[];
/** RESOURCE_TYPES under the registry's naming. */
export const resourceTypeNames: readonly ResourceTypeName[] = RESOURCE_TYPES;

/**
 * The types an extraction plans items for. In contained mode (the default) the Medication travels
 * inside its MedicationRequest, so no Medication items are planned and its card is not shown.
 */
export function plannedTypes(mode: MedicationMode = DEFAULT_MEDICATION_MODE): ResourceTypeName[] {
  return RESOURCE_TYPES.filter((t) => t !== 'Medication' || mode === 'separate');
}

/** Registry entries in dependency order. */
export const resourceTypes: readonly ResourceTypeDef[] = resourceTypeNames.map((name) => registry[name] as ResourceTypeDef);

export function isResourceTypeName(name: string): name is ResourceTypeName {
  return (RESOURCE_TYPES as readonly string[]).includes(name);
}

/** The entry for a type name (case-sensitive, e.g. 'Encounter'), or undefined. */
export function getResourceType(name: string): ResourceTypeDef | undefined {
  return isResourceTypeName(name) ? (registry[name] as ResourceTypeDef) : undefined;
}
