// Transaction-Bundle mode: a new Encounter travels with its Conditions, Observations, Procedures
// (every registry type with bundle: 'visit' whose only unsent parent is this Encounter) in one
// all-or-nothing request. More data per request under the same rate limit.
import { createHash } from 'node:crypto';
import { claimBundleChildren, clearVisitLookups, type BundleClaim } from '../../shared/db/state/bundle-claim-repo.js';
import {
  finishSendMany, noteParentFailure, parentIds, releaseBlocked, releaseClaims, sentIdIn, sentNameIn,
  type AttemptRecord, type ClaimedItem, type FinishEntry, type SendOutcome,
} from '../../shared/db/state/items-repo.js';
import { restoreDiagnosis } from '../../shared/fhir/diagnosis-refs.js';
import { hasErrorIssue, parseOperationOutcome } from '../../shared/fhir/operation-outcome.js';
import { listPlaceholders, replaceReferences, resolvePlaceholders } from '../../shared/fhir/placeholders.js';
import { registry } from '../../shared/fhir/registry.js';
import {
  errorClassOf, exchange, failureText, isDuplicate, isRetryableStatus, newAttemptLog, retryOutcome, type AttemptLog, type JudgedResponse,
} from './exchange.js';
import { localValidationErrors } from './local-validation.js';
import { afterCommitFailures, blockForParents, findExisting, fhirTypeOf, outcomeOfError, settle, type SendDeps, type SendResult } from './send-common.js';

interface Entry {
  item: ClaimedItem;
  fullUrl: string;
  body: Record<string, unknown>;
}

const urns = new WeakMap<ClaimedItem, string>();

/** A stable urn:uuid per item revision, so a retried Bundle is the same Bundle. */
function urnFor(item: ClaimedItem): string {
  let urn = urns.get(item);
  if (!urn) urns.set(item, (urn = computeUrn(item)));
  return urn;
}

