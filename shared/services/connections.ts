// What the services run on. The state DB is checked when they open (every call needs it); the
// Dekacare source DB (login only) and Redis (writes only) are opened on first use, so a read
// such as `items list` still works while Redis is down, and each failure is one clear line.
import type { Config } from '../config/load-config.js';
import type { Db } from '../db/connect.js';
import type { Logger } from '../log/create-logger.js';
import type { RegenerateJobData } from '../queue/control-queue.js';
import { createConnectionSet } from '../runtime/open-connections.js';
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

export async function openConnections(config: Config, log: Logger | null): Promise<Connections> {
  const connections = createConnectionSet(config, log);
  const state = await connections.stateDb({ poolMax: 4 });

  let source: Promise<Db> | null = null;
  let queues: Promise<QueueWriters> | null = null;

  const openQueues = async (): Promise<QueueWriters> => {
    // BullMQ loads here, not at start-up: reads never need it.
    const [{ createSendQueue, enqueueSends }, { createControlQueue, enqueueRegenerate }] = await Promise.all([import('../queue/send-queue.js'), import('../queue/control-queue.js')]);
    // Producers only (no blocking retries): a command must fail, not hang, when Redis goes away.
    const redis = await connections.redis();
    const send = createSendQueue(redis, config.queuePrefix);
    const control = createControlQueue(redis, config.queuePrefix);
    for (const q of [send, control]) {
      q.on('error', (err) => log?.warn({ err: err.message }, 'queue error'));
      connections.onClose(() => q.close());
    }
    return {
      addSends: (jobs) => enqueueSends(send, jobs, config.maxAttempts),
      addRegenerate: (data) => enqueueRegenerate(control, data),
    };
  };

  return {
    config,
    log,
    state,
    source() {
      // A failed attempt is forgotten, so the next call tries again.
      source ??= connections.sourceDb({ poolMax: 2 }).catch((err) => {
        source = null;
        throw err;
      });
      return source;
    },
    queues() {
      queues ??= openQueues().catch((err) => {
        queues = null;
        throw err;
      });
      return queues;
    },
    async close() {
      // Opens under way finish first, so what they open is closed too.
      await Promise.allSettled([source, queues]);
      await connections.close();
    },
  };
}
