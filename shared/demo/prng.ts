// Seedable PRNG for the demo data. Every generated row draws from its own stream, derived from
// (seed, stream, index), so row i is a pure function of those three numbers: the seeder can build
// any batch without replaying the ones before it, and the same seed always gives the same data.

/** Row streams: each kind of row gets its own, so adding a draw to one never shifts another. */
export const STREAM = {
  patientProfile: 1,
  patientDetail: 2,
  practitioner: 3,
  visit: 4,
  user: 5,
  /** Procedures, prescriptions, lab orders and notes of a visit (added later: own stream). */
  visitClinical: 6,
  /** A patient's allergies. */
  allergy: 7,
  /** The rooms of an inpatient stay and how a visit ended (added later: own stream). */
  visitStay: 8,
  /** The vaccine given at a visit (added later: own stream). */
  immunization: 9,
} as const;

const TWO_POW_32 = 4294967296;

/** murmur3's 32-bit finaliser: spreads nearby inputs (index 1, 2, 3…) over the whole state space. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combines integers (any safe integer, negative too) into one 32-bit seed. */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const low = part >>> 0;
    const high = Math.floor(part / TWO_POW_32) >>> 0;
    h = fmix32((h ^ low) + 0x9e3779b9);
    h = fmix32((h ^ high) + 0x7f4a7c15);
  }
  return h;
}

/** mulberry32: tiny, fast, and good enough for test data (not for anything secret). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / TWO_POW_32;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Index chosen with probability proportional to its weight. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] ?? 0;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** `count` random decimal digits. */
  digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += String(Math.floor(this.next() * 10));
    return out;
  }
}

/** The stream of one row: same (seed, stream, index) ⇒ same draws. */
export function rowRng(seed: number, stream: number, index: number): Rng {
  return new Rng(mixSeed(seed, stream, index));
}
