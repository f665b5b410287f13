// What happens in a visit besides diagnoses and vital signs: procedures (ICD-9-CM), a prescription
// with 1–3 lines, a lab order with its results, a diet or education note, and for finished visits
// often a summary note (Resume Medis). Drawn from the visit's
// own random stream (STREAM.visitClinical), so adding these never changed the visits, diagnoses
// or vital signs generated before them. Child ids are 0 until visitBatches() numbers them.
import { ICD10_BY_CODE } from '../fhir/terminology/icd10.js';
import { ICD9CM_BY_CODE } from '../fhir/terminology/icd9cm.js';
import { DIET_TYPE_BY_CODE, EDUCATION_TOPIC_BY_CODE } from '../fhir/terminology/notes.js';
import { formatDateTime } from './dates.js';
import { DRUGS_FOR_ICD10, PEDIATRIC_SWAP, UNMAPPED_DRUG_KEY, drugByKey, isUnmappedDrug, type DemoDrug } from './drugs.js';
import { DEFAULT_TESTS, LAB_TEST_BY_CODE, TESTS_FOR_ICD10, abnormalFor, analyteValue } from './lab-tests.js';
import { LAB_RESULT_WITHOUT_UNIT_RATE, UNKNOWN_ICD9CM_RATE, UNMAPPED_DRUG_RATE } from './plan.js';
import type { Rng } from './prng.js';
import type { UnitCode } from './units.js';

const MINUTE = 60;

/** What the clinical generators need to know about the visit. Times are wall-clock seconds. */
export interface VisitClinicalContext {
  visitId: number;
  unit: UnitCode;
  /** Valid ICD-10 codes of the visit, primary first. */
  codes: readonly string[];
  age: number;
  female: boolean;
  /** 1-based id of the attending practitioner. */
  practitionerId: number;
  started: number;
  /** Latest moment of the consult (finish, or a few minutes in for visits still open). */
  end: number;
  /** The visit is finished (`end` is its finish): only then is a summary written. */
  finished: boolean;
  /** Nothing after this may be dated (the anchor day's midnight for past visits); null = today's visit, nothing later than `end`. */
  limit: number | null;
  /** Clinical time text, with the visit's deliberate year typo if it has one. */
  clinical(t: number): string;
}

export interface DemoProcedure {
  id: number;
  visitId: number;
  practitionerId: number;
  icd9cmCode: string;
  icd9cmDisplay: string | null;
  performedStart: string;
  performedEnd: string | null;
  createdAt: string;
  updatedAt: string;
  /** True when the code is deliberately not ICD-9-CM (not a column). */
  unknownCode: boolean;
}

export interface DemoPrescriptionItem {
  id: number;
  prescriptionId: number;
  lineNo: number;
  drugId: number;
  quantity: number;
  quantityUnit: string;
  signa: string;
  frequency: number;
  doseAmount: number | null;
  doseUnit: string | null;
  durationDays: number;
  route: string;
  instructions: string | null;
  repeats: number;
  /** Null: substitution allowed (Dekacare's default). */
  substitutionAllowed: boolean | null;
  courseOfTherapy: string;
  createdAt: string;
  updatedAt: string;
  /** True when the drug (or an ingredient of the compound) has no KFA code (not a column). */
  unmapped: boolean;
}

export interface DemoPrescription {
  id: number;
  prescriptionNo: string;
  visitId: number;
  practitionerId: number;
  prescribedAt: string;
  /** Prescribed + 3 days: how long the pharmacy may dispense it. */
  validUntil: string;
  createdAt: string;
  updatedAt: string;
  items: DemoPrescriptionItem[];
}

export interface DemoLabResult {
  id: number;
  labOrderId: number;
  loincCode: string;
  testName: string;
  value: number;
  unit: string | null;
  referenceLow: number | null;
  referenceHigh: number | null;
  resultedAt: string;
  createdAt: string;
  updatedAt: string;
  /** True when the unit was deliberately left empty (not a column). */
  missingUnit: boolean;
}

