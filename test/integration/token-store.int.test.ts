// The cached SATUSEHAT token is keyed by its credential (issue 13): a sandbox token is never
// handed to a production client, and two facilities on one Redis never share a token or a
// refusal cool-down. Real Redis, a queue prefix of this test's own.
import { afterAll, describe, expect, it } from 'vitest';
import { createRedis } from '../../shared/queue/redis.js';
import { createRedisTokenStore, credentialKey, type TokenCredential } from '../../shared/queue/token-store.js';
import { TEST_REDIS_URL, uniqueName } from '../support/test-db.js';

const redis = createRedis(TEST_REDIS_URL);
const prefix = uniqueName('tokens');
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const sandbox: TokenCredential = { env: 'sandbox', authUrl: 'https://api-satusehat-stg.dto.kemkes.go.id/oauth2/v1', clientId: 'clinic-a' };
const production: TokenCredential = { env: 'production', authUrl: 'https://api-satusehat.kemkes.go.id/oauth2/v1', clientId: 'clinic-a' };
const otherClinic: TokenCredential = { ...sandbox, clientId: 'clinic-b' };
const token = (value: string) => ({ value, expiresAt: Date.now() + 60_000 });

describe('the token store', () => {
  it('keeps one token per environment, auth URL and client id', async () => {
    const a = createRedisTokenStore(redis, prefix, sandbox);
    await a.set(token('sandbox-token'));
    expect((await createRedisTokenStore(redis, prefix, { ...sandbox, authUrl: `${sandbox.authUrl}/` }).get())?.value, 'the same credential, another process').toBe('sandbox-token');
    expect(await createRedisTokenStore(redis, prefix, production).get()).toBeNull();
    expect(await createRedisTokenStore(redis, prefix, otherClinic).get()).toBeNull();
    expect(await createRedisTokenStore(redis, prefix, { ...sandbox, env: 'simulator' }).get()).toBeNull();
  });

  it('a refusal cool-down of one credential does not hold back another', async () => {
    await createRedisTokenStore(redis, prefix, otherClinic).block(Date.now() + 30_000);
    expect(await createRedisTokenStore(redis, prefix, otherClinic).blockedUntil()).toBeGreaterThan(Date.now());
    expect(await createRedisTokenStore(redis, prefix, production).blockedUntil()).toBe(0);
  });

  it('never writes a key without the credential in it', async () => {
    await createRedisTokenStore(redis, prefix, production).set(token('prod-token'));
    const keys = (await redis.keys(`${prefix}:*`)).sort();
    expect(keys.length).toBeGreaterThanOrEqual(3);
    for (const key of keys) expect([credentialKey(sandbox), credentialKey(production), credentialKey(otherClinic)].some((c) => key.includes(c)), key).toBe(true);
    expect(new Set([credentialKey(sandbox), credentialKey(production), credentialKey(otherClinic)]).size).toBe(3);
  });
});
