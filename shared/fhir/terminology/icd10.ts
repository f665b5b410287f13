// ICD-10 (WHO 2010), the code system SATUSEHAT expects in Condition.code. The table holds the codes
// the demo clinic uses, with their WHO English titles; it is a display source and a sanity list,
// not the whole classification. A well-formed code outside the table is accepted with the
// display Dekacare stores (SATUSEHAT knows every ICD-10 code); a malformed one is rejected.

export const ICD10_SYSTEM = 'http://hl7.org/fhir/sid/icd-10';

export interface Icd10Entry {
  code: string;
  display: string;
}

export const ICD10_COMMON: readonly Icd10Entry[] = [
  { code: 'A01.0', display: 'Typhoid fever' },
  { code: 'A09.9', display: 'Gastroenteritis and colitis of unspecified origin' },
  { code: 'A15.0', display: 'Tuberculosis of lung, confirmed by sputum microscopy with or without culture' },
  { code: 'A90', display: 'Dengue fever [classical dengue]' },
  { code: 'A91', display: 'Dengue haemorrhagic fever' },
  { code: 'B01.9', display: 'Varicella without complication' },
  { code: 'B35.4', display: 'Tinea corporis' },
  { code: 'B36.0', display: 'Pityriasis versicolor' },
  { code: 'B86', display: 'Scabies' },
  { code: 'D64.9', display: 'Anaemia, unspecified' },
  { code: 'E11.9', display: 'Non-insulin-dependent diabetes mellitus without complications' },
  { code: 'E78.5', display: 'Hyperlipidaemia, unspecified' },
  { code: 'E86', display: 'Volume depletion' },
  { code: 'G44.2', display: 'Tension-type headache' },
  { code: 'H10.9', display: 'Conjunctivitis, unspecified' },
  { code: 'H61.2', display: 'Impacted cerumen' },
  { code: 'H66.9', display: 'Otitis media, unspecified' },
  { code: 'H81.1', display: 'Benign paroxysmal vertigo' },
  { code: 'I10', display: 'Essential (primary) hypertension' },
  { code: 'I25.9', display: 'Chronic ischaemic heart disease, unspecified' },
  { code: 'J00', display: 'Acute nasopharyngitis [common cold]' },
  { code: 'J02.9', display: 'Acute pharyngitis, unspecified' },
  { code: 'J03.9', display: 'Acute tonsillitis, unspecified' },
  { code: 'J06.9', display: 'Acute upper respiratory infection, unspecified' },
  { code: 'J18.9', display: 'Pneumonia, unspecified' },
  { code: 'J20.9', display: 'Acute bronchitis, unspecified' },
  { code: 'J30.4', display: 'Allergic rhinitis, unspecified' },
  { code: 'J45.9', display: 'Asthma, unspecified' },
  { code: 'K02.1', display: 'Caries of dentine' },
  { code: 'K02.9', display: 'Dental caries, unspecified' },
  { code: 'K03.6', display: 'Deposits [accretions] on teeth' },
  { code: 'K04.0', display: 'Pulpitis' },
  { code: 'K05.0', display: 'Acute gingivitis' },
  { code: 'K05.1', display: 'Chronic gingivitis' },
  { code: 'K08.1', display: 'Loss of teeth due to accident, extraction or local periodontal disease' },
  { code: 'K08.3', display: 'Retained dental root' },
  { code: 'K12.0', display: 'Recurrent oral aphthae' },
  { code: 'K21.9', display: 'Gastro-oesophageal reflux disease without oesophagitis' },
  { code: 'K29.7', display: 'Gastritis, unspecified' },
  { code: 'K30', display: 'Dyspepsia' },
  { code: 'K59.0', display: 'Constipation' },
  { code: 'L02.9', display: 'Cutaneous abscess, furuncle and carbuncle, unspecified' },
  { code: 'L20.9', display: 'Atopic dermatitis, unspecified' },
  { code: 'L23.9', display: 'Allergic contact dermatitis, unspecified cause' },
  { code: 'L30.9', display: 'Dermatitis, unspecified' },
  { code: 'L50.9', display: 'Urticaria, unspecified' },
  { code: 'M10.9', display: 'Gout, unspecified' },
  { code: 'M17.9', display: 'Gonarthrosis, unspecified' },
  { code: 'M25.5', display: 'Pain in joint' },
  { code: 'M54.5', display: 'Low back pain' },
  { code: 'M79.1', display: 'Myalgia' },
  { code: 'N39.0', display: 'Urinary tract infection, site not specified' },
  { code: 'N76.0', display: 'Acute vaginitis' },
  { code: 'O21.0', display: 'Mild hyperemesis gravidarum' },
  { code: 'O80.0', display: 'Spontaneous vertex delivery' },
  { code: 'R05', display: 'Cough' },
  { code: 'R10.4', display: 'Other and unspecified abdominal pain' },
  { code: 'R11', display: 'Nausea and vomiting' },
  { code: 'R42', display: 'Dizziness and giddiness' },
  { code: 'R50.9', display: 'Fever, unspecified' },
  { code: 'R51', display: 'Headache' },
  { code: 'S93.4', display: 'Sprain and strain of ankle' },
  { code: 'T14.1', display: 'Open wound of unspecified body region' },
  { code: 'T78.4', display: 'Allergy, unspecified' },
  { code: 'Z00.0', display: 'General medical examination' },
  { code: 'Z00.1', display: 'Routine child health examination' },
  { code: 'Z30.0', display: 'General counselling and advice on contraception' },
  { code: 'Z34.9', display: 'Supervision of normal pregnancy, unspecified' },
  { code: 'Z39.2', display: 'Routine postpartum follow-up' },
];

export const ICD10_BY_CODE: ReadonlyMap<string, Icd10Entry> = new Map(ICD10_COMMON.map((e) => [e.code, e]));

// WHO ICD-10: a letter, two digits, and optionally a dot with one digit (two where WHO adds a
// supplementary fifth character, e.g. chapter XIII/XIX). ICD-10-CM's longer alphanumeric tails
// (X99.9Z) are not WHO codes.
const ICD10_RE = /^[A-Z]\d{2}(\.\d{1,2})?$/;

export type CodeCheck = { ok: true; code: string; display: string | null; known: boolean } | { ok: false; reason: string };

/**
 * Normalises and checks one ICD-10 code from the source. Upper-cases and trims; a four-character
 * code without its dot ('J069', common in older SIMRS) gets the dot back. `display` is the WHO
 * title when the code is in the table, otherwise null (the caller may use the source's text).
 */
export function checkIcd10(raw: string | null | undefined): CodeCheck {
  const text = (raw ?? '').trim().toUpperCase();
  if (text === '') return { ok: false, reason: 'is empty' };
  const code = /^[A-Z]\d{3,4}$/.test(text) ? `${text.slice(0, 3)}.${text.slice(3)}` : text;
  if (!ICD10_RE.test(code)) return { ok: false, reason: 'is not an ICD-10 code (a letter, two digits and optionally a dot and one digit, e.g. J06.9)' };
  const entry = ICD10_BY_CODE.get(code);
  return { ok: true, code, display: entry?.display ?? null, known: entry !== undefined };
}
