// Identifier systems used by SATUSEHAT, and NIK (Nomor Induk Kependudukan) checks.
// Facility-namespaced systems are 'http://sys-ids.kemkes.go.id/<kind>/<orgId>'; the orgId must be
// the credential's own organization id or SATUSEHAT answers RuleNumber 10117.
import type { MapIssue } from './types.js';

export const SYS_IDS_BASE = 'http://sys-ids.kemkes.go.id';

/** The `<kind>` part of facility-namespaced identifier systems (reference A7). */
export const SYS_ID_KINDS = [
  'organization',
  'location',
  'encounter',
  'condition',
  'observation',
  'procedure',
  'allergy',
  'composition',
  'nutritionorder',
  'immunization',
  'servicerequest',
  'specimen',
  'prescription',
  'prescription-item',
  'medication',
  'episode-of-care',
  'careteam',
  'acsn',
  'mrn',
] as const;
export type SysIdKind = (typeof SYS_ID_KINDS)[number];

/** e.g. sysIdSystem('encounter', '100011961') → 'http://sys-ids.kemkes.go.id/encounter/100011961'. */
export function sysIdSystem(kind: SysIdKind, orgId: string): string {
  return `${SYS_IDS_BASE}/${kind}/${orgId}`;
}

/** National person identifiers. */
export const KEMKES_ID_BASE = 'https://fhir.kemkes.go.id/id';
export const NIK_SYSTEM = `${KEMKES_ID_BASE}/nik`;
export const NIK_IBU_SYSTEM = `${KEMKES_ID_BASE}/nik-ibu`;
export const IHS_NUMBER_SYSTEM = `${KEMKES_ID_BASE}/ihs-number`;
export const NAKES_HIS_NUMBER_SYSTEM = `${KEMKES_ID_BASE}/nakes-his-number`;
export const PASPOR_SYSTEM = `${KEMKES_ID_BASE}/paspor`;
export const KK_SYSTEM = `${KEMKES_ID_BASE}/kk`;

/** Search path relative to the FHIR base: `Encounter?identifier=<system>|<value>`, URL-encoded. */
export function identifierSearchPath(resourceType: string, system: string, value: string): string {
  return `${resourceType}?identifier=${encodeURIComponent(`${system}|${value}`)}`;
}

/** The Master Patient / Nakes Index lookup: `Patient?identifier=https://fhir.kemkes.go.id/id/nik|<nik>`. */
export function nikLookupPath(resourceType: 'Patient' | 'Practitioner', nik: string): string {
  return identifierSearchPath(resourceType, NIK_SYSTEM, nik);
}

export interface NikParts {
  /** Kemendagri region of issue: province (2), regency/city (2), district (2). */
  province: string;
  regency: string;
  district: string;
  /** Day of birth with the +40 for women removed. */
  birthDay: number;
  birthMonth: number;
  /** Two-digit year of birth ('90'); the century is not encoded. */
  birthYear2: string;
  female: boolean;
  serial: string;
}

/**
 * Splits a 16-digit NIK: PPRRDD DDMMYY SSSS. Women have 40 added to the day of birth.
 * Returns null when the structure is not plausible; `checkNik` says why.
 */
export function parseNik(nik: string): NikParts | null {
  return nikProblem(nik) === null ? splitNik(nik) : null;
}

function splitNik(nik: string): NikParts {
  const rawDay = Number(nik.slice(6, 8));
  return {
    province: nik.slice(0, 2),
    regency: nik.slice(2, 4),
    district: nik.slice(4, 6),
    birthDay: rawDay > 40 ? rawDay - 40 : rawDay,
    birthMonth: Number(nik.slice(8, 10)),
    birthYear2: nik.slice(10, 12),
    female: rawDay > 40,
    serial: nik.slice(12, 16),
  };
}

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Why a (trimmed) NIK is not plausible, or null when it is. */
function nikProblem(nik: string): string | null {
  if (!/^\d+$/.test(nik)) return 'contains characters other than digits';
  if (nik.length !== 16) return `has ${nik.length} digits instead of 16`;
  const p = splitNik(nik);
  if (Number(p.province) < 11) return `starts with '${p.province}', which is not an Indonesian province code`;
  if (p.regency === '00') return `has regency code '00'`;
  const rawDay = nik.slice(6, 8);
  if (p.birthMonth < 1 || p.birthMonth > 12) return `has birth month '${nik.slice(8, 10)}' (digits 9–10), which is not 01–12`;
  const maxDay = p.birthMonth === 2 && Number(p.birthYear2) % 4 !== 0 ? 28 : (MONTH_DAYS[p.birthMonth - 1] ?? 31);
  if (p.birthDay < 1 || p.birthDay > maxDay) {
    return `has birth day '${rawDay}' (digits 7–8), which is not a day of month ${nik.slice(8, 10)} (women add 40)`;
  }
  if (p.serial === '0000') return `has serial number '0000'`;
  return null;
}

/**
 * Checks a NIK from the source. Returns null when it is plausible, otherwise an issue at `path`.
 * `who` names the person in the message, e.g. 'Patient Budi Santoso (MRN 00-12-34)'.
 * Only the structure is checked; whether the NIK exists is for the SATUSEHAT lookup to say.
 */
export function checkNik(nik: string | null | undefined, path: string, who: string): MapIssue | null {
  const value = nik?.trim() ?? '';
  if (value === '') {
    return { path, message: `${who} has no NIK: SATUSEHAT finds people by NIK, so they cannot be looked up. Enter the 16-digit NIK from the KTP/KK in Dekacare` };
  }
  const problem = nikProblem(value);
  if (problem === null) return null;
  return { path, message: `${who} has an invalid NIK '${value}': it ${problem}. A NIK is 16 digits: region (6), date of birth DDMMYY with +40 on the day for women (6), serial (4)` };
}
