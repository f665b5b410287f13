// Visit notes as the outpatient Playbook v6.3 sends them: NutritionOrder (§20), the education
// Procedure (§21: category SNOMED 409073007, code KPTL 10913 plus a SNOMED topic) and the Resume
// Medis Composition (§28: sections referring to the visit's resources; the IG's DocumentStatus
// extension). Kept apart from validate-clinical.ts, which holds the other clinical types' rules.
import { elementMissing, issue, withRule, type Issue } from './outcome.js';
import { SYSTEMS } from './terminology.js';
import { checkRefs, checkStatus, codeOk, validateComposition, validateProcedure } from './validate-clinical.js';
import { checkCodeable, checkDateTime, checkIdentifiers, checkReference, isNonEmptyString, isObject, type ValidationContext } from './validate-common.js';
import type { JsonObject } from './types.js';

const KPTL = 'http://terminology.kemkes.go.id/CodeSystem/kptl';
/** Kemkes terminology: the base system (Resume Medis section codes) and its CodeSystems. */
const isKemkesTerminology = (system: string): boolean => system === 'http://terminology.kemkes.go.id' || system.startsWith('http://terminology.kemkes.go.id/CodeSystem/');
const EDUCATION = '409073007';

const NUTRITION_STATUS = new Set(['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown']);
const REQUEST_INTENT = new Set(['proposal', 'plan', 'directive', 'order', 'original-order', 'reflex-order', 'filler-order', 'instance-order', 'option']);
const DOCUMENT_STATUS_URL = 'https://fhir.kemkes.go.id/r4/StructureDefinition/DocumentStatus';
const COMPOSITION_STATUS = new Set(['preliminary', 'final', 'amended', 'entered-in-error']);

/** SNOMED codes by format, Kemkes codes as given (their tables are not published in full). */
const snomedOrKemkes = (system: string, code: string): boolean => (system === SYSTEMS.snomed ? codeOk(system, code) : isKemkesTerminology(system) && code.trim() !== '');

function checkCodeableEach(value: unknown, path: string, issues: Issue[], check: (element: unknown, at: string) => void): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    issues.push(issue('structure', `${path} must be an array`, path));
    return;
  }
  value.forEach((v, i) => check(v, `${path}[${i}]`));
}

/** NutritionOrder: status, intent, patient, encounter and dateTime are mandatory (Playbook §20). */
export function validateNutritionOrder(r: JsonObject, ctx: ValidationContext): Issue[] {
  const issues: Issue[] = [];
  checkIdentifiers(r, 'NutritionOrder', ctx, issues);
  checkStatus(r.status, 'NutritionOrder.status', NUTRITION_STATUS, issues);
  checkStatus(r.intent, 'NutritionOrder.intent', REQUEST_INTENT, issues);
  checkReference(r.patient, 'NutritionOrder.patient', 'Patient', ctx, issues);
  checkReference(r.encounter, 'NutritionOrder.encounter', 'Encounter', ctx, issues);
  if (r.dateTime === undefined) issues.push(elementMissing('NutritionOrder.dateTime'));
  else checkDateTime(r.dateTime, 'NutritionOrder.dateTime', ctx, issues);
  checkRefs(r.orderer, 'NutritionOrder.orderer', ['Practitioner', 'PractitionerRole'], ctx, issues);
  checkRefs(r.allergyIntolerance, 'NutritionOrder.allergyIntolerance', ['AllergyIntolerance'], ctx, issues);
  // FHIR nor-1: an oral diet, a supplement or an enteral formula.
  if (r.oralDiet === undefined && r.supplement === undefined && r.enteralFormula === undefined) {
    issues.push(issue('required', 'NutritionOrder needs oralDiet, supplement or enteralFormula', 'NutritionOrder.oralDiet'));
  }
  const oral = isObject(r.oralDiet) ? r.oralDiet : undefined;
  checkCodeableEach(oral?.type, 'NutritionOrder.oralDiet.type', issues, (t, at) => checkCodeable(t, at, [SYSTEMS.snomed, ...kemkesSystemsIn(t)], issues, snomedOrKemkes));
  checkCodeableEach(oral?.nutrient, 'NutritionOrder.oralDiet.nutrient', issues, (n, at) => {
    if (isObject(n) && n.modifier !== undefined) checkCodeable(n.modifier, `${at}.modifier`, [SYSTEMS.snomed], issues, codeOk);
  });
  checkCodeableEach(r.excludeFoodModifier, 'NutritionOrder.excludeFoodModifier', issues, (m, at) => checkCodeable(m, at, [SYSTEMS.snomed], issues, codeOk));
  return issues;
}

