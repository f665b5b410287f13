// What the services run on. The state DB is checked when they open (every call needs it); the
// Dekacare source DB (login only) and Redis (writes only) are opened on first use, so a read
// such as `items list` still works while Redis is down, and each failure is one clear line.
import type { Queue } from 'bullmq';
import { redactUrl, type Config } from '../config/load-config.js';
import { connectMysql, type Db } from '../db/connect.js';
import { hasTable, pingMysql } from '../db/health.js';
import { describeMysqlError, describeRedisError, ExitError, EXIT } from '../errors.js';
import type { Logger } from '../log/create-logger.js';
import type { ControlJobData, RegenerateJobData } from '../queue/control-queue.js';
import type { Redis } from '../queue/redis.js';
import type { SendJobData } from '../types/items.js';

/** Producers for the two queues; opening them checks Redis first. */
export interface QueueWriters {
  /** Send jobs `i<id>-r<rev>` (shared/queue/send-queue.ts). */
  addSends(jobs: SendJobData[]): Promise<void>;
  addRegenerate(data: RegenerateJobData): Promise<void>;
}

export interface Connections {
  config: Config;
  log: Logger | null;
  state: Db;
  source(): Promise<Db>;
  queues(): Promise<QueueWriters>;
  close(): Promise<void>;
}

/** Tables of the second migration: without them writes and the control bar cannot work. */
const REQUIRED_TABLES = ['items', 'audit_log', 'control_state'];

export async function openConnections(config: Config, log: Logger | null): Promise<Connections> {
  const state = connectMysql(config.stateDatabaseUrl, { poolMax: 4 });
  try {
    await pingMysql(state).catch((err) => {
      throw describeMysqlError(err, 'STATE_DATABASE_URL', redactUrl(config.stateDatabaseUrl));
    });
    for (const table of REQUIRED_TABLES) {
      if (!(await hasTable(state, table))) {
        throw new ExitError(EXIT.serviceUnavailable, `state database ${redactUrl(config.stateDatabaseUrl)} is not migrated (no table ${table}): run \`satusehat migrate\``);
      }
    }
  } catch (err) {
    await state.destroy().catch(() => undefined);
    throw err;
  }

  let source: Promise<Db> | null = null;
  let queues: Promise<{ send: Queue<SendJobData>; control: Queue<ControlJobData>; redis: Redis; writers: QueueWriters }> | null = null;

  const openSource = async (): Promise<Db> => {
    const db = connectMysql(config.sourceDatabaseUrl, { dateStrings: true, poolMax: 2 });
    try {
      await pingMysql(db);
      return db;
    } catch (err) {
      await db.destroy().catch(() => undefined);
      throw describeMysqlError(err, 'SOURCE_DATABASE_URL', redactUrl(config.sourceDatabaseUrl));
    }
  };

  const openQueues = async () => {
    // Redis and BullMQ load here, not at start-up: reads never need them.
    const [{ createRedis, pingRedis }, { createSendQueue, enqueueSends }, { createControlQueue, enqueueRegenerate }] = await Promise.all([
      import('../queue/redis.js'), import('../queue/send-queue.js'), import('../queue/control-queue.js'),
    ]);
    await pingRedis(config.redisUrl).catch((err) => {
      throw describeRedisError(err, redactUrl(config.redisUrl));
    });
    // Producers only (no blocking retries): a command must fail, not hang, when Redis goes away.
    const redis = createRedis(config.redisUrl);
    redis.on('error', (err) => log?.warn({ err: err.message }, 'redis connection error'));
    const send = createSendQueue(redis, config.queuePrefix);
    const control = createControlQueue(redis, config.queuePrefix);
    for (const q of [send, control]) q.on('error', (err) => log?.warn({ err: err.message }, 'queue error'));
    const writers: QueueWriters = {
      addSends: (jobs) => enqueueSends(send, jobs, config.maxAttempts),
      addRegenerate: (data) => enqueueRegenerate(control, data),
    };
    return { send, control, redis, writers };
  };

  return {
    config,
    log,
    state,
    source() {
      // A failed attempt is forgotten, so the next call tries again.
      source ??= openSource().catch((err) => {
        source = null;
        throw err;
      });
      return source;
    },
    async queues() {
      queues ??= openQueues().catch((err) => {
        queues = null;
        throw err;
      });
      return (await queues).writers;
    },
    async close() {
      const steps: Array<() => Promise<unknown>> = [];
      if (queues) {
        const q = await queues.catch(() => null);
        if (q) steps.push(() => q.send.close(), () => q.control.close(), () => q.redis.quit());
      }
      if (source) {
        const db = await source.catch(() => null);
        if (db) steps.push(() => db.destroy());
      }
      steps.push(() => state.destroy());
      // Each step on its own: one failing close must not leave the others open.
      for (const step of steps) {
        try {
          await step();
        } catch (err) {
          log?.warn({ err }, 'error while closing');
        }
      }
    },
  };
}
