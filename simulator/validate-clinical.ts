// Clinical resources of a visit: Condition (10126, 10001/10002), Observation (10130, 10012; vital
// signs and laboratory), Procedure, AllergyIntolerance and Composition (reference A8, A9, A11).
// Rule numbers only where the reference gives one; other messages say what is wrong without one.
import { elementMissing, issue, mandatoryRef, withRule, type Issue } from './outcome.js';
import { parseReference } from './references.js';
import { SYSTEMS, isIcd10, isIcd9cm, isKfa, isLoinc, isSnomed, isUcum } from './terminology.js';
import {
  checkCodeable,
  checkIdentifiers,
  checkOptionalDateTime,
  checkReference,
  isNonEmptyString,
  isObject,
  type ValidationContext,
} from './validate-common.js';
import type { JsonObject } from './types.js';

export const ICD10 = SYSTEMS.icd10;
const CONDITION_SYSTEMS = [SYSTEMS.icd10, SYSTEMS.clinicalTerm, SYSTEMS.snomed];
// Code systems per element as the IG's examples use them (satusehat-ig/satusehat-usecase): LOINC and
// SNOMED CT, and the kemkes CodeSystems of the terminology server for what those do not cover.
const OBSERVATION_CODE_SYSTEMS = [SYSTEMS.loinc, SYSTEMS.snomed, SYSTEMS.clinicalTerm, SYSTEMS.examination, SYSTEMS.ancCustom, SYSTEMS.ikpCustom, SYSTEMS.whoAncCds];
const OBSERVATION_VALUE_SYSTEMS = [SYSTEMS.snomed, SYSTEMS.loinc, SYSTEMS.clinicalTerm, SYSTEMS.examination];
const PROCEDURE_SYSTEMS = [SYSTEMS.icd9cm, SYSTEMS.snomed, SYSTEMS.clinicalTerm];
const COMPOSITION_TYPE_SYSTEMS = [SYSTEMS.loinc, SYSTEMS.compositionType];
const OBSERVATION_STATUS = new Set(['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown']);
const PROCEDURE_STATUS = new Set(['preparation', 'in-progress', 'not-done', 'on-hold', 'stopped', 'completed', 'entered-in-error', 'unknown']);
const COMPOSITION_STATUS = new Set(['preliminary', 'final', 'amended', 'entered-in-error']);
const ALLERGY_CATEGORY = new Set(['food', 'medication', 'environment', 'biologic']);

/** Code checks per system (10001 "Code not found" when they fail). */
export function codeOk(system: string, code: string): boolean {
  switch (system) {
    case SYSTEMS.icd10:
      return isIcd10(code);
    case SYSTEMS.icd9cm:
      return isIcd9cm(code);
    case SYSTEMS.loinc:
      return isLoinc(code);
    case SYSTEMS.snomed:
      return isSnomed(code);
    case SYSTEMS.kfa:
      return isKfa(code);
    default:
      return true;
  }
}

/**
 * An optional Reference (or list of them) whose targets must exist. People must be known to the
 * MPI/MNI; `Organization/<our org>` is always known (registered by Kemenkes).
 */
export function checkRefs(element: unknown, path: string, types: readonly string[], ctx: ValidationContext, issues: Issue[], options: { required?: boolean; rule?: string } = {}): void {
  const list = element === undefined ? [] : Array.isArray(element) ? element : [element];
  if (list.length === 0) {
    if (options.required) issues.push(mandatoryRef(path, options.rule));
    return;
  }
  list.forEach((raw, i) => {
    const at = Array.isArray(element) ? `${path}[${i}]` : path;
    const ref = isObject(raw) ? raw.reference : undefined;
    if (!isNonEmptyString(ref)) {
      issues.push(mandatoryRef(at, options.rule));
      return;
    }
    const parsed = parseReference(ref);
    let found = false;
    if (parsed && types.includes(parsed.type)) {
      if (parsed.type === 'Patient' || parsed.type === 'Practitioner') found = ctx.isKnownPerson(parsed.type, parsed.id);
      else if (parsed.type === 'Organization' && parsed.id === ctx.orgId) found = true;
      else found = ctx.hasResource(parsed.type, parsed.id);
    }
    if (!found) {
      const expected = parsed && !types.includes(parsed.type) ? ` (expected ${types.join(' or ')})` : '';
      issues.push(issue('not-found', withRule(`Reference not found : ${at}.reference : ${ref}${expected}`, options.rule), `${at}.reference`));
    }
  });
}

/** A Quantity in UCUM (10012), e.g. Observation.valueQuantity or a reference range bound. */
export function checkUcumQuantity(q: unknown, path: string, issues: Issue[]): void {
  if (!isObject(q)) {
    issues.push(issue('structure', `${path} must be an object`, path));
    return;
  }
  if (q.system !== SYSTEMS.ucum) {
    issues.push(issue('value', withRule(`Invalid unit system: ${String(q.system)}. ${path}.system must be ${SYSTEMS.ucum}`, '10012'), `${path}.system`));
  } else if (!isNonEmptyString(q.code)) {
    issues.push(issue('required', withRule(`${path}.code must be a UCUM code`, '10012'), `${path}.code`));
  } else if (!isUcum(q.code)) {
    issues.push(issue('value', withRule(`Invalid UCUM unit: '${q.code}' in ${path}.code`, '10012'), `${path}.code`));
  }
  if (typeof q.value !== 'number') issues.push(issue('value', `${path}.value must be a number`, `${path}.value`));
}

