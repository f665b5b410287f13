// NIK (Nomor Induk Kependudukan), 16 digits: PPKKCC (province, city, district) + DDMMYY (date of
// birth; women add 40 to the day) + SSSS (serial). Also the SATUSEHAT sandbox's dummy people.
import { civilFromDays, daysFromCivil, daysInMonth, formatDate } from './dates.js';
import type { Gender } from '../types/source-rows.js';
import { REGION_SLOT_MAX_OCCURRENCE, REGION_SLOTS, regionSlotFor, type RegionSlot } from './regions.js';

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

export function makeNik(regionCode: string, birthDay: number, gender: Gender, serial: number): string {
  if (!/^\d{6}$/.test(regionCode)) throw new Error(`region code must be 6 digits: ${regionCode}`);
  if (!Number.isInteger(serial) || serial < 1 || serial > 9999) throw new Error(`NIK serial out of range: ${serial}`);
  const { year, month, day } = civilFromDays(birthDay);
  const dd = gender === 'female' ? day + 40 : day;
  return `${regionCode}${pad2(dd)}${pad2(month)}${pad2(year % 100)}${String(serial).padStart(4, '0')}`;
}

export interface ParsedNik {
  regionCode: string;
  gender: Gender;
  /** Two-digit year only: the NIK does not say which century. */
  day: number;
  month: number;
  yearOfCentury: number;
  serial: number;
}

/** Splits a NIK; null when it is not 16 digits or its date part is not a real date. */
export function parseNik(nik: string): ParsedNik | null {
  if (!/^\d{16}$/.test(nik)) return null;
  const rawDay = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const yearOfCentury = Number(nik.slice(10, 12));
  const gender: Gender = rawDay > 40 ? 'female' : 'male';
  const day = gender === 'female' ? rawDay - 40 : rawDay;
  // 2000 is a leap year, so 29 February passes here; the century is unknown anyway.
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(2000 + yearOfCentury, month)) return null;
  return { regionCode: nik.slice(0, 6), gender, day, month, yearOfCentury, serial: Number(nik.slice(12, 16)) };
}

/** Birth date a NIK encodes, given the century the caller believes in. */
export function nikBirthDate(parsed: ParsedNik, century: number): string {
  return formatDate(daysFromCivil(century + parsed.yearOfCentury, parsed.month, parsed.day));
}

// Person i lives in region slot i mod S and is the k-th person there (k = floor(i / S)), so its
// serial k·M + occurrence is unique per region code until it passes 9999 — about
// 9999/M·S ≈ 300,000 patients; beyond that two NIKs can only clash if the birth dates match too.
const SLOT_COUNT = REGION_SLOTS.length;

export function patientNikSlot(index: number): { slot: RegionSlot; serial: number } {
  const slot = regionSlotFor(index);
  const round = Math.floor(index / SLOT_COUNT);
  return { slot, serial: ((round * REGION_SLOT_MAX_OCCURRENCE + slot.occurrence) % 9999) + 1 };
}

/** Practitioners count serials down from 9999, so they never meet patients' serials in practice. */
export function practitionerNikSlot(index: number): { slot: RegionSlot; serial: number } {
  const slot = regionSlotFor(index);
  const round = Math.floor(index / SLOT_COUNT);
  return { slot, serial: 9999 - ((round * REGION_SLOT_MAX_OCCURRENCE + slot.occurrence) % 9999) };
}

export interface SandboxPerson {
  nik: string;
  /** The IHS number (Patient) or Practitioner id the sandbox returns for that NIK. */
  satusehatId: string;
  name?: string;
  gender?: Gender;
  birthDate?: string;
}

/** SATUSEHAT sandbox dummy patients (reference A5); only valid in the sandbox. */
export const SANDBOX_PATIENTS: readonly SandboxPerson[] = [
  { nik: '9271060312000001', satusehatId: 'P02478375538', name: 'Ardianto Putra', gender: 'male', birthDate: '1992-01-09' },
  { nik: '9204014804000002', satusehatId: 'P03647103112' },
  { nik: '9104224509000003', satusehatId: 'P00805884304' },
  { nik: '9104223107000004', satusehatId: 'P00912894463' },
  { nik: '9104224606000005', satusehatId: 'P01654557057' },
  { nik: '9104025209000006', satusehatId: 'P02280547535' },
  { nik: '9201076001000007', satusehatId: 'P01836748436' },
  { nik: '9201394901000008', satusehatId: 'P00883356749' },
  { nik: '9201076407000009', satusehatId: 'P01058967035' },
  { nik: '9210060207000010', satusehatId: 'P02428473601' },
];

/** SATUSEHAT sandbox dummy practitioners (reference A5). */
export const SANDBOX_PRACTITIONERS: readonly SandboxPerson[] = [
  { nik: '7209061211900001', satusehatId: '10009880728', name: 'dr. Alexander', gender: 'male' },
  { nik: '3322071302900002', satusehatId: '10006926841' },
  { nik: '3171071609900003', satusehatId: '10001354453' },
  { nik: '3207192310600004', satusehatId: '10010910332' },
  { nik: '6408130207800005', satusehatId: '10018180913' },
  { nik: '3217040109800006', satusehatId: '10002074224' },
  { nik: '3519111703800007', satusehatId: '10012572188' },
  { nik: '5271002009700008', satusehatId: '10018452434' },
  { nik: '3313096403900009', satusehatId: '10014058550' },
  { nik: '3578083008700010', satusehatId: '10001915884' },
];
