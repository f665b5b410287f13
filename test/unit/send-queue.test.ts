import { describe, expect, it } from 'vitest';
import { retryDelayMs, sendJobId } from '../../shared/queue/send-queue.js';
import { parseRetryAfter } from '../../shared/satusehat/client.js';

describe('retry delays', () => {
  it('honours Retry-After', () => {
    expect(retryDelayMs(3, 1000, 7000, () => 0)).toBe(7000);
  });
  it('grows exponentially with jitter between 0.5x and 1.5x', () => {
    expect(retryDelayMs(1, 1000, null, () => 0)).toBe(500);
    expect(retryDelayMs(3, 1000, null, () => 0.5)).toBe(4000);
    expect(retryDelayMs(3, 1000, null, () => 0.999)).toBeLessThan(6000);
  });
  it('caps at five minutes before jitter', () => {
    expect(retryDelayMs(30, 1000, null, () => 0.5)).toBe(300_000);
  });
  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter(null)).toBeNull();
  });
  it('one job id per item revision, never all digits', () => {
    expect(sendJobId({ itemId: 12, revision: 3 })).toBe('i12-r3');
  });
});
