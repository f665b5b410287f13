// SNOMED CT codes the mappers use: consciousness (AVPU) answers, procedure categories, specimen
// types and collection, the laboratory ServiceRequest category, and common allergens.

export const SNOMED_SYSTEM = 'http://snomed.info/sct';

export interface SnomedEntry {
  code: string;
  display: string;
}

const entry = (code: string, display: string): SnomedEntry => ({ code, display });

/** AVPU level of consciousness → SNOMED answer for LOINC 67775-7. */
export const CONSCIOUSNESS = {
  alert: entry('248234008', 'Mentally alert'),
  voice: entry('300202002', 'Responds to voice'),
  pain: entry('450847001', 'Responds to pain'),
  unresponsive: entry('422768004', 'Unresponsive'),
} as const;

export const PROCEDURE_CATEGORY = {
  diagnostic: entry('103693007', 'Diagnostic procedure'),
  therapeutic: entry('277132007', 'Therapeutic procedure'),
} as const;

export const LABORATORY_PROCEDURE = entry('108252007', 'Laboratory procedure');
export const VENIPUNCTURE = entry('28520004', 'Venipuncture');

/** Specimen types (Specimen.type). */
export const SPECIMEN_TYPES: readonly SnomedEntry[] = [
  entry('122555007', 'Venous blood specimen'),
  entry('119297000', 'Blood specimen'),
  entry('119364003', 'Serum specimen'),
  entry('122575003', 'Urine specimen'),
];
export const SPECIMEN_BY_CODE: ReadonlyMap<string, SnomedEntry> = new Map(SPECIMEN_TYPES.map((e) => [e.code, e]));
/** Blood specimens are taken by venipuncture; others have no collection method here. */
export const BLOOD_SPECIMENS: ReadonlySet<string> = new Set(['122555007', '119297000', '119364003']);

/** Substances patients are commonly allergic to (AllergyIntolerance.code). */
export const ALLERGENS: readonly SnomedEntry[] = [
  entry('764146007', 'Penicillin'),
  entry('372687004', 'Amoxicillin'),
  entry('387207008', 'Ibuprofen'),
  entry('387458008', 'Aspirin'),
  entry('387517004', 'Paracetamol'),
  entry('102263004', 'Eggs (edible)'),
  entry('3718001', "Cow's milk"),
  entry('256349002', 'Peanut - dietary'),
  entry('44027008', 'Seafood'),
  entry('256259004', 'Pollen'),
  entry('260147004', 'House dust mite'),
  entry('264287008', 'Animal dander'),
  entry('111088007', 'Latex'),
];
export const ALLERGEN_BY_CODE: ReadonlyMap<string, SnomedEntry> = new Map(ALLERGENS.map((e) => [e.code, e]));

/** A SNOMED CT concept id: 6 to 18 digits, no leading zero. */
export function isSnomedId(code: string): boolean {
  return /^[1-9]\d{5,17}$/.test(code);
}
