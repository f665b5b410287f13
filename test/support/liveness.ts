// Liveness fixtures for view-model and TUI tests: one live daemon, or none.
import type { ControlState, Liveness, SenderInstance } from '../../shared/services/api.js';

export function senderInstance(over: Partial<SenderInstance> = {}): SenderInstance {
  return {
    instance: 'host:4242:daemon', role: 'daemon', host: 'host', pid: 4242, version: '0.1.0', startedAt: '2026-11-20T08:00:00.000Z', beatAt: '2026-11-20T09:59:58.000Z',
    ageMs: 2_000, stoppedAt: null, doing: 'idle', circuit: 'closed', circuitReason: null, circuitSince: null, nextRunAt: null, rateLimitPerMinute: 150, ...over,
  };
}

export function runningLiveness(over: Partial<Liveness> = {}): Liveness {
  const daemon = senderInstance();
  return {
    state: 'running', since: daemon.startedAt, daemons: [daemon], others: [], last: null, sending: true, circuit: 'closed', circuitReason: null, circuitSince: null,
    circuitOwner: null, nextRunAt: null, rateLimitPerMinute: 150, ...over,
  };
}

/** No live sender: the daemon's last beat was at `since`. */
export function downLiveness(since = '2026-11-20T09:50:00.000Z', state: Liveness['state'] = 'down'): Liveness {
  return {
    state, since: state === 'never' ? null : since, daemons: [], others: [], last: state === 'never' ? null : senderInstance({ beatAt: since, ageMs: 600_000 }), sending: false,
    circuit: 'unknown', circuitReason: null, circuitSince: null, circuitOwner: null, nextRunAt: null, rateLimitPerMinute: null,
  };
}

/** A quiet last hour: nothing sent, nothing waiting. */
export function idleActivity(): ControlState['activity'] {
  const zeros = () => new Array<number>(60).fill(0);
  return { requests: zeros(), tooMany: zeros(), serverErrors: zeros(), sent: zeros(), backlog: 0, drainMinutes: 0 };
}
