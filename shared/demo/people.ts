// Patients and practitioners. Each is a pure function of (plan, index); the first ten of each are
// the SATUSEHAT sandbox's dummy people, so the demo also works against the real sandbox.
import type { Gender } from '../types/source-rows.js';
import { SECONDS_PER_DAY, ageInYears, daysFromCivil, formatDate, formatDateTime, parseIsoDate } from './dates.js';
import { makePersonName } from './names.js';
import { SANDBOX_PATIENTS, SANDBOX_PRACTITIONERS, makeNik, parseNik, patientNikSlot, practitionerNikSlot, type SandboxPerson } from './nik.js';
import { PRACTITIONER_WITHOUT_NIK, patientLacksNik, practitionerSlot, type DemoPlan, type Profession } from './plan.js';
import { STREAM, rowRng, type Rng } from './prng.js';
import { DEMO_CITIES, makeMobilePhone, makeStreetAddress } from './regions.js';
import { unitByCode } from './units.js';

export interface DemoPatient {
  id: number;
  mrn: string;
  nik: string | null;
  name: string;
  gender: Gender;
  birthDate: string;
  birthPlace: string;
  address: string;
  city: string;
  phone: string | null;
  bpjsNo: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DemoPractitioner {
  id: number;
  nik: string | null;
  name: string;
  gender: Gender;
  birthDate: string;
  profession: Profession;
  strNumber: string;
  unitId: number;
  isActive: boolean;
  createdAt: string;
  updatedAt: string;
}

/** What a visit needs to know about its patient, cheap enough to compute many times per visit. */
export interface PatientProfile {
  gender: Gender;
  birthDay: number;
}

// Age bands of a clinic's patients: [min age, max age, weight].
const AGE_BANDS: readonly (readonly [number, number, number])[] = [
  [0, 4, 9],
  [5, 14, 14],
  [15, 24, 13],
  [25, 44, 30],
  [45, 64, 24],
  [65, 88, 10],
];

/** Birth day of a sandbox person: the documented one, else the date inside the NIK. */
function sandboxProfile(person: SandboxPerson, anchorYear: number): PatientProfile {
  if (person.gender && person.birthDate) return { gender: person.gender, birthDay: parseIsoDate(person.birthDate) };
  const parsed = parseNik(person.nik);
  if (!parsed) throw new Error(`sandbox NIK is malformed: ${person.nik}`);
  const century = 2000 + parsed.yearOfCentury <= anchorYear - 1 ? 2000 : 1900;
  return { gender: parsed.gender, birthDay: daysFromCivil(century + parsed.yearOfCentury, parsed.month, parsed.day) };
}

export function patientProfile(plan: DemoPlan, index: number): PatientProfile {
  const sandbox = SANDBOX_PATIENTS[index];
  if (sandbox) return sandboxProfile(sandbox, plan.anchorYear);
  const rng = rowRng(plan.seed, STREAM.patientProfile, index);
  const gender: Gender = rng.chance(0.53) ? 'female' : 'male';
  const band = AGE_BANDS[rng.weighted(AGE_BANDS.map((b) => b[2]))] ?? AGE_BANDS[0];
  const age = rng.int(band?.[0] ?? 0, band?.[1] ?? 0);
  // Born before the first visit day, so no visit predates its patient.
  const birthDay = plan.windowStartDay - age * 365 - rng.int(1, 364);
  return { gender, birthDay };
}

/** A moment on `day` between two hours of the day, to the second. */
function timeOn(rng: Rng, day: number, fromHour: number, toHour: number): number {
  return day * SECONDS_PER_DAY + rng.int(fromHour * 3600, toHour * 3600 - 1);
}

export function generatePatient(plan: DemoPlan, index: number): DemoPatient {
  const profile = patientProfile(plan, index);
  const rng = rowRng(plan.seed, STREAM.patientDetail, index);
  const sandbox = SANDBOX_PATIENTS[index];
  const { slot, serial } = patientNikSlot(index);
  const city = slot.city;
  let nik: string | null = sandbox ? sandbox.nik : makeNik(slot.regionCode, profile.birthDay, profile.gender, serial);
  if (patientLacksNik(index)) nik = null;
  const name = sandbox?.name ?? makePersonName(rng, profile.gender);
  const birthPlace = rng.chance(0.8) ? city.birthPlace : rng.pick(DEMO_CITIES).birthPlace;
  const address = makeStreetAddress(rng);
  const phone = rng.chance(0.9) ? makeMobilePhone(rng) : null;
  const bpjsNo = rng.chance(0.65) ? `000${rng.digits(10)}` : null;
  // Registered some time before the first visit, never before birth; 20 % edited since.
  const createdDay = Math.min(plan.windowStartDay - 1, Math.max(profile.birthDay + 1, plan.windowStartDay - rng.int(1, 700)));
  const created = timeOn(rng, createdDay, 7, 17);
  const updated = rng.chance(0.2) ? timeOn(rng, rng.int(createdDay + 1, plan.anchorDay - 1), 7, 17) : created;
  return {
    id: index + 1,
    mrn: `RM-${String(index + 1).padStart(6, '0')}`,
    nik,
    name,
    gender: profile.gender,
    birthDate: formatDate(profile.birthDay),
    birthPlace,
    address,
    city: city.name,
    phone,
    bpjsNo,
    createdAt: formatDateTime(created),
    updatedAt: formatDateTime(Math.max(created, updated)),
  };
}

/** Sandbox practitioner NIKs go to the first ten practitioners that have a NIK at all. */
function sandboxPractitionerFor(index: number): SandboxPerson | undefined {
  if (index === PRACTITIONER_WITHOUT_NIK) return undefined;
  return SANDBOX_PRACTITIONERS[index > PRACTITIONER_WITHOUT_NIK ? index - 1 : index];
}

export function generatePractitioner(plan: DemoPlan, index: number): DemoPractitioner {
  const rng = rowRng(plan.seed, STREAM.practitioner, index);
  const s = practitionerSlot(index);
  const sandbox = sandboxPractitionerFor(index);
  let gender: Gender;
  let birthDay: number;
  let nik: string | null;
  if (sandbox) {
    ({ gender, birthDay } = sandboxProfile(sandbox, plan.anchorYear));
    nik = sandbox.nik;
  } else {
    gender = s.profession === 'bidan' ? 'female' : rng.chance(0.55) ? 'female' : 'male';
    birthDay = plan.anchorDay - rng.int(26, 62) * 365 - rng.int(0, 364);
    const { slot, serial } = practitionerNikSlot(index);
    nik = index === PRACTITIONER_WITHOUT_NIK ? null : makeNik(slot.regionCode, birthDay, gender, serial);
  }
  const name = sandbox?.name ?? `${s.prefix}${makePersonName(rng, gender)}${s.suffix}`;
  const created = timeOn(rng, plan.masterCreatedDay - rng.int(0, 30), 8, 16);
  return {
    id: index + 1,
    nik,
    name,
    gender,
    birthDate: formatDate(birthDay),
    profession: s.profession,
    // STR (Surat Tanda Registrasi) numbers are 16 digits.
    strNumber: rng.digits(16),
    unitId: unitByCode(s.unitCode).id,
    isActive: true,
    createdAt: formatDateTime(created),
    updatedAt: formatDateTime(created),
  };
}

/** Age on a day, for matching patients to units (children to Poli Anak, and so on). */
export function ageOn(profile: PatientProfile, day: number): number {
  return ageInYears(profile.birthDay, day);
}
