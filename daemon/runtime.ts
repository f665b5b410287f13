// The composition root's building blocks: connections opened once, checked up front so a missing
// service is one clear line, and closed in order.
import type { Queue } from 'bullmq';
import { redactUrl, type Config } from '../shared/config/load-config.js';
import { connectMysql, type Db } from '../shared/db/connect.js';
import { hasTable, pingMysql } from '../shared/db/health.js';
import { markQueued } from '../shared/db/state/items/index.js';
import { describeMysqlError, describeRedisError, ExitError, EXIT } from '../shared/errors.js';
import type { Logger } from '../shared/log/create-logger.js';
import { createRedis, pingRedis, type Redis } from '../shared/queue/redis.js';
import { createSendQueue, enqueueSends, withdrawSends } from '../shared/queue/send-queue.js';
import { createRedisRateLimiter, rateLimitKey } from '../shared/queue/rate-limiter.js';
import { createRedisTokenStore } from '../shared/queue/token-store.js';
import { SatusehatClient } from '../shared/satusehat/client.js';
import { recordRateLimitWait, recordTokenRequest } from '../shared/metrics/prometheus-metrics.js';
import type { SendJobData } from '../shared/types/items.js';

export interface Runtime {
  config: Config;
  log: Logger;
  source: Db;
  state: Db;
  redis: Redis;
  queue: Queue<SendJobData>;
  client: SatusehatClient;
  /** Adds send jobs and marks the items queued. */
  enqueue(jobs: SendJobData[], options?: { delayMs?: number }): Promise<void>;
  /** Removes waiting or delayed send jobs (items that went out another way). */
  withdraw(jobs: SendJobData[]): Promise<void>;
  /** Called after every SATUSEHAT exchange (metrics); set by the daemon. */
  observe?: (type: string, code: number | 'timeout' | 'network', seconds: number) => void;
  close(): Promise<void>;
}

export async function checkStateDb(state: Db, url: string): Promise<void> {
  try {
    await pingMysql(state);
  } catch (err) {
    throw describeMysqlError(err, 'STATE_DATABASE_URL', redactUrl(url));
  }
  if (!(await hasTable(state, 'items'))) {
    throw new ExitError(EXIT.serviceUnavailable, `state database ${redactUrl(url)} has no tables: run \`satusehat migrate\` first`);
  }
}

export async function openRuntime(config: Config, log: Logger): Promise<Runtime> {
  const state = connectMysql(config.stateDatabaseUrl, { poolMax: config.workerConcurrency + 4, multipleStatements: true });
  const source = connectMysql(config.sourceDatabaseUrl, { dateStrings: true, poolMax: 4 });
  try {
    await checkStateDb(state, config.stateDatabaseUrl);
    await pingMysql(source).catch((err) => {
      throw describeMysqlError(err, 'SOURCE_DATABASE_URL', redactUrl(config.sourceDatabaseUrl));
    });
    await pingRedis(config.redisUrl).catch((err) => {
      throw describeRedisError(err, redactUrl(config.redisUrl));
    });
  } catch (err) {
    await Promise.allSettled([state.destroy(), source.destroy()]);
    throw err;
  }
  const redis = createRedis(config.redisUrl, { forBullmq: true });
  redis.on('error', (err) => log.warn({ err: err.message }, 'redis connection error'));
  const queue = createSendQueue(redis, config.queuePrefix);
  queue.on('error', (err) => log.warn({ err: err.message }, 'queue error'));
  const limiter = createRedisRateLimiter(redis, rateLimitKey(config.queuePrefix), config.rateLimitPerMinute);
  const client = new SatusehatClient({
    store: createRedisTokenStore(redis, config.queuePrefix),
    beforeRequest: async () => recordRateLimitWait((await limiter.acquire()) / 1000),
    onTokenRequest: ({ ok }) => recordTokenRequest(ok),
    authUrl: config.satusehat.authUrl,
    fhirUrl: config.satusehat.fhirUrl,
    clientId: config.satusehat.clientId,
    clientSecret: config.satusehat.clientSecret,
    timeoutMs: config.satusehat.requestTimeoutMs,
  });
  return {
    config, log, source, state, redis, queue, client,
    async enqueue(jobs, options) {
      if (jobs.length === 0) return;
      await enqueueSends(queue, jobs, config.maxAttempts, options?.delayMs ?? 0);
      await markQueued(state, jobs.map((j) => j.itemId));
    },
    withdraw: (jobs) => withdrawSends(queue, jobs),
    async close() {
      // Each step in its own try: one failing close must not leave the others open.
      for (const step of [() => queue.close(), () => redis.quit(), () => source.destroy(), () => state.destroy()]) {
        try {
          await step();
        } catch (err) {
          log.warn({ err }, 'error while closing');
        }
      }
    },
  };
}
