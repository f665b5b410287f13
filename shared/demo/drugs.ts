// The demo clinic's drug master (formularium): ~30 common generic drugs of an Indonesian
// outpatient clinic, their KFA mapping (made-up 93999xxx codes except the two from SATUSEHAT's
// examples, see shared/fhir/terminology/kfa.ts), how they are usually prescribed, and which
// diagnoses they are prescribed for. One compounded powder (racikan) has no KFA code on purpose.
import { KFA_BY_CODE, MEDICATION_FORMS, type KfaEntry } from '../fhir/terminology/kfa.js';

export interface DemoDrug {
  id: number;
  key: string;
  code: string;
  name: string;
  kfa: KfaEntry | null;
  formName: string | null;
  stockUnit: string;
  /** Times per day; null for "when needed" (oralit). */
  frequency: number | null;
  /** Per dose, in doseUnit; null when there is no measurable dose (creams). */
  dose: number | null;
  doseUnit: string | null;
  /** How the dose reads in the signa: 'tablet', 'sendok takar (5 mL)'. */
  doseWord: string;
  days: number;
  route: string;
  instructions: string | null;
  /** Fixed dispensed amount (a bottle, a tube) in quantityUnit; null = frequency × dose × days. */
  pack: number | null;
  quantityUnit: string;
}

interface DrugSpec extends Omit<DemoDrug, 'id' | 'code' | 'kfa' | 'formName'> {
  kfaCode: string | null;
}

const tab = (key: string, kfaCode: string, name: string, frequency: number, days: number, instructions: string | null, unit: 'TAB' | 'CAP' = 'TAB'): DrugSpec => ({
  key,
  kfaCode,
  name,
  stockUnit: unit === 'TAB' ? 'tablet' : 'kapsul',
  frequency,
  dose: 1,
  doseUnit: unit,
  doseWord: unit === 'TAB' ? 'tablet' : 'kapsul',
  days,
  route: 'oral',
  instructions,
  pack: null,
  quantityUnit: unit,
});

