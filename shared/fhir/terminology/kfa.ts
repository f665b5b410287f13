// KFA (Kamus Farmasi dan Alat Kesehatan), Kemenkes' medicine dictionary, used as the coding system
// of Medication.code, plus the Kemkes medication-form and medication-type code systems.
//
// KFA codes are 8 digits: 91… active ingredients, 92… virtual products, 93… actual products.
// Only the two codes marked `verified` come from SATUSEHAT's own examples (IG use-case payloads);
// the 93999xxx codes of the demo drugs are MADE UP (no KFA lookup was possible offline) and must
// never be sent to a real SATUSEHAT. A real clinic maps its drug master to KFA in Dekacare.

export const KFA_SYSTEM = 'http://sys-ids.kemkes.go.id/kfa';
export const MEDICATION_FORM_SYSTEM = 'http://terminology.kemkes.go.id/CodeSystem/medication-form';
export const MEDICATION_TYPE_SYSTEM = 'http://terminology.kemkes.go.id/CodeSystem/medication-type';
export const MEDICATION_TYPE_URL = 'https://fhir.kemkes.go.id/r4/StructureDefinition/MedicationType';
/** Orderable drug forms used as quantity units for tablets and capsules (SATUSEHAT examples). */
export const ORDERABLE_DRUG_FORM_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm';

export const MEDICATION_TYPES = {
  NC: 'Non-compound',
  SD: 'Gives of such doses',
  EP: 'Divide into equal parts',
} as const;

/** Kemkes medication-form codes (BS001–BS097) the demo drug master uses. */
export const MEDICATION_FORMS: Readonly<Record<string, string>> = {
  BS019: 'Kapsul',
  BS023: 'Kaplet Salut Selaput',
  BS030: 'Krim',
  BS042: 'Salep',
  BS047: 'Serbuk Oral',
  BS055: 'Sirup',
  BS056: 'Sirup Kering',
  BS066: 'Tablet',
  BS069: 'Tablet Kunyah',
  BS073: 'Tablet Dispersibel',
  BS077: 'Tablet Salut Selaput',
  BS084: 'Tetes Mata',
};

export interface KfaEntry {
  code: string;
  display: string;
  formCode: string;
  /** True only for codes taken from SATUSEHAT's published examples. */
  verified: boolean;
}

const kfa = (code: string, display: string, formCode: string, verified = false): KfaEntry => ({ code, display, formCode, verified });

export const KFA_DEMO: readonly KfaEntry[] = [
  kfa('93999001', 'Paracetamol 500 mg Tablet', 'BS066'),
  kfa('93999002', 'Paracetamol 120 mg / 5 mL Sirup', 'BS055'),
  kfa('93999003', 'Amoxicillin 500 mg Kapsul', 'BS019'),
  kfa('93999004', 'Amoxicillin 125 mg / 5 mL Sirup Kering', 'BS056'),
  kfa('93999005', 'Ibuprofen 400 mg Tablet Salut Selaput', 'BS077'),
  kfa('93999006', 'Asam Mefenamat 500 mg Tablet', 'BS066'),
  kfa('93999007', 'Cetirizine Dihydrochloride 10 mg Tablet Salut Selaput', 'BS077'),
  kfa('93999008', 'Chlorpheniramine Maleate 4 mg Tablet', 'BS066'),
  kfa('93999009', 'Ambroxol Hydrochloride 30 mg Tablet', 'BS066'),
  kfa('93999010', 'Glyceryl Guaiacolate 100 mg Tablet', 'BS066'),
  kfa('93999011', 'Antasida Doen Tablet Kunyah', 'BS069'),
  kfa('93999012', 'Omeprazole 20 mg Kapsul', 'BS019'),
  kfa('93999013', 'Domperidone 10 mg Tablet', 'BS066'),
  kfa('93999014', 'Oralit 200 Serbuk Oral', 'BS047'),
  kfa('93999015', 'Zinc Sulfate 20 mg Tablet Dispersibel', 'BS073'),
  kfa('93999016', 'Amlodipine Besilate 5 mg Tablet', 'BS066'),
  kfa('93999017', 'Captopril 25 mg Tablet', 'BS066'),
  kfa('93999018', 'Metformin Hydrochloride 500 mg Tablet Salut Selaput', 'BS077'),
  kfa('93999019', 'Glibenclamide 5 mg Tablet', 'BS066'),
  kfa('93999020', 'Simvastatin 10 mg Tablet Salut Selaput', 'BS077'),
  kfa('93999021', 'Allopurinol 100 mg Tablet', 'BS066'),
  kfa('93999022', 'Dexamethasone 0,5 mg Tablet', 'BS066'),
  kfa('93999023', 'Salbutamol Sulfate 2 mg Tablet', 'BS066'),
  kfa('93999024', 'Ciprofloxacin 500 mg Tablet Salut Selaput', 'BS077'),
  kfa('93999025', 'Sulfamethoxazole 400 mg / Trimethoprim 80 mg Tablet', 'BS066'),
  kfa('93999026', 'Metronidazole 500 mg Tablet', 'BS066'),
  kfa('93999027', 'Kalsium Laktat 500 mg Tablet', 'BS066'),
  kfa('93999028', 'Hydrocortisone Acetate 2,5% Krim', 'BS030'),
  kfa('93999029', 'Miconazole Nitrate 2% Krim', 'BS030'),
  kfa('93999030', 'Gentamicin Sulfate 0,1% Salep', 'BS042'),
  kfa('93999031', 'Chloramphenicol 0,5% Tetes Mata', 'BS084'),
  kfa('93006500', 'Ferrous Fumarate 60 mg / Folic Acid 0.4 mg Tablet Salut Selaput (KIMIA FARMA)', 'BS077', true),
  kfa('93001019', 'Obat Anti Tuberculosis / Rifampicin 150 mg / Isoniazid 75 mg / Pyrazinamide 400 mg / Ethambutol 275 mg Kaplet Salut Selaput (KIMIA FARMA)', 'BS023', true),
];

export const KFA_BY_CODE: ReadonlyMap<string, KfaEntry> = new Map(KFA_DEMO.map((e) => [e.code, e]));

/**
 * Active-ingredient KFA codes, used for drug allergies: rifampin as in SATUSEHAT's TB medication
 * example (seen through peer code that copies it).
 */
export const KFA_INGREDIENTS: readonly { code: string; display: string }[] = [{ code: '91000330', display: 'Rifampin' }];

/** An 8-digit KFA code starting with 9 (ingredient, virtual or actual product). */
export function isKfaCode(code: string): boolean {
  return /^9[1-3]\d{6}$/.test(code);
}

export function isMedicationFormCode(code: string): boolean {
  return /^BS0\d{2}$/.test(code);
}
