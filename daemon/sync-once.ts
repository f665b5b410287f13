// `satusehat sync --once`: one extraction, then dispatch until nothing is left in process.
import { hostname } from 'node:os';
import { finishRun, startRun, type RunTrigger } from '../shared/db/state/runs-repo.js';
import { readPaused } from '../shared/db/state/daemon-orders-repo.js';
import { hasWorkOutside, workInProcess } from '../shared/db/state/items/index.js';
import { ExitError, EXIT } from '../shared/errors.js';
import type { ResourceTypeName } from '../shared/fhir/types.js';
import { acquireLock, clearDeadLocalHolder, lockHolder } from '../shared/queue/run-lock.js';
import { promoteFirstTries, queueDepth } from '../shared/queue/send-queue.js';
import { getStatus, type TypeStatus } from '../shared/services/status-service.js';
import { startDispatcher } from './dispatcher.js';
import { sweepDeletions } from './extract/deletion-sweep.js';
import { BUNDLE_DELAYED_TYPES, extractionDefaults, runExtraction, type ExtractionSummary } from './extract/run-extraction.js';
import type { Runtime } from './runtime.js';

export const EXTRACT_LOCK_TTL_MS = 90_000;
export const extractLockKey = (prefix: string) => `${prefix}:lock:extract`;

export interface SyncProgress {
  phase: 'extracting' | 'dispatching' | 'done';
  status: TypeStatus[];
}

export interface SyncOnceOptions {
  trigger?: RunTrigger;
  types?: ResourceTypeName[];
  pollMs?: number;
  onProgress?(progress: SyncProgress): void;
  /** Read every source row instead of only those changed since the last pass. */
  full?: boolean;
  /** Resolves when the caller wants to stop early (Ctrl-C). */
  signal?: AbortSignal;
}

export interface SyncOnceResult {
  runId: number;
  extraction: ExtractionSummary;
  status: TypeStatus[];
  interrupted: boolean;
  /** Dispatching was paused by an operator: extracted, nothing sent. */
  paused: boolean;
}

/**
 * Bundle mode delays Medication jobs so that a visit Bundle can take them along. Once nothing
 * but such first-time delayed jobs is left, no Bundle will come for them in this run: send them
 * now instead of idling until the wait ends. Retries (attemptsMade > 0) keep their backoff.
 */
async function releaseBundleWait(rt: Runtime): Promise<void> {
  if (await hasWorkOutside(rt.state, BUNDLE_DELAYED_TYPES)) return;
  const depth = await queueDepth(rt.queue);
  if (depth.waiting + depth.active + depth.prioritized > 0) return;
  await promoteFirstTries(rt.queue);
}

/**
 * One GET of our Organization, up to three tries: a connection refused or a timeout on every try
 * is "SATUSEHAT unavailable" (exit 4) before any item spends its retries. Any HTTP answer, a 5xx
 * too, means it is reachable; sustained 5xx are the circuit breaker's to judge.
 */
async function ensureFhirReachable(rt: Runtime): Promise<void> {
  let last = '';
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    try {
      await rt.client.request('GET', `Organization/${rt.config.satusehat.orgId}`);
      return;
    } catch (err) {
      last = (err as Error).message;
    }
  }
  throw new ExitError(EXIT.satusehatUnavailable, `SATUSEHAT unavailable at ${rt.config.satusehat.fhirUrl}: ${last}; nothing was sent, the items wait for the next run`);
}

