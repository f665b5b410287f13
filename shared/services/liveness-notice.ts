// What a write from the TUI or CLI says when nothing will act on it: no live heartbeat.
import type { Db } from '../db/connect.js';
import { readHeartbeats } from '../db/state/heartbeat-repo.js';
import { livenessOf, noSenderNotice } from './liveness.js';

/**
 * null when a process will act on the write: any live sender for queued items, a live daemon for
 * a regeneration (only the daemon takes those). Else one sentence with the command to start one.
 */
export async function waitingNotice(state: Db, needs: 'sender' | 'daemon', what: string): Promise<string | null> {
  const liveness = livenessOf(await readHeartbeats(state));
  if (needs === 'daemon' && liveness.state === 'running') return null;
  return noSenderNotice(needs === 'daemon' ? { ...liveness, sending: false } : liveness, what);
}
