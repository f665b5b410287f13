// Common outpatient diagnoses of an Indonesian clinic, with their WHO ICD-10 (2010) English titles,
// which SATUSEHAT expects in Condition.code (system http://hl7.org/fhir/sid/icd-10).
import type { UnitCode } from './units.js';

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
