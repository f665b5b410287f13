// GET /healthz and GET /metrics on loopback, for PM2-side monitoring, a load balancer probe or a
// Prometheus scrape. Every check has a short timeout, so a hung MySQL or Redis makes the answer
// "down" quickly instead of hanging the probe. A scrape costs one GROUP BY on items, one indexed
// row from sync_runs and one Redis round trip.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Queue } from 'bullmq';
import type { Db } from '../../shared/db/connect.js';
import { pingMysql } from '../../shared/db/health.js';
import { lastSuccessfulRun, type SuccessfulRun } from '../../shared/db/state/ops-repo.js';
import { readHeartbeats } from '../../shared/db/state/heartbeat-repo.js';
import { countByTypeAndStatus } from '../../shared/db/state/status-repo.js';
import { isLive } from '../../shared/services/liveness.js';
import type { Logger } from '../../shared/log/create-logger.js';
import { gaugeFamily, metrics as defaultRegistry, PROMETHEUS_CONTENT_TYPE, type MetricFamily, type Registry } from '../../shared/metrics/prometheus-metrics.js';
import type { Redis } from '../../shared/queue/redis.js';
import { circuitIsOpen, isScheduleOverdue, type Alert } from '../alerts.js';

export interface DaemonState {
  nextRunAt: Date | null;
  /** 'closed' when SATUSEHAT is healthy; anything else counts as open. */
  circuit: string;
  paused: boolean;
  /** This process's heartbeat: its row and when it was last written. */
  heartbeat?: { instance: string; intervalMs: number; lastWrittenAt: Date | null };
}

