// Dekacare allergy (per patient) → SATUSEHAT AllergyIntolerance. Drugs may be coded in KFA or
// SNOMED CT, food and environment in SNOMED CT. The Encounter and the recorder are referenced
// (and waited for) only when Dekacare recorded the allergy at a visit.
import type { AllergyIntolerance } from '@medplum/fhirtypes';
import { localBusinessDate, localMinute } from '../datetime.js';
import { sysIdSystem } from '../identifiers.js';
import { KFA_INGREDIENTS, KFA_SYSTEM, isKfaCode } from '../terminology/kfa.js';
import { ALLERGEN_BY_CODE, SNOMED_SYSTEM, isSnomedId } from '../terminology/snomed.js';
import type { MapContext, MapIssue, MapResult } from '../types.js';
import type { AllergyRow } from '../../types/source-rows.js';
import { ParentRefs, clean, contextIssues, convertTime, hasId, invalid, ok } from './common.js';

export const ALLERGY_CLINICAL_SYSTEM = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
export const ALLERGY_VERIFICATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';

const CLINICAL: Record<string, string> = { active: 'Active', inactive: 'Inactive', resolved: 'Resolved' };
const VERIFICATION: Record<string, string> = { confirmed: 'Confirmed', unconfirmed: 'Unconfirmed', refuted: 'Refuted', 'entered-in-error': 'Entered in Error' };
const CATEGORIES = new Set(['food', 'medication', 'environment']);
const KFA_INGREDIENT_BY_CODE = new Map(KFA_INGREDIENTS.map((e) => [e.code, e.display]));

export function mapAllergyIntolerance(row: AllergyRow, ctx: MapContext): MapResult {
  const patientName = clean(row.patientName);
  const allergen = clean(row.allergenName);
  const code = clean(row.allergenCode);
  const recordedRaw = clean(row.recordedAt);
  const common = {
    sourceKey: String(row.id),
    businessDate: recordedRaw === null ? null : localBusinessDate(recordedRaw),
    summary: {
      patient: patientName,
      category: row.category,
      allergen: allergen ?? code,
      status: `${row.clinicalStatus}/${row.verificationStatus}`,
      date: recordedRaw === null ? null : (localMinute(recordedRaw) ?? recordedRaw),
    },
  };
  const label = `Allergy #${row.id}${patientName ? ` of ${patientName}` : ''}`;
  const issues: MapIssue[] = contextIssues(ctx, 'AllergyIntolerance');

  if (!hasId(row.patientId)) issues.push({ path: 'AllergyIntolerance.patient', message: `${label} belongs to no patient` });
  if (!CATEGORIES.has(row.category)) issues.push({ path: 'AllergyIntolerance.category', message: `${label} has category '${String(row.category)}' (expected food, medication or environment)` });
  if (CLINICAL[row.clinicalStatus] === undefined) issues.push({ path: 'AllergyIntolerance.clinicalStatus', message: `${label} has clinical status '${String(row.clinicalStatus)}' (expected active, inactive or resolved)` });
  if (VERIFICATION[row.verificationStatus] === undefined) issues.push({ path: 'AllergyIntolerance.verificationStatus', message: `${label} has verification status '${String(row.verificationStatus)}' (expected confirmed, unconfirmed, refuted or entered-in-error)` });

  let system: string | null = null;
  let display = allergen;
  if (code === null) {
    issues.push({ path: 'AllergyIntolerance.code', message: `${label} names '${allergen ?? '?'}' without a code: SATUSEHAT needs the allergen coded in SNOMED CT (food, environment, drugs) or KFA (drugs)` });
  } else if (row.allergenSystem === 'snomed') {
    system = SNOMED_SYSTEM;
    if (!isSnomedId(code)) issues.push({ path: 'AllergyIntolerance.code.coding[0].code', rule: '10001', message: `Code not found: '${code}' in system: ${SNOMED_SYSTEM} (RuleNumber: 10001). ${label}: a SNOMED CT id is 6–18 digits` });
    display = ALLERGEN_BY_CODE.get(code)?.display ?? allergen;
  } else if (row.allergenSystem === 'kfa') {
    system = KFA_SYSTEM;
    if (!isKfaCode(code)) issues.push({ path: 'AllergyIntolerance.code.coding[0].code', rule: '10001', message: `Code not found: '${code}' in system: ${KFA_SYSTEM} (RuleNumber: 10001). ${label}: a KFA code is 8 digits starting with 91, 92 or 93` });
    if (row.category !== 'medication') issues.push({ path: 'AllergyIntolerance.code', message: `${label} is a ${row.category} allergy coded in KFA, which only holds medicines` });
    display = KFA_INGREDIENT_BY_CODE.get(code) ?? allergen;
  } else {
    issues.push({ path: 'AllergyIntolerance.code.coding[0].system', rule: '10002', message: `${label}: allergen code system '${String(row.allergenSystem)}' is unknown (expected snomed or kfa)` });
  }
  const recorded = convertTime(row.recordedAt, ctx, 'AllergyIntolerance.recordedDate', 'recordedAt', issues, `${label} has no recording time (recordedAt)`);

  if (issues.length > 0 || recorded === null || system === null || code === null || !hasId(row.patientId)) return invalid(common, issues);

  const refs = new ParentRefs();
  const body: AllergyIntolerance = {
    resourceType: 'AllergyIntolerance',
    identifier: [{ system: sysIdSystem('allergy', ctx.orgId), use: 'official', value: String(row.id) }],
    // FHIR ait-2: an allergy entered in error has no clinical status.
    ...(row.verificationStatus !== 'entered-in-error' && { clinicalStatus: { coding: [{ system: ALLERGY_CLINICAL_SYSTEM, code: row.clinicalStatus, display: CLINICAL[row.clinicalStatus] }] } }),
    verificationStatus: { coding: [{ system: ALLERGY_VERIFICATION_SYSTEM, code: row.verificationStatus, display: VERIFICATION[row.verificationStatus] }] },
    category: [row.category],
    code: { coding: [{ system, code, ...(display !== null && { display }) }], ...(allergen !== null && { text: allergen }) },
    patient: refs.person('Patient', row.patientId),
    ...(hasId(row.visitId) && { encounter: refs.ref('Encounter', row.visitId) }),
    recordedDate: recorded.utc,
    ...(hasId(row.practitionerId) && { recorder: refs.person('Practitioner', row.practitionerId) }),
    ...(clean(row.reaction) !== null && { note: [{ text: `Reaksi: ${clean(row.reaction)}` }] }),
  };
  return ok(common, { method: 'POST', path: 'AllergyIntolerance', body }, refs.list);
}
