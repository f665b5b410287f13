// Dekacare prescription item → SATUSEHAT Medication: the drug as prescribed, coded in KFA, with the
// Kemkes form and the MedicationType extension (NC, non-compound). One Medication per item, as
// SATUSEHAT attaches a Medication to each MedicationRequest. No parents.
import type { Medication } from '@medplum/fhirtypes';
import { localBusinessDate } from '../datetime.js';
import { sysIdSystem } from '../identifiers.js';
import { KFA_BY_CODE, KFA_SYSTEM, MEDICATION_FORMS, MEDICATION_FORM_SYSTEM, MEDICATION_TYPES, MEDICATION_TYPE_SYSTEM, MEDICATION_TYPE_URL, isKfaCode, isMedicationFormCode } from '../terminology/kfa.js';
import type { MapContext, MapIssue, MapResult } from '../types.js';
import type { PrescriptionItemRow } from '../../types/source-rows.js';
import { clean, contextIssues, invalid, ok } from './common.js';

export const MEDICATION_PROFILE = 'https://fhir.kemkes.go.id/r4/StructureDefinition/Medication';

/** `RX-00000042-2`: the prescription number and the line, unique per item. */
export const prescriptionItemValue = (row: Pick<PrescriptionItemRow, 'prescriptionNo' | 'lineNo' | 'id'>): string => {
  const no = clean(row.prescriptionNo);
  return no === null ? `item-${row.id}` : `${no}-${row.lineNo}`;
};

export function mapMedication(row: PrescriptionItemRow, ctx: MapContext): MapResult {
  const kfaCode = clean(row.kfaCode);
  const drugName = clean(row.drugName);
  const formCode = clean(row.formCode);
  const prescribedRaw = clean(row.prescribedAt);
  const known = kfaCode === null ? undefined : KFA_BY_CODE.get(kfaCode);
  const common = {
    sourceKey: String(row.id),
    businessDate: prescribedRaw === null ? null : localBusinessDate(prescribedRaw),
    summary: { prescriptionNo: clean(row.prescriptionNo), drug: drugName, kfa: kfaCode, form: clean(row.formName) ?? (formCode === null ? null : (MEDICATION_FORMS[formCode] ?? formCode)) },
  };
  const label = `Prescription item ${prescriptionItemValue(row)} (${drugName ?? 'no drug name'}${clean(row.drugCode) ? `, ${clean(row.drugCode)}` : ''})`;
  const issues: MapIssue[] = contextIssues(ctx, 'Medication');

  if (kfaCode === null) {
    issues.push({ path: 'Medication.code', message: `${label} has no KFA code: map this drug to the Kamus Farmasi dan Alat Kesehatan in Dekacare's drug master (compounded prescriptions need their ingredients coded)` });
  } else if (!isKfaCode(kfaCode)) {
    issues.push({ path: 'Medication.code.coding[0].code', rule: '10001', message: `Code not found: '${kfaCode}' in system: ${KFA_SYSTEM} (RuleNumber: 10001). ${label}: a KFA code is 8 digits starting with 91, 92 or 93` });
  }
  if (formCode !== null && !isMedicationFormCode(formCode)) {
    issues.push({ path: 'Medication.form.coding[0].code', rule: '10001', message: `Code not found: '${formCode}' in system: ${MEDICATION_FORM_SYSTEM} (RuleNumber: 10001). ${label}: Kemkes dosage forms are BS001–BS097` });
  }
  if (issues.length > 0 || kfaCode === null) return invalid(common, issues);

  const display = clean(row.kfaDisplay) ?? known?.display ?? drugName;
  const formDisplay = formCode === null ? null : (MEDICATION_FORMS[formCode] ?? clean(row.formName));
  const body: Medication = {
    resourceType: 'Medication',
    meta: { profile: [MEDICATION_PROFILE] },
    identifier: [{ system: sysIdSystem('medication', ctx.orgId), use: 'official', value: prescriptionItemValue(row) }],
    code: { coding: [{ system: KFA_SYSTEM, code: kfaCode, ...(display !== null && { display }) }] },
    status: 'active',
    ...(formCode !== null && { form: { coding: [{ system: MEDICATION_FORM_SYSTEM, code: formCode, ...(formDisplay !== null && { display: formDisplay }) }] } }),
    extension: [{ url: MEDICATION_TYPE_URL, valueCodeableConcept: { coding: [{ system: MEDICATION_TYPE_SYSTEM, code: 'NC', display: MEDICATION_TYPES.NC }] } }],
  };
  return ok(common, { method: 'POST', path: 'Medication', body }, []);
}
