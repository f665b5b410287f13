// Operations pieces against the real services: the health server (/healthz, /metrics), the alert
// monitor shared by two "daemons" through Redis, and retention of the attempts table.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertMonitor } from '../../daemon/alerts.js';
import { startHealthServer, type HealthDeps, type HealthReport, type HealthServer } from '../../daemon/health/server.js';
import { pruneAttempts, startRetention } from '../../daemon/retention.js';
import type { Runtime } from '../../daemon/runtime.js';
import { syncOnce } from '../../daemon/sync-once.js';
import { connectMysql } from '../../shared/db/connect.js';
import { loadActiveAlerts } from '../../shared/db/state/ops-repo.js';
import { createLogger } from '../../shared/log/create-logger.js';
import { metrics, recordSend } from '../../shared/metrics/prometheus-metrics.js';
import { createRedis } from '../../shared/queue/redis.js';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { moveItemsTo } from '../support/item-status.js';

function captureLog() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: createLogger({ level: 'info', destination: destination as never }) };
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\\\|\\"|\\n)*",?)*\})? (NaN|[+-]Inf|-?[0-9.e+-]+)$/;

/** Parses a text-format body; fails on any line that is neither a comment nor a sample. */
function parseMetrics(text: string): Array<{ name: string; labels: string; value: number }> {
  const out: Array<{ name: string; labels: string; value: number }> = [];
  for (const line of text.trimEnd().split('\n')) {
    if (line.startsWith('#')) {
      expect(line, line).toMatch(/^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$/);
      continue;
    }
    const m = SAMPLE_LINE.exec(line);
    expect(m, `not a sample line: ${line}`).not.toBeNull();
    out.push({ name: m![1]!, labels: m![2] ?? '', value: Number(m![3]) });
  }
  return out;
}

