// The shape of one demo data set, worked out once from the options: the date window, how many
// practitioners of which kind sit in which unit, and which rows are deliberately bad.
import { parseIsoDate, civilFromDays } from './dates.js';
import { DEMO_UNITS, type UnitCode } from './units.js';

export interface DemoOptions {
  seed: number;
  patients: number;
  visits: number;
  /** 'YYYY-MM-DD', the clinic's "today": visits fall on the days before it, a few on it. */
  anchorDate: string;
}

/** SATUSEHAT rejects clinical dates before 2022-08-31 (rule 10132); good demo visits start after. */
export const EARLIEST_GOOD_DATE = '2022-09-01';
const EARLIEST_GOOD_DAY = parseIsoDate(EARLIEST_GOOD_DATE);
const MIN_WINDOW_DAYS = 14;
/** Roughly how many visits a busy clinic of this size has per day. */
const VISITS_PER_DAY = 300;

export type Profession = 'dokter' | 'dokter_gigi' | 'dokter_spesialis' | 'bidan' | 'perawat' | 'analis_kesehatan' | 'apoteker';

export interface PractitionerSlot {
  unitCode: UnitCode;
  profession: Profession;
  /** Written around the name: 'dr. ' + name + ', Sp.PD'. */
  prefix: string;
  suffix: string;
  /** Attends visits (doctors, dentists, midwives); nurses only measure vital signs. */
  attends: boolean;
}

const slot = (unitCode: UnitCode, profession: Profession, prefix: string, suffix: string): PractitionerSlot => ({
  unitCode,
  profession,
  prefix,
  suffix,
  attends: profession === 'dokter' || profession === 'dokter_gigi' || profession === 'dokter_spesialis' || profession === 'bidan',
});

// The smallest staff (8): every clinical unit has someone who attends visits. Index 7 is the
// midwife whose NIK is missing: she sees about half of the KIA visits, never the most.
const BASE_STAFF: readonly PractitionerSlot[] = [
  slot('UMUM', 'dokter', 'dr. ', ''),
  slot('ANAK', 'dokter_spesialis', 'dr. ', ', Sp.A'),
  slot('INTERNA', 'dokter_spesialis', 'dr. ', ', Sp.PD'),
  slot('GIGI', 'dokter_gigi', 'drg. ', ''),
  slot('KIA', 'dokter_spesialis', 'dr. ', ', Sp.OG'),
  slot('IGD', 'dokter', 'dr. ', ''),
  slot('UMUM', 'dokter', 'dr. ', ''),
  slot('KIA', 'bidan', '', ', A.Md.Keb'),
];

/** Larger clinics add staff in this order, over and over. */
const EXTRA_STAFF_CYCLE: readonly PractitionerSlot[] = [
  slot('IGD', 'perawat', 'Ns. ', ', S.Kep'),
  slot('UMUM', 'perawat', '', ', A.Md.Kep'),
  slot('LAB', 'analis_kesehatan', '', ', A.Md.AK'),
  slot('FARMASI', 'apoteker', 'apt. ', ', S.Farm'),
  slot('IGD', 'dokter', 'dr. ', ''),
  slot('UMUM', 'dokter', 'dr. ', ''),
  slot('RANAP', 'perawat', 'Ns. ', ', S.Kep'),
  slot('INTERNA', 'dokter_spesialis', 'dr. ', ', Sp.PD'),
  slot('KIA', 'bidan', '', ', A.Md.Keb'),
  slot('GIGI', 'dokter_gigi', 'drg. ', ''),
  slot('ANAK', 'dokter_spesialis', 'dr. ', ', Sp.A'),
  slot('UMUM', 'dokter', 'dr. ', ''),
  slot('INTERNA', 'perawat', '', ', A.Md.Kep'),
  slot('ANAK', 'perawat', '', ', A.Md.Kep'),
  slot('KIA', 'dokter_spesialis', 'dr. ', ', Sp.OG'),
  slot('IGD', 'dokter', 'dr. ', ''),
];

/** The one practitioner without a NIK (index, 0-based). */
export const PRACTITIONER_WITHOUT_NIK = 7;

export function practitionerCountFor(visits: number): number {
  return Math.min(400, Math.max(BASE_STAFF.length, Math.round(visits / 400)));
}

export function practitionerSlot(index: number): PractitionerSlot {
  if (index < BASE_STAFF.length) return BASE_STAFF[index] as PractitionerSlot;
  return EXTRA_STAFF_CYCLE[(index - BASE_STAFF.length) % EXTRA_STAFF_CYCLE.length] as PractitionerSlot;
}

