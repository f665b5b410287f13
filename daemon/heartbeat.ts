// The heartbeat every sending process writes (docs/operations.md, "Liveness"): status, the TUI and
// /healthz derive "running" or "daemon down since …" from it. A beat is one upsert of one row.
import { hostname } from 'node:os';
import type { Db } from '../shared/db/connect.js';
import { markHeartbeatStopped, pruneHeartbeats, writeHeartbeat, type HeartbeatWrite } from '../shared/db/state/heartbeat-repo.js';
import type { Logger } from '../shared/log/create-logger.js';
import { appVersion } from '../shared/version.js';

export type BeatState = Pick<HeartbeatWrite, 'doing' | 'paused' | 'circuit' | 'circuitReason' | 'circuitSince' | 'nextRunAt'>;

export interface Heartbeat {
  /** Writes a beat now (after a state change, so readers need not wait for the next interval). */
  beatNow(): Promise<void>;
  /** When this process last managed to write a beat (null: never). */
  lastWrittenAt(): Date | null;
  /** Stops beating and marks the row stopped. */
  stop(): Promise<void>;
}

export interface HeartbeatOptions {
  db: Db;
  log: Logger;
  instance: string;
  role: string;
  intervalMs: number;
  rateLimitPerMinute: number;
  describe(): BeatState;
}

export function startHeartbeat(o: HeartbeatOptions): Heartbeat {
  const startedAt = new Date();
  let lastWritten: Date | null = null;
  let failing = false;
  let stopped = false;
  let writing: Promise<void> | null = null;
  const beat = async () => {
    if (stopped) return;
    try {
      await writeHeartbeat(o.db, { instance: o.instance, role: o.role, host: hostname(), pid: process.pid, version: appVersion(), startedAt, intervalMs: o.intervalMs, rateLimitPerMinute: o.rateLimitPerMinute, ...o.describe() });
      lastWritten = new Date();
      if (failing) o.log.info('heartbeat written again');
      failing = false;
    } catch (err) {
      // One warning per outage, not one per beat; the migration may also be missing.
      if (!failing) o.log.warn({ err: (err as Error).message }, 'heartbeat not written: status and the TUI will call this process down');
      failing = true;
    }
  };
  // A beat asked for while one is being written follows it: the state changed after that one read it.
  let again = false;
  const beatNow = (): Promise<void> => {
    if (writing) {
      again = true;
      return writing;
    }
    writing = beat().finally(() => {
      writing = null;
      if (again) {
        again = false;
        void beatNow();
      }
    });
    return writing;
  };
  void pruneHeartbeats(o.db).catch(() => undefined);
  void beatNow();
  const timer = setInterval(() => void beatNow(), o.intervalMs);
  timer.unref();
  return {
    beatNow,
    lastWrittenAt: () => lastWritten,
    async stop() {
      clearInterval(timer);
      await writing;
      stopped = true;
      await markHeartbeatStopped(o.db, o.instance).catch((err: Error) => o.log.warn({ err: err.message }, 'heartbeat not marked stopped'));
    },
  };
}
