// `satusehat verify`: reads back from SATUSEHAT what we marked sent (and what we tried to send)
// and says where the two disagree. Missing: we say sent, the server has no such id. Changed: the
// stored resource no longer says what we last sent. Duplicated: more than one resource carries our
// identifier. Unknown: a resource carries the identifier of an item that does not name it (a lost
// answer). It paces itself to a share of the rate limit, so it can run beside the daemon.
import type { Db } from '../../shared/db/connect.js';
import { insertAudit } from '../../shared/db/state/audit-repo.js';
import { markChangedForUpdate, markForAdoption, markMissingForCreate } from '../../shared/db/state/items/index.js';
import { lastSentBodies, saveVerification, verifyCandidates, type VerificationSummary, type VerifyCandidate } from '../../shared/db/state/verify-repo.js';
import { registry, resourceTypeNames } from '../../shared/fhir/registry.js';
import type { Logger } from '../../shared/log/create-logger.js';
import { matchesOf, type SatusehatClient } from '../../shared/satusehat/client.js';
import { AuthUnavailableError, SatusehatTransportError } from '../../shared/satusehat/errors.js';
import { identifierOf, identifierSearchPath } from '../../shared/satusehat/outcome.js';
import { resourceDifferences } from '../../shared/satusehat/resource-diff.js';
import type { SendJobData } from '../../shared/types/items.js';
import { fhirTypeOf } from '../send/deps.js';

export type DisagreementKind = 'missing' | 'changed' | 'duplicated' | 'unknown';

export interface Disagreement {
  kind: DisagreementKind;
  itemId: number;
  type: string;
  sourceKey: string;
  status: string;
  satusehatId: string | null;
  /** Ids SATUSEHAT holds with this item's identifier (duplicated, unknown). */
  ids: string[];
  detail: string;
}

export interface Repair {
  itemId: number;
  kind: DisagreementKind;
  action: 'create_again' | 'update' | 'adopt' | 'manual';
  detail: string;
}

export interface VerifyReport extends Omit<VerificationSummary, 'at' | 'by'> {
  disagreements: Disagreement[];
  repairs: Repair[];
  /** Why some items could not be checked (first few). */
  errors: string[];
}

export interface VerifyDeps {
  state: Db;
  client: SatusehatClient;
  log: Logger;
  /** RATE_LIMIT_PER_MINUTE: verify takes at most `rateShare` of it. */
  rateLimitPerMinute: number;
  enqueue(jobs: SendJobData[]): Promise<void>;
}

export interface VerifyOptions {
  types?: string[];
  /** 'YYYY-MM-DD' */
  since?: string | null;
  sample?: number | null;
  /** 0..1 of the rate limit (default 0.2). */
  rateShare?: number;
  repair?: boolean;
  /** Who runs it (audit): an operator or 'daemon'. */
  by: string;
  onProgress?(checked: number): void;
  /** Stops between items (shutdown); what was checked so far is reported and saved. */
  signal?: AbortSignal;
}

/** Types we create: only those have something of ours on SATUSEHAT to compare. */
export const VERIFIABLE_TYPES = resourceTypeNames.filter((t) => registry[t].kind === 'create');

const PAGE = 200;

export async function runVerify(deps: VerifyDeps, options: VerifyOptions): Promise<VerifyReport> {
  const types = options.types ?? VERIFIABLE_TYPES;
  const pace = pacer(deps.rateLimitPerMinute * (options.rateShare ?? 0.2));
  const report: VerifyReport = { checked: 0, agree: 0, missing: 0, changed: 0, duplicated: 0, unknown: 0, unchecked: 0, sample: options.sample ?? null, repaired: 0, disagreements: [], repairs: [], errors: [] };
  let afterId = 0;
  for (;;) {
    const batch = await verifyCandidates(deps.state, { types, since: options.since, sample: options.sample, afterId, limit: options.sample ?? PAGE });
    if (batch.length === 0) break;
    const sent = await lastSentBodies(deps.state, batch.filter((c) => c.satusehatId).map((c) => c.id));
    for (const item of batch) {
      if (options.signal?.aborted) break;
      try {
        const found = await checkItem(deps, item, sent.get(item.id) ?? null, pace);
        report.checked += 1;
        if (found.length === 0) report.agree += 1;
        for (const d of found) {
          report[d.kind] += 1;
          report.disagreements.push(d);
        }
      } catch (err) {
        if (!(err instanceof SatusehatTransportError || err instanceof AuthUnavailableError || err instanceof CheckFailed)) throw err;
        report.unchecked += 1;
        if (report.errors.length < 5) report.errors.push(`${item.resourceType} ${item.sourceKey}: ${(err as Error).message}`);
      }
      options.onProgress?.(report.checked + report.unchecked);
    }
    if (options.sample || options.signal?.aborted) break;
    afterId = batch[batch.length - 1]!.id;
  }
  if (options.repair) await repairAll(deps, report, options.by);
  await saveVerification(deps.state, { at: new Date().toISOString(), by: options.by, ...summaryOf(report) });
  return report;
}

