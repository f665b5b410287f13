// The daemon process as PM2 runs it: runtime, scheduler + workers, health/metrics server, alert
// monitor and retention; `ready` once everything is up; orderly shutdown on SIGTERM/SIGINT.
import { redactUrl, type Config } from '../shared/config/load-config.js';
import type { Logger } from '../shared/log/create-logger.js';
import { recordSend } from '../shared/metrics/prometheus-metrics.js';
import { createAlertWebhook } from '../shared/webhook/alert-webhook.js';
import { createAlertMonitor } from './alerts.js';
import { startDaemon } from './daemon.js';
import { startHealthServer, type HealthServer } from './health/server.js';
import { startRetention } from './retention.js';
import { openRuntime } from './runtime.js';

export async function runDaemonProcess(config: Config, log: Logger, stopSignal: Promise<void>): Promise<void> {
  const rt = await openRuntime(config, log);
  rt.observe = recordSend;
  const daemon = startDaemon(rt);
  const webhook = config.alerts.webhook ? createAlertWebhook({ ...config.alerts.webhook, log, instance: daemon.dispatcher.workerId }) : null;
  const alerts = createAlertMonitor({
    state: rt.state, redis: rt.redis, queuePrefix: config.queuePrefix, log, instance: daemon.dispatcher.workerId,
    failureThreshold: config.alerts.failureThreshold, overdueMinutes: config.alerts.overdueMinutes, intervalMs: config.alerts.intervalMs,
    circuit: () => daemon.dispatcher.circuit.state,
    onEvent: webhook ? (event) => webhook.deliver(event) : undefined,
  });
  const retention = startRetention({ state: rt.state, log, days: config.retentionDays });
  let health: HealthServer | null = null;
  if (config.health.port > 0) {
    // A taken port (a second daemon on the same host) must not stop the daemon itself.
    health = await startHealthServer({
      state: rt.state, redis: rt.redis, queue: rt.queue, tokenState: () => rt.client.tokens.state(),
      host: config.health.host, port: config.health.port, log, overdueMinutes: config.alerts.overdueMinutes, alerts: () => alerts.active(),
      getDaemonState: () => ({
        nextRunAt: daemon.nextRun(), circuit: daemon.dispatcher.circuit.state, paused: daemon.dispatcher.operatorPaused(),
        heartbeat: { instance: daemon.dispatcher.workerId, intervalMs: config.heartbeatIntervalMs, lastWrittenAt: daemon.dispatcher.heartbeat.lastWrittenAt() },
      }),
    }).catch((err: Error) => {
      log.error({ err: err.message }, 'health server not started');
      return null;
    });
  }
  log.info(
    { env: config.satusehat.env, fhirUrl: config.satusehat.fhirUrl, state: redactUrl(config.stateDatabaseUrl), cron: config.syncCron, next: daemon.nextRun(), mode: config.sendMode, health: health ? `${config.health.host}:${health.port}` : null },
    'daemon ready',
  );
  process.send?.('ready');
  void daemon.tickNow().catch((err) => log.error({ err }, 'first tick failed'));
  void alerts.evaluateNow().catch((err) => log.warn({ err }, 'alert evaluation failed'));

  await stopSignal;
  log.info('shutting down: finishing in-flight sends');
  // Each step on its own: one failing close must not leave the rest open.
  for (const step of [() => health?.close(), () => alerts.close(), () => webhook?.drain(), () => retention.close(), () => daemon.stop(), () => rt.close()]) {
    try {
      await step();
    } catch (err) {
      log.warn({ err }, 'error while shutting down');
    }
  }
  log.info('stopped');
}
