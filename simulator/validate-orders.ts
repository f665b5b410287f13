// Medication (KFA), MedicationRequest, ServiceRequest, Specimen and DiagnosticReport: mandatory
// references must point at stored resources or known people; codes must be in the systems
// SATUSEHAT uses (KFA, LOINC, SNOMED CT, UCUM). Rule numbers only where reference A9 gives one.
import { elementMissing, issue, refNotFound, withRule, type Issue } from './outcome.js';
import { SYSTEMS, isMedicationForm, isSnomed, isUcum } from './terminology.js';
import { checkRefs, codeOk } from './validate-clinical.js';
import { checkCodeable, checkIdentifiers, checkOptionalDateTime, checkReference, isNonEmptyString, isObject, type ValidationContext } from './validate-common.js';
import type { JsonObject } from './types.js';

const MEDICATION_TYPE_URL = 'https://fhir.kemkes.go.id/r4/StructureDefinition/MedicationType';
const MEDICATION_TYPES = new Set(['NC', 'SD', 'EP']);
const REQUEST_STATUS = new Set(['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown']);
const MEDREQ_STATUS = new Set(['active', 'on-hold', 'cancelled', 'completed', 'entered-in-error', 'stopped', 'draft', 'unknown']);
const MEDREQ_INTENT = new Set(['proposal', 'plan', 'order', 'original-order', 'reflex-order', 'filler-order', 'instance-order', 'option']);
// ServiceRequest.intent is bound (required) to request-intent, which has `directive`; MedicationRequest's
// medicationrequest-intent does not.
const SR_INTENT = new Set([...MEDREQ_INTENT, 'directive']);
const SERVICE_REQUEST_SYSTEMS = [SYSTEMS.loinc, SYSTEMS.snomed, SYSTEMS.icd9cm, SYSTEMS.clinicalTerm, SYSTEMS.examination];
const REPORT_CODE_SYSTEMS = [SYSTEMS.loinc, SYSTEMS.snomed, SYSTEMS.examination];
const SPECIMEN_STATUS = new Set(['available', 'unavailable', 'unsatisfactory', 'entered-in-error']);
const REPORT_STATUS = new Set(['registered', 'partial', 'preliminary', 'final', 'amended', 'corrected', 'appended', 'cancelled', 'entered-in-error', 'unknown']);

function checkCode(value: unknown, path: string, allowed: ReadonlySet<string>, issues: Issue[]): void {
  if (value === undefined) issues.push(elementMissing(path));
  else if (typeof value !== 'string' || !allowed.has(value)) issues.push(issue('value', withRule(`Code not found: '${String(value)}' in ${path}`, '10001'), path));
}

/** A drug quantity: tablets/capsules as v3 orderable drug forms, everything else in UCUM. */
function checkDrugQuantity(q: unknown, path: string, issues: Issue[]): void {
  if (!isObject(q)) {
    issues.push(issue('structure', `${path} must be an object`, path));
    return;
  }
  if (typeof q.value !== 'number') issues.push(issue('value', `${path}.value must be a number`, `${path}.value`));
  if (q.system === SYSTEMS.ucum) {
    if (!isNonEmptyString(q.code) || !isUcum(q.code)) issues.push(issue('value', `Invalid UCUM unit: '${String(q.code)}' in ${path}.code`, `${path}.code`));
  } else if (q.system === SYSTEMS.orderableDrugForm) {
    if (!isNonEmptyString(q.code)) issues.push(elementMissing(`${path}.code`));
  } else {
    issues.push(issue('value', withRule(`Invalid coding system: ${String(q.system)} in ${path}.system (expected ${SYSTEMS.ucum} or ${SYSTEMS.orderableDrugForm})`, '10002'), `${path}.system`));
  }
}

/** The MedicationType code of a Medication, if it carries the extension. */
function medicationTypeOf(r: JsonObject): unknown {
  const ext = Array.isArray(r.extension) ? r.extension.find((e) => isObject(e) && e.url === MEDICATION_TYPE_URL) : undefined;
  const coding = isObject(ext) && isObject(ext.valueCodeableConcept) && Array.isArray(ext.valueCodeableConcept.coding) ? ext.valueCodeableConcept.coding[0] : undefined;
  return isObject(coding) ? coding.code : undefined;
}

