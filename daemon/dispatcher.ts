// What every process that sends needs: the worker, a periodic reconciler, the operators' pause
// switch, and the circuit breaker that stops sending while SATUSEHAT is down.
import { hostname } from 'node:os';
import type { Worker } from 'bullmq';
import { publishControl, readPaused } from '../shared/db/state/daemon-orders-repo.js';
import { foldItemCounts } from '../shared/db/state/item-counts-repo.js';
import type { SendJobData } from '../shared/types/items.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { Reconciler } from './reconciler.js';
import type { Runtime } from './runtime.js';
import { ReleaseScanRequests } from './send/release-scan-requests.js';
import { startSendWorker } from './send/send-worker.js';

export interface Dispatcher {
  worker: Worker<SendJobData>;
  workerId: string;
  circuit: CircuitBreaker;
  /** Paused by an operator or by the open circuit. */
  paused(): boolean;
  operatorPaused(): boolean;
  /** One reconcile pass now (joins one already running unless a full release scan is asked for). */
  reconcileNow(options?: { fullReleaseScan?: boolean }): Promise<void>;
  /** Stops taking jobs, lets in-flight sends finish, stops the timers. */
  close(): Promise<void>;
}

const CONTROL_POLL_MS = 2_000;

export function startDispatcher(rt: Runtime, role: string): Dispatcher {
  const workerId = `${hostname()}:${process.pid}:${role}`.slice(0, 100);
  const { config } = rt;
  const log = rt.log.child({ module: 'dispatch' });
  let operatorPaused = false;

  const applyPause = () => {
    const shouldRun = !operatorPaused && circuit.state === 'closed';
    if (shouldRun && worker.isPaused()) worker.resume();
    // doNotWaitActive: in-flight sends finish on their own; only new jobs stop.
    if (!shouldRun && !worker.isPaused()) void worker.pause(true);
  };
  const circuit = new CircuitBreaker({
    threshold: config.circuitThreshold,
    onOpen: (reason) => {
      log.warn({ reason }, 'circuit opened: SATUSEHAT keeps failing, dispatching paused; probing');
      void publishControl(rt.state, 'circuit', { state: 'open', reason, since: new Date().toISOString() }, workerId).catch(() => undefined);
      applyPause();
    },
    onClose: () => {
      log.info('circuit closed: SATUSEHAT answers again, dispatching resumed');
      void publishControl(rt.state, 'circuit', { state: 'closed', reason: null, since: new Date().toISOString() }, workerId).catch(() => undefined);
      applyPause();
    },
  });

  // Sends ask, the reconciler walks: one channel, handed to both.
  const releaseScans = new ReleaseScanRequests();
  const worker = startSendWorker(
    {
      db: rt.state, client: rt.client, enqueue: rt.enqueue, withdraw: rt.withdraw, log: rt.log.child({ module: 'send' }), workerId, releaseScans,
      sendingStaleMs: config.sendingStaleMs, checkBaseMs: config.unknownCheckBaseMs, sendMode: config.sendMode, validate: config.validateBeforeSend, minResourceDate: config.minResourceDate,
      observe: (type, code, seconds) => {
        circuit.record(code);
        rt.observe?.(type, code, seconds);
      },
    },
    { connection: rt.redis, prefix: config.queuePrefix, concurrency: config.workerConcurrency, lockMs: config.workerLockMs, retryBaseMs: config.retryBaseMs },
  );

  const reconciler = new Reconciler({ state: rt.state, queue: rt.queue, enqueue: rt.enqueue, sendingStaleMs: config.sendingStaleMs, releaseScans });
  let running: Promise<void> | null = null;
  const reconcileNow = async (options: { fullReleaseScan?: boolean } = {}) => {
    // A full release scan asked for is a pass of its own: one already running may not walk blocked items.
    while (options.fullReleaseScan && running) await running;
    running ??= reconciler.pass({ fullReleaseScan: options.fullReleaseScan })
      .then((r) => {
        if (r.stranded > 0) log.warn({ stranded: r.stranded }, 'removed send jobs left outside every queue list (Redis keys deleted while the queue ran); their items are queued again');
        if (r.staleRequeued + r.released + r.reEnqueued + r.checksQueued > 0) log.info(r, 'reconciled');
      })
      .catch((err) => log.error({ err }, 'reconcile failed'))
      .finally(() => {
        running = null;
      });
    return running;
  };
  const reconcileTimer = setInterval(() => void reconcileNow(), config.reconcileIntervalMs);

  const pollControl = async () => {
    try {
      const paused = await readPaused(rt.state);
      if (paused !== operatorPaused) log.info({ paused }, paused ? 'dispatching paused by an operator' : 'dispatching resumed by an operator');
      operatorPaused = paused;
    } catch {
      // control_state may not exist before migration 2; pausing is then simply unavailable.
    }
    applyPause();
    // The dashboard's counters: fold the trigger-written deltas while they are few.
    await foldItemCounts(rt.state).catch((err: Error) => log.warn({ err: err.message }, 'folding item counts failed'));
  };
  const controlTimer = setInterval(() => void pollControl(), CONTROL_POLL_MS);
  void pollControl();

  const probeTimer = setInterval(async () => {
    if (circuit.state !== 'open') return;
    try {
      const response = await rt.client.request('GET', `Organization/${config.satusehat.orgId}`);
      circuit.probed(response.status);
    } catch {
      circuit.probed('network');
    }
  }, config.circuitProbeMs);
  for (const t of [reconcileTimer, controlTimer, probeTimer]) t.unref();

  return {
    worker,
    workerId,
    circuit,
    paused: () => operatorPaused || circuit.state === 'open',
    operatorPaused: () => operatorPaused,
    reconcileNow,
    async close() {
      for (const t of [reconcileTimer, controlTimer, probeTimer]) clearInterval(t);
      await worker.close();
      await running;
    },
  };
}
