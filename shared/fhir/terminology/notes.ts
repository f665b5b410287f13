// Codes of the three kinds of visit notes, as the outpatient Playbook v6.3 sends them.
// Sources:
// - Diet (§20, NutritionOrder): oralDiet.type in SNOMED CT; the codes below are concepts of the
//   FHIR R4 value set http://hl7.org/fhir/ValueSet/diet-type (is-a 182922004 |Dietary regime|),
//   which the Playbook's own diet-type spreadsheet extends (not available here).
// - Education (§21, Procedure): category 409073007 and the KPTL code 10913 "Edukasi Kesehatan
//   Individu" together with one SNOMED topic from the Playbook's table 25.
// - Resume Medis (§28, Composition): the Kemkes section codes (system http://terminology.kemkes.go.id).
import type { SnomedEntry } from './snomed.js';

const entry = (code: string, display: string): SnomedEntry => ({ code, display });

/** Oral diet types the demo clinic advises (NutritionOrder.oralDiet.type). */
export const DIET_TYPES: readonly SnomedEntry[] = [
  entry('182922004', 'Dietary regime'),
  entry('182955009', 'Low carbohydrate diet - prophylaxis'),
  entry('182956005', 'Low calorie diet - prophylaxis'),
  entry('182957001', 'Low salt diet - prophylaxis'),
  entry('182959003', 'Low protein diet - prophylaxis'),
  entry('182960008', 'Unsaturated fat diet - prophylaxis'),
  entry('284071006', 'Dietary treatment for disorder'),
  entry('425458000', 'Lactose-free diet'),
  entry('1151000175103', 'Dietary Approaches to Stop Hypertension diet'),
];
export const DIET_TYPE_BY_CODE: ReadonlyMap<string, SnomedEntry> = new Map(DIET_TYPES.map((e) => [e.code, e]));

/** NutritionOrder.intent: advice only, or an order the dietitian carries out (Playbook table 24). */
export const DIET_INTENTS = ['proposal', 'order'] as const;
export type DietIntent = (typeof DIET_INTENTS)[number];

/** Procedure.category of every education Procedure. */
export const EDUCATION_CATEGORY = entry('409073007', 'Education');

export const KPTL_SYSTEM = 'http://terminology.kemkes.go.id/CodeSystem/kptl';
/** The general KPTL code for education, sent beside the SNOMED topic. */
export const KPTL_INDIVIDUAL_EDUCATION = { code: '10913', display: 'Edukasi Kesehatan Individu' } as const;

/** Education topics of the Playbook's table 25 (examples of < 409073007 |Education|). */
export const EDUCATION_TOPICS: readonly SnomedEntry[] = [
  entry('84635008', 'Disease process or condition education'),
  entry('967006', 'Medication education'),
  entry('410082002', 'Rehabilitation therapy education'),
  entry('712651001', 'Education about pain'),
  entry('61310001', 'Nutrition education'),
  entry('698608004', 'Hand washing education'),
  entry('362978005', 'Medical equipment or device education'),
];
export const EDUCATION_TOPIC_BY_CODE: ReadonlyMap<string, SnomedEntry> = new Map(EDUCATION_TOPICS.map((e) => [e.code, e]));

/** Kemkes terminology codes of the Resume Medis sections that group others (Playbook §28). */
export const KEMKES_TERMINOLOGY_SYSTEM = 'http://terminology.kemkes.go.id';
export const RESUME_SECTIONS = {
  anamnesis: entry('TK000003', 'Anamnesis'),
  physicalExamination: entry('TK000007', 'Pemeriksaan Fisik'),
  supportingExamination: entry('TK000009', 'Hasil Pemeriksaan Penunjang'),
  diagnosis: entry('TK000004', 'Diagnosis'),
  procedures: entry('TK000005', 'Tindakan/Prosedur Medis'),
  pharmacy: entry('TK000013', 'Obat'),
} as const;