const SPECS: readonly DrugSpec[] = [
  tab('PCT500', '93999001', 'Paracetamol 500 mg Tablet', 3, 3, 'sesudah makan, bila demam atau nyeri'),
  { key: 'PCTSYR', kfaCode: '93999002', name: 'Paracetamol Sirup 120 mg/5 mL', stockUnit: 'botol', frequency: 3, dose: 5, doseUnit: 'mL', doseWord: 'sendok takar (5 mL)', days: 3, route: 'oral', instructions: 'bila demam', pack: 60, quantityUnit: 'mL' },
  tab('AMX500', '93999003', 'Amoxicillin 500 mg Kapsul', 3, 5, 'sesudah makan, dihabiskan', 'CAP'),
  { key: 'AMXSYR', kfaCode: '93999004', name: 'Amoxicillin Sirup Kering 125 mg/5 mL', stockUnit: 'botol', frequency: 3, dose: 5, doseUnit: 'mL', doseWord: 'sendok takar (5 mL)', days: 5, route: 'oral', instructions: 'sesudah makan, dihabiskan', pack: 60, quantityUnit: 'mL' },
  tab('IBU400', '93999005', 'Ibuprofen 400 mg Tablet', 3, 3, 'sesudah makan'),
  tab('MEF500', '93999006', 'Asam Mefenamat 500 mg Tablet', 3, 3, 'sesudah makan, bila nyeri'),
  tab('CET10', '93999007', 'Cetirizine 10 mg Tablet', 1, 5, 'malam hari'),
  tab('CTM4', '93999008', 'Chlorpheniramine Maleate (CTM) 4 mg Tablet', 3, 3, 'dapat menyebabkan kantuk'),
  tab('AMB30', '93999009', 'Ambroxol 30 mg Tablet', 3, 3, 'sesudah makan'),
  tab('GG100', '93999010', 'Gliseril Guaiakolat 100 mg Tablet', 3, 3, 'sesudah makan'),
  tab('ANT', '93999011', 'Antasida Doen Tablet Kunyah', 3, 5, 'dikunyah, 1 jam sebelum makan'),
  tab('OME20', '93999012', 'Omeprazole 20 mg Kapsul', 1, 7, '30 menit sebelum makan pagi', 'CAP'),
  tab('DOM10', '93999013', 'Domperidone 10 mg Tablet', 3, 3, '30 menit sebelum makan'),
  { key: 'ORALIT', kfaCode: '93999014', name: 'Oralit 200 Serbuk', stockUnit: 'sachet', frequency: null, dose: 1, doseUnit: 'sachet', doseWord: 'sachet', days: 3, route: 'oral', instructions: 'larutkan dalam 200 mL air, diminum setiap kali BAB cair', pack: 6, quantityUnit: 'sachet' },
  tab('ZINC20', '93999015', 'Zinc 20 mg Tablet Dispersibel', 1, 10, 'dilarutkan dalam air, 10 hari berturut-turut'),
  tab('AML5', '93999016', 'Amlodipine 5 mg Tablet', 1, 30, 'pagi hari'),
  tab('CAP25', '93999017', 'Captopril 25 mg Tablet', 2, 30, '1 jam sebelum makan'),
  tab('MET500', '93999018', 'Metformin 500 mg Tablet', 2, 30, 'sesudah makan'),
  tab('GLB5', '93999019', 'Glibenclamide 5 mg Tablet', 1, 30, 'sebelum makan pagi'),
  tab('SIM10', '93999020', 'Simvastatin 10 mg Tablet', 1, 30, 'malam hari'),
  tab('ALO100', '93999021', 'Allopurinol 100 mg Tablet', 1, 30, 'sesudah makan'),
  tab('DEX05', '93999022', 'Dexamethasone 0,5 mg Tablet', 3, 3, 'sesudah makan'),
  tab('SAL2', '93999023', 'Salbutamol 2 mg Tablet', 3, 5, 'bila sesak'),
  tab('CIP500', '93999024', 'Ciprofloxacin 500 mg Tablet', 2, 5, 'dihabiskan'),
  tab('COT480', '93999025', 'Kotrimoksazol 480 mg Tablet', 2, 5, 'sesudah makan, dihabiskan'),
  tab('MTZ500', '93999026', 'Metronidazole 500 mg Tablet', 3, 5, 'sesudah makan, dihabiskan'),
  tab('CAL500', '93999027', 'Kalsium Laktat 500 mg Tablet', 1, 30, 'sesudah makan'),
  { key: 'HCTCR', kfaCode: '93999028', name: 'Hidrokortison Krim 2,5%', stockUnit: 'tube', frequency: 2, dose: null, doseUnit: null, doseWord: 'oles tipis', days: 7, route: 'topical', instructions: 'oleskan tipis pada kulit yang sakit', pack: 10, quantityUnit: 'g' },
  { key: 'MICCR', kfaCode: '93999029', name: 'Mikonazol Krim 2%', stockUnit: 'tube', frequency: 2, dose: null, doseUnit: null, doseWord: 'oles tipis', days: 14, route: 'topical', instructions: 'oleskan pada kulit yang sakit hingga 2 cm di sekitarnya', pack: 10, quantityUnit: 'g' },
  { key: 'GENSAL', kfaCode: '93999030', name: 'Gentamisin Salep 0,1%', stockUnit: 'tube', frequency: 3, dose: null, doseUnit: null, doseWord: 'oles tipis', days: 5, route: 'topical', instructions: 'oleskan pada luka yang sudah dibersihkan', pack: 5, quantityUnit: 'g' },
  { key: 'CHLTM', kfaCode: '93999031', name: 'Kloramfenikol Tetes Mata 0,5%', stockUnit: 'botol', frequency: 4, dose: 1, doseUnit: 'tetes', doseWord: 'tetes', days: 5, route: 'ophthalmic', instructions: 'teteskan pada mata yang sakit', pack: 5, quantityUnit: 'mL' },
  tab('TTD', '93006500', 'Tablet Tambah Darah (Ferro Fumarat 60 mg / Asam Folat 0,4 mg)', 1, 30, 'malam hari, jangan bersama teh atau kopi'),
  { ...tab('OAT', '93001019', 'OAT KDT 4FDC (Rifampisin/INH/Pirazinamid/Etambutol) Kaplet', 1, 28, 'pagi hari sebelum makan, tidak boleh putus'), dose: 3 },
  { key: 'PUYER', kfaCode: null, name: 'Racikan Puyer Batuk Pilek', stockUnit: 'bungkus', frequency: 3, dose: 1, doseUnit: 'sachet', doseWord: 'bungkus', days: 3, route: 'oral', instructions: 'sesudah makan', pack: null, quantityUnit: 'sachet' },
];

export const DEMO_DRUGS: readonly DemoDrug[] = SPECS.map((spec, i) => {
  const { kfaCode, ...rest } = spec;
  const kfa = kfaCode === null ? null : (KFA_BY_CODE.get(kfaCode) ?? null);
  if (kfaCode !== null && kfa === null) throw new Error(`demo drug ${spec.key}: KFA ${kfaCode} is not in the KFA table`);
  return { ...rest, id: i + 1, code: `OBT-${String(i + 1).padStart(3, '0')}`, kfa, formName: kfa ? (MEDICATION_FORMS[kfa.formCode] ?? null) : 'Puyer' };
});

