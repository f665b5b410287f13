// The composition root's building blocks: connections opened once, checked up front so a missing
// service is one clear line, and closed in order.
import type { Queue } from 'bullmq';
import type { Config } from '../shared/config/load-config.js';
import type { Db } from '../shared/db/connect.js';
import { markQueued } from '../shared/db/state/items/index.js';
import type { Logger } from '../shared/log/create-logger.js';
import type { Redis } from '../shared/queue/redis.js';
import { createSendQueue, enqueueSends, withdrawSends } from '../shared/queue/send-queue.js';
import { createRedisRateLimiter, rateLimitKey } from '../shared/queue/rate-limiter.js';
import { createRedisTokenStore } from '../shared/queue/token-store.js';
import { createConnectionSet } from '../shared/runtime/open-connections.js';
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

export async function openRuntime(config: Config, log: Logger): Promise<Runtime> {
  const connections = createConnectionSet(config, log);
  let state: Db, source: Db, redis: Redis;
  try {
    state = await connections.stateDb({ poolMax: config.workerConcurrency + 4, multipleStatements: true });
    source = await connections.sourceDb({ poolMax: 4 });
    redis = await connections.redis({ forBullmq: true });
  } catch (err) {
    await connections.close();
    throw err;
  }
  const queue = createSendQueue(redis, config.queuePrefix);
  queue.on('error', (err) => log.warn({ err: err.message }, 'queue error'));
  connections.onClose(() => queue.close());
  const limiter = createRedisRateLimiter(redis, rateLimitKey(config.queuePrefix), config.rateLimitPerMinute);
  const client = new SatusehatClient({
    store: createRedisTokenStore(redis, config.queuePrefix, config.satusehat),
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
    close: () => connections.close(),
  };
}
