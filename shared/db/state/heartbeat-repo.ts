// daemon_heartbeats (migration 20261202000003): written by every sending process, read by status,
// the TUI header and /healthz. Ages are computed by the database, one clock for every reader.
import type { Db } from '../connect.js';

export interface HeartbeatWrite {
  instance: string;
  role: string;
  host: string;
  pid: number;
  version: string;
  startedAt: Date;
  intervalMs: number;
  doing: string;
  paused: boolean;
  circuit: string;
  circuitReason: string | null;
  circuitSince: Date | null;
  nextRunAt: Date | null;
  rateLimitPerMinute: number;
}

export interface HeartbeatRow extends Omit<HeartbeatWrite, 'startedAt' | 'circuitSince' | 'nextRunAt'> {
  startedAt: string;
  beatAt: string;
  stoppedAt: string | null;
  circuitSince: string | null;
  nextRunAt: string | null;
  /** Milliseconds since the last beat, by the database's clock. */
  ageMs: number;
}

export async function writeHeartbeat(db: Db, beat: HeartbeatWrite): Promise<void> {
  const row = {
    instance: beat.instance.slice(0, 100), role: beat.role.slice(0, 20), host: beat.host.slice(0, 100), pid: beat.pid, version: beat.version.slice(0, 40),
    started_at: beat.startedAt, beat_at: db.fn.now(3), interval_ms: beat.intervalMs, stopped_at: null, doing: beat.doing.slice(0, 300), paused: beat.paused,
    circuit: beat.circuit.slice(0, 12), circuit_reason: beat.circuitReason?.slice(0, 300) ?? null, circuit_since: beat.circuitSince, next_run_at: beat.nextRunAt,
    rate_limit_per_minute: beat.rateLimitPerMinute,
  };
  await db('daemon_heartbeats').insert(row).onConflict('instance').merge();
}

/** An orderly shutdown: readers say "stopped at …" at once instead of waiting for missed beats. */
export async function markHeartbeatStopped(db: Db, instance: string): Promise<void> {
  await db('daemon_heartbeats').where('instance', instance).update({ stopped_at: db.fn.now(3), doing: 'stopped' });
}

/** Rows beaten in the last `days` days, newest beat first. */
export async function readHeartbeats(db: Db, days = 7): Promise<HeartbeatRow[]> {
  const rows = (await db('daemon_heartbeats')
    .select('*')
    .select(db.raw('TIMESTAMPDIFF(MICROSECOND, beat_at, NOW(3)) DIV 1000 AS age_ms'))
    .where('beat_at', '>', db.raw('NOW(3) - INTERVAL ? DAY', [days]))
    .orderBy('beat_at', 'desc')) as Array<Record<string, unknown>>;
  const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
  return rows.map((r) => ({
    instance: String(r.instance), role: String(r.role), host: String(r.host), pid: Number(r.pid), version: String(r.version),
    startedAt: iso(r.started_at)!, beatAt: iso(r.beat_at)!, stoppedAt: iso(r.stopped_at), intervalMs: Number(r.interval_ms), doing: String(r.doing ?? ''),
    paused: Boolean(r.paused), circuit: String(r.circuit), circuitReason: (r.circuit_reason as string | null) ?? null, circuitSince: iso(r.circuit_since),
    nextRunAt: iso(r.next_run_at), rateLimitPerMinute: Number(r.rate_limit_per_minute), ageMs: Math.max(0, Number(r.age_ms)),
  }));
}

/** Forgets processes not heard of for `days` days. */
export async function pruneHeartbeats(db: Db, days = 7): Promise<number> {
  return db('daemon_heartbeats').where('beat_at', '<', db.raw('NOW(3) - INTERVAL ? DAY', [days])).del();
}