export interface DemoPlan extends DemoOptions {
  anchorDay: number;
  anchorYear: number;
  /** First day of good past visits; past visits spread evenly over [windowStartDay, anchorDay). */
  windowStartDay: number;
  days: number;
  pastVisits: number;
  /** Visits on the anchor day itself (registered / in progress), the last ids. */
  todayVisits: number;
  practitionerCount: number;
  /** Practitioner indexes who attend each unit's visits (rawat inap: internists and GPs). */
  attendingByUnit: ReadonlyMap<UnitCode, readonly number[]>;
  /** Nurses who take vital signs per unit; the attending practitioner does it where there is none. */
  nursesByUnit: ReadonlyMap<UnitCode, readonly number[]>;
  /** Master data (units, rooms, staff, users) was created around this day. */
  masterCreatedDay: number;
}

function assertCount(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got ${value}`);
}

export function createDemoPlan(options: DemoOptions): DemoPlan {
  assertCount('seed', options.seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  assertCount('patients', options.patients, 1, 10_000_000);
  assertCount('visits', options.visits, 0, 9_999_999);
  const anchorDay = parseIsoDate(options.anchorDate);
  const maxDays = anchorDay - EARLIEST_GOOD_DAY;
  if (maxDays < MIN_WINDOW_DAYS) throw new Error(`anchorDate must be on or after 2022-09-15 so good visits fit after ${EARLIEST_GOOD_DATE}, got ${options.anchorDate}`);
  const days = Math.min(maxDays, Math.max(MIN_WINDOW_DAYS, Math.ceil(options.visits / VISITS_PER_DAY)));
  const todayVisits = options.visits < 10 ? 0 : Math.min(40, Math.max(1, Math.ceil(options.visits / 200)));
  const practitionerCount = practitionerCountFor(options.visits);

  const attendingByUnit = new Map<UnitCode, number[]>();
  const nursesByUnit = new Map<UnitCode, number[]>();
  for (const u of DEMO_UNITS) {
    attendingByUnit.set(u.code, []);
    nursesByUnit.set(u.code, []);
  }
  for (let i = 0; i < practitionerCount; i++) {
    const s = practitionerSlot(i);
    if (s.attends) attendingByUnit.get(s.unitCode)?.push(i);
    if (s.profession === 'perawat') nursesByUnit.get(s.unitCode)?.push(i);
  }
  // Inpatients are looked after by an internist or a GP (DPJP).
  attendingByUnit.set('RANAP', [...(attendingByUnit.get('INTERNA') ?? []), ...(attendingByUnit.get('UMUM') ?? [])]);

  const windowStartDay = anchorDay - days;
  return {
    ...options,
    anchorDay,
    anchorYear: civilFromDays(anchorDay).year,
    windowStartDay,
    days,
    pastVisits: options.visits - todayVisits,
    todayVisits,
    practitionerCount,
    attendingByUnit,
    nursesByUnit,
    masterCreatedDay: Math.max(EARLIEST_GOOD_DAY - 700, windowStartDay - 60),
  };
}

// ---- Deliberately bad rows (documented in docs/source-contract.md) ----

/** About 1 % of patients, never the 10 sandbox patients: NIK is NULL. */
export function patientLacksNik(index: number): boolean {
  return index >= 10 && index % 100 === 37;
}

export type VisitFlaw = 'future' | 'before-2022' | null;

/** 0.3 % of past visits carry a year typo into the future, 0.2 % are dated before 2022-08-31. */
export function visitFlaw(plan: DemoPlan, index: number): VisitFlaw {
  if (index >= plan.pastVisits) return null;
  const m = index % 1000;
  if (m === 3 || m === 503 || m === 803) return 'future';
  if (index % 500 === 251) return 'before-2022';
  return null;
}

/** Probability that a diagnosis carries a code that is not ICD-10. */
export const UNKNOWN_ICD10_RATE = 0.01;

/** Probability that a procedure carries a code that is not ICD-9-CM ('HECTING'). */
export const UNKNOWN_ICD9CM_RATE = 0.02;

/** Probability that a vital-signs round has its temperature typed without the decimal point (365 °C). */
export const TEMPERATURE_TYPO_RATE = 0.005;

/** Probability that a lab result is stored without its unit. */
export const LAB_RESULT_WITHOUT_UNIT_RATE = 0.01;

/** Probability that a prescription gets an extra compounded line (racikan) with no KFA code. */
export const UNMAPPED_DRUG_RATE = 0.03;
