// Code-system checks of the simulated SATUSEHAT terminology server. Written independently of the
// daemon's own tables (shared/fhir/terminology) on purpose: the simulator plays the other side,
// so a mistake in our mappers' tables is not mirrored here. It knows code *formats* (and LOINC's
// check digit, and UCUM's grammar), not every code: a well-formed ICD-10 code is accepted.

export const SYSTEMS = {
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  icd9cm: 'http://hl7.org/fhir/sid/icd-9-cm',
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  ucum: 'http://unitsofmeasure.org',
  kfa: 'http://sys-ids.kemkes.go.id/kfa',
  clinicalTerm: 'http://terminology.kemkes.go.id/CodeSystem/clinical-term',
  examination: 'http://terminology.kemkes.go.id/CodeSystem/examination',
  compositionType: 'http://terminology.kemkes.go.id/CodeSystem/composition-type',
  ancCustom: 'http://terminology.kemkes.go.id/CodeSystem/anc-custom-codes',
  ikpCustom: 'http://terminology.kemkes.go.id/CodeSystem/who/ikp-custom-codes',
  /** WHO SMART ANC data elements; the IG's ANC and mortality examples carry them beside LOINC. */
  whoAncCds: 'http://fhir.org/guides/who/anc-cds/CodeSystem/anc-custom-codes',
  v2SpecimenType: 'http://terminology.hl7.org/CodeSystem/v2-0487',
  medicationForm: 'http://terminology.kemkes.go.id/CodeSystem/medication-form',
  medicationType: 'http://terminology.kemkes.go.id/CodeSystem/medication-type',
  orderableDrugForm: 'http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm',
  v2ServiceSection: 'http://terminology.hl7.org/CodeSystem/v2-0074',
} as const;

/** WHO ICD-10: letter, two digits, optional dot and one or two digits. */
export const isIcd10 = (code: string): boolean => /^[A-Z]\d{2}(\.\d{1,2})?$/.test(code);
/** ICD-9-CM volume 3: two digits, optional dot and one or two digits. */
export const isIcd9cm = (code: string): boolean => /^\d{2}(\.\d{1,2})?$/.test(code);
export const isSnomed = (code: string): boolean => /^[1-9]\d{5,17}$/.test(code);
/** KFA: 8 digits, 91 ingredient / 92 virtual / 93 actual product. Vaccine group codes (VG…) too. */
export const isKfa = (code: string): boolean => /^9[1-3]\d{6}$/.test(code) || /^VG\d{1,4}$/.test(code);
export const isMedicationForm = (code: string): boolean => /^BS0\d{2}$/.test(code) || /^MF\d{6}$/.test(code);

/**
 * LOINC 'NNNNN-C' with a correct mod-10 check digit. Part codes ('LP…-C') and answer codes ('LA…-C',
 * whose check digit is not the mod-10 of their digits: LA6576-8 is "Positive") are accepted as well-formed.
 */
export function isLoinc(code: string): boolean {
  if (/^L[AP]\d{1,7}-\d$/.test(code)) return true;
  const m = /^(\d{1,7})-(\d)$/.exec(code);
  if (!m) return false;
  const digits = m[1] as string;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === Number(m[2]);
}

// ---- UCUM grammar (a practical subset of the UCUM specification) ----

const PREFIXES = ['da', 'Y', 'Z', 'E', 'P', 'T', 'G', 'M', 'k', 'h', 'd', 'c', 'm', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];
/** Atoms that take metric prefixes. */
const METRIC = new Set(['m', 's', 'g', 'rad', 'K', 'C', 'cd', 'mol', 'sr', 'Hz', 'N', 'Pa', 'J', 'W', 'A', 'V', 'F', 'Ohm', 'S', 'Wb', 'Cel', 'T', 'H', 'lm', 'lx', 'Bq', 'Gy', 'Sv', 'l', 'L', 'ar', 't', 'bar', 'u', 'eV', 'cal', 'eq', 'osm', 'kat', 'U', '[iU]', '[IU]', 'm[Hg]', 'm[H2O]', 'Ci', 'R', 'RAD', 'REM', 'g%', 'dyn', 'erg', 'P', 'St', 'G']);
/** Atoms without prefixes. */
const PLAIN = new Set(['10*', '10^', '%', 'min', 'h', 'd', 'wk', 'mo', 'a', '[ppth]', '[ppm]', '[ppb]', '[drp]', '[degF]', '[in_i]', '[ft_i]', '[lb_av]', '[oz_av]', '[pi]', "'", "''", 'deg', '[pH]', '[arb\'U]', '[HPF]', '[LPF]', '[tb\'U]']);

function isSimpleUnit(token: string): boolean {
  const m = /^(.*?)([+-]?\d+)?$/.exec(token);
  const atom = m?.[1] ?? token;
  const exponent = m?.[2];
  if (atom === '' && exponent !== undefined) return /^\d+$/.test(exponent); // a plain factor: '1', '1000'
  if (PLAIN.has(atom) || METRIC.has(atom)) return true;
  // '10*3' parses as atom '10*' with exponent 3; so does '10^3'.
  for (const p of PREFIXES) {
    if (atom.startsWith(p) && METRIC.has(atom.slice(p.length))) return true;
  }
  return false;
}

/** Splits a UCUM term on top-level '.' and '/' (brackets and braces keep their contents). */
function splitTerm(term: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < term.length; i++) {
    const ch = term[i] as string;
    if (ch === '[' || ch === '{' || ch === '(') depth++;
    if (ch === ']' || ch === '}' || ch === ')') depth--;
    if (depth < 0) return null;
    if (depth === 0 && (ch === '.' || ch === '/')) {
      if (current !== '' || i > 0) parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  if (depth !== 0) return null;
  parts.push(current);
  return parts;
}

/** Whether `code` is a syntactically valid UCUM expression built from known atoms. */
export function isUcum(code: string): boolean {
  if (code === '' || /\s/.test(code)) return false;
  if (code === '1') return true;
  const parts = splitTerm(code.startsWith('/') ? code.slice(1) : code);
  if (parts === null) return false;
  return parts.every((part) => {
    if (part === '') return false;
    if (part.startsWith('(') && part.endsWith(')')) return isUcum(part.slice(1, -1));
    const annotated = /^([^{]*)(\{[^{}]*\})?$/.exec(part);
    if (!annotated) return false;
    const unit = annotated[1] as string;
    return unit === '' ? annotated[2] !== undefined : isSimpleUnit(unit);
  });
}
