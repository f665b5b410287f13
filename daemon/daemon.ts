// The long-running daemon: scheduled extraction (one instance per tick, via a Redis lock),
// the send worker and the reconciler. PM2 starts it; it says `ready` once everything is up.
import { hostname } from 'node:os';
import { Cron } from 'croner';
import { finishRun, startRun } from '../shared/db/state/runs-repo.js';
import { acquireLock, clearDeadLocalHolder } from '../shared/queue/run-lock.js';
import { startDispatcher, type Dispatcher } from './dispatcher.js';
import { startControlWorker } from './control-worker.js';
import { sweepDeletions } from './extract/deletion-sweep.js';
import { extractionDefaults, runExtraction } from './extract/run-extraction.js';
import type { Runtime } from './runtime.js';
import { startScheduledVerify } from './verify/scheduled-verify.js';
import { EXTRACT_LOCK_TTL_MS, extractLockKey } from './sync-once.js';

export interface RunningDaemon {
  dispatcher: Dispatcher;
  nextRun(): Date | null;
  tickNow(): Promise<void>;
  stop(): Promise<void>;
}

export function startDaemon(rt: Runtime): RunningDaemon {
  const log = rt.log.child({ module: 'daemon' });
  // Shutdown stops a running extraction between batches, marks its run failed and frees the lock.
  const shutdown = new AbortController();
  // What the heartbeat adds to the dispatcher's own state: the schedule, and a running extraction.
  let extracting: number | null = null;
  let cron: Cron | null = null;
  const dispatcher = startDispatcher(rt, 'daemon', () => ({ doing: extracting === null ? null : `extracting (run ${extracting})`, nextRunAt: cron?.nextRun() ?? null }));
  const control = startControlWorker(rt, () => shutdown.signal);
  const verification = startScheduledVerify(rt);

  // The first pass after a start reads everything (catches up after downtime or an upgrade);
  // scheduled passes after it read only what changed.
  let fullDone = false;
  let currentTick: Promise<void> | null = null;
  const tick = () => (currentTick ??= runTick().finally(() => (currentTick = null)));
  const runTick = async () => {
    if (shutdown.signal.aborted) return;
    const key = extractLockKey(rt.config.queuePrefix);
    let lock = await acquireLock(rt.redis, key, EXTRACT_LOCK_TTL_MS, `${hostname()}:${process.pid}`);
    if (!lock && (await clearDeadLocalHolder(rt.redis, key, hostname()))) lock = await acquireLock(rt.redis, key, EXTRACT_LOCK_TTL_MS, `${hostname()}:${process.pid}`);
    if (!lock) {
      log.info('extraction skipped: another instance holds the lock');
      return;
    }
    const held = lock;
    const keepAlive = setInterval(() => void held.extend().catch(() => false), EXTRACT_LOCK_TTL_MS / 3);
    const runId = await startRun(rt.state, 'schedule');
    const started = Date.now();
    extracting = runId;
    void dispatcher.heartbeat.beatNow();
    try {
      const summary = await runExtraction({
        ...extractionDefaults(rt),
        incremental: fullDone,
        signal: shutdown.signal,
      });
      if (rt.config.sweepItemsPerPass > 0) {
        const swept = await sweepDeletions({ source: rt.source, state: rt.state, enqueue: rt.enqueue }, rt.config.sweepItemsPerPass);
        log.info({ runId, checked: swept.checked, retracted: swept.retracted, ms: swept.ms }, 'deletion sweep');
      }
      await finishRun(rt.state, runId, 'ok', summary);
      extracting = null;
      fullDone = true;
      await dispatcher.reconcileNow();
      log.info({ runId, summary, ms: Date.now() - started }, 'extraction finished');
    } catch (err) {
      log.error({ err, runId }, 'extraction failed');
      await finishRun(rt.state, runId, 'failed', {}, (err as Error).message).catch(() => undefined);
    } finally {
      extracting = null;
      clearInterval(keepAlive);
      await held.release().catch(() => undefined);
      void dispatcher.heartbeat.beatNow();
    }
  };

  // protect: a tick still running when the next is due is skipped, not overlapped.
  cron = new Cron(rt.config.syncCron, { protect: true, catch: (err) => log.error({ err }, 'scheduled tick failed') }, tick);
  void dispatcher.heartbeat.beatNow();
  return {
    dispatcher,
    nextRun: () => cron?.nextRun() ?? null,
    tickNow: tick,
    async stop() {
      cron?.stop();
      shutdown.abort();
      await currentTick;
      await verification.stop();
      await control.close();
      await dispatcher.close();
    },
  };
}
