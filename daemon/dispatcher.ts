// What every process that sends needs: the worker plus a periodic reconciler.
import { hostname } from 'node:os';
import type { Worker } from 'bullmq';
import type { SendJobData } from '../shared/types/items.js';
import { reconcileOnce } from './reconciler.js';
import type { Runtime } from './runtime.js';
import { startSendWorker } from './workers/send-worker.js';

export interface Dispatcher {
  worker: Worker<SendJobData>;
  workerId: string;
  reconcileNow(): Promise<void>;
  /** Stops taking jobs, lets in-flight sends finish, stops the reconciler. */
  close(): Promise<void>;
}

export function startDispatcher(rt: Runtime, role: string): Dispatcher {
  const workerId = `${hostname()}:${process.pid}:${role}`.slice(0, 100);
  const { config } = rt;
  const worker = startSendWorker(
    { db: rt.state, client: rt.client, enqueue: rt.enqueue, log: rt.log.child({ module: 'send' }), workerId, sendingStaleMs: config.sendingStaleMs, sendMode: config.sendMode, validate: config.validateBeforeSend },
    { connection: rt.redis, prefix: config.queuePrefix, concurrency: config.workerConcurrency, lockMs: config.workerLockMs, retryBaseMs: config.retryBaseMs },
  );
  let running: Promise<void> | null = null;
  const reconcileNow = () => {
    running ??= reconcileOnce({ state: rt.state, queue: rt.queue, enqueue: rt.enqueue, sendingStaleMs: config.sendingStaleMs })
      .then((r) => {
        if (r.staleRequeued + r.released + r.reEnqueued > 0) rt.log.info(r, 'reconciled');
      })
      .catch((err) => rt.log.error({ err }, 'reconcile failed'))
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void reconcileNow(), config.reconcileIntervalMs);
  timer.unref();
  return {
    worker,
    workerId,
    reconcileNow,
    async close() {
      clearInterval(timer);
      await worker.close();
      await running;
    },
  };
}
