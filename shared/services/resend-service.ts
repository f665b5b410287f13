// Resend (Kirim Ulang): chosen items go back to not_sent, get a job {itemId, revision} and become
// queued. lookup_first is left as it is: after an unknown outcome it still guards against a
// duplicate create. Blocked items are not resent: they leave by themselves when their parent is sent.
import { insertAudit } from '../db/state/audit-repo.js';
import { nextIds } from '../db/state/items-query-repo.js';
import { markForResend, markQueued, resendCandidates, type ResendCandidate } from '../db/state/items/index.js';
import { ExitError, EXIT } from '../errors.js';
import type { ItemStatus } from '../types/items.js';
import type { ItemListQuery, Operator, ResendMatchingResult, ResendOptions, ResendResult } from './api.js';
import type { Connections } from './connections.js';
import { toFilter } from './items-service.js';

/** Statuses a resend may start from (sent only with force). */
export const RESENDABLE: readonly ItemStatus[] = ['failed', 'invalid', 'not_sent', 'checking'];
const BATCH = 1000;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Why this item cannot be resent now, or null when it can. */
export function resendRefusal(c: Pick<ResendCandidate, 'status' | 'currentRevision' | 'satusehatId' | 'blockedBy' | 'lastError'>, force: boolean): string | null {
  switch (c.status) {
    case 'failed':
    case 'not_sent':
    case 'checking': // it looks itself up first (lookup_first): sending again never creates a copy
      return null;
    case 'invalid':
      return c.currentRevision > 0 ? null : `invalid and no request was built (${clip(c.lastError ?? 'see items show', 120)}): fix the data in Dekacare`;
    case 'sent':
      return force ? null : `already sent (SATUSEHAT id ${c.satusehatId ?? '?'}); force it to go again as an update (TUI: F, CLI: resend --force)`;
    case 'queued':
      return 'already queued';
    case 'sending':
      return 'being sent right now';
    case 'blocked':
      return `blocked: sent by itself once its parent is (${c.blockedBy ?? 'waiting for a parent'})`;
  }
}

/** A batch's result, plus how many were eligible when looked at (queued or lost to a race). */
type BatchResult = ResendResult & { eligible: number[] };

async function resendBatch(conn: Connections, ids: number[], operator: Operator, opts: ResendOptions & { bulk?: boolean }): Promise<BatchResult> {
  const found = new Map((await resendCandidates(conn.state, ids)).map((c) => [c.id, c]));
  const skipped: ResendResult['skipped'] = [];
  const eligible: ResendCandidate[] = [];
  for (const id of ids) {
    const c = found.get(id);
    const reason = c ? resendRefusal(c, Boolean(opts.force)) : 'not found';
    if (reason) skipped.push({ id, reason });
    else eligible.push(c!);
  }
  const eligibleIds = eligible.map((c) => c.id);
  if (opts.dryRun || eligible.length === 0) return { queued: eligibleIds, skipped, eligible: eligibleIds };

  // Redis first: when it is down nothing changes and the caller gets one clear line.
  const queues = await conn.queues();
  const changed = await markForResend(conn.state, eligible, (c) => ({
    actor: operator.username, action: 'resend', target: `item:${c.id}`,
    details: { type: c.type, revision: c.currentRevision, from: c.status, force: Boolean(opts.force), ...(opts.bulk ? { bulk: true } : {}) },
  }));
  const changedIds = new Set(changed.map((c) => c.id));
  for (const c of eligible) if (!changedIds.has(c.id)) skipped.push({ id: c.id, reason: 'its status changed meanwhile: look again' });
  if (changed.length > 0) {
    // If this fails the items stay not_sent and the daemon's reconciler queues them anyway.
    await queues.addSends(changed.map((c) => ({ itemId: c.id, revision: c.currentRevision })));
    await markQueued(conn.state, changed.map((c) => c.id));
  }
  return { queued: changed.map((c) => c.id), skipped, eligible: eligibleIds };
}

export async function resend(conn: Connections, ids: number[], operator: Operator, opts: ResendOptions = {}): Promise<ResendResult> {
  for (const id of ids) if (!Number.isSafeInteger(id) || id < 1) throw new ExitError(EXIT.usage, `item id must be a positive whole number, got ${id}`);
  const unique = [...new Set(ids)];
  const result: ResendResult = { queued: [], skipped: [] };
  for (let i = 0; i < unique.length; i += BATCH) {
    const part = await resendBatch(conn, unique.slice(i, i + BATCH), operator, opts);
    result.queued.push(...part.queued);
    result.skipped.push(...part.skipped);
  }
  return result;
}

export async function resendMatching(conn: Connections, q: ItemListQuery, operator: Operator, opts: { dryRun: boolean }): Promise<ResendMatchingResult> {
  const filter = toFilter(q);
  const statuses = (filter.statuses ?? RESENDABLE).filter((s) => RESENDABLE.includes(s));
  const result: ResendMatchingResult = { matched: 0, queued: 0, sampleIds: [] };
  if (statuses.length === 0) return result;
  // Keyset over ids, so items changing status while we walk are neither skipped nor repeated.
  let after = 0;
  for (;;) {
    const ids = await nextIds(conn.state, { ...filter, statuses }, after, BATCH);
    if (ids.length === 0) break;
    after = ids[ids.length - 1]!;
    const part = await resendBatch(conn, ids, operator, { dryRun: opts.dryRun, bulk: true });
    result.matched += part.eligible.length;
    result.queued += opts.dryRun ? 0 : part.queued.length;
    for (const id of part.eligible) if (result.sampleIds.length < 10) result.sampleIds.push(id);
  }
  if (!opts.dryRun) {
    await insertAudit(conn.state, [{ actor: operator.username, action: 'resend_bulk', target: `type:${q.type}`, details: { query: { ...q, page: undefined, pageSize: undefined }, matched: result.matched, queued: result.queued } }]);
  }
  return result;
}

