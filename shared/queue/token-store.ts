// The SATUSEHAT access token shared through Redis by every worker and daemon: one token per
// credential, fetched by one process at a time, and one shared cool-down after a refusal.
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AccessToken, TokenStore } from '../satusehat/token-manager.js';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** Whose token it is: a token is valid only for the environment, auth server and client that got it. */
export interface TokenCredential {
  env: string;
  authUrl: string;
  clientId: string;
}

/**
 * The Redis key part of a credential: a sandbox token is never sent to production, and two
 * facilities sharing a Redis (and a queue prefix by mistake) never share a token or a cool-down.
 */
export function credentialKey(c: TokenCredential): string {
  return createHash('sha256').update(`${c.env}\n${c.authUrl.replace(/\/+$/, '')}\n${c.clientId}`).digest('hex').slice(0, 20);
}

export function createRedisTokenStore(redis: Redis, prefix: string, credential: TokenCredential): TokenStore {
  const base = `${prefix}:satusehat:${credentialKey(credential)}`;
  const tokenKey = `${base}:token`;
  const lockKey = `${base}:token-lock`;
  const blockKey = `${base}:token-blocked-until`;
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
