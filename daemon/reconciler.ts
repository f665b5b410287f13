// Repairs what Redis or a crash lost. The state DB is the record: anything due without a job
// gets one, orphaned sends are looked up before they are retried, and blocked items whose
// parents are now sent are released.
import type { Queue } from 'bullmq';
import type { Db } from '../shared/db/connect.js';
import { releasableBlockedIds, countInProcess, dueItems, releaseBlocked, requeueStaleSending } from '../shared/db/state/items-repo.js';
import { liveJobIds, queueDepth, removeStrandedJobs } from '../shared/queue/send-queue.js';
import type { SendJobData } from '../shared/types/items.js';

export interface ReconcileDeps {
  state: Db;
  queue: Queue<SendJobData>;
  enqueue(jobs: SendJobData[]): Promise<void>;
  sendingStaleMs: number;
  /** Queued items younger than this are assumed to still have their job. */
  queuedGraceMs?: number;
}

export interface ReconcileResult {
  staleRequeued: number;
  released: number;
  reEnqueued: number;
  /** Jobs left in Redis outside every list, removed so their items could be re-added. */
  stranded: number;
}

const FULL_RESCAN_MS = 60_000;
const STRANDED_CHECK_MAX_JOBS = 100_000;
const lastFullRescan = new WeakMap<object, number>();

export async function reconcileOnce(deps: ReconcileDeps): Promise<ReconcileResult> {
  const stale = await requeueStaleSending(deps.state, deps.sendingStaleMs);
  await deps.enqueue(stale);

  let released = 0;
  for (let after = 0; ; ) {
    const ids = await releasableBlockedIds(deps.state, after, 2000);
    if (ids.length === 0) break;
    const ready = await releaseBlocked(deps.state, ids);
    await deps.enqueue(ready);
    released += ready.length;
    after = ids[ids.length - 1]!;
  }

  // Rescan when Redis holds fewer jobs than the DB has work (after a flush or a lost add).
  const inProcess = await countInProcess(deps.state);
  const depth = await queueDepth(deps.queue);
  const jobs = depth.waiting + depth.active + depth.delayed + depth.prioritized;
  let reEnqueued = 0;
  let stranded = 0;
  // Job counts can match while the jobs belong to other items (a retry re-added after a flush),
  // so a full rescan also runs every FULL_RESCAN_MS (re-adding a waiting job is a no-op).
  const work = inProcess.queued + inProcess.sending;
  const rescan = inProcess.notSent > 0 || jobs < work || Date.now() - (lastFullRescan.get(deps.queue) ?? 0) > FULL_RESCAN_MS;
  if (rescan) {
    lastFullRescan.set(deps.queue, Date.now());
    // A stranded job shows as fewer jobs than work; a healthy queue of more than
    // STRANDED_CHECK_MAX_JOBS is not listed id by id every minute.
    const live = jobs < work || jobs <= STRANDED_CHECK_MAX_JOBS ? await liveJobIds(deps.queue) : null;
    for (let after = 0; ; ) {
      const due = await dueItems(deps.state, deps.queuedGraceMs ?? 10_000, after, 2000);
      if (due.length === 0) break;
      if (live) stranded += await removeStrandedJobs(deps.queue, due, live);
      await deps.enqueue(due);
      reEnqueued += due.length;
      after = due[due.length - 1]!.itemId;
    }
  }
  return { staleRequeued: stale.length, released, reEnqueued, stranded };
}
