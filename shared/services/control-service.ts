// The control bar: pause/resume (operators), circuit and next run (written by the daemon),
// regenerations in progress, and the request rate; plus asking the daemon to regenerate.
import { hostname } from 'node:os';
import type { Db } from '../db/connect.js';
import { insertAudit, listAudit } from '../db/state/audit-repo.js';
import { activeRegenerations, attemptsLastMinute, failQueuedRun, getControlRows, insertRegenerateRun, latestStartedRun, requestsPerMinute, setControl, type MinuteCounts } from '../db/state/control-bar-repo.js';
import { countByTypeAndStatus } from '../db/state/status-repo.js';
import { ExitError, EXIT } from '../errors.js';
import { resourceTypes } from '../fhir/registry.js';
import type { AuditEntry, ControlState, Operator, RegenerateResult } from './api.js';
import { readHeartbeats } from '../db/state/heartbeat-repo.js';
import { disagreementsOf } from '../db/state/verify-repo.js';
import { livenessOf } from './liveness.js';
import type { Connections } from './connections.js';
import { requireType } from './items-service.js';

export const PAUSED_KEY = 'paused';

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export async function readControl(conn: Pick<Connections, 'state' | 'config'>): Promise<ControlState> {
  const state = conn.state;
  const [rows, lastRun, regenerating, requestsLastMinute, heartbeats, minutes, counts] = await Promise.all([
    getControlRows(state, [PAUSED_KEY, VERIFICATION_KEY]),
    latestStartedRun(state),
    activeRegenerations(state),
    attemptsLastMinute(state),
    readHeartbeats(state),
    requestsPerMinute(state),
    countByTypeAndStatus(state),
  ]);
  const paused = rows.get(PAUSED_KEY)?.value ?? {};
  const liveness = livenessOf(heartbeats);
  return {
    liveness,
    paused: paused.paused === true,
    pausedBy: paused.paused === true ? text(paused.by) : null,
    pausedAt: paused.paused === true ? text(paused.at) : null,
    pausedReason: paused.paused === true ? text(paused.reason) : null,
    circuit: liveness.circuit,
    circuitReason: liveness.circuitReason,
    lastRun: lastRun ? { id: lastRun.id, trigger: lastRun.trigger, status: lastRun.status, startedAt: lastRun.startedAt, finishedAt: lastRun.finishedAt } : null,
    nextRunAt: liveness.nextRunAt,
    regenerating: regenerating.map((r) => ({
      type: r.resourceType ?? '?', runId: r.id, startedAt: r.startedAt,
      done: typeof r.progress?.done === 'number' ? r.progress.done : 0,
      total: typeof r.progress?.total === 'number' ? r.progress.total : null,
      waiting: r.status === 'queued' && liveness.state !== 'running',
    })),
    rateLimitPerMinute: liveness.rateLimitPerMinute ?? conn.config.rateLimitPerMinute,
    requestsLastMinute,
    environment: conn.config.satusehat.env,
    verification: verificationOf(rows.get(VERIFICATION_KEY)?.value),
    activity: activityOf(minutes, counts.filter((c) => BACKLOG.includes(c.status)).reduce((n, c) => n + c.count, 0)),
  };
}

const BACKLOG: readonly string[] = ['not_sent', 'queued', 'sending', 'checking'];

/** Per-minute series, oldest first, and the drain estimate from the last 10 minutes' sends. */
export function activityOf(minutes: MinuteCounts[], backlog: number): ControlState['activity'] {
  const series = (pick: (m: MinuteCounts) => number) => {
    const out = new Array<number>(60).fill(0);
    for (const m of minutes) out[59 - m.minutesAgo] = pick(m);
    return out;
  };
  const sent = series((m) => m.sent);
  const recent = sent.slice(-11, -1).reduce((a, b) => a + b, 0) / 10;
  return { requests: series((m) => m.requests), tooMany: series((m) => m.tooMany), serverErrors: series((m) => m.serverErrors), sent, backlog, drainMinutes: backlog === 0 ? 0 : recent > 0 ? Math.ceil(backlog / recent) : null };
}

const VERIFICATION_KEY = 'verification';

function verificationOf(v: Record<string, unknown> | undefined): ControlState['verification'] {
  if (!v || typeof v.at !== 'string') return null;
  const n = (key: string) => (typeof v[key] === 'number' ? (v[key] as number) : 0);
  return { at: v.at, by: text(v.by) ?? '?', checked: n('checked'), disagreements: disagreementsOf(v), unchecked: n('unchecked'), sample: typeof v.sample === 'number' ? v.sample : null };
}

async function setPaused(conn: Connections, operator: Operator, paused: boolean, reason: string | null): Promise<ControlState> {
  const cleanReason = reason?.trim().slice(0, 500) || null;
  await conn.state.transaction(async (trx) => {
    await setControl(trx, PAUSED_KEY, { paused, by: operator.username, at: new Date().toISOString(), reason: cleanReason }, operator.username);
    await insertAudit(trx, [{ actor: operator.username, action: paused ? 'pause' : 'resume', target: 'sending', details: cleanReason ? { reason: cleanReason } : null }]);
  });
  return readControl(conn);
}

export const pause = (conn: Connections, operator: Operator, reason?: string) => setPaused(conn, operator, true, reason ?? null);
export const resume = (conn: Connections, operator: Operator) => setPaused(conn, operator, false, null);

const FOUNDATION = resourceTypes.filter((t) => t.foundation).map((t) => t.name);
/** A run queued or running longer than this is presumed lost (its daemon died): a new one may start. */
const STALE_RUN_MS = 60 * 60_000;

export async function regenerate(conn: Connections, type: string, operator: Operator): Promise<RegenerateResult> {
  const def = requireType(type);
  if (!def.foundation) throw new ExitError(EXIT.usage, `regenerate is only for foundation types (${FOUNDATION.join(', ')}), not ${type}`);
  // Redis first: when it is down no run row is left waiting for a job that never comes.
  const queues = await conn.queues();
  const active = (await activeRegenerations(conn.state)).find((r) => r.resourceType === def.name && Date.now() - Date.parse(r.startedAt) < STALE_RUN_MS);
  if (active) {
    // Re-adding the same job id is a no-op while it waits, and heals a flushed Redis.
    if (active.status === 'queued') await queues.addRegenerate({ kind: 'regenerate', type: def.name, runId: active.id, operator: active.requestedBy ?? operator.username });
    return { runId: active.id, alreadyQueued: true };
  }
  const runId = await insertRegenerateRun(conn.state, def.name, operator.username, hostname());
  try {
    await queues.addRegenerate({ kind: 'regenerate', type: def.name, runId, operator: operator.username });
  } catch (err) {
    await failQueuedRun(conn.state, runId, `could not queue: ${(err as Error).message}`).catch(() => undefined);
    throw err;
  }
  await insertAudit(conn.state, [{ actor: operator.username, action: 'regenerate', target: `type:${def.name}`, details: { runId } }]);
  return { runId, alreadyQueued: false };
}

export async function readAudit(state: Db, limit = 50): Promise<AuditEntry[]> {
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new ExitError(EXIT.usage, `audit limit must be 1 to 10000, got ${limit}`);
  return listAudit(state, limit);
}
