// Dekacare prescription item → SATUSEHAT Medication: the drug as prescribed, coded in KFA, with the
// Kemkes form, the MedicationType extension and its ingredients (KFA code and strength). A product
// (NC) needs its 92/93 product code; a compound (SD d.t.d., EP divided into equal parts) may go
// without one but never without coded ingredients and their strengths (Playbook v6.3 §16).
//
// buildMedication is shared: in MEDICATION_MODE=contained (the default) the MedicationRequest
// carries this Medication in `contained`; mapMedication is the item of its own for 'separate'.
import type { Medication, MedicationIngredient, Quantity } from '@medplum/fhirtypes';
import { localBusinessDate } from '../datetime.js';
import { sysIdSystem } from '../identifiers.js';
import {
  KFA_BY_CODE,
  KFA_SYSTEM,
  MEDICATION_FORMS,
  MEDICATION_FORM_SYSTEM,
  MEDICATION_TYPES,
  MEDICATION_TYPE_SYSTEM,
  MEDICATION_TYPE_URL,
  ORDERABLE_DRUG_FORM_SYSTEM,
  isKfaCode,
  isKfaProductCode,
  isKfaSubstanceCode,
  isMedicationFormCode,
  isMedicationTypeCode,
  type MedicationTypeCode,
} from '../terminology/kfa.js';
import { toUcum, ucumQuantity } from '../terminology/ucum.js';
import type { MapContext, MapIssue, MapResult } from '../types.js';
import type { DrugIngredientRow, PrescriptionItemRow } from '../../types/source-rows.js';
import { clean, contextIssues, invalid, ok } from './common.js';

export const MEDICATION_PROFILE = 'https://fhir.kemkes.go.id/r4/StructureDefinition/Medication';

/** `RX-00000042-2`: the prescription number and the line, unique per item. */
export const prescriptionItemValue = (row: Pick<PrescriptionItemRow, 'prescriptionNo' | 'lineNo' | 'id'>): string => {
  const no = clean(row.prescriptionNo);
  return no === null ? `item-${row.id}` : `${no}-${row.lineNo}`;
};

const ORDERABLE: Record<string, { code: string; display: string }> = {
  tab: { code: 'TAB', display: 'Tablet' },
  tablet: { code: 'TAB', display: 'Tablet' },
  kaplet: { code: 'TAB', display: 'Tablet' },
  cap: { code: 'CAP', display: 'Capsule' },
  kapsul: { code: 'CAP', display: 'Capsule' },
  capsule: { code: 'CAP', display: 'Capsule' },
};

/** A dose, dispense or strength quantity: tablets/capsules as orderable drug forms, the rest in UCUM. */
export function drugQuantity(value: number, unitRaw: string | null): Quantity | null {
  const unit = clean(unitRaw);
  if (unit === null) return null;
  const form = ORDERABLE[unit.toLowerCase()];
  if (form) return { value, unit: form.code, system: ORDERABLE_DRUG_FORM_SYSTEM, code: form.code };
  const ucum = toUcum(unit);
  return ucum === null ? null : ucumQuantity(value, ucum);
}

export interface BuiltMedication {
  medication: Medication | null;
  issues: MapIssue[];
  /** What a reference to it shows: the KFA display, else Dekacare's drug name. */
  display: string | null;
}

function strengthOf(ing: DrugIngredientRow): { numerator: Quantity; denominator: Quantity } | null {
  if (ing.strengthValue === null || ing.perValue === null) return null;
  const numerator = drugQuantity(ing.strengthValue, ing.strengthUnit);
  const denominator = drugQuantity(ing.perValue, ing.perUnit);
  return numerator && denominator ? { numerator, denominator } : null;
}

/** The ingredient list; a compound's ingredients must all be coded and have a strength. */
function ingredientsOf(row: PrescriptionItemRow, type: MedicationTypeCode, root: string, label: string, issues: MapIssue[]): MedicationIngredient[] {
  const compound = type !== 'NC';
  const out: MedicationIngredient[] = [];
  row.ingredients.forEach((ing, i) => {
    const path = `${root}.ingredient[${i}]`;
    const code = clean(ing.kfaCode);
    const strength = strengthOf(ing);
    if (code === null) {
      if (compound) issues.push({ path: `${path}.itemCodeableConcept`, message: `${label}: ingredient '${ing.name}' of this compounded drug has no KFA code: code it in Dekacare's drug master (91… substance${type === 'EP' ? ', or the 92/93 product divided' : ''})` });
      return;
    }
    const allowed = type === 'EP' ? isKfaCode(code) : isKfaSubstanceCode(code);
    if (!allowed) {
      issues.push({ path: `${path}.itemCodeableConcept.coding[0].code`, rule: '10001', message: `Code not found: '${code}' in system: ${KFA_SYSTEM} (RuleNumber: 10001). ${label}: ingredient '${ing.name}' needs a KFA ${type === 'EP' ? 'code (91, 92 or 93…)' : 'substance code (91…)'}` });
      return;
    }
    if (strength === null && compound) {
      issues.push({ path: `${path}.strength`, message: `${label}: ingredient '${ing.name}' has no usable strength (value and unit per value and unit, e.g. 125 mg per 1 CAP): a compounded drug needs it` });
      return;
    }
    const display = KFA_BY_CODE.get(code)?.display ?? ing.name;
    out.push({ itemCodeableConcept: { coding: [{ system: KFA_SYSTEM, code, display }] }, isActive: true, ...(strength !== null && { strength }) });
  });
  if (compound && row.ingredients.length === 0) issues.push({ path: `${root}.ingredient`, message: `${label} is a compounded drug (${type}) without ingredients: list them with their KFA codes and strengths in Dekacare's drug master` });
  return out;
}

