// "Is anything sending?" from the heartbeat rows (daemon/heartbeat.ts), never from the schedule.
// Pure: the ages come from the database's clock.
import type { HeartbeatRow } from '../db/state/heartbeat-repo.js';
import type { Liveness, SenderInstance } from './api.js';

/** A process is live while its last beat is younger than two of its own intervals (plus a second of slack). */
export const isLive = (row: Pick<HeartbeatRow, 'ageMs' | 'intervalMs' | 'stoppedAt'>) => row.stoppedAt === null && row.ageMs <= 2 * row.intervalMs + 1_000;

const instanceOf = (r: HeartbeatRow): SenderInstance => ({
  instance: r.instance, role: r.role, host: r.host, pid: r.pid, version: r.version, startedAt: r.startedAt, beatAt: r.beatAt, ageMs: r.ageMs,
  stoppedAt: r.stoppedAt, doing: r.doing, circuit: r.circuit === 'open' ? 'open' : 'closed', circuitReason: r.circuitReason, circuitSince: r.circuitSince,
  nextRunAt: r.nextRunAt, rateLimitPerMinute: r.rateLimitPerMinute,
});

export function livenessOf(rows: HeartbeatRow[]): Liveness {
  const live = rows.filter(isLive).map(instanceOf);
  const daemons = live.filter((i) => i.role === 'daemon');
  const others = live.filter((i) => i.role !== 'daemon');
  // rows are newest beat first: the first daemon row is the one last heard of.
  const lastRow = rows.find((r) => r.role === 'daemon');
  const last = lastRow ? instanceOf(lastRow) : null;
  const state: Liveness['state'] = daemons.length > 0 ? 'running' : !last ? 'never' : last.stoppedAt ? 'stopped' : 'down';
  const since = state === 'running' ? daemons.map((d) => d.startedAt).sort()[0]! : state === 'stopped' ? last!.stoppedAt : state === 'down' ? last!.beatAt : null;
  const open = live.find((i) => i.circuit === 'open');
  const next = daemons.map((d) => d.nextRunAt).filter((n): n is string => n !== null).sort()[0] ?? null;
  return {
    state, since, daemons, others, last: state === 'running' ? null : last,
    sending: live.length > 0,
    circuit: live.length === 0 ? 'unknown' : open ? 'open' : 'closed',
    circuitReason: open?.circuitReason ?? null,
    circuitSince: open?.circuitSince ?? null,
    circuitOwner: open?.instance ?? null,
    nextRunAt: next,
    rateLimitPerMinute: live[0]?.rateLimitPerMinute ?? null,
  };
}

/** The command that starts a daemon, for messages that say nothing will happen until one runs. */
export const START_DAEMON_HINT = 'start one with `satusehat daemon` (production: `pm2 start ecosystem.config.cjs`)';

/** One sentence for a write recorded while no process sends: nothing happens until a daemon runs. */
export function noSenderNotice(l: Liveness, what: string): string | null {
  if (l.sending) return null;
  const when = l.state === 'never' ? 'no daemon has run against this state database' : l.state === 'stopped' ? `the daemon stopped at ${l.since}` : `no daemon is running (last heard of ${l.since})`;
  return `${what} recorded, but ${when}: nothing is sent until one runs; ${START_DAEMON_HINT}`;
}
