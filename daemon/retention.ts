// Retention of the attempts table. Only history that no one needs is pruned: attempts older than
// RETENTION_DAYS of items that are 'sent', except each item's latest attempt (the one that shows
// how it got its SATUSEHAT id). Failed, invalid, blocked and unsent items keep their whole history
// (Mirth #2178). Deletes go in small batches with a pause between them, so the table is never
// locked for long and workers keep writing while a prune runs.
import type { Db } from '../shared/db/connect.js';
import { attemptIdUpperBound, deleteSentAttempts, prunableAttemptIds } from '../shared/db/state/ops-repo.js';
import type { Logger } from '../shared/log/create-logger.js';

export const DAY_MS = 24 * 60 * 60_000;

export interface PruneOptions {
  /** Rows per DELETE statement (default 5,000). */
  batchSize?: number;
  /** Pause between batches, to let other writers in (default 50 ms). */
  pauseMs?: number;
  /** Stops between batches (daemon shutdown). */
  signal?: AbortSignal;
}

/** Deletes prunable attempts older than `days`; returns how many were deleted. */
export async function pruneAttempts(db: Db, days: number, options: PruneOptions = {}): Promise<number> {
  if (!Number.isInteger(days) || days < 1) throw new Error(`retention must be a whole number of days >= 1, got ${days}`);
  const batchSize = options.batchSize ?? 5_000;
  const upper = await attemptIdUpperBound(db, days);
  let deleted = 0;
  for (let after = 0; !options.signal?.aborted; ) {
    const ids = await prunableAttemptIds(db, days, after, upper, batchSize);
    if (ids.length === 0) break;
    deleted += await deleteSentAttempts(db, ids);
    after = ids[ids.length - 1]!;
    if (ids.length < batchSize) break;
    await new Promise((resolve) => setTimeout(resolve, options.pauseMs ?? 50));
  }
  return deleted;
}

export interface RetentionDeps {
  state: Db;
  log: Logger;
  /** RETENTION_DAYS; 0 = keep everything (nothing is scheduled). */
  days: number;
  /** Default once a day. */
  intervalMs?: number;
  /** The first prune runs this long after start (default 5 minutes), not at boot. */
  firstRunDelayMs?: number;
  batchSize?: number;
}

export interface RunningRetention {
  runNow(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Prunes daily. The first run comes a few minutes after start, so a daemon that PM2 restarts more
 * often than daily still prunes. Several daemons may each run it: the deletes are idempotent.
 */
export function startRetention(deps: RetentionDeps): RunningRetention {
  const log = deps.log.child({ module: 'retention' });
  const abort = new AbortController();
  let running: Promise<number> | null = null;
  const runNow = () => {
    if (deps.days <= 0) return Promise.resolve(0);
    running ??= (async () => {
      const started = Date.now();
      const deleted = await pruneAttempts(deps.state, deps.days, { batchSize: deps.batchSize, signal: abort.signal });
      log.info({ deleted, days: deps.days, ms: Date.now() - started }, 'attempts pruned');
      return deleted;
    })().finally(() => {
      running = null;
    });
    return running;
  };
  const safeRun = () => {
    runNow().catch((err) => log.error({ err }, 'pruning attempts failed'));
  };
  const timers: Array<ReturnType<typeof setTimeout>> = [];
  if (deps.days > 0) {
    timers.push(setTimeout(safeRun, deps.firstRunDelayMs ?? 5 * 60_000));
    timers.push(setInterval(safeRun, deps.intervalMs ?? DAY_MS));
    for (const t of timers) t.unref();
  }
  return {
    runNow,
    async close() {
      for (const t of timers) clearTimeout(t);
      abort.abort();
      await running?.catch(() => undefined);
    },
  };
}
