// Medication and MedicationRequest ← Dekacare `prescription_items`, with the prescription header,
// the drug master row (KFA code, form, medication type) and its `drug_ingredients` (one correlated
// JSON_ARRAYAGG), the visit and its primary diagnosis (the prescription's reason), through the
// prescription header (visit-child-query.ts). Keyset and `updatedSince` work on prescription_items:
// an edit to the header or the drug master alone does not make its items re-read.
import type { DrugIngredientRow, PrescriptionItemRow, VisitRow, VisitStatus } from '../../types/source-rows.js';
import type { Db } from '../connect.js';
import { keysetPages, type ReadOptions } from './keyset.js';
import { sourceReader, updatedAt } from './source-reader.js';
import { visitChildQuery, type RawVisitChildBy } from './visit-child-query.js';
import { toDateTime, toDateTimeOrNull, toInt, toNumberOrNull, toRefIdOrNull, toText, toTextOrNull } from './values.js';

interface RawPrescriptionItem extends RawVisitChildBy {
  prescription_id: unknown;
  prescription_no: unknown;
  line_no: unknown;
  visit_status: unknown;
  encounter_class: unknown;
  prescribed_at: unknown;
  drug_id: unknown;
  drug_code: unknown;
  drug_name: unknown;
  kfa_code: unknown;
  kfa_display: unknown;
  form_code: unknown;
  form_name: unknown;
  medication_type: unknown;
  ingredients: unknown;
  quantity: unknown;
  quantity_unit: unknown;
  signa: unknown;
  frequency: unknown;
  dose_amount: unknown;
  dose_unit: unknown;
  duration_days: unknown;
  route: unknown;
  instructions: unknown;
  repeats: unknown;
  substitution_allowed: unknown;
  course_of_therapy: unknown;
  valid_until: unknown;
  reason_icd10_code: unknown;
  reason_icd10_display: unknown;
}

/** The JSON array of the ingredient subquery (a string from mysql2, or already parsed), in id order. */
export function toIngredients(value: unknown): DrugIngredientRow[] {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (!Array.isArray(parsed)) return [];
  return (parsed as Record<string, unknown>[])
    .filter((r) => r !== null && typeof r === 'object')
    .sort((a, b) => toInt(a.id) - toInt(b.id))
    .map((r) => ({
      kfaCode: toTextOrNull(r.kfa_code),
      name: toText(r.name),
      strengthValue: toNumberOrNull(r.strength_value),
      strengthUnit: toTextOrNull(r.strength_unit),
      perValue: toNumberOrNull(r.per_value),
      perUnit: toTextOrNull(r.per_unit),
    }));
}

/** TINYINT(1) NULL → boolean | null. */
const toFlagOrNull = (value: unknown): boolean | null => (value === null || value === undefined ? null : toInt(value) !== 0);

