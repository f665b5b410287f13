// What `satusehat verify` reads and writes in the state DB: the items to check against SATUSEHAT,
// what we last sent for each, the repairs, and the last verification's summary (control_state).
import type { Db } from '../connect.js';
import { getControlRows, setControl } from './control-bar-repo.js';

export interface VerifyCandidate {
  id: number;
  resourceType: string;
  sourceKey: string;
  status: string;
  satusehatId: string | null;
  revision: number;
  /** The current revision's body: its identifier is what SATUSEHAT is searched by. */
  body: Record<string, unknown> | null;
}

export interface CandidateQuery {
  /** Registry names of the types we create (lookups have nothing of ours to compare). */
  types: readonly string[];
  /** Only items sent (or last tried) on or after this date, 'YYYY-MM-DD' (the state DB's clock). */
  since?: string | null;
  /** A random sample of this many instead of every item. */
  sample?: number | null;
  afterId?: number;
  limit: number;
}

/**
 * Items SATUSEHAT may hold something of: sent ones (with their id), and unsent ones that were
 * ever tried (a lost answer may have stored them). In id order, or a random sample.
 */
export async function verifyCandidates(db: Db, q: CandidateQuery): Promise<VerifyCandidate[]> {
  const query = db('items as i')
    .join('request_revisions as r', function () {
      this.on('r.item_id', 'i.id').andOn('r.revision', 'i.current_revision');
    })
    .select('i.id', 'i.resource_type', 'i.source_key', 'i.status', 'i.satusehat_id', 'i.current_revision', 'r.body')
    .whereIn('i.resource_type', [...q.types])
    .andWhere((w) => w.where((s) => s.where('i.status', 'sent').whereNotNull('i.satusehat_id')).orWhere((u) => u.whereNot('i.status', 'sent').andWhere('i.attempt_count', '>', 0)))
    .limit(q.limit);
  if (q.since) {
    const from = `${q.since} 00:00:00`;
    query.andWhere((w) => w.where('i.sent_at', '>=', from).orWhere((u) => u.whereNull('i.sent_at').andWhere('i.updated_at', '>=', from)));
  }
  if (q.sample) query.orderByRaw('RAND()');
  else query.andWhere('i.id', '>', q.afterId ?? 0).orderBy('i.id');
  const rows = await query;
  return rows.map((r) => ({
    id: Number(r.id),
    resourceType: String(r.resource_type),
    sourceKey: String(r.source_key),
    status: String(r.status),
    satusehatId: r.satusehat_id ?? null,
    revision: Number(r.current_revision),
    body: typeof r.body === 'string' ? JSON.parse(r.body) : (r.body ?? null),
  }));
}

/**
 * What we last wrote for each item: the body of its newest POST or PUT (a Bundle's Encounter: its
 * own entry; a Bundle's other members: their own attempts hold their entry's resource).
 */
export async function lastSentBodies(db: Db, itemIds: number[]): Promise<Map<number, Record<string, unknown>>> {
  const out = new Map<number, Record<string, unknown>>();
  if (itemIds.length === 0) return out;
  const newest = db('attempts').select('item_id').max({ id: 'id' }).whereIn('item_id', itemIds).whereIn('method', ['POST', 'PUT']).whereNotNull('request_body').groupBy('item_id').as('m');
  const rows = await db('attempts as a').join(newest, 'm.id', 'a.id').select('a.item_id', 'a.request_body');
  for (const r of rows) {
    const body = (typeof r.request_body === 'string' ? JSON.parse(r.request_body) : r.request_body) as Record<string, unknown> | null;
    const resource = body?.resourceType === 'Bundle' ? ((body.entry as Array<{ resource?: Record<string, unknown> }> | undefined)?.[0]?.resource ?? null) : body;
    if (resource) out.set(Number(r.item_id), resource);
  }
  return out;
}

export interface VerificationSummary {
  at: string;
  by: string;
  checked: number;
  agree: number;
  missing: number;
  changed: number;
  duplicated: number;
  unknown: number;
  /** Requests the check could not make (SATUSEHAT errors): those items are not known to agree. */
  unchecked: number;
  sample: number | null;
  repaired: number;
}

export const DISAGREEMENT_KINDS = ['missing', 'changed', 'duplicated', 'unknown'] as const;

/** How many items of a verification disagree with SATUSEHAT, whatever the kind. */
export const disagreementsOf = (s: Partial<Record<(typeof DISAGREEMENT_KINDS)[number], unknown>>): number =>
  DISAGREEMENT_KINDS.reduce((n, kind) => n + (typeof s[kind] === 'number' ? (s[kind] as number) : 0), 0);

export async function saveVerification(db: Db, summary: VerificationSummary): Promise<void> {
  await setControl(db, 'verification', { ...summary }, summary.by);
}

export async function readVerification(db: Db): Promise<VerificationSummary | null> {
  const row = (await getControlRows(db, ['verification'])).get('verification');
  return row ? (row.value as unknown as VerificationSummary) : null;
}