export function validateMedication(r: JsonObject, ctx: ValidationContext): Issue[] {
  const issues: Issue[] = [];
  checkIdentifiers(r, 'Medication', ctx, issues);
  // A compound (SD d.t.d., EP divided into equal parts) may leave code empty; its ingredients say what it is (Playbook v6.3 §16).
  const compound = medicationTypeOf(r) === 'SD' || medicationTypeOf(r) === 'EP';
  if (r.code === undefined) {
    if (!compound) issues.push(elementMissing('Medication.code'));
  } else checkCodeable(r.code, 'Medication.code', [SYSTEMS.kfa], issues, codeOk);
  if (compound && !(Array.isArray(r.ingredient) && r.ingredient.length > 0)) issues.push(elementMissing('Medication.ingredient'));
  if (Array.isArray(r.ingredient)) {
    r.ingredient.forEach((ing, i) => {
      if (isObject(ing) && ing.itemCodeableConcept !== undefined) checkCodeable(ing.itemCodeableConcept, `Medication.ingredient[${i}].itemCodeableConcept`, [SYSTEMS.kfa, SYSTEMS.snomed], issues, codeOk);
    });
  }
  if (r.form !== undefined) checkCodeable(r.form, 'Medication.form', [SYSTEMS.medicationForm, SYSTEMS.snomed], issues, (s, code) => (s === SYSTEMS.snomed ? isSnomed(code) : isMedicationForm(code)));
  if (Array.isArray(r.extension)) {
    r.extension.forEach((ext, i) => {
      if (!isObject(ext) || ext.url !== MEDICATION_TYPE_URL) return;
      checkCodeable(ext.valueCodeableConcept, `Medication.extension[${i}].valueCodeableConcept`, [SYSTEMS.medicationType], issues, (_s, code) => MEDICATION_TYPES.has(code));
    });
  }
  return issues;
}

/** `#id`: a Medication in the request's own `contained`, checked like a posted one (Playbook v6.2). */
function containedMedicationIssues(r: JsonObject, ref: string, ctx: ValidationContext): Issue[] {
  const contained = Array.isArray(r.contained) ? r.contained : [];
  const at = contained.findIndex((c) => isObject(c) && c.resourceType === 'Medication' && c.id === ref.slice(1));
  if (at < 0) return [refNotFound('MedicationRequest.medicationReference.reference', ref)];
  const path = `MedicationRequest.contained[${at}]`;
  const within = (text: string) => text.replace(/\bMedication\./g, `${path}.`);
  return validateMedication(contained[at] as JsonObject, ctx).map((i) => ({ ...i, details: { text: within(i.details.text) }, ...(i.expression && { expression: i.expression.map(within) }) }));
}

export function validateMedicationRequest(r: JsonObject, ctx: ValidationContext): Issue[] {
  const issues: Issue[] = [];
  checkIdentifiers(r, 'MedicationRequest', ctx, issues);
  checkCode(r.status, 'MedicationRequest.status', MEDREQ_STATUS, issues);
  checkCode(r.intent, 'MedicationRequest.intent', MEDREQ_INTENT, issues);
  const medRef = isObject(r.medicationReference) ? r.medicationReference.reference : undefined;
  if (typeof medRef === 'string' && medRef.startsWith('#')) issues.push(...containedMedicationIssues(r, medRef, ctx));
  else if (r.medicationReference !== undefined) checkReference(r.medicationReference, 'MedicationRequest.medicationReference', 'Medication', ctx, issues);
  else if (r.medicationCodeableConcept !== undefined) checkCodeable(r.medicationCodeableConcept, 'MedicationRequest.medicationCodeableConcept', [SYSTEMS.kfa], issues, codeOk);
  else issues.push(elementMissing('MedicationRequest.medicationReference'));
  checkReference(r.subject, 'MedicationRequest.subject', 'Patient', ctx, issues);
  checkReference(r.encounter, 'MedicationRequest.encounter', 'Encounter', ctx, issues);
  checkReference(r.requester, 'MedicationRequest.requester', 'Practitioner', ctx, issues);
  checkOptionalDateTime(r.authoredOn, 'MedicationRequest.authoredOn', ctx, issues);
  if (Array.isArray(r.dosageInstruction)) {
    r.dosageInstruction.forEach((d, i) => {
      if (!isObject(d) || !Array.isArray(d.doseAndRate)) return;
      d.doseAndRate.forEach((dr, j) => {
        if (isObject(dr) && dr.doseQuantity !== undefined) checkDrugQuantity(dr.doseQuantity, `MedicationRequest.dosageInstruction[${i}].doseAndRate[${j}].doseQuantity`, issues);
      });
    });
  }
  const dispense = isObject(r.dispenseRequest) ? r.dispenseRequest : undefined;
  if (dispense?.quantity !== undefined) checkDrugQuantity(dispense.quantity, 'MedicationRequest.dispenseRequest.quantity', issues);
  if (dispense?.performer !== undefined) checkRefs(dispense.performer, 'MedicationRequest.dispenseRequest.performer', ['Organization'], ctx, issues);
  return issues;
}

