// Common outpatient diagnoses of an Indonesian clinic: the unit pools and the deliberate bad codes.
// The code table itself (WHO ICD-10 2010 English titles) lives in shared/fhir/terminology/icd10.ts,
// which the Condition mapper uses too.
import type { UnitCode } from './units.js';

export { ICD10_BY_CODE, ICD10_COMMON, type Icd10Entry } from '../fhir/terminology/icd10.js';

/**
 * Codes that are not ICD-10, as they turn up in real data: a comma typo, filler typed to get past
 * a required field, a local code. The demo puts one of these on about 1 % of diagnoses.
 */
export const UNKNOWN_ICD10: readonly { code: string; display: string | null }[] = [
  { code: 'X99.9Z', display: null },
  { code: 'ZZZ', display: null },
  { code: 'J06,9', display: 'ISPA' },
  { code: '-', display: 'Kontrol' },
];

/** Diagnoses each unit sees; a code listed twice is twice as likely. */
export const ICD10_POOLS: Readonly<Record<UnitCode, readonly string[]>> = {
  UMUM: ['J06.9', 'J06.9', 'J00', 'K29.7', 'K29.7', 'I10', 'A09.9', 'R50.9', 'M79.1', 'L30.9', 'J02.9', 'K30', 'R51', 'M54.5', 'Z00.0', 'H10.9', 'B35.4', 'B36.0', 'B86', 'G44.2', 'R05', 'J30.4', 'A01.0', 'E11.9', 'R42', 'H61.2', 'L50.9', 'N39.0', 'A15.0', 'T78.4'],
  GIGI: ['K02.9', 'K02.9', 'K02.1', 'K04.0', 'K04.0', 'K05.0', 'K05.1', 'K03.6', 'K08.1', 'K08.3', 'K12.0'],
  ANAK: ['J06.9', 'J06.9', 'J00', 'A09.9', 'R50.9', 'R50.9', 'Z00.1', 'Z00.1', 'B01.9', 'H66.9', 'L20.9', 'J20.9', 'R05', 'J03.9', 'A90', 'E86', 'B86', 'J45.9'],
  INTERNA: ['I10', 'I10', 'E11.9', 'E11.9', 'E78.5', 'K21.9', 'K29.7', 'M10.9', 'M17.9', 'I25.9', 'D64.9', 'N39.0', 'J45.9', 'M25.5', 'A15.0', 'J18.9'],
  KIA: ['Z34.9', 'Z34.9', 'Z34.9', 'Z30.0', 'Z30.0', 'O21.0', 'O80.0', 'Z39.2', 'N76.0', 'D64.9'],
  IGD: ['R50.9', 'R10.4', 'T14.1', 'S93.4', 'A90', 'A91', 'A09.9', 'E86', 'R11', 'J18.9', 'J45.9', 'I10', 'R42', 'L02.9', 'T78.4'],
  RANAP: ['A91', 'A90', 'A01.0', 'J18.9', 'A09.9', 'E86', 'E11.9', 'D64.9'],
  LAB: ['Z00.0'],
  FARMASI: ['Z00.0'],
};

/** Codes after which a raised temperature is likely. */
export const FEVER_CODES: ReadonlySet<string> = new Set(['A01.0', 'A90', 'A91', 'R50.9', 'J18.9', 'B01.9', 'H66.9', 'J03.9']);
