// UCUM, the unit system SATUSEHAT requires in Observation.valueQuantity (RuleNumber 10012).
// Laboratory and SIMRS software often store units the way people write them ('mg/dl', 'x10^3/uL',
// 'mmHg', '°C'); toUcum maps the common spellings to the UCUM code. Units it does not know are
// refused rather than guessed: add them to UCUM_UNITS or UCUM_ALIASES.

export const UCUM_SYSTEM = 'http://unitsofmeasure.org';

/** UCUM code → the human-readable unit sent in Quantity.unit. */
export const UCUM_UNITS: Readonly<Record<string, string>> = {
  '/min': '/min',
  'mm[Hg]': 'mmHg',
  Cel: 'C',
  cm: 'cm',
  kg: 'kg',
  g: 'g',
  mg: 'mg',
  ug: 'mcg',
  '%': '%',
  'g/dL': 'g/dL',
  'mg/dL': 'mg/dL',
  'mmol/L': 'mmol/L',
  'U/L': 'U/L',
  '10*3/uL': '10^3/uL',
  '10*6/uL': '10^6/uL',
  fL: 'fL',
  pg: 'pg',
  mL: 'mL',
  L: 'L',
  d: 'days',
  '[drp]': 'drop',
  '{sachet}': 'sachet',
};

// Lower-cased spellings seen in SIMRS and LIS data → UCUM code.
const UCUM_ALIASES: Readonly<Record<string, string>> = {
  'x/menit': '/min',
  'kali/menit': '/min',
  '/menit': '/min',
  'bpm': '/min',
  'beats/min': '/min',
  'breaths/min': '/min',
  'mmhg': 'mm[Hg]',
  'c': 'Cel',
  '°c': 'Cel',
  'celsius': 'Cel',
  'gr': 'g',
  'gram': 'g',
  'mcg': 'ug',
  'µg': 'ug',
  'g/dl': 'g/dL',
  'gr/dl': 'g/dL',
  'mg/dl': 'mg/dL',
  'mmol/l': 'mmol/L',
  'u/l': 'U/L',
  'iu/l': 'U/L',
  '10^3/ul': '10*3/uL',
  'x10^3/ul': '10*3/uL',
  '10³/µl': '10*3/uL',
  'ribu/ul': '10*3/uL',
  '10^6/ul': '10*6/uL',
  'x10^6/ul': '10*6/uL',
  'juta/ul': '10*6/uL',
  'fl': 'fL',
  'ml': 'mL',
  'cc': 'mL',
  'l': 'L',
  'hari': 'd',
  'tetes': '[drp]',
  'sachet': '{sachet}',
  'sachets': '{sachet}',
};

const LOWER_CODES = new Map(Object.keys(UCUM_UNITS).map((code) => [code.toLowerCase(), code]));

/** The UCUM code for a unit as stored in the source, or null when it is missing or unknown. */
export function toUcum(raw: string | null | undefined): string | null {
  const text = (raw ?? '').trim();
  if (text === '') return null;
  if (UCUM_UNITS[text] !== undefined) return text;
  const lower = text.toLowerCase();
  return UCUM_ALIASES[lower] ?? LOWER_CODES.get(lower) ?? null;
}

/** A FHIR Quantity in UCUM. `unit` is the readable form unless the caller gives one. */
export function ucumQuantity(value: number, code: string, unit?: string): { value: number; unit: string; system: string; code: string } {
  return { value, unit: unit ?? UCUM_UNITS[code] ?? code, system: UCUM_SYSTEM, code };
}
