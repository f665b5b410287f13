// A Redis lock so that one extraction runs at a time across every daemon and `sync --once`.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

export interface HeldLock {
  key: string;
  token: string;
  extend(): Promise<boolean>;
  release(): Promise<void>;
}

export async function acquireLock(redis: Redis, key: string, ttlMs: number, owner: string = randomUUID()): Promise<HeldLock | null> {
  const token = `${owner}:${randomUUID()}`;
  const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (ok !== 'OK') return null;
  return {
    key,
    token,
    extend: async () => (await redis.eval(EXTEND, 1, key, token, String(ttlMs))) === 1,
    release: async () => {
      await redis.eval(RELEASE, 1, key, token);
    },
  };
}

/**
 * Frees a lock whose holder was a process on this host that no longer exists (killed -9), so a
 * crashed sync does not block the next one until the TTL runs out. Holders are `host:pid:...`.
 */
export async function clearDeadLocalHolder(redis: Redis, key: string, host: string): Promise<boolean> {
  const value = await redis.get(key);
  if (!value) return false;
  const [holderHost, pidText] = value.split(':');
  const pid = Number(pidText);
  if (holderHost !== host || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    if ((err as { code?: string }).code !== 'ESRCH') return false;
  }
  return (await redis.eval(RELEASE, 1, key, value)) === 1;
}

export async function lockHolder(redis: Redis, key: string): Promise<string | null> {
  return redis.get(key);
}
