// The send queue carries pointers only ({itemId, revision}); the worker re-reads the item.
import { Queue, type ConnectionOptions, type JobType } from 'bullmq';
import type { SendJobData } from '../types/items.js';

export const SEND_QUEUE = 'send';
export const SEND_JOB = 'send-item';
export const BACKOFF_TYPE = 'satusehat';

/** One job per item revision (and refresh): adding it twice while it waits is a no-op. */
export function sendJobId(job: SendJobData): string {
  return `i${job.itemId}-r${job.revision}${job.refresh === undefined ? '' : `-${job.refresh}`}`;
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

/**
 * Takes back jobs whose items went out another way (a Medication a visit Bundle took along).
 * A job a worker holds right now stays; it then finds its item sent and skips.
 */
export async function withdrawSends(queue: Queue<SendJobData>, jobs: SendJobData[]): Promise<void> {
  await Promise.all(jobs.map((job) => queue.remove(sendJobId(job))));
}

/** Exponential backoff with jitter, or the server's Retry-After when it gave one. */
export function retryDelayMs(attemptsMade: number, baseMs: number, retryAfterMs: number | null, random = Math.random): number {
  if (retryAfterMs !== null) return retryAfterMs + Math.floor(random() * 250);
  const exponential = Math.min(baseMs * 2 ** Math.max(0, attemptsMade - 1), 5 * 60_000);
  return Math.floor(exponential * (0.5 + random()));
}

/** The states a worker takes jobs from; queueDepth counts the same. */
const LIVE_STATES: JobType[] = ['waiting', 'active', 'delayed', 'prioritized'];

/** Ids of the jobs in a live state, read in one script. */
export async function liveJobIds(queue: Queue<SendJobData>): Promise<Set<string>> {
  return new Set(await queue.getRanges(LIVE_STATES, 0, -1));
}

/**
 * Keys deleted one by one while the queue runs (`--scan | xargs del`, eviction) can leave a job's
 * hash in no list: no worker ever takes it, and as the job id is the item revision, adding the
 * item again is a silent no-op, so it would never be sent. Removes such jobs of these items, so
 * that they can be added again. `live` (a liveJobIds snapshot) spares the per-job check for the
 * jobs that were live then. Returns how many were removed.
 */
export async function removeStrandedJobs(queue: Queue<SendJobData>, jobs: SendJobData[], live: Set<string>): Promise<number> {
  const suspects = jobs.map(sendJobId).filter((id) => !live.has(id));
  const exists = await Promise.all(suspects.map(async (id) => (await queue.getJob(id)) !== undefined));
  let removed = 0;
  for (const id of suspects.filter((_, i) => exists[i])) {
    // Added since the snapshot: not stranded.
    if ((LIVE_STATES as string[]).includes(await queue.getJobState(id))) continue;
    // 0 when a worker holds the job.
    removed += await queue.remove(id);
  }
  return removed;
}

/** Delayed jobs on their first try start now; retries keep their backoff. */
export async function promoteFirstTries(queue: Queue<SendJobData>): Promise<void> {
  for (const job of await queue.getDelayed()) if (job.attemptsMade === 0) await job.promote().catch(() => undefined);
}

export async function queueDepth(queue: Queue<SendJobData>): Promise<{ waiting: number; active: number; delayed: number; prioritized: number }> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return { waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0, prioritized: counts.prioritized ?? 0 };
}