export interface HealthDeps {
  state: Db;
  redis: Redis;
  queue: Pick<Queue, 'getJobCounts'>;
  /** The access token as this process knows it: `() => rt.client.tokens.state()`. */
  tokenState(): { valid: boolean; expiresAt: number | null };
  /** Loopback by default; binding elsewhere exposes operational data. */
  host: string;
  /** 0 = any free port (tests); the bound port is returned. */
  port: number;
  log: Logger;
  getDaemonState(): DaemonState;
  /** The alert monitor's active alerts, when there is one. */
  alerts?: () => Alert[];
  /** ALERT_OVERDUE_MINUTES: no successful run for this long makes the schedule overdue. */
  overdueMinutes: number;
  /** With no successful run ever, overdue counts from here (default: when the server started). */
  startedAt?: Date;
  /** Per-check timeout (default 2,000 ms). */
  checkTimeoutMs?: number;
  registry?: Registry;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

export type HealthStatus = 'ok' | 'degraded' | 'down';

export interface HealthReport {
  status: HealthStatus;
  db: { ok: boolean; ms: number; error?: string };
  redis: { ok: boolean; ms: number; error?: string };
  satusehat: { token: 'valid' | 'expired' | 'none'; expiresAt: string | null };
  lastSuccessfulRun: { id: number; trigger: string; host: string; startedAt: string; finishedAt: string | null } | null;
  scheduleOverdue: boolean;
  nextRunAt: string | null;
  circuit: string;
  paused: boolean;
  /** This process's own heartbeat: what status and the TUI read. Stale (not written for two intervals) is degraded. */
  heartbeat: { instance: string; writtenAt: string | null; ageMs: number | null; stale: boolean } | null;
  /** Every sender the state DB knows to be live, from the heartbeats (this one included). */
  senders: Array<{ instance: string; role: string; beatAt: string; doing: string; circuit: string }>;
  alerts: Alert[];
}

class CheckTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'CheckTimeout';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function timed<T>(fn: () => Promise<T>, ms: number): Promise<{ ok: boolean; ms: number; value?: T; error?: string }> {
  const started = performance.now();
  try {
    const value = await withTimeout(fn(), ms);
    return { ok: true, ms: Math.round(performance.now() - started), value };
  } catch (err) {
    return { ok: false, ms: Math.round(performance.now() - started), error: ((err as Error).message ?? String(err)).split('\n')[0]!.slice(0, 200) };
  }
}

/** The runtime's Redis queues commands while disconnected (BullMQ needs that); a probe must not. */
async function pingRedisNow(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') throw new Error(`redis connection is ${redis.status}`);
  await redis.ping();
}

/** ok: all good; degraded: serving but something needs a look; down: MySQL or Redis unreachable (503). */
export function healthStatus(r: { dbOk: boolean; redisOk: boolean; scheduleOverdue: boolean; circuit: string; alerts: number; heartbeatStale?: boolean }): HealthStatus {
  if (!r.dbOk || !r.redisOk) return 'down';
  if (r.scheduleOverdue || circuitIsOpen(r.circuit) || r.alerts > 0 || r.heartbeatStale) return 'degraded';
  return 'ok';
}

function tokenWord(t: { valid: boolean; expiresAt: number | null }): 'valid' | 'expired' | 'none' {
  if (t.valid) return 'valid';
  return t.expiresAt === null ? 'none' : 'expired';
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function startHealthServer(deps: HealthDeps): Promise<HealthServer> {
  const log = deps.log.child({ module: 'health' });
  const startedAt = deps.startedAt ?? new Date();
  const checkMs = deps.checkTimeoutMs ?? 2_000;
  const registry = deps.registry ?? defaultRegistry;

  async function report(): Promise<HealthReport> {
    const [db, redis, run, beats] = await Promise.all([
      timed(() => pingMysql(deps.state), checkMs),
      timed(() => pingRedisNow(deps.redis), checkMs),
      timed(() => lastSuccessfulRun(deps.state), checkMs),
      timed(() => readHeartbeats(deps.state, 1), checkMs),
    ]);
    const daemon = deps.getDaemonState();
    const own = daemon.heartbeat;
    const ownAge = own?.lastWrittenAt ? Date.now() - own.lastWrittenAt.getTime() : null;
    const heartbeat = own ? { instance: own.instance, writtenAt: iso(own.lastWrittenAt), ageMs: ownAge, stale: ownAge === null || ownAge > 2 * own.intervalMs + 1_000 } : null;
    const last: SuccessfulRun | null = run.value ?? null;
    const now = new Date();
    // Without the DB we cannot know; do not claim overdue on top of "down".
    const scheduleOverdue = run.ok ? isScheduleOverdue(last ? (last.finishedAt ?? last.startedAt) : null, startedAt, now, deps.overdueMinutes) : false;
    const alerts = deps.alerts?.() ?? [];
    const token = deps.tokenState();
    return {
      status: healthStatus({ dbOk: db.ok, redisOk: redis.ok, scheduleOverdue, circuit: daemon.circuit, alerts: alerts.length, heartbeatStale: heartbeat?.stale }),
      db: { ok: db.ok, ms: db.ms, ...(db.error ? { error: db.error } : {}) },
      redis: { ok: redis.ok, ms: redis.ms, ...(redis.error ? { error: redis.error } : {}) },
      satusehat: { token: tokenWord(token), expiresAt: token.expiresAt === null ? null : new Date(token.expiresAt).toISOString() },
      lastSuccessfulRun: last ? { id: last.id, trigger: last.trigger, host: last.host, startedAt: last.startedAt.toISOString(), finishedAt: iso(last.finishedAt) } : null,
      scheduleOverdue,
      nextRunAt: iso(daemon.nextRunAt),
      circuit: daemon.circuit,
      paused: daemon.paused,
      heartbeat,
      senders: (beats.value ?? []).filter(isLive).map((b) => ({ instance: b.instance, role: b.role, beatAt: b.beatAt, doing: b.doing, circuit: b.circuit })),
      alerts,
    };
  }

  async function scrape(): Promise<string> {
    const [items, run, depth] = await Promise.all([
      timed(() => countByTypeAndStatus(deps.state), checkMs),
      timed(() => lastSuccessfulRun(deps.state), checkMs),
      timed(async () => {
        if (deps.redis.status !== 'ready') throw new Error(`redis connection is ${deps.redis.status}`);
        return deps.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      }, checkMs),
    ]);
    const daemon = deps.getDaemonState();
    const families: MetricFamily[] = [
      gaugeFamily('satusehat_state_db_up', 'Whether the state database answered this scrape (1) or not (0).', [{ value: items.ok ? 1 : 0 }]),
      gaugeFamily('satusehat_redis_up', 'Whether Redis answered this scrape (1) or not (0).', [{ value: depth.ok ? 1 : 0 }]),
    ];
    if (items.value) {
      families.push(gaugeFamily('satusehat_items', 'Items in the state database, by resource type and status.', items.value.map((r) => ({ labels: { type: r.resourceType, status: r.status }, value: r.count }))));
      const lastSent = new Map<string, number>();
      for (const r of items.value) if (r.lastSentAt) lastSent.set(r.resourceType, Math.max(lastSent.get(r.resourceType) ?? 0, r.lastSentAt.getTime() / 1000));
      families.push(gaugeFamily('satusehat_last_sent_timestamp_seconds', 'When an item of this resource type was last sent (Unix time).', [...lastSent].map(([type, value]) => ({ labels: { type }, value }))));
    }
    if (depth.value) {
      const counts = depth.value;
      families.push(gaugeFamily('satusehat_queue_depth', 'Send jobs in Redis (BullMQ), by state.', ['waiting', 'active', 'delayed', 'prioritized'].map((state) => ({ labels: { state }, value: counts[state] ?? 0 }))));
    }
    if (run.ok) {
      const last = run.value;
      const at = last ? (last.finishedAt ?? last.startedAt) : null;
      families.push(gaugeFamily('satusehat_last_success_timestamp_seconds', 'When the last extraction run finished ok (Unix time; 0 = never).', [{ value: at ? at.getTime() / 1000 : 0 }]));
    }
    families.push(gaugeFamily('satusehat_circuit_open', 'Whether sends to SATUSEHAT are held back by the circuit breaker (1) or not (0).', [{ value: circuitIsOpen(daemon.circuit) ? 1 : 0 }]));
    families.push(gaugeFamily('satusehat_paused', 'Whether an operator paused sending (1) or not (0).', [{ value: daemon.paused ? 1 : 0 }]));
    if (daemon.nextRunAt) families.push(gaugeFamily('satusehat_next_run_timestamp_seconds', 'When the next scheduled extraction is due (Unix time).', [{ value: daemon.nextRunAt.getTime() / 1000 }]));
    if (deps.alerts) {
      families.push(gaugeFamily('satusehat_alert_active', 'Active alerts (1 per alert and resource type).', deps.alerts().map((a) => ({ labels: { alert: a.alert, type: a.type ?? '' }, value: 1 }))));
    }
    families.push(gaugeFamily('process_start_time_seconds', 'Start time of the process (Unix time).', [{ value: Math.round(Date.now() / 1000 - process.uptime()) }]));
    families.push(gaugeFamily('process_resident_memory_bytes', 'Resident memory of the process.', [{ value: process.memoryUsage.rss() }]));
    return registry.render(families);
  }

  function send(res: ServerResponse, status: number, contentType: string, body: string, head: boolean): void {
    res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
    res.end(head ? undefined : body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const known = path === '/healthz' || path === '/metrics';
    if (!known) return send(res, 404, 'application/json', '{"error":"not found: try /healthz or /metrics"}\n', false);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, 'application/json', '{"error":"method not allowed"}\n', false);
    }
    const head = req.method === 'HEAD';
    if (path === '/healthz') {
      const body = await report();
      return send(res, body.status === 'down' ? 503 : 200, 'application/json', `${JSON.stringify(body)}\n`, head);
    }
    return send(res, 200, PROMETHEUS_CONTENT_TYPE, await scrape(), head);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      log.error({ err, url: req.url }, 'health request failed');
      if (!res.headersSent) send(res, 500, 'application/json', '{"error":"internal error"}\n', false);
      else res.destroy();
    });
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 5_000;

  return new Promise<HealthServer>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const hint = err.code === 'EADDRINUSE' ? ': another process (a second daemon on this host?) uses it; set HEALTH_PORT, or 0 to turn the server off' : '';
      reject(new Error(`health server cannot listen on ${deps.host}:${deps.port} (${err.code ?? err.message})${hint}`));
    };
    server.once('error', onError);
    server.listen(deps.port, deps.host, () => {
      server.off('error', onError);
      server.on('error', (err) => log.error({ err }, 'health server error'));
      const port = (server.address() as AddressInfo).port;
      log.info({ host: deps.host, port }, 'health server listening');
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
