// Fault settings, the seedable random source that drives them, and the sliding rate-limit window.
import { z } from 'zod';
import { DEFAULT_FAULTS, type SimulatorFaults } from './types.js';

const rate = z.number().min(0).max(1);
const ms = z.number().finite().min(0).max(86_400_000);

export const faultsPatchSchema = z
  .strictObject({
    latencyMs: ms,
    errorRate5xx: rate,
    rate429: rate,
    retryAfterSeconds: z.number().int().min(0).max(86_400).nullable(),
    hangRate: rate,
    hangMs: ms,
    lostResponseRate: rate,
    afterStoreShare: rate,
    faultScope: z.enum(['all', 'writes', 'reads']),
    rateLimitPerMinute: z.number().int().min(1).nullable(),
    rate429Body: z.enum(['operation-outcome', 'apigee-quota', 'apigee-spike-arrest']),
    ruleArrayStatus: z.union([z.literal(200), z.literal(400)]).nullable(),
    transactionEntryOutcomes: z.boolean(),
  })
  .partial();

/** Validated merge; throws an Error naming the bad field. */
export function mergeFaults(current: SimulatorFaults, patch: unknown): SimulatorFaults {
  const parsed = faultsPatchSchema.safeParse(patch ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.join('.') || 'faults';
    throw new Error(`invalid fault setting ${where}: ${first?.message ?? 'invalid'}`);
  }
  const next = { ...current };
  for (const [key, value] of Object.entries(parsed.data)) {
    if (value !== undefined) (next as Record<string, unknown>)[key] = value;
  }
  return next;
}

export const initialFaults = (patch?: Partial<SimulatorFaults>): SimulatorFaults => mergeFaults({ ...DEFAULT_FAULTS }, patch);

/** mulberry32: tiny, fast and good enough to decide fault injection reproducibly. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WINDOW_MS = 60_000;

/** A true sliding 60 s window: timestamps of accepted requests, oldest first. */
export class SlidingWindow {
  private times: number[] = [];
  private head = 0;

  /** Records the request and returns 0 when allowed; otherwise ms until a slot frees up. */
  acquire(now: number, limit: number): number {
    while (this.head < this.times.length && (this.times[this.head] as number) <= now - WINDOW_MS) this.head++;
    // Compact occasionally so the array does not grow without bound.
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    const inWindow = this.times.length - this.head;
    if (inWindow >= limit) {
      const blocking = this.times[this.times.length - limit] as number;
      return Math.max(1, blocking + WINDOW_MS - now);
    }
    this.times.push(now);
    return 0;
  }

  clear(): void {
    this.times = [];
    this.head = 0;
  }
}