export const summaryOf = (r: VerifyReport): Omit<VerificationSummary, 'at' | 'by'> => ({
  checked: r.checked, agree: r.agree, missing: r.missing, changed: r.changed, duplicated: r.duplicated, unknown: r.unknown, unchecked: r.unchecked, sample: r.sample, repaired: r.repaired,
});

class CheckFailed extends Error {}

async function get(deps: VerifyDeps, path: string, pace: () => Promise<void>) {
  await pace();
  const response = await deps.client.request('GET', path);
  if (response.status !== 200 && response.status !== 404 && response.status !== 410) throw new CheckFailed(`GET ${path.split('?')[0]}: HTTP ${response.status}`);
  return response;
}

async function checkItem(deps: VerifyDeps, item: VerifyCandidate, lastSent: Record<string, unknown> | null, pace: () => Promise<void>): Promise<Disagreement[]> {
  const fhirType = fhirTypeOf(item.resourceType);
  const base = { itemId: item.id, type: item.resourceType, sourceKey: item.sourceKey, status: item.status, satusehatId: item.satusehatId };
  const out: Disagreement[] = [];
  let ownHeld = false;
  if (item.satusehatId) {
    const read = await get(deps, `${fhirType}/${encodeURIComponent(item.satusehatId)}`, pace);
    if (read.status === 200 && read.json) {
      ownHeld = true;
      const paths = lastSent ? resourceDifferences(lastSent, read.json) : [];
      if (paths.length > 0) out.push({ ...base, kind: 'changed', ids: [item.satusehatId], detail: `differs from what we last sent at ${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ` and ${paths.length - 5} more` : ''}` });
    } else {
      out.push({ ...base, kind: 'missing', ids: [], detail: `we say sent as ${fhirType}/${item.satusehatId}; SATUSEHAT answers HTTP ${read.status}` });
    }
  }
  const identifier = identifierOf(item.body);
  if (!identifier) return out;
  const search = await get(deps, identifierSearchPath(fhirType, identifier), pace);
  const ids = matchesOf(search).ids;
  const others = ids.filter((id) => id !== item.satusehatId);
  if (ids.length > 1) out.push({ ...base, kind: 'duplicated', ids, detail: `${ids.length} ${fhirType} resources carry ${identifier.system}|${identifier.value}: ${ids.join(', ')}` });
  else if (others.length > 0 && !ownHeld) out.push({ ...base, kind: 'unknown', ids: others, detail: `SATUSEHAT holds ${fhirType}/${others[0]} with this item's identifier, which the item (${item.status}) does not name` });
  return out;
}

/** Adopts what can be adopted, sends a changed resource again as an update; duplicates are for a person. */
async function repairAll(deps: VerifyDeps, report: VerifyReport, by: string): Promise<void> {
  const jobs: SendJobData[] = [];
  const byItem = new Map<number, Disagreement[]>();
  for (const d of report.disagreements) byItem.set(d.itemId, [...(byItem.get(d.itemId) ?? []), d]);
  for (const [itemId, found] of byItem) {
    const kinds = new Set(found.map((d) => d.kind));
    const first = found[0]!;
    let repair: Repair;
    let job: SendJobData | null = null;
    if (kinds.has('duplicated')) {
      repair = { itemId, kind: 'duplicated', action: 'manual', detail: `a facility cannot delete on SATUSEHAT: ask SATUSEHAT support to retire all but one of ${found.find((d) => d.kind === 'duplicated')!.ids.join(', ')}` };
    } else if (kinds.has('missing')) {
      job = await markMissingForCreate(deps.state, itemId, first.satusehatId!);
      repair = { itemId, kind: 'missing', action: kinds.has('unknown') ? 'adopt' : 'create_again', detail: kinds.has('unknown') ? 'looked up by identifier and adopted' : 'created again (looked up by identifier first)' };
    } else if (kinds.has('unknown')) {
      job = await markForAdoption(deps.state, itemId);
      repair = { itemId, kind: 'unknown', action: 'adopt', detail: `adopts ${first.ids[0]} (the item looks itself up by identifier)` };
    } else {
      job = await markChangedForUpdate(deps.state, itemId, first.satusehatId!);
      repair = { itemId, kind: 'changed', action: 'update', detail: `sent again as an update (PUT ${first.type}/${first.satusehatId})` };
    }
    if (repair.action !== 'manual' && !job) repair = { ...repair, action: 'manual', detail: 'the item changed since it was checked; run verify again' };
    if (job) jobs.push(job);
    report.repairs.push(repair);
    if (repair.action !== 'manual') report.repaired += 1;
    await insertAudit(deps.state, [{ actor: by, action: 'verify_repair', target: `item:${itemId}`, details: { kinds: [...kinds], action: repair.action, detail: repair.detail, ids: first.ids } }]);
  }
  await deps.enqueue(jobs);
}

/** At most `perMinute` calls a minute, spaced evenly; the shared rate limiter still applies on top. */
function pacer(perMinute: number): () => Promise<void> {
  const gapMs = 60_000 / Math.max(1, perMinute);
  let next = 0;
  return async () => {
    const now = Date.now();
    const wait = next - now;
    next = Math.max(now, next) + gapMs;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  };
}
