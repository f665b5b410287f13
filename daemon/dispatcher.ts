// What every process that sends needs: the worker, a periodic reconciler, the operators' pause
// switch, and the circuit breaker that stops sending while SATUSEHAT is down.
import { hostname } from 'node:os';
import type { Worker } from 'bullmq';
import { readPaused } from '../shared/db/state/daemon-orders-repo.js';
import { foldItemCounts } from '../shared/db/state/item-counts-repo.js';
import type { SendJobData } from '../shared/types/items.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { startHeartbeat, type Heartbeat } from './heartbeat.js';
import { Reconciler } from './reconciler.js';
import type { Runtime } from './runtime.js';
import { ReleaseScanRequests } from './send/release-scan-requests.js';
import { startSendWorker } from './send/send-worker.js';

export interface Dispatcher {
  worker: Worker<SendJobData>;
  workerId: string;
  circuit: CircuitBreaker;
  heartbeat: Heartbeat;
  /** Paused by an operator or by the open circuit. */
  paused(): boolean;
  operatorPaused(): boolean;
  /** One reconcile pass now (joins one already running unless a full release scan is asked for). */
  reconcileNow(options?: { fullReleaseScan?: boolean }): Promise<void>;
  /** Stops taking jobs, lets in-flight sends finish, stops the timers. */
  close(): Promise<void>;
}

const CONTROL_POLL_MS = 2_000;

/** What the process around the dispatcher adds to its heartbeat (the daemon: its schedule, a running extraction). */
export type HeartbeatExtra = () => { doing?: string | null; nextRunAt?: Date | null };

export function startDispatcher(rt: Runtime, role: string, extra: HeartbeatExtra = () => ({})): Dispatcher {
  const workerId = `${hostname()}:${process.pid}:${role}`.slice(0, 100);
  const { config } = rt;
  const log = rt.log.child({ module: 'dispatch' });
  let operatorPaused = false;
  let circuitSince: Date | null = null;
  let requestsSinceBeat = 0;

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
      circuitSince = new Date();
      applyPause();
      void heartbeat.beatNow();
    },
    onClose: () => {
      log.info('circuit closed: SATUSEHAT answers again, dispatching resumed');
      circuitSince = null;
      applyPause();
      void heartbeat.beatNow();
    },
  });
  // The circuit's state is read from this process's heartbeat: a restart or a successful probe
  // clears it everywhere at the next beat (status, TUI, /healthz), and a dead process's is not shown.
  const heartbeat = startHeartbeat({
    db: rt.state, log, instance: workerId, role, intervalMs: config.heartbeatIntervalMs, rateLimitPerMinute: config.rateLimitPerMinute,
    describe: () => {
      const outer = extra();
      const sends = requestsSinceBeat;
      requestsSinceBeat = 0;
      const own = circuit.state === 'open' ? `circuit open, probing SATUSEHAT every ${Math.round(config.circuitProbeMs / 1000)} s`
        : operatorPaused ? 'paused by an operator' : sends > 0 ? `sending: ${sends} requests in the last ${Math.round(config.heartbeatIntervalMs / 1000)} s` : 'idle';
      return {
        doing: [outer.doing, own].filter(Boolean).join(' · '),
        paused: operatorPaused, circuit: circuit.state, circuitReason: circuit.reason, circuitSince, nextRunAt: outer.nextRunAt ?? null,
      };
    },
  });

  // Sends ask, the reconciler walks: one channel, handed to both.
  const releaseScans = new ReleaseScanRequests();
  const worker = startSendWorker(
    {
      db: rt.state, client: rt.client, enqueue: rt.enqueue, withdraw: rt.withdraw, log: rt.log.child({ module: 'send' }), workerId, releaseScans,
      sendingStaleMs: config.sendingStaleMs, checkBaseMs: config.unknownCheckBaseMs, sendMode: config.sendMode, validate: config.validateBeforeSend, minResourceDate: config.minResourceDate,
      observe: (type, code, seconds) => {
        requestsSinceBeat += 1;
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
      if (paused !== operatorPaused) {
        log.info({ paused }, paused ? 'dispatching paused by an operator' : 'dispatching resumed by an operator');
        operatorPaused = paused;
        void heartbeat.beatNow();
      }
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
    heartbeat,
    paused: () => operatorPaused || circuit.state === 'open',
    operatorPaused: () => operatorPaused,
    reconcileNow,
    async close() {
      for (const t of [reconcileTimer, controlTimer, probeTimer]) clearInterval(t);
      await worker.close();
      await running;
      await heartbeat.stop();
    },
  };
}
