import { describe, expect, it } from 'vitest';
import { WriteWindow } from '../../daemon/extract/write-window.js';

const tick = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('WriteWindow', () => {
  it('keeps at most `limit` writes in flight and finishes all of them', async () => {
    const window = new WriteWindow(3);
    let inFlight = 0;
    let most = 0;
    let done = 0;
    for (let i = 0; i < 10; i++) {
      await window.add(async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await tick(5 + (i % 3) * 3);
        inFlight -= 1;
        done += 1;
      });
      expect(inFlight).toBeLessThan(3);
    }
    await window.drain();
    expect(most).toBe(3);
    expect(done).toBe(10);
  });

  it('throws the first failure on the next add or on drain, and never leaves a rejection unhandled', async () => {
    const window = new WriteWindow(2);
    await window.add(async () => {
      await tick(5);
      throw new Error('deadlock');
    });
    // The window is full, so this add waits, sees the failure and throws it.
    await expect(window.add(() => tick(20))).rejects.toThrow('deadlock');
    await expect(window.add(() => tick(1))).rejects.toThrow('deadlock');
    await window.settle();
    await expect(window.drain()).rejects.toThrow('deadlock');
  });
});
