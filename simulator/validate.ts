// Per-type validation dispatch. Types without specific rules are accepted generically (only their
// identifier systems are checked) so new resource types work without simulator changes.
import type { Issue } from './outcome.js';
import { validateLocation, validateOrganization } from './validate-admin.js';
import { validateAllergyIntolerance, validateCondition, validateObservation } from './validate-clinical.js';
import { checkIdentifiers, type ValidationContext } from './validate-common.js';
import { checkPersonDisplays } from './display-names.js';
import { validateEncounter } from './validate-encounter.js';
import { validateImmunization } from './validate-immunization.js';
import { validateCompositionDocument, validateNutritionOrder, validateProcedureByKind } from './validate-notes.js';
import { validateDiagnosticReport, validateMedication, validateMedicationRequest, validateServiceRequest, validateSpecimen } from './validate-orders.js';
import type { JsonObject } from './types.js';

export type { ValidationContext } from './validate-common.js';

const VALIDATORS: Record<string, (r: JsonObject, ctx: ValidationContext) => Issue[]> = {
  Organization: validateOrganization,
  Location: validateLocation,
  Encounter: validateEncounter,
  Condition: validateCondition,
  Observation: validateObservation,
  Procedure: validateProcedureByKind,
  Immunization: validateImmunization,
  AllergyIntolerance: validateAllergyIntolerance,
  Composition: validateCompositionDocument,
  NutritionOrder: validateNutritionOrder,
  Medication: validateMedication,
  MedicationRequest: validateMedicationRequest,
  ServiceRequest: validateServiceRequest,
  Specimen: validateSpecimen,
  DiagnosticReport: validateDiagnosticReport,
};

/** Every issue of the resource (empty when valid). */
export function validateResource(type: string, resource: JsonObject, ctx: ValidationContext): Issue[] {
  const specific = VALIDATORS[type];
  const issues: Issue[] = specific ? specific(resource, ctx) : [];
  if (!specific) checkIdentifiers(resource, type, ctx, issues);
  if (ctx.personName) checkPersonDisplays(resource, type, ctx.personName, issues);
  return issues;
}

export const RESOURCE_TYPE_RE = /^[A-Z][A-Za-z]{1,63}$/;
