// The demo clinic's drug master (formularium). Every KFA code is a real one, copied from a Kemenkes
// publication (shared/fhir/terminology/kfa.ts and its README): three products (paracetamol tablet,
// iron-folic acid tablet, the TB fixed-dose combination) and compounds (racikan) built from real
// KFA substance codes the way Playbook v6.3 §16 shows them: d.t.d. capsules (SD) and a tablet
// divided into equal parts (EP). Drugs without a published KFA code are not in the demo. One
// compounded powder has ingredients Dekacare never mapped to KFA: a deliberate bad row.
import { KFA_BY_CODE, MEDICATION_FORMS, type KfaEntry, type MedicationTypeCode } from '../fhir/terminology/kfa.js';

export interface DemoIngredient {
  /** KFA code, or null when the clinic never mapped it (the bad row). */
  kfaCode: string | null;
  name: string;
  strength: number;
  strengthUnit: string;
  per: number;
  perUnit: string;
}

export interface DemoDrug {
  id: number;
  key: string;
  code: string;
  name: string;
  kfa: KfaEntry | null;
  medicationType: MedicationTypeCode;
  formCode: string | null;
  formName: string | null;
  ingredients: readonly DemoIngredient[];
  stockUnit: string;
  /** Times per day. */
  frequency: number;
  /** Per dose, in doseUnit. */
  dose: number;
  doseUnit: string;
  /** How the dose reads in the signa: 'tablet', 'kapsul'. */
  doseWord: string;
  days: number;
  route: string;
  instructions: string | null;
  /** Fixed dispensed amount in quantityUnit; null = frequency × dose × days. */
  pack: number | null;
  quantityUnit: string;
  courseOfTherapy: 'acute' | 'continuous';
  /** Refills allowed (iter). */
  repeats: number;
  /** Compounded for children: never prescribed to adults. */
  childOnly: boolean;
}

interface DrugSpec extends Omit<DemoDrug, 'id' | 'code' | 'kfa' | 'formName'> {
  kfaCode: string | null;
}

const ing = (kfaCode: string | null, name: string, strength: number, strengthUnit: string, per: number, perUnit: string): DemoIngredient => ({ kfaCode, name, strength, strengthUnit, per, perUnit });

/** A ready-made product taken by mouth, one tablet (or capsule) a dose. */
const product = (key: string, kfaCode: string, name: string, formCode: string, ingredients: DemoIngredient[], o: { frequency: number; days: number; instructions: string; course: 'acute' | 'continuous'; repeats?: number; dose?: number }): DrugSpec => ({
  key, kfaCode, name, medicationType: 'NC', formCode, ingredients, stockUnit: 'tablet',
  frequency: o.frequency, dose: o.dose ?? 1, doseUnit: 'TAB', doseWord: 'tablet', days: o.days, route: 'oral', instructions: o.instructions,
  pack: null, quantityUnit: 'TAB', courseOfTherapy: o.course, repeats: o.repeats ?? 0, childOnly: false,
});

/** A compound the pharmacy makes into capsules for a child (racikan). */
const compound = (key: string, type: 'SD' | 'EP', name: string, ingredients: DemoIngredient[], o: { frequency: number; days: number; instructions: string; pack?: number }): DrugSpec => ({
  key, kfaCode: null, name, medicationType: type, formCode: 'BS019', ingredients, stockUnit: 'kapsul',
  frequency: o.frequency, dose: 1, doseUnit: 'CAP', doseWord: 'kapsul', days: o.days, route: 'oral', instructions: o.instructions,
  pack: o.pack ?? null, quantityUnit: 'CAP', courseOfTherapy: 'acute', repeats: 0, childOnly: true,
});

const PARACETAMOL = '91000101';

