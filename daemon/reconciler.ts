// Repairs what Redis or a crash lost. The state DB is the record: anything due without a job
// gets one, orphaned sends are looked up before they are retried, unknown outcomes whose look-up
// is due are queued to be looked up, and blocked items whose parents are now sent are released.
import type { Queue } from 'bullmq';
import type { Db } from '../shared/db/connect.js';
import { countInProcess, dueItems, queueDueChecks, releasableBlockedIds, releaseBlocked, requeueStaleSending } from '../shared/db/state/items/index.js';
import type { ReleaseScanRequests } from './send/release-scan-requests.js';
import { liveJobIds, queueDepth, removeStrandedJobs } from '../shared/queue/send-queue.js';
import type { SendJobData } from '../shared/types/items.js';

export interface ReconcileDeps {
  state: Db;
  queue: Queue<SendJobData>;
  enqueue(jobs: SendJobData[]): Promise<void>;
  sendingStaleMs: number;
  /** Queued items younger than this are assumed to still have their job. */
  queuedGraceMs?: number;
  /** Walks asked for by sends that failed after their commit (the same object the send path gets). */
  releaseScans: ReleaseScanRequests;
}

export interface ReconcileResult {
  staleRequeued: number;
  released: number;
  reEnqueued: number;
  /** Jobs left in Redis outside every list, removed so their items could be re-added. */
  stranded: number;
  /** Unknown outcomes whose look-up was due, queued to be looked up. */
  checksQueued: number;
}

/** Look-ups of unknown outcomes queued per pass: they go through the shared rate limit like any send. */
const CHECKS_PER_PASS = 500;

/** Due items are listed again every DUE_RESCAN_MS, or BACKLOG_DUE_RESCAN_MS above LARGE_BACKLOG jobs. */
const DUE_RESCAN_MS = 60_000;
const BACKLOG_DUE_RESCAN_MS = 15 * 60_000;
const LARGE_BACKLOG = 100_000;
const STRANDED_CHECK_MAX_JOBS = 100_000;

/**
 * Blocked items whose parents are all sent are released by the send that completed the set, and
 * whoever stores an item as blocked reads its parents again after the write (extraction, a claim
 * given back). What is left is a crash between a parent's send and its release: a restarted
 * process looks at every blocked item in its first pass. In a backlog that is hundreds of
 * thousands of rows (4 s of the database at 20,000 visits), so later passes do it only when the
 * previous pass found nothing in process (at most once a minute), every FULL_RELEASE_SCAN_MS
 * (another instance may have crashed), when the caller asks (sync --once before it ends), and
 * after a send failed past its commit (send/release-scan-requests.ts). A walk that fails is done again next pass.
 */
const FULL_RELEASE_SCAN_MS = 30 * 60_000;
const IDLE_RELEASE_SCAN_MS = 60_000;
interface ReleaseScanState {
  lastFullAt: number;
  /** The previous pass found nothing queued, sending or not sent. */
  wasIdle: boolean;
}

/** Walks every blocked item when due (see above); returns how many it released and when it walked. */
async function releaseMissed(deps: ReconcileDeps, previous: ReleaseScanState | undefined, options: { fullReleaseScan?: boolean }): Promise<{ released: number; fullAt: number | null }> {
  const sinceFull = previous ? Date.now() - previous.lastFullAt : Infinity;
  const requested = deps.releaseScans.take();
  const full = requested || options.fullReleaseScan === true || sinceFull > FULL_RELEASE_SCAN_MS || (previous!.wasIdle && sinceFull > IDLE_RELEASE_SCAN_MS);
  if (!full) return { released: 0, fullAt: null };
  let released = 0;
  try {
    for (let after = 0; ; ) {
      const ids = await releasableBlockedIds(deps.state, after, 2000);
      if (ids.length === 0) break;
      const ready = await releaseBlocked(deps.state, ids);
      await deps.enqueue(ready);
      released += ready.length;
      after = ids[ids.length - 1]!;
    }
  } catch (err) {
    // Not done: the pass's state is not recorded, so the next pass walks again; a request taken
    // here is put back.
    if (requested) deps.releaseScans.request();
    throw err;
  }
  return { released, fullAt: Date.now() };
}

/**
 * One per dispatcher: what it remembers between passes (when it last walked every blocked item,
 * when it last listed every due item) is its own, not the module's.
 */
export class Reconciler {
  private releaseScan: ReleaseScanState | undefined;
  private lastDueRescan = 0;

  constructor(private readonly deps: ReconcileDeps) {}

  /** One pass; `fullReleaseScan` walks every blocked item for missed releases (sync --once's last passes). */
  async pass(options: { fullReleaseScan?: boolean } = {}): Promise<ReconcileResult> {
    const deps = this.deps;
    const stale = await requeueStaleSending(deps.state, deps.sendingStaleMs);
    await deps.enqueue(stale);
    const checks = await queueDueChecks(deps.state, CHECKS_PER_PASS);
    await deps.enqueue(checks);

    const previous = this.releaseScan;
    const { released, fullAt } = await releaseMissed(deps, previous, options);

    // Rescan when Redis holds fewer jobs than the DB has work (after a flush or a lost add).
    const inProcess = await countInProcess(deps.state);
    this.releaseScan = { lastFullAt: fullAt ?? previous?.lastFullAt ?? 0, wasIdle: inProcess.queued + inProcess.sending + inProcess.notSent === 0 };
    const depth = await queueDepth(deps.queue);
    const jobs = depth.waiting + depth.active + depth.delayed + depth.prioritized;
    let reEnqueued = 0;
    let stranded = 0;
    // Job counts can match while the jobs belong to other items (a retry re-added after a flush),
    // so a full rescan also runs every DUE_RESCAN_MS (re-adding a waiting job is a no-op); in a
    // backlog larger than LARGE_BACKLOG, whose every job would be re-added, every
    // BACKLOG_DUE_RESCAN_MS.
    const work = inProcess.queued + inProcess.sending;
    const rescanEvery = work > LARGE_BACKLOG ? BACKLOG_DUE_RESCAN_MS : DUE_RESCAN_MS;
    const rescan = jobs < work || Date.now() - this.lastDueRescan > rescanEvery;
    // Otherwise only not_sent items need jobs (released children between their release and
    // enqueue, or after a crash there): found through the status index, not among the queued.
    if (rescan || inProcess.notSent > 0) {
      if (rescan) this.lastDueRescan = Date.now();
      // A stranded job shows as fewer jobs than work; a healthy queue of more than
      // STRANDED_CHECK_MAX_JOBS is not listed id by id every minute.
      const live = rescan && (jobs < work || jobs <= STRANDED_CHECK_MAX_JOBS) ? await liveJobIds(deps.queue) : null;
      for (let after = 0; ; ) {
        const due = await dueItems(deps.state, rescan ? (deps.queuedGraceMs ?? 10_000) : null, after, 2000);
        if (due.length === 0) break;
        if (live) stranded += await removeStrandedJobs(deps.queue, due, live);
        await deps.enqueue(due);
        reEnqueued += due.length;
        after = due[due.length - 1]!.itemId;
      }
    }
    return { staleRequeued: stale.length, released, reEnqueued, stranded, checksQueued: checks.length };
  }
}