describe('operations', () => {
  let h: Harness;
  let rt: Runtime;
  let server: HealthServer;
  const daemonState = { nextRunAt: new Date(Date.now() + 60_000), circuit: 'closed', paused: false };

  const deps = (overrides: Partial<HealthDeps> = {}): HealthDeps => ({
    state: rt.state, redis: rt.redis, queue: rt.queue, tokenState: () => rt.client.tokens.state(),
    host: '127.0.0.1', port: 0, log: createLogger({ level: 'silent' }), getDaemonState: () => daemonState, overdueMinutes: 30,
    ...overrides,
  });

  beforeAll(async () => {
    h = await createHarness({ patients: 30, visits: 50, seed: 11 });
    rt = await h.openRuntime();
    await syncOnce(rt, { pollMs: 100 });
    server = await startHealthServer(deps());
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await h?.close();
  });

  const url = (path: string, s = server) => `http://127.0.0.1:${s.port}${path}`;

  describe('health server', () => {
    it('GET /healthz says ok with the checks, the token, the last run and the daemon state', async () => {
      const started = performance.now();
      const res = await fetch(url('/healthz'));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
      const body = (await res.json()) as HealthReport;
      const elapsedMs = performance.now() - started;
      expect(body).toMatchObject({ status: 'ok', db: { ok: true }, redis: { ok: true }, satusehat: { token: 'valid' }, scheduleOverdue: false, circuit: 'closed', paused: false, alerts: [] });
      // The checks are timed inside this request: whole milliseconds, no longer than the request.
      for (const check of [body.db, body.redis]) {
        expect(Number.isInteger(check.ms), String(check.ms)).toBe(true);
        expect(check.ms).toBeLessThanOrEqual(Math.ceil(elapsedMs));
      }
      expect(body.lastSuccessfulRun).toMatchObject({ trigger: 'once' });
      expect(Date.parse(body.lastSuccessfulRun?.finishedAt ?? '')).toBeGreaterThan(Date.now() - 120_000);
      expect(body.nextRunAt).toBe(daemonState.nextRunAt.toISOString());
    });

    it('GET /healthz is degraded (still 200) when the schedule is overdue or the circuit is open', async () => {
      const overdue = await startHealthServer(deps({ overdueMinutes: 1, startedAt: new Date(Date.now() - 3_600_000) }));
      try {
        await h.state.db('sync_runs').update({ finished_at: h.state.db.raw('NOW(3) - INTERVAL 2 HOUR') });
        const res = await fetch(url('/healthz', overdue));
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ status: 'degraded', scheduleOverdue: true });
      } finally {
        await h.state.db('sync_runs').update({ finished_at: h.state.db.fn.now(3) });
        await overdue.close();
      }
      const open = await startHealthServer(deps({ getDaemonState: () => ({ ...daemonState, circuit: 'open' }) }));
      try {
        const res = await fetch(url('/healthz', open));
        expect(await res.json()).toMatchObject({ status: 'degraded', circuit: 'open' });
      } finally {
        await open.close();
      }
    });

    it('GET /healthz answers 503 down when the state DB connection is gone', async () => {
      const dead = connectMysql(h.state.url, { poolMax: 1 });
      await dead.raw('SELECT 1');
      await dead.destroy();
      const s = await startHealthServer(deps({ state: dead }));
      try {
        const started = Date.now();
        const res = await fetch(url('/healthz', s));
        expect(res.status).toBe(503);
        const body = (await res.json()) as HealthReport;
        expect(body).toMatchObject({ status: 'down', db: { ok: false }, redis: { ok: true }, lastSuccessfulRun: null, scheduleOverdue: false });
        expect(body.db.error).toBeTruthy();
        expect(Date.now() - started).toBeLessThan(5_000);
        // /metrics keeps answering, and says the DB is down.
        const metricsRes = await fetch(url('/metrics', s));
        expect(metricsRes.status).toBe(200);
        const samples = parseMetrics(await metricsRes.text());
        expect(samples.find((x) => x.name === 'satusehat_state_db_up')?.value).toBe(0);
        expect(samples.some((x) => x.name === 'satusehat_items')).toBe(false);
      } finally {
        await s.close();
      }
    });

    it('GET /healthz answers 503 quickly when Redis does not answer (closed port)', async () => {
      const redis = createRedis('redis://127.0.0.1:1', { forBullmq: true });
      redis.on('error', () => undefined);
      const s = await startHealthServer(deps({ redis, checkTimeoutMs: 1_000 }));
      try {
        const started = Date.now();
        const res = await fetch(url('/healthz', s));
        expect(res.status).toBe(503);
        expect(await res.json()).toMatchObject({ status: 'down', db: { ok: true }, redis: { ok: false } });
        expect(Date.now() - started).toBeLessThan(3_000);
      } finally {
        await s.close();
        redis.disconnect();
      }
    });

    it('GET /metrics is valid Prometheus text with items by type and status, queue depth and the daemon gauges', async () => {
      recordSend('Encounter', 201, 0.12);
      const res = await fetch(url('/metrics'));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const text = await res.text();
      const samples = parseMetrics(text);
      const value = (name: string, labels = '') => samples.find((s) => s.name === name && s.labels === labels)?.value;

      const counts = (await h.state.db('items').select('resource_type', 'status').count({ n: '*' }).groupBy('resource_type', 'status')) as Array<{ resource_type: string; status: string; n: number }>;
      expect(counts.length).toBeGreaterThan(3);
      for (const c of counts) expect(value('satusehat_items', `{type="${c.resource_type}",status="${c.status}"}`), `${c.resource_type} ${c.status}`).toBe(Number(c.n));
      expect(value('satusehat_items', '{type="Encounter",status="sent"}')).toBeGreaterThan(10);

      for (const state of ['waiting', 'active', 'delayed']) expect(value('satusehat_queue_depth', `{state="${state}"}`)).toBe(0);
      expect(value('satusehat_circuit_open')).toBe(0);
      expect(value('satusehat_paused')).toBe(0);
      expect(value('satusehat_state_db_up')).toBe(1);
      expect(value('satusehat_redis_up')).toBe(1);
      expect(value('satusehat_last_success_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 600);
      expect(value('satusehat_last_sent_timestamp_seconds', '{type="Encounter"}')).toBeGreaterThan(Date.now() / 1000 - 600);
      expect(value('satusehat_sends_total', '{type="Encounter",code="201"}')).toBeGreaterThanOrEqual(1);
      expect(value('satusehat_send_duration_seconds_count', '{type="Encounter"}')).toBeGreaterThanOrEqual(1);
      for (const family of ['satusehat_sends_total counter', 'satusehat_send_duration_seconds histogram', 'satusehat_rate_limit_wait_seconds_total counter', 'satusehat_token_requests_total counter', 'satusehat_items gauge']) {
        expect(text).toContain(`# TYPE ${family}\n`);
      }
      metrics.reset();
    });

    it('answers 404 for other paths and 405 for other methods', async () => {
      expect((await fetch(url('/'))).status).toBe(404);
      expect((await fetch(url('/healthz/x'))).status).toBe(404);
      const post = await fetch(url('/healthz'), { method: 'POST' });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET, HEAD');
      expect((await fetch(url('/healthz?verbose=1'))).status).toBe(200);
    });

    it('says clearly when its port is taken', async () => {
      await expect(startHealthServer(deps({ port: server.port }))).rejects.toThrow(/EADDRINUSE.*HEALTH_PORT/);
    });
  });

  describe('alert monitor', () => {
    it('logs each transition once across two daemons, and persists the active alerts', async () => {
      const a = captureLog();
      const b = captureLog();
      const common = { state: rt.state, redis: rt.redis, queuePrefix: h.config.queuePrefix, failureThreshold: 3, overdueMinutes: 30, intervalMs: 0 };
      const monitorA = createAlertMonitor({ ...common, log: a.log, instance: 'host-a:1' });
      const monitorB = createAlertMonitor({ ...common, log: b.log, instance: 'host-b:2' });
      const victims = (await h.state.db('items').select('id').where({ resource_type: 'Encounter', status: 'sent' }).orderBy('id').limit(4)).map((r) => Number(r.id));
      try {
        await monitorA.evaluateNow();
        await monitorB.evaluateNow();
        const alertLines = () => [...a.lines, ...b.lines].filter((l) => l.alert === 'failures' && l.type === 'Encounter');
        expect(alertLines()).toHaveLength(0);

        await moveItemsTo(h.state.db, victims, 'failed', { last_http_code: 422, error_class: 'http_4xx' });
        for (let i = 0; i < 3; i += 1) {
          await monitorA.evaluateNow();
          await monitorB.evaluateNow();
        }
        expect(alertLines().map((l) => [l.state, l.msg])).toEqual([['started', 'alert started']]);
        expect(a.lines.find((l) => l.alert === 'failures')).toMatchObject({ level: 40, value: 4, threshold: 3, codes: { '422': 4 } });
        for (const m of [monitorA, monitorB]) expect(m.active().map((x) => `${x.alert}:${x.type ?? ''}`)).toContain('failures:Encounter');
        expect((await loadActiveAlerts<{ alert: string; type?: string }>(h.state.db)).map((x) => `${x.alert}:${x.type}`)).toContain('failures:Encounter');

        // A third daemon starting now continues the alert instead of starting it again.
        const c = captureLog();
        const monitorC = createAlertMonitor({ ...common, log: c.log });
        await monitorC.evaluateNow();
        expect(c.lines.filter((l) => l.alert)).toHaveLength(0);
        expect(monitorC.active().some((x) => x.alert === 'failures' && x.type === 'Encounter')).toBe(true);
        await monitorC.close();

        await moveItemsTo(h.state.db, victims, 'sent', { last_http_code: 201, error_class: null });
        for (let i = 0; i < 3; i += 1) {
          await monitorB.evaluateNow();
          await monitorA.evaluateNow();
        }
        expect(alertLines().map((l) => l.state)).toEqual(['started', 'resolved']);
        expect(monitorA.active().some((x) => x.alert === 'failures')).toBe(false);
        expect((await loadActiveAlerts<{ alert: string }>(h.state.db)).some((x) => x.alert === 'failures')).toBe(false);
      } finally {
        await moveItemsTo(h.state.db, victims, 'sent');
        await monitorA.close();
        await monitorB.close();
      }
    });
  });

  describe('retention', () => {
    it('prunes old attempts of sent items in batches, keeping each latest attempt and all history of unsent items', async () => {
      const db = h.state.db;
      const daysAgo = (d: number) => db.raw('NOW(3) - INTERVAL ? DAY', [d]);
      const item = async (key: string, status: string) => Number((await db('items').insert({ resource_type: 'RetentionTest', source_key: key, status, current_revision: 1 }))[0]);
      const attempt = async (itemId: number, days: number) =>
        Number((await db('attempts').insert({ item_id: itemId, revision: 1, method: 'POST', url: 'x', duration_ms: 1, http_code: 201, started_at: daysAgo(days), finished_at: daysAgo(days) }))[0]);

      const sentOld = await item('sent-old', 'sent'); // every attempt is old: the latest stays
      const sentOld1 = await attempt(sentOld, 120);
      const sentOld2 = await attempt(sentOld, 100);
      const sentOldLatest = await attempt(sentOld, 95);
      const sentMixed = await item('sent-mixed', 'sent');
      const sentMixedOld = await attempt(sentMixed, 200);
      const sentMixedNew = await attempt(sentMixed, 10);
      const sentNew = await item('sent-new', 'sent');
      const sentNewA = [await attempt(sentNew, 5), await attempt(sentNew, 1)];
      const keep: number[] = [sentOldLatest, sentMixedNew, ...sentNewA];
      for (const [key, status] of [['failed', 'failed'], ['queued', 'queued'], ['not-sent', 'not_sent'], ['blocked', 'blocked'], ['invalid', 'invalid']] as const) {
        const id = await item(key, status);
        keep.push(await attempt(id, 300), await attempt(id, 200), await attempt(id, 150));
      }
      const before = Number((await db('attempts').count({ n: '*' }))[0]!.n);

      const deleted = await pruneAttempts(db, 90, { batchSize: 1, pauseMs: 0 });
      expect(deleted).toBe(3);
      const remaining = new Set((await db('attempts').select('id')).map((r) => Number(r.id)));
      for (const id of [sentOld1, sentOld2, sentMixedOld]) expect(remaining.has(id), `attempt ${id} pruned`).toBe(false);
      for (const id of keep) expect(remaining.has(id), `attempt ${id} kept`).toBe(true);
      expect(remaining.size).toBe(before - 3);

      // Nothing more to do; an item being resent is left alone until it is sent again.
      expect(await pruneAttempts(db, 90)).toBe(0);
      const older = await attempt(sentMixed, 300);
      await attempt(sentMixed, 2);
      await moveItemsTo(db, [sentMixed], 'queued');
      expect(await pruneAttempts(db, 90)).toBe(0);
      await moveItemsTo(db, [sentMixed], 'sent');
      const retention = startRetention({ state: db, log: createLogger({ level: 'silent' }), days: 90, firstRunDelayMs: 3_600_000 });
      expect(await retention.runNow()).toBe(1);
      expect(await db('attempts').where({ id: older }).first()).toBeUndefined();
      await retention.close();

      const off = startRetention({ state: db, log: createLogger({ level: 'silent' }), days: 0 });
      expect(await off.runNow()).toBe(0);
      await off.close();
      await expect(pruneAttempts(db, 0)).rejects.toThrow(/days/);
    });
  });
});