const SPECS: readonly DrugSpec[] = [
  product('PCT500', '93002225', 'Paracetamol 500 mg Tablet', 'BS066', [ing(PARACETAMOL, 'Paracetamol', 500, 'mg', 1, 'TAB')], { frequency: 3, days: 3, instructions: 'sesudah makan, bila demam atau nyeri', course: 'acute' }),
  product('TTD', '93006500', 'Tablet Tambah Darah (Ferro Fumarat 60 mg / Asam Folat 0,4 mg)', 'BS077', [ing('91000205', 'Ferro Fumarat', 60, 'mg', 1, 'TAB'), ing('91000289', 'Asam Folat', 0.4, 'mg', 1, 'TAB')], { frequency: 1, days: 30, instructions: 'malam hari, jangan bersama teh atau kopi', course: 'continuous', repeats: 2 }),
  product('OAT', '93001019', 'OAT KDT 4FDC (Rifampisin/INH/Pirazinamid/Etambutol) Kaplet', 'BS023', [ing('91000330', 'Rifampisin', 150, 'mg', 1, 'TAB'), ing('91000328', 'Isoniazid', 75, 'mg', 1, 'TAB'), ing('91000329', 'Pirazinamid', 400, 'mg', 1, 'TAB'), ing('91000288', 'Etambutol', 275, 'mg', 1, 'TAB')], { frequency: 1, days: 28, dose: 3, instructions: 'pagi hari sebelum makan, tidak boleh putus', course: 'continuous' }),
  // Playbook v6.3 §16: "Paracetamol 125 mg / kapsul" d.t.d., and "10 tablet dibuat menjadi 30 kapsul".
  compound('PCT125', 'SD', 'Racikan Kapsul Parasetamol 125 mg', [ing(PARACETAMOL, 'Paracetamol', 125, 'mg', 1, 'CAP')], { frequency: 3, days: 3, instructions: 'bila demam' }),
  compound('PCTEP', 'EP', 'Racikan Parasetamol 500 mg 10 tablet dibagi 30 kapsul', [ing('93002225', 'Paracetamol 500 mg Tablet (OMEGRIP)', 10, 'TAB', 30, 'CAP')], { frequency: 3, days: 10, pack: 30, instructions: 'sesudah makan, bila nyeri' }),
  compound('AZI100', 'SD', 'Racikan Kapsul Azitromisin 100 mg', [ing('91000235', 'Azithromycin', 100, 'mg', 1, 'CAP')], { frequency: 1, days: 3, instructions: 'sebelum makan, dihabiskan' }),
  // The deliberate bad row: two of its three ingredients were never mapped to KFA in Dekacare.
  compound('PUYER', 'SD', 'Racikan Puyer Batuk Pilek', [ing(PARACETAMOL, 'Paracetamol', 120, 'mg', 1, 'CAP'), ing(null, 'Gliseril Guaiakolat', 50, 'mg', 1, 'CAP'), ing(null, 'Klorfeniramin Maleat', 1, 'mg', 1, 'CAP')], { frequency: 3, days: 3, instructions: 'sesudah makan' }),
];

export const DEMO_DRUGS: readonly DemoDrug[] = SPECS.map((spec, i) => {
  const { kfaCode, ...rest } = spec;
  const kfa = kfaCode === null ? null : (KFA_BY_CODE.get(kfaCode) ?? null);
  if (kfaCode !== null && kfa === null) throw new Error(`demo drug ${spec.key}: KFA ${kfaCode} is not in the KFA table`);
  for (const g of spec.ingredients) if (g.kfaCode !== null && !KFA_BY_CODE.has(g.kfaCode)) throw new Error(`demo drug ${spec.key}: ingredient KFA ${g.kfaCode} is not in the KFA table`);
  return { ...rest, id: i + 1, code: `OBT-${String(i + 1).padStart(3, '0')}`, kfa, formName: spec.formCode === null ? null : (MEDICATION_FORMS[spec.formCode] ?? null) };
});

export const DRUG_BY_KEY: ReadonlyMap<string, DemoDrug> = new Map(DEMO_DRUGS.map((d) => [d.key, d]));

export function drugByKey(key: string): DemoDrug {
  const drug = DRUG_BY_KEY.get(key);
  if (!drug) throw new Error(`unknown demo drug ${key}`);
  return drug;
}

/** The compounded powder whose ingredients have no KFA code (a deliberate bad row). */
export const UNMAPPED_DRUG_KEY = 'PUYER';

/** True when the drug cannot be sent: an ingredient of a compound, or a product, has no KFA code. */
export const isUnmappedDrug = (d: DemoDrug): boolean => (d.medicationType === 'NC' ? d.kfa === null : d.ingredients.some((g) => g.kfaCode === null));

/** What doctors prescribe for a diagnosis, most likely first (child-only compounds are skipped for adults). */
export const DRUGS_FOR_ICD10: Readonly<Record<string, readonly string[]>> = {
  'J06.9': ['PCT500'],
  J00: ['PCT500'],
  'J02.9': ['AZI100', 'PCT500'],
  'J03.9': ['AZI100', 'PCT500'],
  'J20.9': ['AZI100', 'PCT500'],
  'J18.9': ['AZI100', 'PCT500'],
  'H66.9': ['AZI100', 'PCT500'],
  'A01.0': ['AZI100', 'PCT500'],
  'A09.9': ['PCT500'],
  A90: ['PCT500'],
  A91: ['PCT500'],
  'R50.9': ['PCT500'],
  'M79.1': ['PCT500'],
  'M54.5': ['PCT500'],
  'M25.5': ['PCT500'],
  'M17.9': ['PCT500'],
  'M10.9': ['PCT500'],
  'G44.2': ['PCT500'],
  R51: ['PCT500'],
  'S93.4': ['PCT500'],
  'B01.9': ['PCT500'],
  'L02.9': ['PCT500'],
  'T14.1': ['PCT500'],
  'K02.9': ['PCT500'],
  'K02.1': ['PCT500'],
  'K04.0': ['PCTEP', 'PCT500'],
  'K05.0': ['PCT500'],
  'K08.3': ['PCTEP', 'PCT500'],
  'K08.1': ['PCT500'],
  'K12.0': ['PCT500'],
  'Z34.9': ['TTD'],
  'O21.0': ['TTD'],
  'Z39.2': ['TTD'],
  'D64.9': ['TTD'],
  'A15.0': ['OAT', 'PCT500'],
};

/** Children under 12 get the compounded capsule instead of the adult tablet. */
export const PEDIATRIC_SWAP: Readonly<Record<string, string>> = {
  PCT500: 'PCT125',
};
