// The SATUSEHAT access token shared through Redis by every worker and daemon: one token for the
// whole clinic, fetched by one process at a time, and one shared cool-down after a refusal.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AccessToken, TokenStore } from '../satusehat/token-manager.js';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export function createRedisTokenStore(redis: Redis, prefix: string): TokenStore {
  const tokenKey = `${prefix}:satusehat:token`;
  const lockKey = `${prefix}:satusehat:token-lock`;
  const blockKey = `${prefix}:satusehat:token-blocked-until`;
  return {
    async get() {
      const raw = await redis.get(tokenKey);
      if (!raw) return null;
      try {
        return JSON.parse(raw) as AccessToken;
      } catch {
        return null;
      }
    },
    async set(token) {
      const ttl = token.expiresAt - Date.now();
      if (ttl > 0) await redis.set(tokenKey, JSON.stringify(token), 'PX', Math.ceil(ttl));
    },
    async clear(value) {
      const current = await redis.get(tokenKey);
      if (current && (JSON.parse(current) as AccessToken).value === value) await redis.del(tokenKey);
    },
    async withRefreshLock(fn) {
      const owner = randomUUID();
      // Wait for another process's refresh rather than asking SATUSEHAT twice.
      for (let i = 0; i < 150; i += 1) {
        if ((await redis.set(lockKey, owner, 'PX', 30_000, 'NX')) === 'OK') {
          try {
            return await fn();
          } finally {
            await redis.eval(RELEASE, 1, lockKey, owner);
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
        const token = await this.get();
        if (token && token.expiresAt > Date.now()) return token;
      }
      throw new Error('timed out waiting for another process to refresh the SATUSEHAT token');
    },
    async blockedUntil() {
      return Number((await redis.get(blockKey)) ?? 0);
    },
    async block(until) {
      const ttl = until - Date.now();
      if (ttl > 0) await redis.set(blockKey, String(until), 'PX', Math.ceil(ttl));
    },
  };
}