export function validateServiceRequest(r: JsonObject, ctx: ValidationContext): Issue[] {
  const issues: Issue[] = [];
  checkIdentifiers(r, 'ServiceRequest', ctx, issues);
  checkCode(r.status, 'ServiceRequest.status', REQUEST_STATUS, issues);
  checkCode(r.intent, 'ServiceRequest.intent', SR_INTENT, issues);
  if (r.code === undefined) issues.push(elementMissing('ServiceRequest.code'));
  else checkCodeable(r.code, 'ServiceRequest.code', SERVICE_REQUEST_SYSTEMS, issues, codeOk);
  checkReference(r.subject, 'ServiceRequest.subject', 'Patient', ctx, issues);
  checkReference(r.encounter, 'ServiceRequest.encounter', 'Encounter', ctx, issues);
  // The IG's referrals are requested by a facility (Organization) and some are performed by the patient.
  checkRefs(r.requester, 'ServiceRequest.requester', ['Practitioner', 'Organization'], ctx, issues, { required: true });
  checkRefs(r.performer, 'ServiceRequest.performer', ['Practitioner', 'Organization', 'Patient'], ctx, issues);
  checkOptionalDateTime(r.occurrenceDateTime, 'ServiceRequest.occurrenceDateTime', ctx, issues);
  checkOptionalDateTime(r.authoredOn, 'ServiceRequest.authoredOn', ctx, issues);
  return issues;
}

export function validateSpecimen(r: JsonObject, ctx: ValidationContext): Issue[] {
  const issues: Issue[] = [];
  checkIdentifiers(r, 'Specimen', ctx, issues);
  if (r.status !== undefined) checkCode(r.status, 'Specimen.status', SPECIMEN_STATUS, issues);
  if (r.type === undefined) issues.push(elementMissing('Specimen.type'));
  else checkCodeable(r.type, 'Specimen.type', [SYSTEMS.snomed, SYSTEMS.v2SpecimenType], issues, codeOk);
  checkReference(r.subject, 'Specimen.subject', 'Patient', ctx, issues);
  checkRefs(r.request, 'Specimen.request', ['ServiceRequest'], ctx, issues, { required: true });
  const collection = isObject(r.collection) ? r.collection : undefined;
  checkOptionalDateTime(collection?.collectedDateTime, 'Specimen.collection.collectedDateTime', ctx, issues);
  if (collection?.method !== undefined) checkCodeable(collection.method, 'Specimen.collection.method', [SYSTEMS.snomed], issues, codeOk);
  checkOptionalDateTime(r.receivedTime, 'Specimen.receivedTime', ctx, issues);
  return issues;
}

export function validateDiagnosticReport(r: JsonObject, ctx: ValidationContext): Issue[] {
  const issues: Issue[] = [];
  checkIdentifiers(r, 'DiagnosticReport', ctx, issues);
  checkCode(r.status, 'DiagnosticReport.status', REPORT_STATUS, issues);
  if (Array.isArray(r.category)) r.category.forEach((c, i) => checkCodeable(c, `DiagnosticReport.category[${i}]`, [SYSTEMS.v2ServiceSection, SYSTEMS.loinc, SYSTEMS.snomed], issues));
  if (r.code === undefined) issues.push(elementMissing('DiagnosticReport.code'));
  else checkCodeable(r.code, 'DiagnosticReport.code', REPORT_CODE_SYSTEMS, issues, codeOk);
  checkReference(r.subject, 'DiagnosticReport.subject', 'Patient', ctx, issues);
  checkReference(r.encounter, 'DiagnosticReport.encounter', 'Encounter', ctx, issues);
  checkRefs(r.result, 'DiagnosticReport.result', ['Observation'], ctx, issues);
  checkRefs(r.specimen, 'DiagnosticReport.specimen', ['Specimen'], ctx, issues);
  checkRefs(r.basedOn, 'DiagnosticReport.basedOn', ['ServiceRequest'], ctx, issues);
  checkRefs(r.performer, 'DiagnosticReport.performer', ['Practitioner', 'Organization'], ctx, issues);
  checkOptionalDateTime(r.effectiveDateTime, 'DiagnosticReport.effectiveDateTime', ctx, issues);
  checkOptionalDateTime(r.issued, 'DiagnosticReport.issued', ctx, issues);
  return issues;
}
