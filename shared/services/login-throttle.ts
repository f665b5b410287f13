// Throttling repeated wrong logins (issue 13): after a few free tries, every further try must wait,
// 1 s doubling up to 5 minutes, counted per account (from the audit log, so every terminal and
// process sees the same count) and per terminal (this process). Pure, apart from the clock passed in.

/** Wrong tries allowed in a row before any wait. */
export const FREE_TRIES = 3;
export const MAX_WAIT_MS = 5 * 60_000;
/** Refusals older than this no longer count. */
export const THROTTLE_WINDOW_MS = 30 * 60_000;

/** The wait owed after `refusals` wrong tries in a row. */
export function throttleWaitMs(refusals: number): number {
  return refusals < FREE_TRIES ? 0 : Math.min(1000 * 2 ** (refusals - FREE_TRIES), MAX_WAIT_MS);
}

/** What is left of that wait at `now`, the last refusal having been at `lastAt`. */
export function remainingWaitMs(refusals: number, lastAt: number | null, now: number): number {
  return lastAt === null ? 0 : Math.max(0, lastAt + throttleWaitMs(refusals) - now);
}

/** One terminal's wrong tries in a row, whatever accounts they named. */
export class TerminalThrottle {
  private refusals = 0;
  private lastAt: number | null = null;

  remaining(now: number): number {
    if (this.lastAt !== null && now - this.lastAt > THROTTLE_WINDOW_MS) this.succeeded();
    return remainingWaitMs(this.refusals, this.lastAt, now);
  }

  refused(now: number): void {
    this.refusals += 1;
    this.lastAt = now;
  }

  succeeded(): void {
    this.refusals = 0;
    this.lastAt = null;
  }
}

export const throttledMessage = (waitMs: number) => `Too many failed logins: wait ${Math.ceil(waitMs / 1000)} s before trying again`;