export interface DemoLabOrder {
  id: number;
  orderNo: string;
  visitId: number;
  practitionerId: number;
  testCode: string;
  testName: string;
  loincCode: string;
  specimenCode: string;
  specimenName: string;
  orderedAt: string;
  collectedAt: string | null;
  transportedAt: string | null;
  reportedAt: string | null;
  conclusion: string | null;
  createdAt: string;
  updatedAt: string;
  results: DemoLabResult[];
}

export interface DemoVisitNote {
  id: number;
  visitId: number;
  practitionerId: number;
  noteType: 'diet' | 'education' | 'summary';
  title: string;
  text: string;
  /** Diet type or education topic (SNOMED CT); null for summaries. */
  snomedCode: string | null;
  snomedDisplay: string | null;
  dietIntent: 'proposal' | 'order' | null;
  writtenAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface VisitClinical {
  procedures: DemoProcedure[];
  prescription: DemoPrescription | null;
  labOrder: DemoLabOrder | null;
  note: DemoVisitNote | null;
  /** The visit summary (Resume Medis), written when the visit finished. */
  summary: DemoVisitNote | null;
}

// ---- Procedures --------------------------------------------------------------------------------

/** Chance that a visit to the unit has a procedure; together ≈ 0.3 per visit. */
const PROCEDURE_RATE: Readonly<Record<UnitCode, number>> = { UMUM: 0.12, GIGI: 0.7, ANAK: 0.1, INTERNA: 0.15, KIA: 0.5, IGD: 0.5, RANAP: 0.8, LAB: 0, FARMASI: 0 };

/** Procedures each unit performs (ICD-9-CM); a code listed twice is twice as likely. */
export const ICD9CM_POOLS: Readonly<Record<UnitCode, readonly string[]>> = {
  UMUM: ['89.52', '96.52', '86.04', '93.57', '99.29'],
  GIGI: ['23.09', '23.01', '23.2', '23.2', '96.54', '96.54'],
  ANAK: ['93.94', '99.55', '96.52'],
  INTERNA: ['89.52', '89.52', '99.29'],
  KIA: ['88.78', '88.78', '89.26', '69.7', '99.29'],
  IGD: ['86.59', '86.59', '86.22', '93.57', '93.54', '99.18', '93.94', '89.52', '57.94'],
  RANAP: ['99.18', '38.93', '38.93', '89.52', '57.94'],
  LAB: [],
  FARMASI: [],
};

/** Procedure codes as they turn up when a SIMRS takes free text: local words, typos. */
export const UNKNOWN_ICD9CM: readonly { code: string; display: string | null }[] = [
  { code: 'HECTING', display: 'Hecting luka 3 jahitan' },
  { code: '99.999', display: null },
  { code: 'TDK-01', display: 'Tindakan kecil' },
];

function makeProcedures(rng: Rng, v: VisitClinicalContext): DemoProcedure[] {
  const pool = ICD9CM_POOLS[v.unit];
  const codes: string[] = [];
  if (v.codes.includes('O80.0')) codes.push('73.59');
  if (pool.length > 0 && rng.chance(PROCEDURE_RATE[v.unit])) {
    codes.push(rng.pick(pool));
    if ((v.unit === 'GIGI' || v.unit === 'IGD') && rng.chance(0.2)) codes.push(rng.pick(pool));
  }
  const unique = [...new Set(codes)];
  return unique.map((code) => {
    const span = Math.max(0, v.end - v.started);
    const start = v.started + Math.floor(rng.next() * span * 0.7);
    const minutes = v.unit === 'GIGI' ? rng.int(15, 45) : rng.int(5, 30);
    const end = Math.min(start + minutes * MINUTE, v.end);
    const bad = rng.chance(UNKNOWN_ICD9CM_RATE) ? rng.pick(UNKNOWN_ICD9CM) : null;
    return {
      id: 0,
      visitId: v.visitId,
      practitionerId: v.practitionerId,
      icd9cmCode: bad ? bad.code : code,
      icd9cmDisplay: bad ? bad.display : (ICD9CM_BY_CODE.get(code)?.display ?? null),
      performedStart: v.clinical(start),
      performedEnd: end > start ? v.clinical(end) : null,
      createdAt: formatDateTime(start),
      updatedAt: formatDateTime(end > start ? end : start),
      unknownCode: bad !== null,
    };
  });
}

// ---- Prescriptions -----------------------------------------------------------------------------

/** Chance that a visit to the unit ends with a prescription; together ≈ 0.5 per visit. */
const PRESCRIPTION_RATE: Readonly<Record<UnitCode, number>> = { UMUM: 0.62, GIGI: 0.45, ANAK: 0.6, INTERNA: 0.7, KIA: 0.35, IGD: 0.45, RANAP: 0.2, LAB: 0, FARMASI: 0 };
/** Check-ups and counselling need no medicine. */
const NO_MEDICINE = new Set(['Z00.0', 'Z00.1', 'Z30.0', 'H61.2']);

const fraction = (n: number): string => (n === 0.5 ? '1/2' : String(n));

function prescriptionLine(drug: DemoDrug, child: boolean, lineNo: number, at: number): DemoPrescriptionItem {
  const halve = child && drug.doseUnit === 'TAB';
  const dose = halve ? drug.dose / 2 : drug.dose;
  const quantity = drug.pack ?? Math.ceil(drug.frequency * dose * drug.days);
  return {
    id: 0,
    prescriptionId: 0,
    lineNo,
    drugId: drug.id,
    quantity,
    quantityUnit: drug.quantityUnit,
    signa: `${drug.frequency} x ${fraction(dose)} ${drug.doseWord}`,
    frequency: drug.frequency,
    doseAmount: dose,
    doseUnit: drug.doseUnit,
    durationDays: drug.days,
    route: drug.route,
    instructions: drug.instructions,
    repeats: drug.repeats,
    // The TB regimen is dispensed exactly as written (programme stock); everything else may be swapped for a generic.
    substitutionAllowed: drug.key === 'OAT' ? false : null,
    courseOfTherapy: drug.courseOfTherapy,
    createdAt: formatDateTime(at),
    updatedAt: formatDateTime(at),
    unmapped: isUnmappedDrug(drug),
  };
}

/** A prescription may be dispensed for three days after it was written. */
const VALID_FOR_MS = 3 * 24 * 60 * MINUTE;

function makePrescription(rng: Rng, v: VisitClinicalContext): DemoPrescription | null {
  if (v.codes.length > 0 && v.codes.every((c) => NO_MEDICINE.has(c))) return null;
  if (!rng.chance(PRESCRIPTION_RATE[v.unit])) return null;
  const child = v.age < 12;
  const candidates: string[] = [];
  for (const code of v.codes) {
    for (const key of DRUGS_FOR_ICD10[code] ?? []) {
      const chosen = child ? (PEDIATRIC_SWAP[key] ?? key) : key;
      if (!child && drugByKey(chosen).childOnly) continue;
      if (!candidates.includes(chosen)) candidates.push(chosen);
    }
  }
  if (candidates.length === 0) candidates.push(child ? 'PCT125' : 'PCT500');
  const lines = Math.min(candidates.length, rng.weighted([40, 40, 20]) + 1);
  const keys = candidates.slice(0, lines);
  if (keys.length < 3 && rng.chance(UNMAPPED_DRUG_RATE)) keys.push(UNMAPPED_DRUG_KEY);
  // Written at the end of the consult.
  const at = Math.max(v.started, v.end - rng.int(0, Math.min(5 * MINUTE, v.end - v.started)));
  return {
    id: 0,
    prescriptionNo: '',
    visitId: v.visitId,
    practitionerId: v.practitionerId,
    prescribedAt: v.clinical(at),
    validUntil: v.clinical(at + VALID_FOR_MS),
    createdAt: formatDateTime(at),
    updatedAt: formatDateTime(at),
    items: keys.map((key, i) => prescriptionLine(drugByKey(key), child, i + 1, at)),
  };
}

// ---- Laboratory --------------------------------------------------------------------------------

/** Chance that a visit to the unit has a lab order; together ≈ 0.2 per visit. */
const LAB_RATE: Readonly<Record<UnitCode, number>> = { UMUM: 0.12, GIGI: 0, ANAK: 0.08, INTERNA: 0.45, KIA: 0.25, IGD: 0.3, RANAP: 0.9, LAB: 0, FARMASI: 0 };

function makeLabOrder(rng: Rng, v: VisitClinicalContext): DemoLabOrder | null {
  if (!rng.chance(LAB_RATE[v.unit])) return null;
  const options = v.codes.flatMap((c) => TESTS_FOR_ICD10[c] ?? []);
  const test = LAB_TEST_BY_CODE.get(options.length > 0 ? rng.pick(options) : rng.pick(DEFAULT_TESTS));
  if (!test) throw new Error('demo lab test missing');
  const ordered = v.started + Math.floor(rng.next() * Math.max(1, v.end - v.started));
  const fits = (t: number) => v.limit !== null && t < v.limit;
  const collectedAt = ordered + rng.int(5, 30) * MINUTE;
  const collected = fits(collectedAt) ? collectedAt : null;
  // The sample goes to the laboratory 2–15 minutes after it is taken (at once if that would be
  // after now). Derived from the collection minute, not drawn: a draw would move every later one.
  const transportedAt = collected === null ? null : collected + (2 + (Math.floor(collected / MINUTE) % 14)) * MINUTE;
  const transported = transportedAt === null || collected === null ? null : fits(transportedAt) ? transportedAt : collected;

  const results: DemoLabResult[] = [];
  let reported: number | null = null;
  if (collected !== null) {
    let last = collected;
    for (const analyte of test.analytes) {
      const resulted = collected + rng.int(30, 120) * MINUTE;
      const abnormal = abnormalFor(analyte, v.codes) && rng.chance(0.7);
      const ref = analyte.ref(v.female);
      const noUnit = rng.chance(LAB_RESULT_WITHOUT_UNIT_RATE);
      last = Math.max(last, resulted);
      results.push({
        id: 0,
        labOrderId: 0,
        loincCode: analyte.loinc,
        testName: analyte.name,
        value: analyteValue(rng, analyte, v.female, abnormal),
        unit: noUnit ? null : analyte.unit,
        referenceLow: ref.low,
        referenceHigh: ref.high,
        resultedAt: v.clinical(resulted),
        createdAt: formatDateTime(resulted),
        updatedAt: formatDateTime(resulted),
        missingUnit: noUnit,
      });
    }
    const reportAt = last + rng.int(0, 10) * MINUTE;
    if (fits(reportAt)) reported = reportAt;
    else results.length = 0;
  }
  const flagged = results.filter((r) => (r.referenceLow !== null && r.value < r.referenceLow) || (r.referenceHigh !== null && r.value > r.referenceHigh));
  const conclusion = reported === null ? null : flagged.length === 0 ? 'Hasil dalam batas normal' : flagged.map((r) => `${r.testName} ${r.referenceLow !== null && r.value < r.referenceLow ? 'rendah' : 'tinggi'}`).join(', ');
  const touched = reported ?? collected ?? ordered;
  return {
    id: 0,
    orderNo: '',
    visitId: v.visitId,
    practitionerId: v.practitionerId,
    testCode: test.code,
    testName: test.name,
    loincCode: test.loinc,
    specimenCode: test.specimenCode,
    specimenName: test.specimenName,
    orderedAt: v.clinical(ordered),
    collectedAt: collected === null ? null : v.clinical(collected),
    transportedAt: transported === null ? null : v.clinical(transported),
    reportedAt: reported === null ? null : v.clinical(reported),
    conclusion,
    createdAt: formatDateTime(ordered),
    updatedAt: formatDateTime(touched),
    results,
  };
}

// ---- Visit notes -------------------------------------------------------------------------------

const NOTE_RATE: Readonly<Record<UnitCode, number>> = { UMUM: 0.3, GIGI: 0.2, ANAK: 0.35, INTERNA: 0.5, KIA: 0.4, IGD: 0.2, RANAP: 0.8, LAB: 0, FARMASI: 0 };

const DIET: Readonly<Record<string, string>> = {
  I10: 'Diet rendah garam: garam dapur paling banyak 1 sendok teh per hari.\nKurangi makanan asin, makanan olahan dan bersantan.',
  'E11.9': 'Diet diabetes: makan 3 kali sehari dengan porsi dan jam yang teratur.\nBatasi gula, nasi putih dan minuman manis; perbanyak sayur.',
  'E78.5': 'Diet rendah lemak jenuh: kurangi gorengan, jeroan dan santan.\nPerbanyak sayur, buah dan ikan.',
  'M10.9': 'Diet rendah purin: hindari jeroan, emping melinjo dan makanan laut berlebihan.\nMinum air putih 2 liter sehari.',
  'K29.7': 'Makan teratur dalam porsi kecil; hindari makanan pedas, asam, kopi dan minuman bersoda.\nJangan langsung berbaring setelah makan.',
  K30: 'Makan teratur dalam porsi kecil; hindari makanan pedas, asam, kopi dan minuman bersoda.',
  'K21.9': 'Makan porsi kecil, jangan berbaring 2 jam setelah makan, tinggikan kepala saat tidur.\nHindari kopi, cokelat dan makanan berlemak.',
  'A09.9': 'Minum oralit setiap kali BAB cair.\nLanjutkan makan porsi kecil tapi sering; hindari makanan pedas dan berlemak.',
  'A01.0': 'Diet lunak rendah serat selama pemulihan: bubur atau nasi tim.\nHindari makanan pedas dan bersantan.',
  'Z34.9': 'Gizi seimbang ibu hamil: tambah 1 porsi makan per hari, perbanyak protein hewani, sayur dan buah.\nMinum tablet tambah darah setiap hari.',
  'D64.9': 'Perbanyak makanan sumber zat besi: daging merah, hati ayam, sayuran hijau.\nTablet tambah darah jangan diminum bersama teh atau kopi.',
};

/** The oral diet type of each advice above (SNOMED CT, terminology/notes.ts). */
const DIET_TYPE: Readonly<Record<string, string>> = {
  I10: '182957001',
  'E11.9': '182955009',
  'E78.5': '182960008',
  'M10.9': '284071006',
  'K29.7': '284071006',
  K30: '284071006',
  'K21.9': '284071006',
  'A09.9': '284071006',
  'A01.0': '284071006',
  'Z34.9': '182922004',
  'D64.9': '284071006',
};

/** Education topics (Playbook §21): advice about taking medicines, otherwise the disease process. */
const MEDICATION_EDUCATION = new Set(['A15.0', 'I10']);
const DISEASE_EDUCATION = '84635008';
const MEDICATION_TOPIC = '967006';

const EDUCATION: Readonly<Record<string, string>> = {
  'J06.9': 'Istirahat cukup dan perbanyak minum air putih. Gunakan masker dan sering cuci tangan.\nKontrol bila demam lebih dari 3 hari atau sesak napas.',
  A90: 'Minum banyak cairan, 2 liter sehari. Pantau suhu tubuh.\nSegera ke IGD bila ada perdarahan, nyeri perut hebat atau muntah terus-menerus.',
  A91: 'Minum banyak cairan, 2 liter sehari.\nSegera ke IGD bila ada perdarahan, nyeri perut hebat atau muntah terus-menerus.',
  'A15.0': 'Minum obat TBC setiap hari tanpa putus selama 6 bulan.\nTutup mulut saat batuk dan buka jendela rumah agar udara berganti.',
  'Z30.0': 'Konseling KB: pilihan metode kontrasepsi, efek samping dan jadwal kontrol.',
  'E11.9': 'Periksa gula darah rutin, jaga kaki tetap bersih dan kering, olahraga jalan kaki 30 menit sehari.',
  I10: 'Minum obat darah tinggi setiap hari walau tidak ada keluhan. Kontrol tekanan darah sebulan sekali.',
};

const UNIT_EDUCATION: Readonly<Partial<Record<UnitCode, string>>> = {
  GIGI: 'Sikat gigi 2 kali sehari dengan pasta gigi berfluoride, terutama sebelum tidur.\nKontrol ke poli gigi setiap 6 bulan.',
  ANAK: 'Pantau suhu anak dan beri minum yang cukup.\nSegera kembali bila anak kejang, sesak atau tidak mau minum.',
  KIA: 'Periksa kehamilan sesuai jadwal. Segera ke fasilitas kesehatan bila ada perdarahan, ketuban pecah atau gerakan janin berkurang.',
};

const GENERAL_EDUCATION = 'Minum obat sesuai aturan dan istirahat cukup.\nKontrol kembali bila keluhan tidak membaik dalam 3 hari.';

function makeNote(rng: Rng, v: VisitClinicalContext): DemoVisitNote | null {
  if (!rng.chance(NOTE_RATE[v.unit])) return null;
  const dietCode = v.codes.find((c) => DIET[c] !== undefined);
  const at = v.end - rng.int(0, Math.min(3 * MINUTE, v.end - v.started));
  const diet = dietCode !== undefined && rng.chance(0.7);
  const educationCode = v.codes.find((c) => EDUCATION[c] !== undefined);
  const text = diet ? (DIET[dietCode as string] as string) : ((educationCode ? EDUCATION[educationCode] : undefined) ?? UNIT_EDUCATION[v.unit] ?? GENERAL_EDUCATION);
  const topic = educationCode === undefined ? (UNIT_EDUCATION[v.unit] ? DISEASE_EDUCATION : MEDICATION_TOPIC) : MEDICATION_EDUCATION.has(educationCode) ? MEDICATION_TOPIC : DISEASE_EDUCATION;
  const code = diet ? (DIET_TYPE[dietCode as string] as string) : topic;
  return {
    id: 0,
    visitId: v.visitId,
    practitionerId: v.practitionerId,
    noteType: diet ? 'diet' : 'education',
    title: diet ? 'Anjuran Diet' : 'Edukasi Pasien',
    text,
    snomedCode: code,
    snomedDisplay: (diet ? DIET_TYPE_BY_CODE.get(code) : EDUCATION_TOPIC_BY_CODE.get(code))?.display ?? null,
    // Inpatients' diets are carried out by the kitchen's dietitian; others take the advice home.
    dietIntent: diet ? (v.unit === 'RANAP' ? 'order' : 'proposal') : null,
    writtenAt: v.clinical(at),
    createdAt: formatDateTime(at),
    updatedAt: formatDateTime(at),
  };
}

/** Share of finished visits whose doctor writes a summary (Resume Medis) in Dekacare. */
const SUMMARY_RATE = 0.6;

function makeSummary(rng: Rng, v: VisitClinicalContext): DemoVisitNote | null {
  if (!v.finished || !rng.chance(SUMMARY_RATE)) return null;
  const primary = v.codes[0];
  const diagnosis = primary === undefined ? 'tanpa diagnosis tercatat' : `diagnosis utama ${primary} ${ICD10_BY_CODE.get(primary)?.display ?? ''}`.trim();
  return {
    id: 0,
    visitId: v.visitId,
    practitionerId: v.practitionerId,
    noteType: 'summary',
    title: 'Resume Medis',
    text: `Pasien diperiksa di poli ${v.unit}, ${diagnosis}.\nTerapi, pemeriksaan dan edukasi sesuai catatan kunjungan; pasien pulang dalam keadaan stabil.`,
    snomedCode: null,
    snomedDisplay: null,
    dietIntent: null,
    writtenAt: v.clinical(v.end),
    createdAt: formatDateTime(v.end),
    updatedAt: formatDateTime(v.end),
  };
}

/** Everything clinical about one visit that began, drawn from its own stream. */
export function makeVisitClinical(rng: Rng, v: VisitClinicalContext): VisitClinical {
  return { procedures: makeProcedures(rng, v), prescription: makePrescription(rng, v), labOrder: makeLabOrder(rng, v), note: makeNote(rng, v), summary: makeSummary(rng, v) };
}
