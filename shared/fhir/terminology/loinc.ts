// LOINC codes the mappers use: vital signs (reference A8), the clinic's laboratory tests, and the
// document and section codes of visit notes. checkLoinc() validates the format and the mod-10
// check digit, so a mistyped code from the source is caught before SATUSEHAT answers 10001.

export const LOINC_SYSTEM = 'http://loinc.org';

export interface LoincEntry {
  code: string;
  display: string;
}

const entry = (code: string, display: string): LoincEntry => ({ code, display });

/** Vital signs, one Observation per measure (reference A8). */
export const LOINC_VITALS = {
  heartRate: entry('8867-4', 'Heart rate'),
  respiratoryRate: entry('9279-1', 'Respiratory rate'),
  systolic: entry('8480-6', 'Systolic blood pressure'),
  diastolic: entry('8462-4', 'Diastolic blood pressure'),
  temperature: entry('8310-5', 'Body temperature'),
  height: entry('8302-2', 'Body height'),
  weight: entry('29463-7', 'Body weight'),
  spo2: entry('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry'),
  consciousness: entry('67775-7', 'Level of responsiveness'),
} as const;

/** Laboratory tests and panels the demo clinic orders, with the analytes they report. */
export const LOINC_LAB: readonly LoincEntry[] = [
  entry('58410-2', 'CBC panel - Blood by Automated count'),
  entry('718-7', 'Hemoglobin [Mass/volume] in Blood'),
  entry('6690-2', 'Leukocytes [#/volume] in Blood by Automated count'),
  entry('777-3', 'Platelets [#/volume] in Blood by Automated count'),
  entry('2345-7', 'Glucose [Mass/volume] in Serum or Plasma'),
  entry('4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood'),
  entry('24331-1', 'Lipid 1996 panel - Serum or Plasma'),
  entry('2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma'),
  entry('2571-8', 'Triglyceride [Mass/volume] in Serum or Plasma'),
  entry('2085-9', 'Cholesterol in HDL [Mass/volume] in Serum or Plasma'),
  entry('3084-1', 'Urate [Mass/volume] in Serum or Plasma'),
  entry('2160-0', 'Creatinine [Mass/volume] in Serum or Plasma'),
];

/**
 * The visit summary (Composition, Playbook v6.3 §28): document type, category and the LOINC codes
 * of its sections. Sections that group others carry a Kemkes code (terminology/notes.ts).
 */
export const LOINC_DOCS = {
  outpatientDischargeSummary: entry('88645-7', 'Outpatient hospital Discharge summary'),
  report: entry('LP173421-1', 'Report'),
  allergies: entry('48765-2', 'Allergies'),
  vitalSigns: entry('8716-3', 'Vital signs'),
  laboratory: entry('11502-2', 'Laboratory report'),
  dischargeDiagnosis: entry('78375-3', 'Discharge diagnosis Narrative'),
  medicationsOnAdmission: entry('42346-7', 'Medications on admission (narrative)'),
  dischargeDiet: entry('42344-2', 'Discharge diet (narrative)'),
  dietAndNutrition: entry('61144-2', 'Diet and nutrition Narrative'),
  education: entry('34895-3', 'Education note'),
  hospitalCourse: entry('8648-8', 'Hospital course Narrative'),
} as const;

export const LOINC_BY_CODE: ReadonlyMap<string, LoincEntry> = new Map([...Object.values(LOINC_VITALS), ...LOINC_LAB].map((e) => [e.code, e]));

/** LOINC's mod-10 check digit of the digits before the dash (the Luhn algorithm). */
export function loincCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export type LoincCheck = { ok: true; code: string; display: string | null } | { ok: false; reason: string };

/** Checks a LOINC code from the source: 'NNNNN-C' with a correct check digit. */
export function checkLoinc(raw: string | null | undefined): LoincCheck {
  const code = (raw ?? '').trim();
  if (code === '') return { ok: false, reason: 'is empty' };
  const m = /^(\d{1,7})-(\d)$/.exec(code);
  if (!m) return { ok: false, reason: 'is not a LOINC code (digits, a dash and a check digit, e.g. 718-7)' };
  if (loincCheckDigit(m[1] as string) !== Number(m[2])) return { ok: false, reason: `has a wrong check digit (LOINC ${m[1]}-${loincCheckDigit(m[1] as string)} exists; ${code} cannot)` };
  return { ok: true, code, display: LOINC_BY_CODE.get(code)?.display ?? null };
}
