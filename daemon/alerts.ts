// Alerts without floods: one "alert started" line when a condition begins and one "alert resolved"
// line when it ends (Mirth #1288). The decision is a pure state machine (evaluateAlerts); the
// monitor around it reads SQL, logs transitions, and shares state through Redis so that N daemons
// log each transition once, and persists the active alerts for `status` and the TUI.
import { hostname } from 'node:os';
import type { Db } from '../shared/db/connect.js';
import {
  controlStateExists, failedCountsByTypeAndCode, lastSuccessfulRun, loadActiveAlerts, saveActiveAlerts,
} from '../shared/db/state/ops-repo.js';
import { disagreementsOf, readVerification } from '../shared/db/state/verify-repo.js';
import type { Logger } from '../shared/log/create-logger.js';
import type { Redis } from '../shared/queue/redis.js';

export type AlertKind = 'failures' | 'schedule_overdue' | 'circuit_open' | 'verify_disagreement';

/** An active alert, as `status`, the TUI and control_state['alerts'] see it. */
export interface Alert {
  alert: AlertKind;
  /** Resource type, for per-type alerts. */
  type?: string;
  /** ISO time the condition started. */
  since: string;
  /** The current value: failed items, minutes since the last successful run, or 1 (circuit open). */
  value: number;
  threshold: number;
  /** failures: failed items per HTTP code or error class (e.g. {"422": 3, "timeout": 1}). */
  codes?: Record<string, number>;
}

export interface AlertEvent extends Alert {
  state: 'started' | 'resolved';
  /** For resolved: how long the alert lasted. */
  durationSeconds?: number;
}

/** What one evaluation looks at. */
export interface AlertObservation {
  now: Date;
  /** Failed items per type, with the codes they failed with. Types absent here have 0. */
  failed: Record<string, { count: number; codes: Record<string, number> }>;
  /** Finish time of the newest successful run, or null if there never was one. */
  lastSuccessAt: Date | null;
  /** When this monitor started: with no successful run at all, overdue counts from here. */
  startedAt: Date;
  /** The SATUSEHAT circuit breaker, when the daemon has one ('closed' = healthy). */
  circuit?: string;
  /** The last `satusehat verify` (the daemon's daily sample or an operator's): how many disagreed. */
  verification?: { at: string; disagreements: number } | null;
}

export interface AlertRules {
  failureThreshold: number;
  overdueMinutes: number;
  /** Consecutive evaluations below the threshold before an alert resolves (hysteresis). */
  resolveAfter: number;
}

export interface AlertState {
  active: ReadonlyMap<string, Alert>;
  /** Alert key -> consecutive evaluations it has been below its threshold. */
  clearing: ReadonlyMap<string, number>;
}

function parseAlert(raw: string): Alert | null {
  try {
    const a = JSON.parse(raw) as Partial<Alert>;
    const kinds: AlertKind[] = ['failures', 'schedule_overdue', 'circuit_open', 'verify_disagreement'];
    if (!a || !kinds.includes(a.alert as AlertKind) || typeof a.since !== 'string') return null;
    return { alert: a.alert as AlertKind, ...(a.type ? { type: String(a.type) } : {}), since: a.since, value: Number(a.value ?? 0), threshold: Number(a.threshold ?? 0), ...(a.codes ? { codes: a.codes } : {}) };
  } catch {
    return null;
  }
}

export const emptyAlertState = (): AlertState => ({ active: new Map(), clearing: new Map() });

export const alertKey = (a: { alert: AlertKind; type?: string }) => (a.type ? `${a.alert}:${a.type}` : a.alert);

/** Minutes since the last success (or since `startedAt` when there never was one). */
export function minutesSinceSuccess(lastSuccessAt: Date | null, startedAt: Date, now: Date): number {
  return Math.max(0, (now.getTime() - (lastSuccessAt ?? startedAt).getTime()) / 60_000);
}

export function isScheduleOverdue(lastSuccessAt: Date | null, startedAt: Date, now: Date, overdueMinutes: number): boolean {
  return minutesSinceSuccess(lastSuccessAt, startedAt, now) >= overdueMinutes;
}

/** True when the breaker is anything but closed (open, half-open). */
export const circuitIsOpen = (circuit: string | undefined) => circuit !== undefined && circuit !== 'closed';

interface Condition {
  key: string;
  alert: AlertKind;
  type?: string;
  firing: boolean;
  value: number;
  threshold: number;
  codes?: Record<string, number>;
}

