// One round of vital signs taken at triage, plausible for the patient's age and the visit's unit.
// Some fields are left empty, as nurses do: no blood pressure for toddlers, SpO2 only where
// there is an oximeter, height and weight often skipped in the IGD.
import type { Rng } from './prng.js';
import type { UnitCode } from './units.js';

export type Consciousness = 'alert' | 'voice' | 'pain' | 'unresponsive';

export interface VitalValues {
  heartRate: number | null;
  respiratoryRate: number | null;
  systolic: number | null;
  diastolic: number | null;
  temperature: number | null;
  height: number | null;
  weight: number | null;
  spo2: number | null;
  consciousness: Consciousness | null;
}

const oneDecimal = (value: number): number => Math.round(value * 10) / 10;
const between = (rng: Rng, min: number, max: number): number => min + rng.next() * (max - min);

interface Growth {
  hr: readonly [number, number];
  rr: readonly [number, number];
  height: readonly [number, number];
  bmi: readonly [number, number];
}

function growthFor(age: number, male: boolean): Growth {
  if (age < 1) return { hr: [100, 160], rr: [30, 50], height: [48, 76], bmi: [13, 18] };
  if (age < 6) return { hr: [80, 130], rr: [20, 35], height: [75, 118], bmi: [13.5, 18] };
  if (age < 13) return { hr: [70, 110], rr: [18, 25], height: [110, 155], bmi: [14, 22] };
  if (age < 18) return { hr: [60, 100], rr: [14, 22], height: male ? [150, 178] : [145, 165], bmi: [16, 26] };
  return { hr: [60, 100], rr: [14, 22], height: male ? [155, 180] : [145, 166], bmi: [18, 32] };
}

export function makeVitalValues(rng: Rng, age: number, male: boolean, unit: UnitCode, fever: boolean): VitalValues {
  const g = growthFor(age, male);
  const height = oneDecimal(between(rng, g.height[0], g.height[1]));
  const weight = oneDecimal(between(rng, g.bmi[0], g.bmi[1]) * (height / 100) ** 2);
  const hypertensive = age >= 40 && (unit === 'INTERNA' || rng.chance(0.25));
  let systolic: number | null = null;
  let diastolic: number | null = null;
  if (age >= 6 || rng.chance(0.2)) {
    systolic = age < 13 ? rng.int(90, 115) : hypertensive ? rng.int(130, 185) : rng.int(100, 135);
    diastolic = Math.max(50, Math.min(systolic - 25, age < 13 ? rng.int(55, 75) : hypertensive ? rng.int(80, 110) : rng.int(65, 88)));
  }
  const temperature = fever ? oneDecimal(between(rng, 37.8, 39.6)) : oneDecimal(between(rng, 36.0, 37.4));
  let heartRate: number | null = rng.int(g.hr[0], g.hr[1]) + (fever ? 10 : 0);
  if (rng.chance(0.02)) heartRate = null;
  const respiratoryRate = rng.chance(0.08) ? null : rng.int(g.rr[0], g.rr[1]);
  const spo2 = rng.chance(0.25) ? null : rng.int(fever ? 93 : 96, 100);
  const skipBody = unit === 'IGD' ? rng.chance(0.4) : rng.chance(0.1);
  let consciousness: Consciousness | null = 'alert';
  if (unit === 'IGD') {
    const r = rng.next();
    consciousness = r < 0.02 ? 'voice' : r < 0.027 ? 'pain' : r < 0.03 ? 'unresponsive' : 'alert';
  }
  if (rng.chance(0.03)) consciousness = null;
  return {
    heartRate,
    respiratoryRate,
    systolic,
    diastolic,
    temperature,
    height: skipBody ? null : height,
    weight: skipBody ? null : weight,
    spo2,
    consciousness,
  };
}
