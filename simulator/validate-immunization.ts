// Immunization (imunisasi), by the IG profile (id-fhir resource-Immunization.json): status,
// vaccineCode, patient and occurrence[x] are required, and so are performer.actor in every
// performer and doseNumber[x] in every protocolApplied. Code systems, codes and displays as the IG's
// Immunization examples send them (satusehat-usecase ANC, covid/vaksin, zoonosis/rabies). Written
// apart from the mapper's tables on purpose: the simulator plays the other side.
import { elementMissing, issue, withRule, type Issue } from './outcome.js';
import { SYSTEMS } from './terminology.js';
import { checkRefs, checkStatus, checkUcumQuantity, codeOk } from './validate-clinical.js';
import { checkCodeable, checkIdentifiers, checkOptionalDateTime, checkReference, isObject, type ValidationContext } from './validate-common.js';
import type { JsonObject } from './types.js';

const STATUS = new Set(['completed', 'entered-in-error', 'not-done']);
const CVX = 'http://hl7.org/fhir/sid/cvx';

/** Per coded element: its system and, for the small fixed lists, each code's display. */
const CODES = {
  reasonCode: { system: 'http://terminology.kemkes.go.id/CodeSystem/immunization-reason', displays: { 'IM-Program': 'Imunisasi Program', 'IM-WUS': 'Imunisasi Program Rutin Lanjutan Wanita Usia Subur', 'IM-Khusus': 'Imunisasi Program Khusus' } },
  'performer.function': { system: 'http://terminology.hl7.org/CodeSystem/v2-0443', displays: { AP: 'Administering Provider', OP: 'Ordering Provider', EP: 'Entering Provider (probably not the same as transcriptionist?)' } },
  route: { system: 'http://www.whocc.no/atc', displays: { 'inj.intramuscular': 'Injection Intramuscular' } },
  reportOrigin: { system: 'http://terminology.hl7.org/CodeSystem/immunization-origin', displays: { provider: 'Other Provider', recall: 'Parent/Guardian/Patient Recall' } },
  statusReason: { system: 'http://terminology.kemkes.go.id/CodeSystem/immunization-statusReason', displays: { IS000001: 'Tunda', IS000002: 'Tidak Diberikan' } },
} as const satisfies Record<string, { system: string; displays: Record<string, string> }>;
const SITE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActSite';

type Coded = keyof typeof CODES;

/** A CodeableConcept of one of the fixed lists: its system (10002), its code (10001) and the code's display. */
function checkFixedCodes(element: unknown, path: string, list: Coded, issues: Issue[], otherSystems: readonly string[] = []): void {
  const { system, displays } = CODES[list];
  const known = displays as Readonly<Record<string, string>>;
  checkCodeable(element, path, [system, ...otherSystems], issues, (s, code) => s !== system || Object.hasOwn(known, code));
  const coding = isObject(element) && Array.isArray(element.coding) ? element.coding : [];
  coding.forEach((c, i) => {
    if (!isObject(c) || c.system !== system || typeof c.code !== 'string' || c.display === undefined) return;
    const expected = known[c.code];
    if (expected !== undefined && c.display !== expected) issues.push(issue('value', `Display '${String(c.display)}' does not match code '${c.code}' of ${system}: expected '${expected}'`, `${path}.coding[${i}].display`));
  });
}

export function validateImmunization(r: JsonObject, ctx: ValidationContext): Issue[] {
  const issues: Issue[] = [];
  checkIdentifiers(r, 'Immunization', ctx, issues);
  checkStatus(r.status, 'Immunization.status', STATUS, issues);
  if (r.vaccineCode === undefined) issues.push(elementMissing('Immunization.vaccineCode'));
  else checkCodeable(r.vaccineCode, 'Immunization.vaccineCode', [SYSTEMS.kfa, CVX], issues, codeOk);
  checkReference(r.patient, 'Immunization.patient', 'Patient', ctx, issues);
  checkRefs(r.encounter, 'Immunization.encounter', ['Encounter'], ctx, issues);
  checkRefs(r.location, 'Immunization.location', ['Location'], ctx, issues);
  if (r.occurrenceDateTime === undefined && r.occurrenceString === undefined) issues.push(elementMissing('Immunization.occurrence[x]'));
  checkOptionalDateTime(r.occurrenceDateTime, 'Immunization.occurrenceDateTime', ctx, issues);
  checkOptionalDateTime(r.recorded, 'Immunization.recorded', ctx, issues);
  if (r.statusReason !== undefined) checkFixedCodes(r.statusReason, 'Immunization.statusReason', 'statusReason', issues, [SYSTEMS.snomed]);
  if (r.status === 'not-done' && r.statusReason === undefined) issues.push(elementMissing('Immunization.statusReason'));
  if (r.reportOrigin !== undefined) checkFixedCodes(r.reportOrigin, 'Immunization.reportOrigin', 'reportOrigin', issues);
  if (r.route !== undefined) checkFixedCodes(r.route, 'Immunization.route', 'route', issues);
  if (r.site !== undefined) checkCodeable(r.site, 'Immunization.site', [SITE_SYSTEM], issues);
  if (r.doseQuantity !== undefined) checkUcumQuantity(r.doseQuantity, 'Immunization.doseQuantity', issues);
  if (Array.isArray(r.reasonCode)) r.reasonCode.forEach((c, i) => checkFixedCodes(c, `Immunization.reasonCode[${i}]`, 'reasonCode', issues));
  if (Array.isArray(r.performer)) {
    r.performer.forEach((p, i) => {
      const path = `Immunization.performer[${i}]`;
      checkRefs(isObject(p) ? p.actor : undefined, `${path}.actor`, ['Practitioner', 'Organization'], ctx, issues, { required: true });
      if (isObject(p) && p.function !== undefined) checkFixedCodes(p.function, `${path}.function`, 'performer.function', issues);
    });
  }
  if (Array.isArray(r.protocolApplied)) {
    r.protocolApplied.forEach((p, i) => {
      const dose = isObject(p) ? (p.doseNumberPositiveInt ?? p.doseNumberString) : undefined;
      if (dose === undefined) issues.push(elementMissing(`Immunization.protocolApplied[${i}].doseNumber[x]`));
      else if (isObject(p) && p.doseNumberPositiveInt !== undefined && !(Number.isInteger(p.doseNumberPositiveInt) && (p.doseNumberPositiveInt as number) > 0)) {
        issues.push(issue('value', withRule(`Immunization.protocolApplied[${i}].doseNumberPositiveInt must be a positive integer`, '10001'), `Immunization.protocolApplied[${i}].doseNumberPositiveInt`));
      }
    });
  }
  return issues;
}
