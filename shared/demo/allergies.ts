// Patient allergies: about one patient in ten has one or two, recorded once, at their first visit
// that reached the doctor (most by the doctor during the consult, some at the registration desk
// without a visit link). Whether and what is a pure function of (seed, patient); when depends on
// the visit order, which visitBatches() walks.
import { formatDateTime } from './dates.js';
import type { DemoPlan } from './plan.js';
import { STREAM, rowRng } from './prng.js';

export type AllergyCategory = 'food' | 'medication' | 'environment';

export interface DemoAllergy {
  id: number;
  patientId: number;
  visitId: number | null;
  practitionerId: number | null;
  category: AllergyCategory;
  allergenSystem: 'snomed' | 'kfa';
  allergenCode: string;
  allergenName: string;
  clinicalStatus: 'active' | 'resolved';
  verificationStatus: 'confirmed' | 'unconfirmed';
  reaction: string;
  recordedAt: string;
  createdAt: string;
  updatedAt: string;
}

interface Allergen {
  category: AllergyCategory;
  system: 'snomed' | 'kfa';
  code: string;
  name: string;
  reaction: string;
}

const a = (category: AllergyCategory, system: 'snomed' | 'kfa', code: string, name: string, reaction: string): Allergen => ({ category, system, code, name, reaction });

export const DEMO_ALLERGENS: readonly Allergen[] = [
  a('medication', 'snomed', '372687004', 'Amoksisilin', 'Ruam kulit dan gatal'),
  a('medication', 'snomed', '764146007', 'Penisilin', 'Ruam kulit'),
  a('medication', 'snomed', '387207008', 'Ibuprofen', 'Bengkak pada bibir dan kelopak mata'),
  a('medication', 'snomed', '387458008', 'Asetosal (Aspirin)', 'Sesak napas'),
  a('medication', 'snomed', '387517004', 'Parasetamol', 'Ruam kemerahan'),
  a('medication', 'kfa', '91000330', 'Rifampisin', 'Mual dan ruam kulit'),
  a('food', 'snomed', '102263004', 'Telur', 'Gatal-gatal'),
  a('food', 'snomed', '3718001', 'Susu sapi', 'Diare dan kembung'),
  a('food', 'snomed', '256349002', 'Kacang tanah', 'Bengkak dan gatal'),
  a('food', 'snomed', '44027008', 'Makanan laut (udang, kerang)', 'Biduran'),
  a('environment', 'snomed', '256259004', 'Serbuk sari', 'Bersin dan hidung tersumbat'),
  a('environment', 'snomed', '260147004', 'Tungau debu rumah', 'Bersin dan mata gatal'),
  a('environment', 'snomed', '264287008', 'Bulu kucing', 'Bersin'),
  a('environment', 'snomed', '111088007', 'Lateks (sarung tangan karet)', 'Ruam kontak'),
];

/** Share of patients with at least one allergy. */
export const ALLERGY_PATIENT_RATE = 0.1;
const CATEGORY_WEIGHTS: readonly [AllergyCategory, number][] = [
  ['medication', 50],
  ['food', 35],
  ['environment', 15],
];

/** The allergens of a patient (empty for nine in ten), without ids and times. */
export function patientAllergens(plan: DemoPlan, patientIndex: number): { allergen: Allergen; resolved: boolean; confirmed: boolean; atRegistration: boolean }[] {
  const rng = rowRng(plan.seed, STREAM.allergy, patientIndex);
  if (!rng.chance(ALLERGY_PATIENT_RATE)) return [];
  const count = rng.chance(0.8) ? 1 : 2;
  const out: { allergen: Allergen; resolved: boolean; confirmed: boolean; atRegistration: boolean }[] = [];
  const atRegistration = rng.chance(0.15);
  for (let i = 0; i < count; i++) {
    const category = CATEGORY_WEIGHTS[rng.weighted(CATEGORY_WEIGHTS.map((w) => w[1]))]?.[0] ?? 'medication';
    const pool = DEMO_ALLERGENS.filter((x) => x.category === category);
    const allergen = rng.pick(pool);
    if (out.some((o) => o.allergen.code === allergen.code)) continue;
    out.push({ allergen, resolved: category === 'food' && rng.chance(0.15), confirmed: rng.chance(0.7), atRegistration });
  }
  return out;
}

/** Where and when a visit could record allergies; null when it cannot (not begun, or a bad row). */
export interface AllergyMoment {
  visitId: number;
  patientIndex: number;
  practitionerId: number;
  /** Wall-clock seconds: at the desk (arrival) and during the consult. */
  arrived: number;
  consult: number;
}

export function makeAllergies(plan: DemoPlan, moment: AllergyMoment): DemoAllergy[] {
  return patientAllergens(plan, moment.patientIndex).map((p) => {
    const at = p.atRegistration ? moment.arrived : moment.consult;
    return {
      id: 0,
      patientId: moment.patientIndex + 1,
      visitId: p.atRegistration ? null : moment.visitId,
      practitionerId: p.atRegistration ? null : moment.practitionerId,
      category: p.allergen.category,
      allergenSystem: p.allergen.system,
      allergenCode: p.allergen.code,
      allergenName: p.allergen.name,
      clinicalStatus: p.resolved ? 'resolved' : 'active',
      verificationStatus: p.confirmed ? 'confirmed' : 'unconfirmed',
      reaction: p.allergen.reaction,
      recordedAt: formatDateTime(at),
      createdAt: formatDateTime(at),
      updatedAt: formatDateTime(at),
    };
  });
}
