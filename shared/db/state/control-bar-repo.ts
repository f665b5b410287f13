// The control bar's side of `control_state` and `sync_runs`: the switches (one row per key: pause
// written by operators, circuit and schedule written by the daemon), the recent request count, the
// runs it shows, and the regenerations operators ask for. The daemon's side: daemon-orders-repo.ts.
import type { Db } from '../connect.js';
import { isoOrNull, parseJsonColumn } from './sql-values.js';

export interface ControlRow {
  value: Record<string, unknown>;
  updatedAt: string | null;
  updatedBy: string | null;
}

export async function getControlRows(db: Db, keys: string[]): Promise<Map<string, ControlRow>> {
  const rows = await db('control_state').select('key', 'value', 'updated_at', 'updated_by').whereIn('key', keys);
  return new Map(rows.map((r) => [String(r.key), { value: parseJsonColumn<Record<string, unknown>>(r.value, {}), updatedAt: isoOrNull(r.updated_at), updatedBy: r.updated_by ?? null }]));
}

export async function setControl(db: Db, key: string, value: Record<string, unknown>, by: string): Promise<void> {
  await db('control_state')
    .insert({ key, value: JSON.stringify(value), updated_at: db.fn.now(3), updated_by: by.slice(0, 100) })
    .onConflict('key')
    .merge(['value', 'updated_at', 'updated_by']);
}

export interface MinuteCounts {
  /** Minutes ago (0 = the current minute … 59). */
  minutesAgo: number;
  requests: number;
  tooMany: number;
  serverErrors: number;
  /** Items that became sent (2xx answers that were not look-ups). */
  sent: number;
}

/** Requests per minute over the last hour, with the 429s, 5xx and 2xx among them (attempts_started_idx). */
export async function requestsPerMinute(db: Db): Promise<MinuteCounts[]> {
  const [rows] = (await db.raw(
    // A Bundle's entries each have an attempt row marked '(transaction Bundle)': items sent, one request.
    `SELECT TIMESTAMPDIFF(MINUTE, started_at, NOW(3)) AS ago, SUM(url NOT LIKE '%(transaction Bundle)') AS n,
            SUM(http_code = 429 AND url NOT LIKE '%(transaction Bundle)') AS too_many, SUM(http_code >= 500 AND url NOT LIKE '%(transaction Bundle)') AS server_errors,
            SUM(http_code BETWEEN 200 AND 299 AND method <> 'GET') AS sent
       FROM attempts
      WHERE started_at > NOW(3) - INTERVAL 60 MINUTE
      GROUP BY ago`,
  )) as [Array<{ ago: number; n: number | string; too_many: number | string | null; server_errors: number | string | null; sent: number | string | null }>];
  return rows.filter((r) => Number(r.ago) >= 0 && Number(r.ago) < 60).map((r) => ({ minutesAgo: Number(r.ago), requests: Number(r.n), tooMany: Number(r.too_many ?? 0), serverErrors: Number(r.server_errors ?? 0), sent: Number(r.sent ?? 0) }));
}

/** Requests sent to SATUSEHAT in the last 60 s by every worker (attempts_started_idx). */
export async function attemptsLastMinute(db: Db): Promise<number> {
  // A Bundle's entries each get an attempt row; only the Bundle itself was a request.
  const rows = (await db('attempts').count({ n: '*' }).where('started_at', '>', db.raw('NOW(3) - INTERVAL 60 SECOND')).andWhereNot('url', 'like', '%(transaction Bundle)')) as Array<{ n: number | string }>;
  return Number(rows[0]?.n ?? 0);
}

export interface RunSummary {
  id: number;
  trigger: string;
  status: string;
  resourceType: string | null;
  requestedBy: string | null;
  progress: { done?: number; total?: number | null } | null;
  startedAt: string;
  finishedAt: string | null;
}

const RUN_COLUMNS = ['id', 'trigger', 'status', 'resource_type', 'requested_by', 'progress', 'started_at', 'finished_at'];

function toRun(r: Record<string, unknown>): RunSummary {
  return {
    id: Number(r.id),
    trigger: String(r.trigger),
    status: String(r.status),
    resourceType: (r.resource_type as string | null) ?? null,
    requestedBy: (r.requested_by as string | null) ?? null,
    progress: parseJsonColumn<RunSummary['progress']>(r.progress, null),
    startedAt: isoOrNull(r.started_at) ?? '',
    finishedAt: isoOrNull(r.finished_at),
  };
}

/** The newest run that has started (queued regenerations are not runs yet). */
export async function latestStartedRun(db: Db): Promise<RunSummary | null> {
  const row = await db('sync_runs').select(RUN_COLUMNS).whereNot('status', 'queued').orderBy('id', 'desc').first();
  return row ? toRun(row) : null;
}

/** Regenerations queued or running (sync_runs_trigger_status_idx), oldest first. */
export async function activeRegenerations(db: Db): Promise<RunSummary[]> {
  const rows = await db('sync_runs').select(RUN_COLUMNS).where('trigger', 'regenerate').whereIn('status', ['queued', 'running']).orderBy('id');
  return rows.map(toRun);
}

export async function insertRegenerateRun(db: Db, type: string, requestedBy: string, host: string): Promise<number> {
  const [id] = await db('sync_runs').insert({
    trigger: 'regenerate', status: 'queued', resource_type: type, requested_by: requestedBy.slice(0, 100), host: host.slice(0, 100),
    started_at: db.fn.now(3), progress: JSON.stringify({ done: 0, total: null }),
  });
  return Number(id);
}

/** A run that could not be handed to the daemon: closed at once with the reason. */
export async function failQueuedRun(db: Db, id: number, error: string): Promise<void> {
  await db('sync_runs').where({ id, status: 'queued' }).update({ status: 'failed', error: error.slice(0, 60_000), finished_at: db.fn.now(3) });
}
