import { describe, expect, it } from 'vitest';
import { emptyAlertState, evaluateAlerts, isScheduleOverdue, type AlertEvent, type AlertObservation, type AlertRules, type AlertState } from '../../daemon/alerts.js';
import { failureCode } from '../../shared/db/state/ops-repo.js';
import { healthStatus } from '../../daemon/health/server.js';

const RULES: AlertRules = { failureThreshold: 5, overdueMinutes: 30, resolveAfter: 2 };
const T0 = Date.parse('2026-11-27T08:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/** Runs a sequence of observations and returns every event, in order, with the evaluation index. */
function run(observations: Array<Partial<AlertObservation> & { minute: number }>, rules = RULES) {
  let state: AlertState = emptyAlertState();
  const events: Array<AlertEvent & { step: number }> = [];
  observations.forEach((o, step) => {
    const obs: AlertObservation = { now: at(o.minute), failed: o.failed ?? {}, lastSuccessAt: o.lastSuccessAt === undefined ? at(o.minute) : o.lastSuccessAt, startedAt: at(0), circuit: o.circuit, verification: o.verification };
    const result = evaluateAlerts(state, obs, rules);
    state = result.state;
    for (const e of result.events) events.push({ ...e, step });
  });
  return { events, state };
}

const failed = (count: number, codes: Record<string, number> = { '422': count }) => ({ Encounter: { count, codes } });

describe('failure alerts', () => {
  it('start once when failures cross the threshold and resolve once when they drop below', () => {
    const counts = [0, 3, 5, 9, 40, 12, 6, 2, 1, 0, 0];
    const { events, state } = run(counts.map((n, i) => ({ minute: i, failed: failed(n) })));
    expect(events.map((e) => [e.state, e.alert, e.type, e.step])).toEqual([
      ['started', 'failures', 'Encounter', 2],
      ['resolved', 'failures', 'Encounter', 8],
    ]);
    expect(events[0]).toMatchObject({ value: 5, threshold: 5, codes: { '422': 5 }, since: at(2).toISOString() });
    expect(events[1]).toMatchObject({ value: 1, durationSeconds: 6 * 60 });
    expect(state.active.size).toBe(0);
  });

  it('do not flood while the count hovers around the threshold (hysteresis)', () => {
    // Below the threshold for one evaluation at a time never resolves the alert.
    const counts = [5, 4, 5, 4, 6, 4, 5, 4, 5];
    const { events, state } = run(counts.map((n, i) => ({ minute: i, failed: failed(n) })));
    expect(events.map((e) => e.state)).toEqual(['started']);
    expect(state.active.get('failures:Encounter')?.value).toBe(5);
  });

  it('keep the current value and codes of an active alert without new events', () => {
    const { events, state } = run([
      { minute: 0, failed: failed(6) },
      { minute: 1, failed: { Encounter: { count: 30, codes: { '422': 20, timeout: 10 } } } },
    ]);
    expect(events).toHaveLength(1);
    expect(state.active.get('failures:Encounter')).toMatchObject({ value: 30, codes: { '422': 20, timeout: 10 }, since: at(0).toISOString() });
  });

  it('are per resource type, and a type that disappears from the counts resolves', () => {
    const { events } = run([
      { minute: 0, failed: { Encounter: { count: 7, codes: {} }, Patient: { count: 9, codes: {} } } },
      { minute: 1, failed: { Patient: { count: 9, codes: {} } } },
      { minute: 2, failed: { Patient: { count: 9, codes: {} } } },
    ]);
    expect(events.map((e) => `${e.state} ${e.type} @${e.step}`)).toEqual(['started Encounter @0', 'started Patient @0', 'resolved Encounter @2']);
  });

  it('resolve at once with resolveAfter 1', () => {
    const { events } = run([{ minute: 0, failed: failed(5) }, { minute: 1, failed: failed(4) }], { ...RULES, resolveAfter: 1 });
    expect(events.map((e) => e.state)).toEqual(['started', 'resolved']);
  });
});

describe('schedule overdue', () => {
  it('starts once when there has been no successful run for the limit, and resolves after a run', () => {
    const lastRun = at(0);
    const steps = [10, 20, 29, 30, 31, 45, 60].map((m) => ({ minute: m, lastSuccessAt: lastRun }));
    steps.push({ minute: 61, lastSuccessAt: at(61) }, { minute: 62, lastSuccessAt: at(61) }, { minute: 63, lastSuccessAt: at(61) });
    const { events } = run(steps);
    expect(events.map((e) => [e.state, e.alert, e.step, e.value])).toEqual([
      ['started', 'schedule_overdue', 3, 30],
      ['resolved', 'schedule_overdue', 8, 1],
    ]);
  });

  it('counts from the monitor start when there never was a successful run', () => {
    const { events } = run([{ minute: 29, lastSuccessAt: null }, { minute: 30, lastSuccessAt: null }]);
    expect(events.map((e) => [e.state, e.step])).toEqual([['started', 1]]);
    expect(isScheduleOverdue(null, at(0), at(29), 30)).toBe(false);
    expect(isScheduleOverdue(at(10), at(0), at(40), 30)).toBe(true);
  });
});

describe('circuit alert', () => {
  it('follows the breaker, once per open period', () => {
    const states = ['closed', 'open', 'half-open', 'open', 'closed', 'closed', 'closed'];
    const { events } = run(states.map((circuit, i) => ({ minute: i, circuit })));
    expect(events.map((e) => [e.state, e.alert, e.step])).toEqual([
      ['started', 'circuit_open', 1],
      ['resolved', 'circuit_open', 5],
    ]);
  });

  it('is not evaluated when the daemon reports no breaker', () => {
    expect(run([{ minute: 0 }]).state.active.size).toBe(0);
  });
});

describe('verification alert', () => {
  it('starts when the last verification found disagreements and resolves once one finds none', () => {
    const v = (disagreements: number, minute: number) => ({ at: at(minute).toISOString(), disagreements });
    const { events } = run([
      { minute: 0, verification: null }, { minute: 1, verification: v(0, 1) }, { minute: 2, verification: v(3, 2) }, { minute: 3, verification: v(3, 2) },
      { minute: 4, verification: v(0, 4) }, { minute: 5, verification: v(0, 4) },
    ]);
    expect(events.map((e) => [e.state, e.alert, e.step, e.value])).toEqual([
      ['started', 'verify_disagreement', 2, 3],
      ['resolved', 'verify_disagreement', 5, 0],
    ]);
  });
});

describe('helpers', () => {
  it('name the failure code an operator reads', () => {
    expect(failureCode(422, 'http_4xx')).toBe('422');
    expect(failureCode(503, 'http_5xx')).toBe('503');
    expect(failureCode(null, 'timeout')).toBe('timeout');
    expect(failureCode(200, 'not_found')).toBe('not_found');
    expect(failureCode(null, null)).toBe('unknown');
  });

  it('derive the health status', () => {
    const base = { dbOk: true, redisOk: true, scheduleOverdue: false, circuit: 'closed', alerts: 0 };
    expect(healthStatus(base)).toBe('ok');
    expect(healthStatus({ ...base, scheduleOverdue: true })).toBe('degraded');
    expect(healthStatus({ ...base, circuit: 'open' })).toBe('degraded');
    expect(healthStatus({ ...base, alerts: 1 })).toBe('degraded');
    expect(healthStatus({ ...base, redisOk: false })).toBe('down');
    expect(healthStatus({ ...base, dbOk: false, scheduleOverdue: true })).toBe('down');
  });
});

describe('ops configuration', () => {
  it('defaults to loopback health on 9464, 10 failures, 30 minutes, 90 days', async () => {
    const { loadConfig } = await import('../../shared/config/load-config.js');
    const config = loadConfig({});
    expect(config.health).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(config.alerts).toEqual({ failureThreshold: 10, overdueMinutes: 30, intervalMs: 60_000, webhook: null });
    expect(config.retentionDays).toBe(90);
    expect(loadConfig({ HEALTH_PORT: '0', RETENTION_DAYS: '0' })).toMatchObject({ health: { port: 0 }, retentionDays: 0 });
    // The webhook needs its secret; with both it is on.
    expect(() => loadConfig({ ALERT_WEBHOOK_URL: 'https://hooks.example.org/satusehat' })).toThrow(/ALERT_WEBHOOK_SECRET is required with ALERT_WEBHOOK_URL/);
    expect(loadConfig({ ALERT_WEBHOOK_URL: 'https://hooks.example.org/satusehat', ALERT_WEBHOOK_SECRET: 'sixteen-chars-ok' }).alerts.webhook).toEqual({ url: 'https://hooks.example.org/satusehat', secret: 'sixteen-chars-ok' });
    expect(() => loadConfig({ HEALTH_PORT: '70000', ALERT_FAILURE_THRESHOLD: '0', RETENTION_DAYS: '-1' })).toThrow(/HEALTH_PORT.*ALERT_FAILURE_THRESHOLD.*RETENTION_DAYS/);
  });
});
