// KFA (Kamus Farmasi dan Alat Kesehatan), Kemenkes' medicine dictionary, used as the coding system
// of Medication.code and Medication.ingredient, plus the Kemkes medication-form and medication-type
// code systems. Where every code comes from: README.md in this folder.
//
// KFA codes are 8 digits: 91… active ingredients (substances), 92… virtual products (template),
// 93… actual products. Every code below is copied from a Kemenkes publication (the IG examples or
// the outpatient Playbook v6.3 chapter 16); none is made up. A real clinic maps its own drug master
// to KFA in Dekacare (the KFA browser, https://dto.kemkes.go.id/kfa-browser).

export const KFA_SYSTEM = 'http://sys-ids.kemkes.go.id/kfa';
export const MEDICATION_FORM_SYSTEM = 'http://terminology.kemkes.go.id/CodeSystem/medication-form';
export const MEDICATION_TYPE_SYSTEM = 'http://terminology.kemkes.go.id/CodeSystem/medication-type';
export const MEDICATION_TYPE_URL = 'https://fhir.kemkes.go.id/r4/StructureDefinition/MedicationType';
/** Orderable drug forms used as quantity units for tablets and capsules (SATUSEHAT examples). */
export const ORDERABLE_DRUG_FORM_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm';

/**
 * Kemkes medication-type: NC a ready-made product; SD a compound "d.t.d." (da tales doses, each dose
 * compounded as prescribed); EP a compound "non-d.t.d." (a whole divided into equal parts).
 */
export const MEDICATION_TYPES = {
  NC: 'Non-compound',
  SD: 'Gives of such doses',
  EP: 'Divide into equal parts',
} as const;
export type MedicationTypeCode = keyof typeof MEDICATION_TYPES;

export const isMedicationTypeCode = (code: string): code is MedicationTypeCode => Object.hasOwn(MEDICATION_TYPES, code);

/** Kemkes medication-form codes (BS001–BS097) the demo drug master uses. */
export const MEDICATION_FORMS: Readonly<Record<string, string>> = {
  BS019: 'Kapsul',
  BS023: 'Kaplet Salut Selaput',
  BS066: 'Tablet',
  BS077: 'Tablet Salut Selaput',
};

export interface KfaEntry {
  code: string;
  display: string;
  /** Where the code was published (see README.md). */
  source: string;
}

const kfa = (code: string, display: string, source: string): KfaEntry => ({ code, display, source });

const IG_ANC = 'IG satusehat-usecase/ANC/Medication-Create-Obat-1.json';
const IG_TB = 'IG satusehat-usecase/example/TB/Medication-Create-FDC.json';
const PLAYBOOK = 'Playbook Rawat Jalan v6.3, ch. 16 (Medication.ingredient tables)';

/** Actual (93…) products. */
export const KFA_PRODUCTS: readonly KfaEntry[] = [
  kfa('93002225', 'Paracetamol 500 mg Tablet (OMEGRIP)', PLAYBOOK),
  kfa('93006500', 'Ferrous Fumarate 60 mg / Folic Acid 0.4 mg Tablet Salut Selaput (KIMIA FARMA)', IG_ANC),
  kfa('93001019', 'Obat Anti Tuberculosis / Rifampicin 150 mg / Isoniazid 75 mg / Pyrazinamide 400 mg / Ethambutol 275 mg Kaplet Salut Selaput (KIMIA FARMA)', IG_TB),
];

/** Active ingredients (91…): Medication.ingredient and drug allergies. */
export const KFA_INGREDIENTS: readonly KfaEntry[] = [
  kfa('91000101', 'Paracetamol', PLAYBOOK),
  kfa('91000235', 'Azithromycin', PLAYBOOK),
  kfa('91000205', 'FERROUS FUMARATE', IG_ANC),
  kfa('91000289', 'FOLIC ACID', IG_ANC),
  kfa('91000330', 'Rifampin', IG_TB),
  kfa('91000328', 'Isoniazid', IG_TB),
  kfa('91000329', 'Pyrazinamide', IG_TB),
  kfa('91000288', 'Ethambutol', IG_TB),
];

export const KFA_BY_CODE: ReadonlyMap<string, KfaEntry> = new Map([...KFA_PRODUCTS, ...KFA_INGREDIENTS].map((e) => [e.code, e]));

/** An 8-digit KFA code starting with 9 (ingredient, virtual or actual product). */
export function isKfaCode(code: string): boolean {
  return /^9[1-3]\d{6}$/.test(code);
}

/** A product code (92… virtual, 93… actual): what Medication.code carries for a non-compound drug. */
export const isKfaProductCode = (code: string): boolean => /^9[23]\d{6}$/.test(code);

/** A substance code (91…): what a d.t.d. compound's ingredient carries in a MedicationRequest. */
export const isKfaSubstanceCode = (code: string): boolean => /^91\d{6}$/.test(code);

export function isMedicationFormCode(code: string): boolean {
  return /^BS0\d{2}$/.test(code);
}
