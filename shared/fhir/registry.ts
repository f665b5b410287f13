// The resource-type registry: one entry per type, in dependency order (a type only depends on
// types before it). Adding a type means one entry here, one mapper and one source query.
import type { PatientRow, PractitionerRow, RoomRow, UnitRow, VisitRow } from '../types/source-rows.js';
import { mapEncounter } from './mappers/encounter.js';
import { mapLocation } from './mappers/location.js';
import { mapOrganization } from './mappers/organization.js';
import { mapPatient } from './mappers/patient.js';
import { mapPractitioner } from './mappers/practitioner.js';
import { RESOURCE_TYPES, type ResourceTypeDef, type ResourceTypeName } from './types.js';

/** The source row each type's mapper takes. */
export interface SourceRowOf {
  Organization: UnitRow;
  Location: RoomRow;
  Practitioner: PractitionerRow;
  Patient: PatientRow;
  Encounter: VisitRow;
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
};

/** Type names in dependency order: Organization, Location, Practitioner, Patient, Encounter. */
export const resourceTypeNames: readonly ResourceTypeName[] = RESOURCE_TYPES;

/** Registry entries in dependency order. */
export const resourceTypes: readonly ResourceTypeDef[] = resourceTypeNames.map((name) => registry[name] as ResourceTypeDef);

export function isResourceTypeName(name: string): name is ResourceTypeName {
  return (RESOURCE_TYPES as readonly string[]).includes(name);
}

/** The entry for a type name (case-sensitive, e.g. 'Encounter'), or undefined. */
export function getResourceType(name: string): ResourceTypeDef | undefined {
  return isResourceTypeName(name) ? (registry[name] as ResourceTypeDef) : undefined;
}
