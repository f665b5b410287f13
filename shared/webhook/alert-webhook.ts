// Alerts that reach someone (docs/operations.md, "Alert webhook"): each alert start and resolve is
// POSTed as JSON to ALERT_WEBHOOK_URL, signed with HMAC-SHA256 over "<timestamp>.<body>", retried
// with backoff on network errors, timeouts, 429 and 5xx. Delivery runs beside sending and never
// waits on it: deliver() only queues. The URL's credentials and the secret are never logged.
import { createHash, createHmac } from 'node:crypto';
import type { Logger } from '../log/create-logger.js';

export const SIGNATURE_HEADER = 'x-satusehat-signature';
export const TIMESTAMP_HEADER = 'x-satusehat-timestamp';
export const DELIVERY_HEADER = 'x-satusehat-delivery';

/** An alert transition (daemon/alerts.ts AlertEvent): what the receiver gets, with `event` and `instance` added. */
export interface WebhookEvent {
  state: 'started' | 'resolved';
  alert: string;
  type?: string;
  since?: string;
}

export interface AlertWebhookOptions {
  url: string;
  secret: string;
  log: Logger;
  /** The daemon sending it (host:pid:role). */
  instance: string;
  timeoutMs?: number;
  maxAttempts?: number;
  /** First retry after this; doubling (default 1 s). */
  retryBaseMs?: number;
  /** Deliveries kept waiting at most; beyond, the oldest is dropped with a warning. */
  maxQueued?: number;
}

export interface AlertWebhook {
  deliver(event: WebhookEvent): void;
  /** Waits for what is queued (at most `ms`), for a clean shutdown. */
  drain(ms?: number): Promise<void>;
  stats(): { delivered: number; failed: number; queued: number };
}

/** HMAC-SHA256 of "<timestamp>.<body>" with the secret, hex, as the receiver recomputes it. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The URL without credentials or query (tokens often live there), for logs. */
export function redactWebhookUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '<unparseable url>';
  }
}

const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

export function createAlertWebhook(o: AlertWebhookOptions): AlertWebhook {
  const log = o.log.child({ module: 'webhook', url: redactWebhookUrl(o.url) });
  const maxAttempts = o.maxAttempts ?? 6;
  const baseMs = o.retryBaseMs ?? 1_000;
  const timeoutMs = o.timeoutMs ?? 5_000;
  // fetch refuses a URL with credentials: they go as HTTP Basic instead.
  const target = new URL(o.url);
  const basic = target.username || target.password ? `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64')}` : null;
  target.username = '';
  target.password = '';
  const queue: Array<{ id: string; body: string; event: WebhookEvent }> = [];
  const counts = { delivered: 0, failed: 0 };
  let running: Promise<void> | null = null;

  async function post(id: string, body: string): Promise<number | string> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(basic ? { authorization: basic } : {}), [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: webhookSignature(o.secret, timestamp, body), [DELIVERY_HEADER]: id },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.status;
    } catch (err) {
      return (err as Error).name === 'TimeoutError' ? 'timeout' : 'network';
    }
  }

  async function deliverOne(item: { id: string; body: string; event: WebhookEvent }): Promise<void> {
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const result = await post(item.id, item.body);
      if (typeof result === 'number' && result >= 200 && result < 300) {
        counts.delivered += 1;
        log.info({ delivery: item.id, alert: item.event.alert, state: item.event.state, attempt }, 'alert webhook delivered');
        return;
      }
      if (typeof result === 'number' && !retryable(result)) {
        counts.failed += 1;
        log.warn({ delivery: item.id, status: result }, 'alert webhook refused: not retried (check the URL and the secret)');
        return;
      }
      if (attempt < maxAttempts) await new Promise((resolve) => setTimeout(resolve, baseMs * 2 ** (attempt - 1)).unref());
      else {
        counts.failed += 1;
        log.warn({ delivery: item.id, result, attempts: attempt }, 'alert webhook not delivered: gave up');
      }
    }
  }

  const pump = () => {
    running ??= (async () => {
      while (queue.length > 0) await deliverOne(queue.shift()!);
    })().finally(() => {
      running = null;
    });
  };

  return {
    deliver(event) {
      const body = JSON.stringify({ event: `alert.${event.state}`, instance: o.instance, sentAt: new Date().toISOString(), ...event });
      // One id per transition, the same on every retry: the receiver can drop a repeat.
      const id = createHash('sha256').update(JSON.stringify([event.alert, event.type ?? null, event.state, event.since ?? null])).digest('hex').slice(0, 32);
      queue.push({ id, body, event });
      if (queue.length > (o.maxQueued ?? 100)) log.warn({ dropped: queue.shift()!.id }, 'alert webhook queue full: dropped the oldest delivery');
      pump();
    },
    async drain(ms = 5_000) {
      if (running) await Promise.race([running, new Promise((resolve) => setTimeout(resolve, ms).unref())]);
    },
    stats: () => ({ ...counts, queued: queue.length }),
  };
}
