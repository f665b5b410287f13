// The send queue carries pointers only ({itemId, revision}); the worker re-reads the item.
import { Queue, type ConnectionOptions } from 'bullmq';
import type { SendJobData } from '../types/items.js';

export const SEND_QUEUE = 'send';
export const SEND_JOB = 'send-item';
export const BACKOFF_TYPE = 'satusehat';

/** One job per item revision: adding it twice while it waits is a no-op. */
export function sendJobId(job: SendJobData): string {
  return `i${job.itemId}-r${job.revision}`;
}

export function createSendQueue(connection: ConnectionOptions, prefix: string): Queue<SendJobData> {
  return new Queue<SendJobData>(SEND_QUEUE, { connection, prefix });
}

export async function enqueueSends(queue: Queue<SendJobData>, jobs: SendJobData[], maxAttempts: number, delayMs = 0): Promise<void> {
  for (let i = 0; i < jobs.length; i += 1000) {
    await queue.addBulk(
      jobs.slice(i, i + 1000).map((data) => ({
        name: SEND_JOB,
        data,
        opts: {
          jobId: sendJobId(data),
          attempts: maxAttempts,
          ...(delayMs > 0 ? { delay: delayMs } : {}),
          backoff: { type: BACKOFF_TYPE },
          // The state DB keeps the history; finished jobs only free their id for the next send.
          removeOnComplete: true,
          removeOnFail: true,
        },
      })),
    );
  }
}

/** Exponential backoff with jitter, or the server's Retry-After when it gave one. */
export function retryDelayMs(attemptsMade: number, baseMs: number, retryAfterMs: number | null, random = Math.random): number {
  if (retryAfterMs !== null) return retryAfterMs + Math.floor(random() * 250);
  const exponential = Math.min(baseMs * 2 ** Math.max(0, attemptsMade - 1), 5 * 60_000);
  return Math.floor(exponential * (0.5 + random()));
}

export async function queueDepth(queue: Queue<SendJobData>): Promise<{ waiting: number; active: number; delayed: number; prioritized: number }> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return { waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0, prioritized: counts.prioritized ?? 0 };
}