function computeUrn(item: ClaimedItem): string {
  const h = createHash('sha1').update(`item:${item.id}:${item.revision}`).digest('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A member that references nothing (a pulled-in Medication): it waits for no one. */
const isParentless = (item: ClaimedItem) => listPlaceholders(item.body).length === 0;

const visitTypes = () => Object.values(registry).filter((d) => d.bundle === 'visit').map((d) => d.name as string);

/** Builds the child entries; children that cannot go (a parent lost its id, invalid) are set aside. */
async function prepareChildren(encounter: ClaimedItem, encounterUrn: string, claim: BundleClaim, deps: SendDeps): Promise<Entry[]> {
  const children = claim.items;
  // Every member of the Bundle is referenced by its urn:uuid, the rest by SATUSEHAT id.
  const urnOf = new Map<string, string>([[`Encounter/{{Encounter:${encounter.sourceKey}}}`, encounterUrn]]);
  for (const c of children) urnOf.set(`${fhirTypeOf(c.resourceType)}/{{${c.resourceType}:${c.sourceKey}}}`, urnFor(c));
  const withUrns = children.map((c) => ({ item: c, body: replaceReferences(c.body, urnOf) as Record<string, unknown> }));
  // The claim brought the outside parents' states; a parent it did not see (changed since) is read.
  const states = await parentIds(deps.db, withUrns.flatMap((c) => listPlaceholders(c.body)), claim.outsideParents);
  const entries: Entry[] = [];
  const dropped = new Set<string>();
  for (const child of withUrns) {
    // A child whose in-Bundle parent was set aside cannot go either.
    if ([...dropped].some((urn) => JSON.stringify(child.body).includes(urn))) {
      await blockForParents(deps, [child.item.id], 'waiting for a parent that could not go in the visit Bundle');
      dropped.add(urnFor(child.item));
      continue;
    }
    const resolved = resolvePlaceholders(child.body, sentIdIn(states), sentNameIn(states));
    if (!resolved.ok) {
      await blockForParents(deps, [child.item.id], `waiting for ${resolved.missing.map((m) => `${m.type} ${m.sourceKey}`).join(', ')} to be sent`);
      dropped.add(urnFor(child.item));
      continue;
    }
    const errors = deps.validate === false ? [] : localValidationErrors(resolved.body, Date.now(), deps.minResourceDate);
    if (errors.length > 0) {
      await settle(child.item, newAttemptLog(), { status: 'invalid', httpCode: null, errorClass: 'invalid', lastError: `local validation: ${errors.join('; ')}`, lookupFirst: child.item.lookupFirst }, deps, null);
      dropped.add(urnFor(child.item));
      continue;
    }
    entries.push({ item: child.item, fullUrl: urnFor(child.item), body: resolved.body });
  }
  return entries;
}

function idFromEntryResponse(response: { resourceID?: string; location?: string } | undefined): string | null {
  if (response?.resourceID) return response.resourceID;
  const match = response?.location?.match(/([A-Za-z]+)\/([^/]+)(\/_history\/[^/]+)?$/);
  return match?.[2] ?? null;
}

/** What SATUSEHAT said about one entry: its messages, and the part of the answer that is its own. */
interface Blame {
  messages: string[];
  body: unknown;
}

interface EntryResponse {
  status?: string;
  resourceID?: string;
  location?: string;
  outcome?: unknown;
}

type OutcomeIssue = { expression?: string[]; details?: { text?: string }; diagnostics?: string };

/**
 * Entry indexes SATUSEHAT blamed: from one OperationOutcome's expressions like
 * `Bundle.entry[2].resource.code`, or from a transaction-response Bundle whose entries carry
 * their own `response.outcome` (reference A13). Either way each entry keeps its own part.
 */
function blamedEntries(response: JudgedResponse): Map<number, Blame> {
  const blamed = new Map<number, Blame>();
  const entries = response.json?.resourceType === 'Bundle' ? ((response.json.entry as Array<{ response?: EntryResponse }> | undefined) ?? []) : [];
  entries.forEach((entry, index) => {
    const outcome = entry.response?.outcome;
    if (hasErrorIssue(outcome)) blamed.set(index, { messages: parseOperationOutcome(outcome).messages, body: entry.response });
  });
  const issues = response.json?.resourceType === 'OperationOutcome' ? ((response.json.issue as OutcomeIssue[] | undefined) ?? []) : [];
  const own = new Map<number, OutcomeIssue[]>();
  for (const issue of issues) {
    const text = issue.details?.text ?? issue.diagnostics ?? 'rejected';
    for (const expression of issue.expression ?? []) {
      const index = Number(/Bundle\.entry\[(\d+)\]/.exec(expression)?.[1]);
      if (!Number.isInteger(index)) continue;
      const blame = blamed.get(index) ?? { messages: [], body: null };
      blamed.set(index, { ...blame, messages: [...blame.messages, `${expression}: ${text}`] });
      own.set(index, [...(own.get(index) ?? []), issue]);
    }
  }
  for (const [index, ownIssues] of own) blamed.get(index)!.body = { ...response.json, issue: ownIssues };
  return blamed;
}

/** The part of the Bundle exchange that concerns one child, as its own attempt row. */
function childAttempt(bundleAttempt: AttemptRecord, entry: Entry, response: unknown, httpCode: number | null, errorClass: string | null, message: string | null): AttemptRecord {
  const parsed = message ? parseOperationOutcome(message) : { ruleNumbers: [] as string[] };
  return { ...bundleAttempt, url: `${bundleAttempt.url} (transaction Bundle)`, requestBody: entry.body, responseBody: response === null ? null : JSON.stringify(response), httpCode, errorClass, errorMessage: message, ruleNumbers: parsed.ruleNumbers };
}

/**
 * A stored Bundle is recorded once, not twice: every entry's resource is in its own item's attempt,
 * so the Encounter's attempt keeps its own entry and, for the others, where to find them.
 */
function envelopeOnly(bundleAttempt: AttemptRecord, entries: Entry[]): AttemptRecord {
  const bundle = bundleAttempt.requestBody as { entry: Array<Record<string, unknown>> } & Record<string, unknown>;
  const entry = bundle.entry.map((e, i) => (i === 0 ? e : { fullUrl: e.fullUrl, request: e.request, resourceInAttemptOfItem: entries[i]!.item.id }));
  return { ...bundleAttempt, requestBody: { ...bundle, entry } };
}

/**
 * The Bundle's outcome is unknown or it must be retried: its members wait again, each marked to
 * look itself up first. Members with no parents (a pulled-in Medication) are not waiting for
 * anything, so they go back on the queue instead of staying blocked.
 */
async function releaseChildrenForRetry(encounter: ClaimedItem, childEntries: Entry[], deps: SendDeps): Promise<void> {
  const parentless = childEntries.filter((e) => isParentless(e.item));
  const linked = childEntries.filter((e) => !parentless.includes(e));
  await blockForParents(deps, linked.map((e) => e.item.id), `waiting for Encounter ${encounter.sourceKey} to be sent`, { lookupFirst: true });
  await releaseClaims(deps.db, parentless.map((e) => e.item.id), deps.workerId, 'not_sent', null, true);
  await deps.enqueue(parentless.map((e) => ({ itemId: e.item.id, revision: e.item.revision })));
}

/**
 * The Encounter with its diagnosis put back: each Condition travelling in this Bundle by its
 * urn:uuid, one sent already by its id. Conditions that cannot go now are left out; when one is
 * sent later, it sends the Encounter again (process-send.ts).
 */
async function withBundleDiagnosis(encounterBody: Record<string, unknown>, diagnosis: unknown[], childEntries: Entry[], deps: SendDeps): Promise<Record<string, unknown>> {
  if (diagnosis.length === 0) return encounterBody;
  const inBundle = new Map(childEntries.filter((e) => e.item.resourceType === 'Condition').map((e) => [e.item.sourceKey, e.fullUrl]));
  const outside = listPlaceholders(diagnosis).filter((ref) => !inBundle.has(ref.sourceKey));
  const idOf = sentIdIn(outside.length > 0 ? await parentIds(deps.db, outside) : new Map());
  return restoreDiagnosis(encounterBody, diagnosis, (ref) => {
    const id = idOf(ref);
    return inBundle.get(ref.sourceKey) ?? (id === undefined ? undefined : `Condition/${id}`);
  }).body;
}

export async function sendVisitBundle(encounter: ClaimedItem, bodyWithoutDiagnosis: Record<string, unknown>, diagnosis: unknown[], deps: SendDeps, isLast: boolean): Promise<SendResult> {
  let encounterBody = bodyWithoutDiagnosis;
  const attempts = newAttemptLog();
  // Unknown outcome of an earlier try, looked up before any child is claimed: stored means the
  // whole Bundle was (its children, still marked, then look themselves up); not stored means
  // none of it was, so its children may travel in this Bundle again.
  if (encounter.lookupFirst) {
    try {
      const existing = await findExisting('Encounter', encounterBody, deps, attempts);
      if (existing) return await settle(encounter, attempts, { status: 'sent', httpCode: 200, satusehatId: existing, errorClass: null, lastError: null, lookupFirst: false }, deps, null);
      await clearVisitLookups(deps.db, encounter.sourceKey);
    } catch (err) {
      const { outcome, retryAfterMs } = await outcomeOfError(err, isLast, true, attempts, () => releaseClaims(deps.db, [encounter.id], deps.workerId, 'queued', null, true));
      return settle(encounter, attempts, outcome, deps, retryAfterMs);
    }
  }
  const encounterUrn = urnFor(encounter);
  const claim = await claimBundleChildren(deps.db, encounter.sourceKey, visitTypes(), deps.workerId);
  // Parentless members (a Medication) had jobs of their own waiting: they go here instead.
  const pulled = claim.items.filter(isParentless).map((c) => ({ itemId: c.id, revision: c.revision }));
  if (pulled.length > 0 && deps.withdraw) await deps.withdraw(pulled).catch((err: unknown) => deps.log.warn({ err }, 'could not withdraw send jobs; they will skip'));
  const childEntries = await prepareChildren(encounter, encounterUrn, claim, deps);
  const childIds = childEntries.map((e) => e.item.id);
  encounterBody = await withBundleDiagnosis(encounterBody, diagnosis, childEntries, deps);

  // A duplicate answer: if the Encounter exists, the whole Bundle was stored earlier
  // (all-or-nothing), so adopt it and let each child look itself up by identifier.
  const adoptEncounter = async (): Promise<SendResult | null> => {
    const existing = await findExisting('Encounter', encounterBody, deps, attempts);
    if (!existing) return null;
    await releaseClaims(deps.db, childIds, deps.workerId, 'not_sent', null, true);
    const result = await settle(encounter, attempts, { status: 'sent', httpCode: 200, satusehatId: existing, errorClass: null, lastError: null, lookupFirst: false }, deps, null);
    await deps.enqueue(childEntries.map((e) => ({ itemId: e.item.id, revision: e.item.revision })));
    return result;
  };

  let response: JudgedResponse;
  try {
    const entries: Entry[] = [{ item: encounter, fullUrl: encounterUrn, body: encounterBody }, ...childEntries];
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: entries.map((e) => ({ fullUrl: e.fullUrl, resource: e.body, request: { method: 'POST', url: fhirTypeOf(e.item.resourceType) } })),
    };
    response = await exchange(deps.client, attempts, 'POST', '', bundle, (code, s) => deps.observe?.('Bundle', code, s));
    if (response.accepted) return await settleSuccess(entries, response, attempts, deps);
    if (isDuplicate(response)) {
      attempts[attempts.length - 1]!.errorClass = 'duplicate';
      const adopted = await adoptEncounter();
      if (adopted) return adopted;
    }
  } catch (err) {
    await releaseChildrenForRetry(encounter, childEntries, deps);
    const { outcome, retryAfterMs } = await outcomeOfError(err, isLast, true, attempts, () => releaseClaims(deps.db, [encounter.id], deps.workerId, 'queued', null, true));
    return settle(encounter, attempts, outcome, deps, retryAfterMs);
  }

  if (isRetryableStatus(response.status)) {
    await releaseChildrenForRetry(encounter, childEntries, deps);
    return settle(encounter, attempts, retryOutcome(isLast, response.status, errorClassOf(response.status) ?? 'http_5xx', failureText(response), response.status !== 429), deps, attempts.retryAfterMs);
  }
  return settleRejection(encounter, childEntries, response, attempts, deps, isLast);
}

/** One entry of an accepted Bundle: sent with its id, or failed with its own outcome when it carries an error. */
function entryOutcome(entryResponse: EntryResponse | undefined, i: number, bundleStatus: number): SendOutcome {
  const id = idFromEntryResponse(entryResponse);
  const code = Number(entryResponse?.status?.slice(0, 3)) || bundleStatus;
  if (code >= 400 || hasErrorIssue(entryResponse?.outcome)) {
    const messages = parseOperationOutcome(entryResponse?.outcome).messages;
    return { status: 'failed', httpCode: code, errorClass: errorClassOf(code, false), lastError: `Bundle entry ${i} rejected: ${messages.join('; ') || `HTTP ${code}`}`, lookupFirst: true };
  }
  return id
    ? { status: 'sent', httpCode: code, satusehatId: id, errorClass: null, lastError: null, lookupFirst: false }
    : { status: 'failed', httpCode: code, errorClass: 'bad_response', lastError: `Bundle entry ${i} came back without an id`, lookupFirst: true };
}

async function settleSuccess(entries: Entry[], response: JudgedResponse, attempts: AttemptLog, deps: SendDeps): Promise<SendResult> {
  const results = (response.json?.entry as Array<{ response?: EntryResponse }> | undefined) ?? [];
  const bundleAttempt = attempts.at(-1)!;
  const finished: FinishEntry[] = entries.map((entry, i) => {
    const entryResponse = results[i]?.response;
    const outcome = entryOutcome(entryResponse, i, response.status);
    const code = outcome.httpCode;
    const log = i === 0 ? [...attempts.slice(0, -1), envelopeOnly(bundleAttempt, entries)] : [childAttempt(bundleAttempt, entry, entryResponse ?? null, code, outcome.errorClass, outcome.lastError)];
    return { itemId: entry.item.id, revision: entry.item.revision, attempts: log, outcome };
  });
  // One commit for the whole Bundle; in the same trip, what waited for its members. Those whose
  // parents are all sent now are released (a member not sent after all keeps its children).
  const members = entries.filter((_, i) => finished[i]!.outcome.status === 'sent').map((e) => ({ type: e.item.resourceType, sourceKey: e.item.sourceKey }));
  const { owned, blockedChildren } = await afterCommitFailures(deps.db, () => finishSendMany(deps.db, deps.workerId, finished, { releaseOf: members }));
  for (const [i, entry] of entries.entries()) {
    if (owned[i] && finished[i]!.outcome.status !== 'sent') await noteParentFailure(deps.db, entry.item.resourceType, entry.item.sourceKey, finished[i]!.outcome.lastError ?? 'failed');
  }
  const released = await afterCommitFailures(deps.db, () => releaseBlocked(deps.db, blockedChildren));
  if (released.length > 0) await deps.enqueue(released);
  return { kind: 'sent', detail: `Bundle of ${entries.length}` };
}

/**
 * A 4xx for the Bundle: nothing was stored. Entries SATUSEHAT blamed fail with their own
 * messages; if the Encounter itself is fine it is retried at once without them.
 */
async function settleRejection(encounter: ClaimedItem, childEntries: Entry[], response: JudgedResponse, attempts: AttemptLog, deps: SendDeps, isLast: boolean): Promise<SendResult> {
  const blamed = blamedEntries(response);
  const bundleAttempt = attempts.at(-1)!;
  const encounterBlamed = blamed.has(0) || blamed.size === 0;
  const errorClass = errorClassOf(response.status, response.accepted) ?? 'http_4xx';
  const innocent: number[] = [];
  const duplicates: Entry[] = [];
  for (const [i, entry] of childEntries.entries()) {
    const blame = blamed.get(i + 1);
    if (!blame && !encounterBlamed) {
      innocent.push(entry.item.id);
      continue;
    }
    if (!blame) continue;
    const { messages } = blame;
    if (messages.some((m) => /20002|duplicate/i.test(m))) {
      // SATUSEHAT already has it (an earlier send whose answer was lost): adopt it by identifier.
      duplicates.push(entry);
      continue;
    }
    const text = `HTTP ${response.status} in transaction Bundle: ${messages.join('; ')}`;
    const outcome: SendOutcome = { status: 'failed', httpCode: response.status, errorClass, lastError: text, lookupFirst: false };
    await settle(entry.item, Object.assign([childAttempt(bundleAttempt, entry, blame.body, response.status, errorClass, text)], { retryAfterMs: null }), outcome, deps, null);
  }
  if (duplicates.length > 0) {
    await releaseClaims(deps.db, duplicates.map((e) => e.item.id), deps.workerId, 'not_sent', null, true);
    await deps.enqueue(duplicates.map((e) => ({ itemId: e.item.id, revision: e.item.revision })));
  }
  if (encounterBlamed) {
    const messages = blamed.get(0)?.messages ?? [failureText(response)];
    const outcome: SendOutcome = { status: 'failed', httpCode: response.status, errorClass, lastError: `in transaction Bundle: ${messages.join('; ')}`, lookupFirst: false };
    const unblamed = childEntries.filter((_, i) => !blamed.has(i + 1)).map((e) => e.item.id);
    await blockForParents(deps, unblamed, `Encounter ${encounter.sourceKey} failed: ${messages.join('; ')}`.slice(0, 300));
    return settle(encounter, attempts, outcome, deps, null);
  }
  await blockForParents(deps, innocent, `waiting for Encounter ${encounter.sourceKey} to be sent`);
  return settle(encounter, attempts, retryOutcome(isLast, response.status, 'bundle_entry_rejected', `resending without the ${blamed.size} rejected entr${blamed.size === 1 ? 'y' : 'ies'}`, false), deps, 0);
}
