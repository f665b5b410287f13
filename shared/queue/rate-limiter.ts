// One request rate shared by every worker of every daemon, token requests included: a GCRA
// (generic cell rate algorithm) kept in one Redis key. Each caller reserves the next free slot
// atomically and waits until it comes, so requests are spaced evenly and never burst past the
// limit, whatever the number of processes.
import type { Redis } from 'ioredis';

// KEYS[1] = key; ARGV[1] = interval in microseconds. Returns the wait in microseconds.
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
redis.call('SET', KEYS[1], tat + interval, 'PX', math.ceil((tat + interval - now) / 1000) + 1000)
return tat - now`;

export interface RateLimiter {
  /** Resolves when this caller may send one request. Returns the milliseconds it waited. */
  acquire(): Promise<number>;
}

export function createRedisRateLimiter(redis: Redis, key: string, perMinute: number): RateLimiter {
  // 2 % slower than the nominal rate: SATUSEHAT's window and our clock never line up exactly.
  const intervalMicros = Math.max(1, Math.ceil((60_000_000 / perMinute) * 1.02));
  return {
    async acquire() {
      const waitMicros = Number(await redis.eval(RESERVE, 1, key, String(intervalMicros)));
      const waitMs = waitMicros / 1000;
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
      return waitMs;
    },
  };
}

export const rateLimitKey = (prefix: string) => `${prefix}:ratelimit:satusehat`;