export const DRUG_BY_KEY: ReadonlyMap<string, DemoDrug> = new Map(DEMO_DRUGS.map((d) => [d.key, d]));

export function drugByKey(key: string): DemoDrug {
  const drug = DRUG_BY_KEY.get(key);
  if (!drug) throw new Error(`unknown demo drug ${key}`);
  return drug;
}

/** The compounded powder without a KFA code (a deliberate bad row). */
export const UNMAPPED_DRUG_KEY = 'PUYER';

/** What doctors prescribe for a diagnosis, most likely first. */
export const DRUGS_FOR_ICD10: Readonly<Record<string, readonly string[]>> = {
  'J06.9': ['PCT500', 'CTM4', 'AMB30', 'GG100'],
  J00: ['PCT500', 'CTM4', 'GG100'],
  'J02.9': ['AMX500', 'PCT500', 'DEX05'],
  'J03.9': ['AMX500', 'PCT500', 'DEX05'],
  R05: ['AMB30', 'GG100', 'CTM4'],
  'J20.9': ['AMX500', 'AMB30', 'PCT500'],
  'J18.9': ['AMX500', 'PCT500', 'AMB30'],
  'J45.9': ['SAL2', 'DEX05'],
  'J30.4': ['CET10', 'CTM4'],
  'K29.7': ['ANT', 'OME20', 'DOM10'],
  K30: ['ANT', 'DOM10'],
  'K21.9': ['OME20', 'ANT'],
  'A09.9': ['ORALIT', 'ZINC20', 'PCT500'],
  E86: ['ORALIT'],
  'A01.0': ['CIP500', 'PCT500'],
  A90: ['PCT500'],
  A91: ['PCT500'],
  'R50.9': ['PCT500'],
  'N39.0': ['CIP500', 'COT480'],
  'N76.0': ['MTZ500'],
  I10: ['AML5', 'CAP25'],
  'I25.9': ['SIM10', 'AML5'],
  'E11.9': ['MET500', 'GLB5'],
  'E78.5': ['SIM10'],
  'M10.9': ['ALO100', 'MEF500'],
  'M79.1': ['MEF500', 'IBU400'],
  'M54.5': ['IBU400', 'MEF500'],
  'M25.5': ['IBU400', 'MEF500'],
  'M17.9': ['IBU400'],
  'G44.2': ['PCT500', 'IBU400'],
  R51: ['PCT500'],
  'S93.4': ['IBU400', 'MEF500'],
  'L50.9': ['CET10', 'CTM4'],
  'T78.4': ['CET10', 'DEX05'],
  'L23.9': ['HCTCR', 'CET10'],
  'L20.9': ['HCTCR', 'CET10'],
  'L30.9': ['HCTCR', 'CET10'],
  'B35.4': ['MICCR'],
  'B36.0': ['MICCR'],
  B86: ['CET10'],
  'B01.9': ['PCT500', 'CET10'],
  'L02.9': ['AMX500', 'GENSAL', 'MEF500'],
  'T14.1': ['GENSAL', 'MEF500', 'AMX500'],
  'H10.9': ['CHLTM'],
  'H66.9': ['AMX500', 'PCT500'],
  'H81.1': ['DOM10'],
  R42: ['DOM10'],
  R11: ['DOM10'],
  'R10.4': ['ANT', 'MEF500'],
  'K02.9': ['AMX500', 'MEF500'],
  'K02.1': ['MEF500'],
  'K04.0': ['AMX500', 'MEF500', 'PCT500'],
  'K05.0': ['AMX500', 'PCT500'],
  'K05.1': ['PCT500'],
  'K08.3': ['AMX500', 'MEF500'],
  'K08.1': ['MEF500'],
  'K12.0': ['PCT500'],
  'Z34.9': ['TTD', 'CAL500'],
  'O21.0': ['TTD', 'DOM10'],
  'Z39.2': ['TTD'],
  'D64.9': ['TTD'],
  'A15.0': ['OAT'],
  'K59.0': ['PCT500'],
};

/** Children under 12 get the syrup, or the tablet halved; these adult drugs are swapped. */
export const PEDIATRIC_SWAP: Readonly<Record<string, string>> = {
  PCT500: 'PCTSYR',
  AMX500: 'AMXSYR',
  IBU400: 'PCTSYR',
  MEF500: 'PCTSYR',
  CIP500: 'COT480',
};