/** A mandatory `code` element whose value must be one of `allowed` (10001). */
export function checkStatus(value: unknown, path: string, allowed: ReadonlySet<string>, issues: Issue[]): void {
  if (value === undefined) issues.push(elementMissing(path));
  else if (typeof value !== 'string' || !allowed.has(value)) issues.push(issue('value', withRule(`Code not found: '${String(value)}' in ${path}`, '10001'), path));
}

export function validateCondition(r: JsonObject, ctx: ValidationContext): Issue[] {
  const issues: Issue[] = [];
  checkIdentifiers(r, 'Condition', ctx, issues);
  checkReference(r.encounter, 'Condition.encounter', 'Encounter', ctx, issues, '10126');
  checkReference(r.subject, 'Condition.subject', 'Patient', ctx, issues);
  if (r.code === undefined) issues.push(elementMissing('Condition.code'));
  else checkCodeable(r.code, 'Condition.code', CONDITION_SYSTEMS, issues, codeOk);
  checkOptionalDateTime(r.onsetDateTime, 'Condition.onsetDateTime', ctx, issues);
  checkOptionalDateTime(r.recordedDate, 'Condition.recordedDate', ctx, issues);
  return issues;
}

export function validateObservation(r: JsonObject, ctx: ValidationContext): Issue[] {
  const issues: Issue[] = [];
  checkIdentifiers(r, 'Observation', ctx, issues);
  checkStatus(r.status, 'Observation.status', OBSERVATION_STATUS, issues);
  checkReference(r.encounter, 'Observation.encounter', 'Encounter', ctx, issues, '10130');
  checkReference(r.subject, 'Observation.subject', 'Patient', ctx, issues);
  checkRefs(r.performer, 'Observation.performer', ['Practitioner', 'Organization'], ctx, issues);
  checkRefs(r.basedOn, 'Observation.basedOn', ['ServiceRequest'], ctx, issues);
  checkRefs(r.specimen, 'Observation.specimen', ['Specimen'], ctx, issues);
  if (r.code === undefined) issues.push(elementMissing('Observation.code'));
  else checkCodeable(r.code, 'Observation.code', OBSERVATION_CODE_SYSTEMS, issues, codeOk);
  checkOptionalDateTime(r.effectiveDateTime, 'Observation.effectiveDateTime', ctx, issues);
  checkOptionalDateTime(r.issued, 'Observation.issued', ctx, issues);
  if (r.valueQuantity !== undefined) checkUcumQuantity(r.valueQuantity, 'Observation.valueQuantity', issues);
  if (r.valueCodeableConcept !== undefined) checkCodeable(r.valueCodeableConcept, 'Observation.valueCodeableConcept', OBSERVATION_VALUE_SYSTEMS, issues, codeOk);
  if (Array.isArray(r.referenceRange)) {
    r.referenceRange.forEach((range, i) => {
      if (!isObject(range)) return;
      if (range.low !== undefined) checkUcumQuantity(range.low, `Observation.referenceRange[${i}].low`, issues);
      if (range.high !== undefined) checkUcumQuantity(range.high, `Observation.referenceRange[${i}].high`, issues);
    });
  }
  return issues;
}

/** `checkCode` replaces the code rules of clinical Procedures (ICD-9-CM/SNOMED), e.g. for education. */
export function validateProcedure(r: JsonObject, ctx: ValidationContext, checkCode?: (code: unknown, issues: Issue[]) => void): Issue[] {
  const issues: Issue[] = [];
  checkIdentifiers(r, 'Procedure', ctx, issues);
  checkStatus(r.status, 'Procedure.status', PROCEDURE_STATUS, issues);
  checkReference(r.subject, 'Procedure.subject', 'Patient', ctx, issues);
  checkReference(r.encounter, 'Procedure.encounter', 'Encounter', ctx, issues);
  if (r.code === undefined) issues.push(elementMissing('Procedure.code'));
  else if (checkCode) checkCode(r.code, issues);
  else checkCodeable(r.code, 'Procedure.code', PROCEDURE_SYSTEMS, issues, codeOk);
  if (r.category !== undefined) checkCodeable(r.category, 'Procedure.category', [SYSTEMS.snomed], issues, codeOk);
  checkProcedurePerformance(r, ctx, issues);
  return issues;
}

