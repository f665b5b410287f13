import { describe, expect, it } from 'vitest';
import { FREE_TRIES, MAX_WAIT_MS, remainingWaitMs, TerminalThrottle, THROTTLE_WINDOW_MS, throttleWaitMs, throttledMessage } from '../../shared/services/login-throttle.js';

describe('login throttle', () => {
  it('lets the first tries through, then waits 1 s doubling, at most 5 minutes', () => {
    expect([0, 1, FREE_TRIES - 1].map(throttleWaitMs)).toEqual([0, 0, 0]);
    expect([FREE_TRIES, FREE_TRIES + 1, FREE_TRIES + 2].map(throttleWaitMs)).toEqual([1000, 2000, 4000]);
    expect(throttleWaitMs(FREE_TRIES + 30)).toBe(MAX_WAIT_MS);
    expect(remainingWaitMs(FREE_TRIES + 1, 10_000, 10_500)).toBe(1500);
    expect(remainingWaitMs(FREE_TRIES + 1, 10_000, 12_500)).toBe(0);
    expect(remainingWaitMs(50, null, 0)).toBe(0);
    expect(throttledMessage(1500)).toBe('Too many failed logins: wait 2 s before trying again');
  });

  it("a terminal's count grows with each refusal, and a success or a quiet half hour clears it", () => {
    const t = new TerminalThrottle();
    for (let i = 0; i < FREE_TRIES; i += 1) t.refused(1000);
    expect(t.remaining(1000)).toBe(1000);
    t.refused(1000);
    expect(t.remaining(1000)).toBe(2000);
    t.succeeded();
    expect(t.remaining(1000)).toBe(0);
    for (let i = 0; i < FREE_TRIES + 5; i += 1) t.refused(0);
    expect(t.remaining(1)).toBeGreaterThan(0);
    expect(t.remaining(THROTTLE_WINDOW_MS + 1)).toBe(0);
  });
});