export function toPrescriptionItemRow(raw: RawPrescriptionItem): PrescriptionItemRow {
  return {
    id: toInt(raw.id),
    prescriptionId: toInt(raw.prescription_id),
    prescriptionNo: toText(raw.prescription_no),
    lineNo: toInt(raw.line_no ?? 1),
    visitId: toRefIdOrNull(raw.visit_id),
    visitNo: toText(raw.visit_no),
    visitStatus: toText(raw.visit_status).toLowerCase() as VisitStatus,
    encounterClass: toText(raw.encounter_class).toUpperCase() as VisitRow['encounterClass'],
    patientId: toRefIdOrNull(raw.patient_id),
    patientName: toText(raw.patient_name),
    practitionerId: toRefIdOrNull(raw.practitioner_id),
    practitionerName: toText(raw.practitioner_name),
    prescribedAt: toDateTime(raw.prescribed_at),
    drugId: toRefIdOrNull(raw.drug_id),
    drugCode: toText(raw.drug_code),
    drugName: toText(raw.drug_name),
    kfaCode: toTextOrNull(raw.kfa_code),
    kfaDisplay: toTextOrNull(raw.kfa_display),
    formCode: toTextOrNull(raw.form_code),
    formName: toTextOrNull(raw.form_name),
    medicationType: toText(raw.medication_type ?? 'NC').toUpperCase(),
    ingredients: toIngredients(raw.ingredients),
    quantity: toNumberOrNull(raw.quantity),
    quantityUnit: toTextOrNull(raw.quantity_unit),
    signa: toTextOrNull(raw.signa),
    frequency: toNumberOrNull(raw.frequency),
    doseAmount: toNumberOrNull(raw.dose_amount),
    doseUnit: toTextOrNull(raw.dose_unit),
    durationDays: toNumberOrNull(raw.duration_days),
    route: toTextOrNull(raw.route),
    instructions: toTextOrNull(raw.instructions),
    repeats: toNumberOrNull(raw.repeats),
    substitutionAllowed: toFlagOrNull(raw.substitution_allowed),
    courseOfTherapy: toTextOrNull(raw.course_of_therapy),
    validUntil: toDateTimeOrNull(raw.valid_until),
    reasonIcd10Code: toTextOrNull(raw.reason_icd10_code),
    reasonIcd10Display: toTextOrNull(raw.reason_icd10_display),
    updatedAt: toDateTime(raw.updated_at),
  };
}

export function readPrescriptionItems(db: Db, options?: ReadOptions): AsyncGenerator<PrescriptionItemRow[]> {
  return keysetPages<RawPrescriptionItem, PrescriptionItemRow>(options, 'i.id', 'i.updated_at', () =>
    visitChildQuery(db, { table: 'prescription_items', alias: 'i', through: { table: 'prescriptions as rx', on: ['rx.id', 'i.prescription_id'] }, visitId: 'rx.visit_id', practitionerId: 'rx.practitioner_id' })
      .leftJoin('drugs as dr', 'dr.id', 'i.drug_id')
      .select(
        'i.prescription_id',
        'rx.prescription_no',
        'i.line_no',
        'v.status as visit_status',
        'v.encounter_class',
        'rx.prescribed_at',
        'i.drug_id',
        'dr.code as drug_code',
        'dr.name as drug_name',
        'dr.kfa_code',
        'dr.kfa_display',
        'dr.form_code',
        'dr.form_name',
        'dr.medication_type',
        db.raw(
          "(SELECT JSON_ARRAYAGG(JSON_OBJECT('id', di.id, 'kfa_code', di.kfa_code, 'name', di.name, 'strength_value', di.strength_value, 'strength_unit', di.strength_unit, 'per_value', di.per_value, 'per_unit', di.per_unit)) FROM drug_ingredients di WHERE di.drug_id = i.drug_id) AS ingredients",
        ),
        'i.quantity',
        'i.quantity_unit',
        'i.signa',
        'i.frequency',
        'i.dose_amount',
        'i.dose_unit',
        'i.duration_days',
        'i.route',
        'i.instructions',
        'i.repeats',
        'i.substitution_allowed',
        'i.course_of_therapy',
        'rx.valid_until',
        db.raw('(SELECT d.icd10_code FROM diagnoses d WHERE d.visit_id = rx.visit_id ORDER BY d.`rank`, d.id LIMIT 1) AS reason_icd10_code'),
        db.raw('(SELECT d.icd10_display FROM diagnoses d WHERE d.visit_id = rx.visit_id ORDER BY d.`rank`, d.id LIMIT 1) AS reason_icd10_display'),
      ),
  toPrescriptionItemRow);
}

/** Both Medication and MedicationRequest; only an item's own edits move its watermark (see above). */
export const prescriptionItemReader = sourceReader({
  tables: ['prescription_items', 'prescriptions', 'drugs', 'drug_ingredients'],
  changedAt: [updatedAt('prescription_items')],
  read: readPrescriptionItems,
});