/** When a Procedure was done (10132) and by whom: the same for every kind of Procedure. */
export function checkProcedurePerformance(r: JsonObject, ctx: ValidationContext, issues: Issue[]): void {
  const period = isObject(r.performedPeriod) ? r.performedPeriod : undefined;
  checkOptionalDateTime(period?.start, 'Procedure.performedPeriod.start', ctx, issues);
  checkOptionalDateTime(period?.end, 'Procedure.performedPeriod.end', ctx, issues);
  checkOptionalDateTime(r.performedDateTime, 'Procedure.performedDateTime', ctx, issues);
  if (Array.isArray(r.performer)) {
    r.performer.forEach((p, i) => checkRefs(isObject(p) ? p.actor : undefined, `Procedure.performer[${i}].actor`, ['Practitioner', 'Organization'], ctx, issues, { required: true }));
  }
}

export function validateAllergyIntolerance(r: JsonObject, ctx: ValidationContext): Issue[] {
  const issues: Issue[] = [];
  checkIdentifiers(r, 'AllergyIntolerance', ctx, issues);
  checkReference(r.patient, 'AllergyIntolerance.patient', 'Patient', ctx, issues);
  checkRefs(r.encounter, 'AllergyIntolerance.encounter', ['Encounter'], ctx, issues);
  checkRefs(r.recorder, 'AllergyIntolerance.recorder', ['Practitioner', 'Patient'], ctx, issues);
  if (r.code === undefined) issues.push(elementMissing('AllergyIntolerance.code'));
  else checkCodeable(r.code, 'AllergyIntolerance.code', [SYSTEMS.snomed, SYSTEMS.kfa, SYSTEMS.clinicalTerm], issues, codeOk);
  if (r.clinicalStatus !== undefined) checkCodeable(r.clinicalStatus, 'AllergyIntolerance.clinicalStatus', ['http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical'], issues);
  if (r.verificationStatus !== undefined) checkCodeable(r.verificationStatus, 'AllergyIntolerance.verificationStatus', ['http://terminology.hl7.org/CodeSystem/allergyintolerance-verification'], issues);
  if (Array.isArray(r.category)) {
    r.category.forEach((c, i) => {
      if (typeof c !== 'string' || !ALLERGY_CATEGORY.has(c)) issues.push(issue('value', withRule(`Code not found: '${String(c)}' in AllergyIntolerance.category`, '10001'), `AllergyIntolerance.category[${i}]`));
    });
  }
  checkOptionalDateTime(r.recordedDate, 'AllergyIntolerance.recordedDate', ctx, issues);
  return issues;
}

// Composition.identifier is a single Identifier (0..1) in FHIR R4, so the shared list check does not apply.
function checkCompositionIdentifier(r: JsonObject, ctx: ValidationContext, issues: Issue[]): void {
  const id = r.identifier;
  if (id === undefined) return;
  if (!isObject(id)) {
    issues.push(issue('structure', 'Composition.identifier must be a single Identifier', 'Composition.identifier'));
    return;
  }
  if (!isNonEmptyString(id.system)) issues.push(elementMissing('Composition.identifier.system'));
  if (!isNonEmptyString(id.value)) issues.push(elementMissing('Composition.identifier.value'));
  const m = typeof id.system === 'string' ? /^http:\/\/sys-ids\.kemkes\.go\.id\/([a-z-]+)\/([^/]+)$/.exec(id.system) : null;
  if (m && m[1] !== 'composition') issues.push(issue('value', `Invalid identifier system: ${String(id.system)}`, 'Composition.identifier.system'));
  else if (m && m[2] !== ctx.orgId) issues.push(issue('value', `Wrong organization ID provided by system URL: ${String(id.system)}`, 'Composition.identifier.system'));
}

export function validateComposition(r: JsonObject, ctx: ValidationContext): Issue[] {
  const issues: Issue[] = [];
  checkCompositionIdentifier(r, ctx, issues);
  checkStatus(r.status, 'Composition.status', COMPOSITION_STATUS, issues);
  if (r.type === undefined) issues.push(elementMissing('Composition.type'));
  else checkCodeable(r.type, 'Composition.type', COMPOSITION_TYPE_SYSTEMS, issues, codeOk);
  checkReference(r.subject, 'Composition.subject', 'Patient', ctx, issues);
  checkReference(r.encounter, 'Composition.encounter', 'Encounter', ctx, issues);
  checkRefs(r.author, 'Composition.author', ['Practitioner', 'Organization'], ctx, issues, { required: true });
  if (r.date === undefined) issues.push(elementMissing('Composition.date'));
  else checkOptionalDateTime(r.date, 'Composition.date', ctx, issues);
  if (!isNonEmptyString(r.title)) issues.push(elementMissing('Composition.title'));
  if (Array.isArray(r.section)) {
    r.section.forEach((s, i) => {
      const div = isObject(s) && isObject(s.text) ? s.text.div : undefined;
      const text = typeof div === 'string' ? div.replace(/<[^>]*>/g, '').trim() : '';
      if (isObject(s) && s.text !== undefined && text === '') issues.push(issue('value', withRule(`Text is empty: '' in Composition.section[${i}].text.div`, '10134'), `Composition.section[${i}].text.div`));
    });
  }
  return issues;
}
