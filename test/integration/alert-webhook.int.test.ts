// Alerts that reach someone (issue 14, part 5): a local receiver checks the HMAC-SHA256 signature
// and the timestamp, answers 503 twice (retried with backoff, the same delivery id), and two alert
// monitors sharing Redis deliver each transition once. Nothing of the secret reaches the log.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertMonitor } from '../../daemon/alerts.js';
import { createLogger } from '../../shared/log/create-logger.js';
import { createRedis } from '../../shared/queue/redis.js';
import { createAlertWebhook, DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookSignature } from '../../shared/webhook/alert-webhook.js';
import { createTestDatabase, TEST_REDIS_URL, uniqueName, type TestDatabase } from '../support/test-db.js';
import { migrateLatest } from '../../shared/db/state/migrate.js';

const SECRET = 'a-long-shared-secret-for-tests';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

function receiver(statuses: number[]) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += String(d)));
    req.on('end', () => {
      received.push({ headers: req.headers, body, at: Date.now() });
      res.statusCode = statuses[received.length - 1] ?? 200;
      res.end();
    });
  });
  return new Promise<{ url: string; received: Received[]; close(): Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://hook-user:hook-pass@127.0.0.1:${port}/hooks/satusehat?token=s3cr3t-query`, received, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

function capturedLog() {
  const lines: string[] = [];
  const destination = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  return { log: createLogger({ level: 'info', destination }), text: () => lines.join('') };
}

const verify = (r: Received) => {
  const timestamp = String(r.headers[TIMESTAMP_HEADER]);
  return r.headers[SIGNATURE_HEADER] === webhookSignature(SECRET, timestamp, r.body);
};

describe('alert webhook', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('webhook');
    await migrateLatest(db.db);
  });
  afterAll(async () => db?.drop());

  it('signs each delivery, retries 503s with backoff under one delivery id, and logs no secret', async () => {
    const hook = await receiver([503, 503, 200]);
    const { log, text } = capturedLog();
    try {
      const webhook = createAlertWebhook({ url: hook.url, secret: SECRET, log, instance: 'host-a:1:daemon', retryBaseMs: 100 });
      webhook.deliver({ state: 'started', alert: 'circuit_open', since: '2026-12-02T10:00:00.000Z' });
      await webhook.drain(10_000);
      expect(hook.received).toHaveLength(3);
      expect(new Set(hook.received.map((r) => r.headers[DELIVERY_HEADER])).size).toBe(1);
      // Credentials in the URL go as HTTP Basic (fetch refuses them in the URL).
      expect(hook.received[0]!.headers.authorization).toBe(`Basic ${Buffer.from('hook-user:hook-pass').toString('base64')}`);
      for (const r of hook.received) expect(verify(r), 'signature of each attempt').toBe(true);
      // A body changed in transit does not verify.
      expect(verify({ ...hook.received[2]!, body: hook.received[2]!.body.replace('circuit_open', 'failures') })).toBe(false);
      const ts = Number(hook.received[2]!.headers[TIMESTAMP_HEADER]);
      expect(Math.abs(ts - Date.now() / 1000)).toBeLessThan(60);
      expect(JSON.parse(hook.received[2]!.body)).toMatchObject({ event: 'alert.started', alert: 'circuit_open', instance: 'host-a:1:daemon', since: '2026-12-02T10:00:00.000Z' });
      // Backoff: 100 ms, then 200 ms.
      expect(hook.received[1]!.at - hook.received[0]!.at).toBeGreaterThanOrEqual(90);
      expect(hook.received[2]!.at - hook.received[1]!.at).toBeGreaterThanOrEqual(190);
      expect(webhook.stats()).toEqual({ delivered: 1, failed: 0, queued: 0 });
      expect(text()).toMatch(/alert webhook delivered/);
      for (const secret of [SECRET, 'hook-pass', 's3cr3t-query']) expect(text()).not.toContain(secret);
    } finally {
      await hook.close();
    }
  });

  it('a 4xx is not retried; an unreachable receiver is given up after its attempts, and delivery never blocks the caller', async () => {
    const hook = await receiver([401]);
    const { log } = capturedLog();
    try {
      const refused = createAlertWebhook({ url: hook.url, secret: SECRET, log, instance: 'i', retryBaseMs: 10 });
      const started = performance.now();
      refused.deliver({ state: 'resolved', alert: 'failures', type: 'Encounter', since: '2026-12-02T10:00:00.000Z' });
      expect(performance.now() - started).toBeLessThan(20);
      await refused.drain(5_000);
      expect(hook.received).toHaveLength(1);
      expect(refused.stats()).toEqual({ delivered: 0, failed: 1, queued: 0 });
    } finally {
      await hook.close();
    }
    const gone = createAlertWebhook({ url: 'http://127.0.0.1:9/hook', secret: SECRET, log, instance: 'i', retryBaseMs: 10, maxAttempts: 3 });
    gone.deliver({ state: 'started', alert: 'schedule_overdue', since: '2026-12-02T10:00:00.000Z' });
    await gone.drain(5_000);
    expect(gone.stats()).toEqual({ delivered: 0, failed: 1, queued: 0 });
  });

  it('two daemons sharing Redis deliver each alert start and resolve once', async () => {
    const hook = await receiver([]);
    const redisA = createRedis(TEST_REDIS_URL);
    const redisB = createRedis(TEST_REDIS_URL);
    const prefix = uniqueName('sstest');
    const { log } = capturedLog();
    let circuit = 'open';
    try {
      const monitors = ['a', 'b'].map((name, i) => {
        const webhook = createAlertWebhook({ url: hook.url, secret: SECRET, log, instance: `host-${name}:1:daemon`, retryBaseMs: 10 });
        const monitor = createAlertMonitor({ state: db.db, log, redis: i === 0 ? redisA : redisB, queuePrefix: prefix, instance: `host-${name}:1:daemon`, failureThreshold: 10, overdueMinutes: 100_000, intervalMs: 0, resolveAfter: 1, circuit: () => circuit, onEvent: (e) => webhook.deliver(e) });
        return { webhook, monitor };
      });
      for (const m of monitors) await m.monitor.evaluateNow();
      circuit = 'closed';
      for (const m of monitors) await m.monitor.evaluateNow();
      for (const m of monitors) await m.webhook.drain(5_000);
      const events = hook.received.map((r) => JSON.parse(r.body) as { event: string; alert: string });
      expect(events.filter((e) => e.alert === 'circuit_open').map((e) => e.event)).toEqual(['alert.started', 'alert.resolved']);
      for (const r of hook.received) expect(verify(r)).toBe(true);
      for (const m of monitors) await m.monitor.close();
    } finally {
      redisA.disconnect();
      redisB.disconnect();
      await hook.close();
    }
  });
});
