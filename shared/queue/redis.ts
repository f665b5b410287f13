// Redis connections. BullMQ needs maxRetriesPerRequest: null on connections its workers block on.
import { Redis } from 'ioredis';

export type { Redis };

export function createRedis(url: string, options: { forBullmq?: boolean } = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: options.forBullmq ? null : 2,
    enableReadyCheck: true,
    lazyConnect: false,
    // Keep retrying while the daemon runs; the caller decides when a failure is fatal.
    retryStrategy: (times) => Math.min(times * 200, 5_000),
  });
}

/** Resolves when Redis answers PING, rejects with a one-line error otherwise. */
export async function pingRedis(url: string, timeoutMs = 3_000): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 0, lazyConnect: true, connectTimeout: timeoutMs, retryStrategy: () => null });
  let cause: Error | null = null;
  redis.on('error', (err: Error) => {
    cause ??= err;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    // ioredis reports "Connection is closed"; the socket error (ECONNREFUSED ...) says more.
    throw cause ?? err;
  } finally {
    redis.disconnect();
  }
}