function conditions(obs: AlertObservation, rules: AlertRules, previous: AlertState): Condition[] {
  const out: Condition[] = [];
  // Every type with failures now, plus every type with an active failures alert (which may be at 0).
  const types = new Set(Object.keys(obs.failed));
  for (const a of previous.active.values()) if (a.alert === 'failures' && a.type) types.add(a.type);
  for (const type of [...types].sort()) {
    const f = obs.failed[type];
    const count = f?.count ?? 0;
    out.push({ key: alertKey({ alert: 'failures', type }), alert: 'failures', type, firing: count >= rules.failureThreshold, value: count, threshold: rules.failureThreshold, codes: f?.codes ?? {} });
  }
  const minutes = Math.floor(minutesSinceSuccess(obs.lastSuccessAt, obs.startedAt, obs.now));
  out.push({ key: 'schedule_overdue', alert: 'schedule_overdue', firing: minutes >= rules.overdueMinutes, value: minutes, threshold: rules.overdueMinutes });
  if (obs.circuit !== undefined || previous.active.has('circuit_open')) {
    const open = circuitIsOpen(obs.circuit);
    out.push({ key: 'circuit_open', alert: 'circuit_open', firing: open, value: open ? 1 : 0, threshold: 1 });
  }
  if (obs.verification || previous.active.has('verify_disagreement')) {
    const n = obs.verification?.disagreements ?? 0;
    out.push({ key: 'verify_disagreement', alert: 'verify_disagreement', firing: n > 0, value: n, threshold: 1 });
  }
  return out;
}

/**
 * One evaluation: an alert starts the first time its condition holds and resolves only after it
 * has been clear for `resolveAfter` evaluations in a row. While active, its value is refreshed
 * silently: no event, however much the value moves.
 */
export function evaluateAlerts(previous: AlertState, obs: AlertObservation, rules: AlertRules): { state: AlertState; events: AlertEvent[] } {
  const active = new Map(previous.active);
  const clearing = new Map<string, number>();
  const events: AlertEvent[] = [];
  for (const c of conditions(obs, rules, previous)) {
    const current = active.get(c.key);
    const fields = { alert: c.alert, ...(c.type ? { type: c.type } : {}), value: c.value, threshold: c.threshold, ...(c.codes ? { codes: c.codes } : {}) };
    if (c.firing) {
      if (current) {
        active.set(c.key, { ...current, ...fields });
      } else {
        const alert: Alert = { ...fields, since: obs.now.toISOString() };
        active.set(c.key, alert);
        events.push({ ...alert, state: 'started' });
      }
      continue;
    }
    if (!current) continue;
    const clearFor = (previous.clearing.get(c.key) ?? 0) + 1;
    if (clearFor >= rules.resolveAfter) {
      active.delete(c.key);
      events.push({ ...current, ...fields, state: 'resolved', durationSeconds: Math.round((obs.now.getTime() - Date.parse(current.since)) / 1000) });
    } else {
      active.set(c.key, { ...current, ...fields });
      clearing.set(c.key, clearFor);
    }
  }
  return { state: { active, clearing }, events };
}

// ── The monitor (I/O) ────────────────────────────────────────────────────────────────────────────

export interface AlertMonitorDeps {
  state: Db;
  log: Logger;
  failureThreshold: number;
  overdueMinutes: number;
  /** Evaluation period; 0 = no timer (call evaluateNow yourself). */
  intervalMs: number;
  /** Consecutive clear evaluations before an alert resolves (default 2). */
  resolveAfter?: number;
  /**
   * Shared state for several daemons: each transition is logged by the one daemon that flips
   * `<prefix>:alerts:<key>` in Redis. Without it every transition is logged by this process.
   */
  redis?: Redis;
  queuePrefix?: string;
  /** The SATUSEHAT circuit breaker state, if the daemon has one. */
  circuit?: () => string;
  /** Each transition this process claimed (logged): the alert webhook. Must not block. */
  onEvent?: (event: AlertEvent) => void;
  /** Written to control_state.updated_by. */
  instance?: string;
  now?: () => Date;
}

export interface AlertMonitor {
  /** The alerts active right now. */
  active(): Alert[];
  /** Runs one evaluation; returns the transitions this process logged. */
  evaluateNow(): Promise<AlertEvent[]>;
  close(): Promise<void>;
}

