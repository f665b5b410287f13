// The Encounter elements of a visit update (Playbook Rawat Jalan §2, §25–27; IG resource-Encounter
// and Extension-encounter-serviceclass): diagnosis, hospitalization, length and the room's
// ServiceClass. Optional, but when sent they must be well formed, and a diagnosis must name a
// Condition that exists (stored, or a member of the same transaction Bundle).
import { elementMissing, issue, type Issue } from './outcome.js';
import { checkCodeable, checkCoding, checkReference, isObject, type ValidationContext } from './validate-common.js';
import type { JsonObject } from './types.js';

const DIAGNOSIS_ROLE = 'http://terminology.hl7.org/CodeSystem/diagnosis-role';
const DIAGNOSIS_ROLES = new Set(['AD', 'DD', 'CC', 'CM', 'pre-op', 'post-op', 'billing']);
/** HL7's list and the kemkes deaths (Playbook §25); SNOMED in the 2022 RME example Bundle. */
const DISCHARGE_SYSTEMS = ['http://terminology.hl7.org/CodeSystem/discharge-disposition', 'http://terminology.kemkes.go.id/CodeSystem/discharge-disposition', 'http://snomed.info/sct'];
const SERVICE_CLASS_URL = 'https://fhir.kemkes.go.id/r4/StructureDefinition/ServiceClass';
/** The Playbook's outpatient and inpatient lists, and the 2022 IG examples' single list. */
const SERVICE_CLASS_SYSTEMS = [
  'http://terminology.kemkes.go.id/CodeSystem/locationServiceClass-Outpatient',
  'http://terminology.kemkes.go.id/CodeSystem/locationServiceClass-Inpatient',
  'http://terminology.kemkes.go.id/CodeSystem/locationServiceClass',
];
const UPGRADE_CLASS_SYSTEMS = ['http://terminology.kemkes.go.id/CodeSystem/locationUpgradeClass'];

export function checkEncounterDetails(r: JsonObject, ctx: ValidationContext, issues: Issue[]): void {
  checkDiagnoses(r, ctx, issues);
  checkHospitalization(r, issues);
  checkLength(r, issues);
  checkServiceClasses(r, issues);
}

function checkDiagnoses(r: JsonObject, ctx: ValidationContext, issues: Issue[]): void {
  if (r.diagnosis === undefined) return;
  if (!Array.isArray(r.diagnosis)) {
    issues.push(issue('structure', 'Encounter.diagnosis must be a list', 'Encounter.diagnosis'));
    return;
  }
  r.diagnosis.forEach((d, i) => {
    const path = `Encounter.diagnosis[${i}]`;
    if (!isObject(d)) {
      issues.push(elementMissing(`${path}.condition`));
      return;
    }
    // A chief complaint may be named by text alone (the official Example-Encounter-Ambulatory does).
    const displayOnly = isObject(d.condition) && d.condition.reference === undefined && typeof d.condition.display === 'string' && d.condition.display.trim() !== '';
    if (!displayOnly) checkReference(d.condition, `${path}.condition`, 'Condition', ctx, issues);
    if (d.use !== undefined) checkCodeable(d.use, `${path}.use`, [DIAGNOSIS_ROLE], issues, (_s, code) => DIAGNOSIS_ROLES.has(code));
    if (d.rank !== undefined && !(Number.isInteger(d.rank) && (d.rank as number) >= 1)) {
      issues.push(issue('value', `${path}.rank must be a positive integer (got ${JSON.stringify(d.rank)})`, `${path}.rank`));
    }
  });
}

function checkHospitalization(r: JsonObject, issues: Issue[]): void {
  if (r.hospitalization === undefined) return;
  if (!isObject(r.hospitalization)) {
    issues.push(issue('structure', 'Encounter.hospitalization must be an object', 'Encounter.hospitalization'));
    return;
  }
  const disposition = r.hospitalization.dischargeDisposition;
  if (disposition !== undefined) checkCodeable(disposition, 'Encounter.hospitalization.dischargeDisposition', DISCHARGE_SYSTEMS, issues);
}

function checkLength(r: JsonObject, issues: Issue[]): void {
  if (r.length === undefined) return;
  const length = isObject(r.length) ? r.length : undefined;
  if (!length || typeof length.value !== 'number' || length.value < 0) issues.push(issue('value', 'Encounter.length must be a Duration with a value of 0 or more', 'Encounter.length'));
}

function checkServiceClasses(r: JsonObject, issues: Issue[]): void {
  if (!Array.isArray(r.location)) return;
  r.location.forEach((l, i) => {
    const extensions = isObject(l) && Array.isArray(l.extension) ? l.extension : [];
    extensions.forEach((ext, j) => {
      if (!isObject(ext) || ext.url !== SERVICE_CLASS_URL) return;
      const path = `Encounter.location[${i}].extension[${j}]`;
      const parts = Array.isArray(ext.extension) ? ext.extension : [];
      if (parts.length === 0) issues.push(elementMissing(`${path}.extension`));
      parts.forEach((part, k) => {
        const partPath = `${path}.extension[${k}]`;
        if (!isObject(part) || (part.url !== 'value' && part.url !== 'upgradeClassIndicator')) {
          issues.push(issue('value', `${partPath}.url must be 'value' or 'upgradeClassIndicator'`, `${partPath}.url`));
          return;
        }
        const coding = isObject(part.valueCodeableConcept) && Array.isArray(part.valueCodeableConcept.coding) ? part.valueCodeableConcept.coding : [];
        if (coding.length === 0) issues.push(elementMissing(`${partPath}.valueCodeableConcept.coding`));
        const systems = part.url === 'value' ? SERVICE_CLASS_SYSTEMS : UPGRADE_CLASS_SYSTEMS;
        coding.forEach((c, m) => checkCoding(c, `${partPath}.valueCodeableConcept.coding[${m}]`, systems, issues));
      });
    });
  });
}