/** The Kemkes terminology systems a CodeableConcept uses, so that any of them is allowed. */
function kemkesSystemsIn(element: unknown): string[] {
  const coding = isObject(element) && Array.isArray(element.coding) ? element.coding : [];
  return coding.flatMap((c) => (isObject(c) && typeof c.system === 'string' && isKemkesTerminology(c.system) ? [c.system] : []));
}

const isEducation = (r: JsonObject): boolean => {
  const coding = isObject(r.category) && Array.isArray(r.category.coding) ? r.category.coding : [];
  return coding.some((c) => isObject(c) && c.system === SYSTEMS.snomed && c.code === EDUCATION);
};

const kptlOk = (code: string) => /^\d{4,6}$/.test(code);

/**
 * An education Procedure's code (Playbook §21): KPTL, SNOMED CT or a Kemkes terminology system
 * (the 2022 ANC examples use clinical-term ED0000xx). The Playbook asks for KPTL and SNOMED
 * together; no rule number says SATUSEHAT refuses one alone, so the simulator accepts it.
 */
function checkEducationCode(code: unknown, issues: Issue[]): void {
  checkCodeable(code, 'Procedure.code', [KPTL, SYSTEMS.snomed, ...kemkesSystemsIn(code)], issues, (system, c) => (system === KPTL ? kptlOk(c) : snomedOrKemkes(system, c)));
}

/** Procedures by kind: education (category 409073007) has its own code rules. */
export function validateProcedureByKind(r: JsonObject, ctx: ValidationContext): Issue[] {
  return validateProcedure(r, ctx, isEducation(r) ? checkEducationCode : undefined);
}

/** The DocumentStatus extension, when sent: statusCode (a Composition status), statusTime, statusAssigner. */
function checkDocumentStatus(r: JsonObject, ctx: ValidationContext, issues: Issue[]): void {
  const extensions = Array.isArray(r.extension) ? r.extension : [];
  extensions.forEach((ext, i) => {
    if (!isObject(ext) || ext.url !== DOCUMENT_STATUS_URL) return;
    const path = `Composition.extension[${i}]`;
    const parts = Array.isArray(ext.extension) ? ext.extension.filter(isObject) : [];
    const part = (url: string) => parts.find((p) => p.url === url);
    const code = part('statusCode');
    if (!code) issues.push(elementMissing(`${path}.extension:statusCode`));
    else checkStatus(code.valueCode, `${path}.extension:statusCode.valueCode`, COMPOSITION_STATUS, issues);
    const time = part('statusTime');
    if (time) checkDateTime(time.valueDateTime, `${path}.extension:statusTime.valueDateTime`, ctx, issues);
    const assigner = part('statusAssigner');
    if (assigner) checkRefs(assigner.valueReference, `${path}.extension:statusAssigner.valueReference`, ['Practitioner', 'PractitionerRole', 'Organization'], ctx, issues, { required: true });
  });
}

/**
 * Every section and sub-section: a literal `Type/id` entry must exist, a text must not be empty
 * (10134). Entries that point elsewhere (`#…`, `urn:uuid:…` outside a Bundle) are accepted as the
 * official Composition examples send them; inside a Bundle a urn:uuid that names no entry is 20021.
 */
function checkSections(sections: unknown, path: string, ctx: ValidationContext, issues: Issue[]): void {
  if (!Array.isArray(sections)) return;
  sections.forEach((s, i) => {
    if (!isObject(s)) return;
    const at = `${path}[${i}]`;
    if (Array.isArray(s.entry)) {
      s.entry.forEach((e, j) => {
        const ref = isObject(e) ? e.reference : undefined;
        const m = typeof ref === 'string' ? /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(ref) : null;
        if (!isNonEmptyString(ref)) issues.push(elementMissing(`${at}.entry[${j}].reference`));
        else if (/^(#|urn:)/.test(ref)) return;
        else if (!m || !ctx.hasResource(m[1] as string, m[2] as string)) issues.push(issue('not-found', `Reference not found : ${at}.entry[${j}].reference : ${ref}`, `${at}.entry[${j}].reference`));
      });
    }
    if (path !== 'Composition.section') {
      const div = isObject(s.text) ? s.text.div : undefined;
      if (s.text !== undefined && (typeof div !== 'string' || div.replace(/<[^>]*>/g, '').trim() === '')) issues.push(issue('value', withRule(`Text is empty: '' in ${at}.text.div`, '10134'), `${at}.text.div`));
    }
    checkSections(s.section, `${at}.section`, ctx, issues);
  });
}

/** Composition: the common rules, plus DocumentStatus and the sections' references (Resume Medis). */
export function validateCompositionDocument(r: JsonObject, ctx: ValidationContext): Issue[] {
  const issues = validateComposition(r, ctx);
  checkDocumentStatus(r, ctx, issues);
  checkSections(r.section, 'Composition.section', ctx, issues);
  return issues;
}
