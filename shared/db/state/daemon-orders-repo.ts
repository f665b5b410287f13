// The daemon's side of control_state and sync_runs: the orders it takes (the operators' pause
// switch, queued regeneration runs it claims) and what it reports back (circuit, schedule, progress).
// The control bar's side: control-bar-repo.ts.
import type { Db } from '../connect.js';
import { setControl } from './control-bar-repo.js';

export async function readPaused(db: Db): Promise<boolean> {
  const row = await db('control_state').select('value').where('key', 'paused').first();
  if (!row) return false;
  const value = typeof row.value === 'string' ? JSON.parse(row.value) : row.value;
  return Boolean(value?.paused);
}

export async function publishControl(db: Db, key: 'circuit' | 'schedule', value: Record<string, unknown>, by: string): Promise<void> {
  await setControl(db, key, value, by);
}

/** Claims a queued regeneration run (compare-and-set: one daemon runs it). */
export async function startQueuedRun(db: Db, runId: number, host: string): Promise<boolean> {
  const n = await db('sync_runs').where({ id: runId, status: 'queued' }).update({ status: 'running', host: host.slice(0, 100), started_at: db.fn.now(3) });
  return n > 0;
}

export async function updateRunProgress(db: Db, runId: number, done: number, total: number | null): Promise<void> {
  await db('sync_runs').where({ id: runId }).update({ progress: JSON.stringify({ done, total }) });
}
