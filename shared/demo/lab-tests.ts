// The demo clinic's laboratory menu: what each test reports, its LOINC codes, the specimen, units
// as the lab system writes them (not always UCUM: '10^3/uL'), reference ranges, and how results
// look for patients with and without the matching condition.
import type { Rng } from './prng.js';

export interface Analyte {
  loinc: string;
  name: string;
  /** As the laboratory system stores it; the mapper converts it to UCUM. */
  unit: string;
  decimals: number;
  ref(female: boolean): { low: number | null; high: number | null };
  normal(female: boolean): readonly [number, number];
  /** The abnormal range seen with the condition that made the doctor order the test. */
  abnormal: readonly [number, number];
}

export interface LabTest {
  code: string;
  name: string;
  loinc: string;
  specimenCode: string;
  specimenName: string;
  analytes: readonly Analyte[];
}

const fixed = (low: number | null, high: number | null) => () => ({ low, high });
const both = (range: readonly [number, number]) => () => range;

const HB: Analyte = { loinc: '718-7', name: 'Hemoglobin', unit: 'g/dL', decimals: 1, ref: (f) => (f ? { low: 12, high: 15 } : { low: 13, high: 17 }), normal: (f) => (f ? [12.1, 14.8] : [13.2, 16.5]), abnormal: [8, 11.5] };
const WBC: Analyte = { loinc: '6690-2', name: 'Leukosit', unit: '10^3/uL', decimals: 1, ref: fixed(4, 10), normal: both([4.5, 9.5]), abnormal: [11, 18] };
const PLT: Analyte = { loinc: '777-3', name: 'Trombosit', unit: '10^3/uL', decimals: 0, ref: fixed(150, 400), normal: both([170, 380]), abnormal: [40, 140] };
const GLU: Analyte = { loinc: '2345-7', name: 'Glukosa Sewaktu', unit: 'mg/dL', decimals: 0, ref: fixed(70, 140), normal: both([80, 135]), abnormal: [150, 320] };
const A1C: Analyte = { loinc: '4548-4', name: 'HbA1c', unit: '%', decimals: 1, ref: fixed(4, 5.6), normal: both([4.5, 5.5]), abnormal: [6.5, 10.5] };
const CHOL: Analyte = { loinc: '2093-3', name: 'Kolesterol Total', unit: 'mg/dL', decimals: 0, ref: fixed(null, 200), normal: both([140, 199]), abnormal: [210, 290] };
const TG: Analyte = { loinc: '2571-8', name: 'Trigliserida', unit: 'mg/dL', decimals: 0, ref: fixed(null, 150), normal: both([60, 149]), abnormal: [160, 400] };
const HDL: Analyte = { loinc: '2085-9', name: 'Kolesterol HDL', unit: 'mg/dL', decimals: 0, ref: fixed(40, null), normal: both([40, 70]), abnormal: [25, 39] };
const URIC: Analyte = { loinc: '3084-1', name: 'Asam Urat', unit: 'mg/dL', decimals: 1, ref: (f) => (f ? { low: 2.4, high: 5.7 } : { low: 3.4, high: 7 }), normal: (f) => (f ? [2.6, 5.5] : [3.6, 6.8]), abnormal: [7.5, 11] };
const CREA: Analyte = { loinc: '2160-0', name: 'Kreatinin', unit: 'mg/dL', decimals: 2, ref: (f) => (f ? { low: 0.6, high: 1.1 } : { low: 0.7, high: 1.3 }), normal: (f) => (f ? [0.62, 1.05] : [0.72, 1.25]), abnormal: [1.4, 2.5] };

const BLOOD = { specimenCode: '122555007', specimenName: 'Darah vena' };
const SERUM = { specimenCode: '119364003', specimenName: 'Serum' };

export const LAB_TESTS: readonly LabTest[] = [
  { code: 'DL', name: 'Darah Lengkap', loinc: '58410-2', ...BLOOD, analytes: [HB, WBC, PLT] },
  { code: 'GDS', name: 'Gula Darah Sewaktu', loinc: '2345-7', ...SERUM, analytes: [GLU] },
  { code: 'HBA1C', name: 'HbA1c', loinc: '4548-4', ...BLOOD, analytes: [A1C] },
  { code: 'LIPID', name: 'Profil Lipid', loinc: '24331-1', ...SERUM, analytes: [CHOL, TG, HDL] },
  { code: 'AU', name: 'Asam Urat', loinc: '3084-1', ...SERUM, analytes: [URIC] },
  { code: 'KREA', name: 'Kreatinin', loinc: '2160-0', ...SERUM, analytes: [CREA] },
];

export const LAB_TEST_BY_CODE: ReadonlyMap<string, LabTest> = new Map(LAB_TESTS.map((t) => [t.code, t]));

/** Tests ordered for a diagnosis, most likely first; anything else gets a blood count or glucose. */
export const TESTS_FOR_ICD10: Readonly<Record<string, readonly string[]>> = {
  'E11.9': ['GDS', 'HBA1C'],
  'E78.5': ['LIPID'],
  'M10.9': ['AU'],
  I10: ['LIPID', 'KREA'],
  'I25.9': ['LIPID'],
  A90: ['DL'],
  A91: ['DL'],
  'A01.0': ['DL'],
  'R50.9': ['DL'],
  'J18.9': ['DL'],
  'D64.9': ['DL'],
  'Z34.9': ['DL'],
  'O21.0': ['GDS'],
};
export const DEFAULT_TESTS: readonly string[] = ['DL', 'GDS'];

/** Whether the visit's diagnoses make this analyte come out abnormal (and which way). */
export function abnormalFor(analyte: Analyte, codes: readonly string[]): boolean {
  const has = (...c: string[]) => c.some((x) => codes.includes(x));
  switch (analyte.loinc) {
    case '718-7':
      return has('D64.9', 'Z34.9');
    case '6690-2':
      return has('J18.9', 'A01.0');
    case '777-3':
      return has('A90', 'A91');
    case '2345-7':
    case '4548-4':
      return has('E11.9');
    case '2093-3':
    case '2571-8':
    case '2085-9':
      return has('E78.5', 'I25.9');
    case '3084-1':
      return has('M10.9');
    case '2160-0':
      return has('I10');
    default:
      return false;
  }
}

export function analyteValue(rng: Rng, analyte: Analyte, female: boolean, abnormal: boolean): number {
  const [min, max] = abnormal ? analyte.abnormal : analyte.normal(female);
  const factor = 10 ** analyte.decimals;
  return Math.round((min + rng.next() * (max - min)) * factor) / factor;
}