export function createAlertMonitor(deps: AlertMonitorDeps): AlertMonitor {
  const log = deps.log.child({ module: 'alerts' });
  const now = deps.now ?? (() => new Date());
  const startedAt = now();
  const rules: AlertRules = { failureThreshold: deps.failureThreshold, overdueMinutes: deps.overdueMinutes, resolveAfter: deps.resolveAfter ?? 2 };
  const instance = deps.instance ?? `${hostname()}:${process.pid}`;
  const sharedKey = (key: string) => `${deps.queuePrefix ?? 'satusehat'}:alerts:${key}`;
  let state = emptyAlertState();
  let seeded = false;
  let persistedJson: string | null = null;
  let running: Promise<AlertEvent[]> | null = null;

  /**
   * After a restart, continue the alerts that were active (from Redis when shared, else from
   * control_state), so a condition that still holds is not started twice, and one that ended
   * while no daemon ran is resolved once.
   */
  async function seed(): Promise<void> {
    const previous = new Map<string, Alert>();
    try {
      if (deps.redis) {
        let cursor = '0';
        do {
          const [next, keys] = await deps.redis.scan(cursor, 'MATCH', sharedKey('*'), 'COUNT', 100);
          cursor = next;
          for (const key of keys) {
            const raw = await deps.redis.get(key);
            const alert = raw ? parseAlert(raw) : null;
            if (alert) previous.set(alertKey(alert), alert);
          }
        } while (cursor !== '0');
      } else {
        for (const a of await loadActiveAlerts<Alert>(deps.state)) previous.set(alertKey(a), a);
      }
    } catch (err) {
      log.warn({ err }, 'could not read the alerts active before this start');
    }
    state = { active: previous, clearing: new Map() };
    seeded = true;
  }

  /** Whether this process should log the transition: it flipped the shared flag, or there is none. */
  async function claim(event: AlertEvent): Promise<boolean> {
    if (!deps.redis) return true;
    const key = sharedKey(alertKey(event));
    if (event.state === 'started') {
      const { state: _state, durationSeconds: _d, ...alert } = event;
      return (await deps.redis.set(key, JSON.stringify(alert), 'NX')) === 'OK';
    }
    return (await deps.redis.del(key)) === 1;
  }

  async function persist(): Promise<void> {
    const list = [...state.active.values()];
    const json = JSON.stringify(list);
    if (json === persistedJson) return;
    if (!(await controlStateExists(deps.state))) return;
    await saveActiveAlerts(deps.state, list, instance);
    persistedJson = json;
  }

  async function evaluate(): Promise<AlertEvent[]> {
    if (!seeded) await seed();
    const failed: AlertObservation['failed'] = {};
    for (const row of await failedCountsByTypeAndCode(deps.state)) {
      const entry = (failed[row.resourceType] ??= { count: 0, codes: {} });
      entry.count += row.count;
      entry.codes[row.code] = (entry.codes[row.code] ?? 0) + row.count;
    }
    const run = await lastSuccessfulRun(deps.state);
    const verified = await readVerification(deps.state);
    const verification = verified ? { at: verified.at, disagreements: disagreementsOf(verified) } : null;
    const result = evaluateAlerts(state, { now: now(), failed, lastSuccessAt: run ? (run.finishedAt ?? run.startedAt) : null, startedAt, circuit: deps.circuit?.(), verification }, rules);
    state = result.state;
    const logged: AlertEvent[] = [];
    for (const event of result.events) {
      if (!(await claim(event))) continue;
      logged.push(event);
      if (event.state === 'started') log.warn(event, 'alert started');
      else log.info(event, 'alert resolved');
      deps.onEvent?.(event);
    }
    await persist().catch((err) => log.warn({ err }, 'could not persist alerts'));
    return logged;
  }

  const evaluateNow = () => {
    running ??= evaluate().finally(() => {
      running = null;
    });
    return running;
  };
  const timer =
    deps.intervalMs > 0
      ? setInterval(() => {
          evaluateNow().catch((err) => log.warn({ err }, 'alert evaluation failed'));
        }, deps.intervalMs)
      : null;
  timer?.unref();

  return {
    active: () => [...state.active.values()],
    evaluateNow,
    async close() {
      if (timer) clearInterval(timer);
      // An evaluation stuck on a dead Redis or DB must not hold up the daemon's shutdown.
      if (running) await Promise.race([running.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    },
  };
}