export async function syncOnce(rt: Runtime, options: SyncOnceOptions = {}): Promise<SyncOnceResult> {
  const key = extractLockKey(rt.config.queuePrefix);
  const owner = `${hostname()}:${process.pid}`;
  let lock = await acquireLock(rt.redis, key, EXTRACT_LOCK_TTL_MS, owner);
  if (!lock && (await clearDeadLocalHolder(rt.redis, key, hostname()))) {
    rt.log.warn('took over the sync lock of a process on this host that no longer runs');
    lock = await acquireLock(rt.redis, key, EXTRACT_LOCK_TTL_MS, owner);
  }
  if (!lock) {
    const holder = (await lockHolder(rt.redis, key))?.split(':').slice(0, 2).join(':') ?? 'unknown';
    throw new ExitError(EXIT.locked, `another sync is running (lock held by ${holder}); try again when it finishes`);
  }
  const held = lock;
  const keepAlive = setInterval(() => void held.extend().catch(() => false), EXTRACT_LOCK_TTL_MS / 3);
  const runId = await startRun(rt.state, options.trigger ?? 'once');
  // Sending starts after extraction, so that a visit's children exist before its Encounter is
  // released and can travel in its Bundle.
  let dispatcher: ReturnType<typeof startDispatcher> | null = null;
  // The figures are a GROUP BY over every item: at most one a second, whatever the poll rate.
  let lastReport = 0;
  const report = async (phase: SyncProgress['phase']) => {
    if (!options.onProgress || Date.now() - lastReport < 1_000) return;
    lastReport = Date.now();
    options.onProgress({ phase, status: await getStatus(rt.state, undefined, rt.config.medicationMode) });
  };
  let extraction: ExtractionSummary = {};
  let interrupted = false;
  try {
    await report('extracting');
    extraction = await runExtraction({
      ...extractionDefaults(rt),
      incremental: !options.full,
      types: options.types,
    });
    if (rt.config.sweepItemsPerPass > 0) {
      const swept = await sweepDeletions({ source: rt.source, state: rt.state, enqueue: rt.enqueue }, rt.config.sweepItemsPerPass);
      if (swept.retracted > 0) rt.log.info(swept, 'deletion sweep: records gone from Dekacare are sent as retractions');
    }
    // With work to send, make sure SATUSEHAT's token endpoint answers before burning retries.
    const pending = await workInProcess(rt.state);
    if (pending.queued + pending.sending + pending.notSent > 0) {
      await rt.client.tokens.get().catch((err: Error) => {
        throw new ExitError(EXIT.satusehatUnavailable, `SATUSEHAT unavailable at ${rt.config.satusehat.authUrl}: ${err.message}`);
      });
      // A cached token says nothing about the FHIR API: make sure it answers at all.
      await ensureFhirReachable(rt);
    }
    if (await readPaused(rt.state).catch(() => false)) {
      rt.log.warn('dispatching is paused by an operator (satusehat resume); extraction done, nothing sent');
      const status = await getStatus(rt.state, undefined, rt.config.medicationMode);
      await finishRun(rt.state, runId, 'ok', extraction, 'dispatching paused');
      options.onProgress?.({ phase: 'done', status });
      return { runId, extraction, status, interrupted: false, paused: true };
    }
    dispatcher = startDispatcher(rt, options.trigger === 'demo' ? 'demo' : 'once');
    const outageLimitMs = Math.max(60_000, 4 * rt.config.circuitProbeMs);
    let openSince: number | null = null;
    let lastReconcile = 0;
    for (;;) {
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
      openSince = dispatcher.circuit.state === 'open' ? (openSince ?? Date.now()) : null;
      if (openSince !== null && Date.now() - openSince > outageLimitMs) {
        throw new ExitError(EXIT.satusehatUnavailable, `SATUSEHAT keeps failing (${dispatcher.circuit.reason}); stopped after ${Math.round(outageLimitMs / 1000)} s of probing. Unsent items stay queued for the next run.`);
      }
      if (Date.now() - lastReconcile > Math.min(5_000, rt.config.reconcileIntervalMs)) {
        await dispatcher.reconcileNow();
        lastReconcile = Date.now();
      }
      const work = await workInProcess(rt.state);
      await report('dispatching');
      if (rt.config.sendMode === 'bundle' && work.queued > 0 && work.sending + work.notSent === 0) await releaseBundleWait(rt);
      if (work.queued + work.sending + work.notSent === 0) {
        // One more pass: a parent sent in the last moment may have released children. Twice, so
        // that a pass that began before the last changes cannot stand in for a fresh one.
        await dispatcher.reconcileNow({ fullReleaseScan: true });
        await dispatcher.reconcileNow({ fullReleaseScan: true });
        const again = await workInProcess(rt.state);
        if (again.queued + again.sending + again.notSent === 0) break;
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
    }
    const status = await getStatus(rt.state, undefined, rt.config.medicationMode);
    await finishRun(rt.state, runId, interrupted ? 'failed' : 'ok', extraction, interrupted ? 'interrupted' : undefined);
    options.onProgress?.({ phase: 'done', status });
    return { runId, extraction, status, interrupted, paused: false };
  } catch (err) {
    await finishRun(rt.state, runId, 'failed', extraction, (err as Error).message).catch(() => undefined);
    throw err;
  } finally {
    clearInterval(keepAlive);
    await dispatcher?.close();
    await held.release().catch(() => undefined);
  }
}
