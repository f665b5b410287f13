// The BullMQ consumer of the send queue. The request rate is not limited here but in the
// SATUSEHAT client (a Redis GCRA shared by every process), because one job may make several
// requests (lookups, token refreshes).
import { Worker, type ConnectionOptions } from 'bullmq';
import { SEND_QUEUE, BACKOFF_TYPE, retryDelayMs } from '../../shared/queue/send-queue.js';
import type { SendJobData } from '../../shared/types/items.js';
import { processSendJob, RetryableSendError, type SendDeps } from './send-job.js';

export interface SendWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  concurrency: number;
  lockMs: number;
  retryBaseMs: number;
}

export function startSendWorker(deps: SendDeps, options: SendWorkerOptions): Worker<SendJobData> {
  const worker = new Worker<SendJobData>(
    SEND_QUEUE,
    async (job) => {
      // A job whose hash was deleted while it waited comes back empty (BullMQ recreates the hash
      // when it takes the id from the list). The reconciler re-adds its item.
      if (typeof job.data?.itemId !== 'number') {
        deps.log.warn({ jobId: job.id }, 'send job without data (its Redis keys were deleted); skipped');
        return { kind: 'skipped', detail: 'job without data' };
      }
      const result = await processSendJob(job.data, job.attemptsMade, job.opts.attempts ?? 1, deps);
      deps.log.debug({ itemId: job.data.itemId, revision: job.data.revision, result: result.kind }, 'send job done');
      return result;
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockMs,
      stalledInterval: options.lockMs,
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string, err?: Error) => {
          if (type !== BACKOFF_TYPE) return 0;
          const retryAfter = err instanceof RetryableSendError || (err && err.name === 'RetryableSendError') ? ((err as RetryableSendError).retryAfterMs ?? null) : null;
          return retryDelayMs(attemptsMade, options.retryBaseMs, retryAfter);
        },
      },
    },
  );
  worker.on('error', (err) => deps.log.error({ err }, 'send worker error'));
  worker.on('failed', (job, err) => {
    if (err.name !== 'RetryableSendError') deps.log.error({ err, itemId: job?.data.itemId }, 'send job crashed');
  });
  return worker;
}