/**
 * The Medication of one prescription line, or the issues that stop it. `root` prefixes the issue
 * paths: 'Medication', or 'MedicationRequest.contained[0]' when it travels inside its request.
 */
export function buildMedication(row: PrescriptionItemRow, ctx: MapContext, root = 'Medication'): BuiltMedication {
  const kfaCode = clean(row.kfaCode);
  const drugName = clean(row.drugName);
  const formCode = clean(row.formCode);
  const typeRaw = (clean(row.medicationType) ?? 'NC').toUpperCase();
  const label = `Prescription item ${prescriptionItemValue(row)} (${drugName ?? 'no drug name'}${clean(row.drugCode) ? `, ${clean(row.drugCode)}` : ''})`;
  const issues: MapIssue[] = [];
  const display = clean(row.kfaDisplay) ?? (kfaCode === null ? undefined : KFA_BY_CODE.get(kfaCode)?.display) ?? drugName;

  if (!isMedicationTypeCode(typeRaw)) {
    issues.push({ path: `${root}.extension[0].valueCodeableConcept.coding[0].code`, rule: '10001', message: `Code not found: '${typeRaw}' in system: ${MEDICATION_TYPE_SYSTEM} (RuleNumber: 10001). ${label}: the medication type is NC (product), SD (compound d.t.d.) or EP (compound divided into equal parts)` });
    return { medication: null, issues, display };
  }
  const type = typeRaw;
  if (kfaCode === null) {
    if (type === 'NC') issues.push({ path: `${root}.code`, message: `${label} has no KFA code: map this drug to the Kamus Farmasi dan Alat Kesehatan in Dekacare's drug master (a 92… or 93… product code)` });
  } else if (!isKfaProductCode(kfaCode)) {
    issues.push({ path: `${root}.code.coding[0].code`, rule: '10001', message: `Code not found: '${kfaCode}' in system: ${KFA_SYSTEM} (RuleNumber: 10001). ${label}: a drug's KFA code is 8 digits starting with 92 (virtual) or 93 (actual product)` });
  }
  if (formCode !== null && !isMedicationFormCode(formCode)) {
    issues.push({ path: `${root}.form.coding[0].code`, rule: '10001', message: `Code not found: '${formCode}' in system: ${MEDICATION_FORM_SYSTEM} (RuleNumber: 10001). ${label}: Kemkes dosage forms are BS001–BS097` });
  }
  const ingredient = ingredientsOf(row, type, root, label, issues);
  if (issues.length > 0) return { medication: null, issues, display };

  const formDisplay = formCode === null ? null : (MEDICATION_FORMS[formCode] ?? clean(row.formName));
  const medication: Medication = {
    resourceType: 'Medication',
    meta: { profile: [MEDICATION_PROFILE] },
    identifier: [{ system: sysIdSystem('medication', ctx.orgId), use: 'official', value: prescriptionItemValue(row) }],
    ...(kfaCode !== null && { code: { coding: [{ system: KFA_SYSTEM, code: kfaCode, ...(display !== null && { display }) }] } }),
    status: 'active',
    ...(formCode !== null && { form: { coding: [{ system: MEDICATION_FORM_SYSTEM, code: formCode, ...(formDisplay !== null && { display: formDisplay }) }] } }),
    ...(ingredient.length > 0 && { ingredient }),
    extension: [{ url: MEDICATION_TYPE_URL, valueCodeableConcept: { coding: [{ system: MEDICATION_TYPE_SYSTEM, code: type, display: MEDICATION_TYPES[type] }] } }],
  };
  return { medication, issues, display };
}

export function mapMedication(row: PrescriptionItemRow, ctx: MapContext): MapResult {
  const prescribedRaw = clean(row.prescribedAt);
  const formCode = clean(row.formCode);
  const common = {
    sourceKey: String(row.id),
    businessDate: prescribedRaw === null ? null : localBusinessDate(prescribedRaw),
    summary: { prescriptionNo: clean(row.prescriptionNo), drug: clean(row.drugName), kfa: clean(row.kfaCode), form: clean(row.formName) ?? (formCode === null ? null : (MEDICATION_FORMS[formCode] ?? formCode)) },
  };
  const issues: MapIssue[] = contextIssues(ctx, 'Medication');
  const built = buildMedication(row, ctx);
  issues.push(...built.issues);
  if (issues.length > 0 || built.medication === null) return invalid(common, issues);
  return ok(common, { method: 'POST', path: 'Medication', body: built.medication }, []);
}
