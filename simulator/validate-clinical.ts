// Condition (10126, 10001/10002) and Observation (10130, 10012), reference A8/A11.
import { elementMissing, issue, withRule, type Issue } from './outcome.js';
import { checkCodeable, checkIdentifiers, checkOptionalDateTime, checkReference, isNonEmptyString, isObject, type ValidationContext } from './validate-common.js';
import type { JsonObject } from './types.js';

export const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
const CONDITION_SYSTEMS = [ICD10, 'http://terminology.kemkes.go.id/CodeSystem/clinical-term', 'http://snomed.info/sct'];
const ICD10_RE = /^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/;
const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';

export function validateCondition(r: JsonObject, ctx: ValidationContext): Issue[] {
  const issues: Issue[] = [];
  checkIdentifiers(r, 'Condition', ctx, issues);
  checkReference(r.encounter, 'Condition.encounter', 'Encounter', ctx, issues, '10126');
  checkReference(r.subject, 'Condition.subject', 'Patient', ctx, issues);
  if (r.code === undefined) issues.push(elementMissing('Condition.code'));
  else checkCodeable(r.code, 'Condition.code', CONDITION_SYSTEMS, issues, (system, code) => system !== ICD10 || ICD10_RE.test(code));
  checkOptionalDateTime(r.onsetDateTime, 'Condition.onsetDateTime', ctx, issues);
  checkOptionalDateTime(r.recordedDate, 'Condition.recordedDate', ctx, issues);
  return issues;
}

export function validateObservation(r: JsonObject, ctx: ValidationContext): Issue[] {
  const issues: Issue[] = [];
  checkIdentifiers(r, 'Observation', ctx, issues);
  if (!isNonEmptyString(r.status)) issues.push(elementMissing('Observation.status'));
  checkReference(r.encounter, 'Observation.encounter', 'Encounter', ctx, issues, '10130');
  checkReference(r.subject, 'Observation.subject', 'Patient', ctx, issues);
  if (r.code === undefined) issues.push(elementMissing('Observation.code'));
  else checkCodeable(r.code, 'Observation.code', [LOINC], issues);
  checkOptionalDateTime(r.effectiveDateTime, 'Observation.effectiveDateTime', ctx, issues);
  checkOptionalDateTime(r.issued, 'Observation.issued', ctx, issues);
  if (r.valueQuantity !== undefined) checkQuantity(r.valueQuantity, issues);
  return issues;
}

function checkQuantity(q: unknown, issues: Issue[]): void {
  const path = 'Observation.valueQuantity';
  if (!isObject(q)) {
    issues.push(issue('structure', 'Observation.valueQuantity must be an object', path));
    return;
  }
  if (q.system !== UCUM) {
    issues.push(issue('value', withRule(`Invalid unit system: ${String(q.system)}. Observation.valueQuantity.system must be ${UCUM}`, '10012'), `${path}.system`));
  } else if (!isNonEmptyString(q.code)) {
    issues.push(issue('required', withRule('Observation.valueQuantity.code must be a UCUM code', '10012'), `${path}.code`));
  }
  if (typeof q.value !== 'number') issues.push(issue('value', 'Observation.valueQuantity.value must be a number', `${path}.value`));
}
