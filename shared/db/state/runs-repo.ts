import { hostname } from 'node:os';
import type { Db } from '../connect.js';

export type RunTrigger = 'schedule' | 'once' | 'regenerate' | 'demo';

export async function startRun(db: Db, trigger: RunTrigger): Promise<number> {
  const [id] = await db('sync_runs').insert({ trigger, host: hostname().slice(0, 100), status: 'running', started_at: db.fn.now(3) });
  return Number(id);
}

export async function finishRun(db: Db, id: number, status: 'ok' | 'failed', counts: unknown, error?: string): Promise<void> {
  await db('sync_runs').where({ id }).update({ status, counts: JSON.stringify(counts), error: error ?? null, finished_at: db.fn.now(3) });
}

export interface RunRow {
  id: number;
  trigger: string;
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
}

export async function lastRun(db: Db, status?: 'ok' | 'failed'): Promise<RunRow | null> {
  const q = db('sync_runs').select('id', 'trigger', 'status', 'started_at', 'finished_at').orderBy('id', 'desc').first();
  if (status) q.where({ status });
  const row = await q;
  return row ? { id: row.id, trigger: row.trigger, status: row.status, startedAt: row.started_at, finishedAt: row.finished_at } : null;
}
