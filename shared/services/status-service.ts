// The figures of the dashboard cards and `satusehat status`: one row per resource type.
import type { Db } from '../db/connect.js';
import { countByTypeAndStatus, topProblems } from '../db/state/status-repo.js';
import { plannedTypes } from '../fhir/registry.js';
import type { MedicationMode } from '../fhir/types.js';
import type { ItemStatus } from '../types/items.js';

export interface TypeStatus {
  type: string;
  sent: number;
  total: number;
  /** Whole percent of sent / total, rounded down so 100 means everything. */
  percent: number;
  /** Queued + sending: what the dispatcher is working on right now. */
  inProcess: number;
  queued: number;
  sending: number;
  notSent: number;
  blocked: number;
  failed: number;
  invalid: number;
  /** Outcome unknown, SATUSEHAT asked again by identifier until it answers (never counted failed). */
  checking: number;
  lastSuccessAt: string | null;
}

export { topProblems, type ProblemRow } from '../db/state/status-repo.js';

/** Items that became failed or invalid during the run (what a cron mail is for; known bad rows are in status). */
export const problemsOfRun = (state: Db, runId: number) => topProblems(state, 12, { statuses: ['failed', 'invalid'], changedSinceRun: runId });

/**
 * One row per type the configuration plans items for, plus any other type that has items (e.g.
 * Medication items from a former `MEDICATION_MODE=separate`), so no card stays at 0 % for ever.
 */
export async function getStatus(state: Db, date?: string, medicationMode?: MedicationMode): Promise<TypeStatus[]> {
  const rows = await countByTypeAndStatus(state, date);
  const planned: readonly string[] = plannedTypes(medicationMode);
  const types = [...planned, ...new Set(rows.map((r) => r.resourceType).filter((t) => !planned.includes(t)))];
  return types.map((type) => {
    const mine = rows.filter((r) => r.resourceType === type);
    const count = (status: ItemStatus) => mine.find((r) => r.status === status)?.count ?? 0;
    const total = mine.reduce((sum, r) => sum + r.count, 0);
    const sent = count('sent');
    const last = mine.find((r) => r.status === 'sent')?.lastSentAt ?? null;
    return {
      type,
      sent,
      total,
      percent: total === 0 ? 0 : Math.floor((sent * 100) / total),
      inProcess: count('queued') + count('sending'),
      queued: count('queued'),
      sending: count('sending'),
      notSent: count('not_sent'),
      blocked: count('blocked'),
      failed: count('failed'),
      invalid: count('invalid'),
      checking: count('checking'),
      lastSuccessAt: last ? last.toISOString() : null,
    };
  });
}

export function totals(rows: TypeStatus[]): Omit<TypeStatus, 'type' | 'percent' | 'lastSuccessAt'> {
  const sum = (key: keyof TypeStatus) => rows.reduce((acc, r) => acc + (r[key] as number), 0);
  return {
    sent: sum('sent'), total: sum('total'), inProcess: sum('inProcess'), queued: sum('queued'), sending: sum('sending'),
    notSent: sum('notSent'), blocked: sum('blocked'), failed: sum('failed'), invalid: sum('invalid'), checking: sum('checking'),
  };
}
