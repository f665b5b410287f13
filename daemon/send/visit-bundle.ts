// Transaction-Bundle mode: a new Encounter travels with its Conditions, Observations, Procedures
// (every registry type with bundle: 'visit' whose only unsent parent is this Encounter) in one
// all-or-nothing request. More data per request under the same rate limit.
import { createHash } from 'node:crypto';
import { claimBundleChildren, clearVisitLookups, parentIds, sentIdIn, sentNameIn, type BundleClaim, type ClaimedItem } from '../../shared/db/state/items/index.js';
import { restoreDiagnosis } from '../../shared/fhir/diagnosis-refs.js';
import { extractRuleNumbers, hasErrorIssue, parseOperationOutcome } from '../../shared/fhir/operation-outcome.js';
import { listPlaceholders, replaceReferences, resolvePlaceholders } from '../../shared/fhir/placeholders.js';
import { registry } from '../../shared/fhir/registry.js';
import {
  errorClassOf, failureText, isDuplicate, isRetryableStatus, newAttemptLog, retryOutcome, sentOutcome, type AttemptLog, type AttemptRecord, type JudgedResponse, type SendOutcome,
} from '../../shared/satusehat/outcome.js';
import { recordedRequest } from '../../shared/satusehat/recorded-request.js';
import { fhirTypeOf, type SendDeps, type SendResult } from './deps.js';
import { localValidationErrors } from './local-validation.js';
import { findExisting, knowOutcome, outcomeOfError } from './lookups.js';
import { finishWith, hold, settleAndEnqueue, type Decision, type Work } from './work.js';

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

/**
 * Builds the child entries. Children that cannot go (a parent lost its id, local validation refused
 * them) are set aside with what becomes of them, settled before the Bundle leaves.
 */
async function prepareChildren(encounter: ClaimedItem, encounterUrn: string, claim: BundleClaim, deps: SendDeps): Promise<{ entries: Entry[]; setAside: Decision[] }> {
  const children = claim.items;
  // Every member of the Bundle is referenced by its urn:uuid, the rest by SATUSEHAT id.
  const urnOf = new Map<string, string>([[`Encounter/{{Encounter:${encounter.sourceKey}}}`, encounterUrn]]);
  for (const c of children) urnOf.set(`${fhirTypeOf(c.resourceType)}/{{${c.resourceType}:${c.sourceKey}}}`, urnFor(c));
  const withUrns = children.map((c) => ({ item: c, body: replaceReferences(c.body, urnOf) as Record<string, unknown> }));
  // The claim brought the outside parents' states; a parent it did not see (changed since) is read.
  const states = await parentIds(deps.db, withUrns.flatMap((c) => listPlaceholders(c.body)), claim.outsideParents);
  const entries: Entry[] = [];
  const setAside: Decision[] = [];
  const dropped = new Set<string>();
  const wait = (item: ClaimedItem, reason: string) => {
    setAside.push({ item, kind: 'giveBack', status: 'blocked', reason });
    dropped.add(urnFor(item));
  };
  for (const child of withUrns) {
    // A child whose in-Bundle parent was set aside cannot go either.
    if ([...dropped].some((urn) => JSON.stringify(child.body).includes(urn))) {
      wait(child.item, 'waiting for a parent that could not go in the visit Bundle');
      continue;
    }
    const resolved = resolvePlaceholders(child.body, sentIdIn(states), sentNameIn(states));
    if (!resolved.ok) {
      wait(child.item, `waiting for ${resolved.missing.map((m) => `${m.type} ${m.sourceKey}`).join(', ')} to be sent`);
      continue;
    }
    const errors = deps.validate === false ? [] : localValidationErrors(resolved.body, Date.now(), deps.minResourceDate);
    if (errors.length > 0) {
      setAside.push({ item: child.item, kind: 'verdict', outcome: { status: 'invalid', httpCode: null, errorClass: 'invalid', lastError: `local validation: ${errors.join('; ')}`, lookupFirst: child.item.lookupFirst } });
      dropped.add(urnFor(child.item));
      continue;
    }
    entries.push({ item: child.item, fullUrl: urnFor(child.item), body: resolved.body });
  }
  return { entries, setAside };
}

function idFromEntryResponse(response: { resourceID?: string; location?: string } | undefined): string | null {
  if (response?.resourceID) return response.resourceID;
  const match = response?.location?.match(/([A-Za-z]+)\/([^/]+)(\/_history\/[^/]+)?$/);
  return match?.[2] ?? null;
}

/** What SATUSEHAT said about one entry: its messages, and the part of the answer that is its own. */
interface Blame {
  messages: string[];
  ruleNumbers: string[];
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
    if (!hasErrorIssue(outcome)) return;
    const parsed = parseOperationOutcome(outcome);
    blamed.set(index, { messages: parsed.messages, ruleNumbers: parsed.ruleNumbers, body: entry.response });
  });
  const issues = response.json?.resourceType === 'OperationOutcome' ? ((response.json.issue as OutcomeIssue[] | undefined) ?? []) : [];
  const own = new Map<number, OutcomeIssue[]>();
  for (const issue of issues) {
    const text = issue.details?.text ?? issue.diagnostics ?? 'rejected';
    for (const expression of issue.expression ?? []) {
      const index = Number(/Bundle\.entry\[(\d+)\]/.exec(expression)?.[1]);
      if (!Number.isInteger(index)) continue;
      const blame = blamed.get(index) ?? { messages: [], ruleNumbers: [], body: null };
      const rules = extractRuleNumbers(text).filter((r) => !blame.ruleNumbers.includes(r));
      blamed.set(index, { ...blame, messages: [...blame.messages, `${expression}: ${text}`], ruleNumbers: [...blame.ruleNumbers, ...rules] });
      own.set(index, [...(own.get(index) ?? []), issue]);
    }
  }
  for (const [index, ownIssues] of own) blamed.get(index)!.body = { ...response.json, issue: ownIssues };
  return blamed;
}

/** The part of the Bundle exchange that concerns one child, as its own attempt row. */
function childAttempt(bundleAttempt: AttemptRecord, entry: Entry, response: unknown, httpCode: number | null, errorClass: string | null, message: string | null, ruleNumbers: string[]): AttemptRecord {
  return { ...bundleAttempt, url: `${bundleAttempt.url} (transaction Bundle)`, requestBody: entry.body, responseBody: response === null ? null : JSON.stringify(response), httpCode, errorClass, errorMessage: message, ruleNumbers };
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
 * The Bundle's outcome is unknown or it must be retried: its members wait again, marked to look
 * themselves up first when the Bundle may have been stored (not after a 429: SATUSEHAT refused it
 * unread). Members with no parents (a pulled-in Medication) are not waiting for anything, so they
 * go back on the queue instead of staying blocked.
 */
const membersWaitAgain = (encounter: ClaimedItem, childEntries: Entry[], mayBeStored: boolean): Decision[] =>
  childEntries.map((e): Decision => (isParentless(e.item)
    ? { item: e.item, kind: 'giveBack', status: 'not_sent', lookupFirst: mayBeStored }
    : { item: e.item, kind: 'giveBack', status: 'blocked', reason: `waiting for Encounter ${encounter.sourceKey} to be sent`, lookupFirst: mayBeStored }));

/**
 * The Bundle got no answer that settles it (a transport error, a 5xx, a 429). On the last attempt
 * its outcome is asked for at once (knowOutcome). Its members wait again, marked to look
 * themselves up unless nothing of the Bundle can have been stored: a 429, or a look-up that found
 * no Encounter (all-or-nothing).
 */
async function bundleUnanswered(work: Work, outcome: SendOutcome, attempts: AttemptLog, deps: SendDeps, retryAfterMs: number | null, childEntries: Entry[]): Promise<SendResult> {
  const known = await knowOutcome(work.item, outcome, deps, attempts);
  const mayBeStored = known.status === 'sent' || known.lookupFirst;
  return finishWith(work, known, attempts, deps, retryAfterMs, membersWaitAgain(work.item, childEntries, mayBeStored));
}

/**
 * The Encounter with its diagnosis put back: each Condition travelling in this Bundle by its
 * urn:uuid, one sent already by its id. Conditions that cannot go now are left out; when one is
 * sent later, it sends the Encounter again (encounter-diagnosis.ts).
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

export async function sendVisitBundle(work: Work, bodyWithoutDiagnosis: Record<string, unknown>, diagnosis: unknown[], deps: SendDeps, isLast: boolean): Promise<SendResult> {
  const encounter = work.item;
  let encounterBody = bodyWithoutDiagnosis;
  const attempts = newAttemptLog();
  // Unknown outcome of an earlier try, looked up before any child is claimed: stored means the
  // whole Bundle was (its children, still marked, then look themselves up); not stored means
  // none of it was, so its children may travel in this Bundle again.
  if (encounter.lookupFirst) {
    try {
      const existing = await findExisting('Encounter', encounterBody, deps, attempts);
      if (existing) return await finishWith(work, sentOutcome(existing, 200), attempts, deps, null);
      await clearVisitLookups(deps.db, encounter.sourceKey);
    } catch (err) {
      const { outcome, retryAfterMs } = outcomeOfError(err, isLast, true, attempts);
      return finishWith(work, await knowOutcome(encounter, outcome, deps, attempts), attempts, deps, retryAfterMs);
    }
  }
  const encounterUrn = urnFor(encounter);
  const claim = await claimBundleChildren(deps.db, encounter.sourceKey, visitTypes(), deps.workerId);
  hold(work, claim.items);
  // Parentless members (a Medication) had jobs of their own waiting: they go here instead.
  const pulled = claim.items.filter(isParentless).map((c) => ({ itemId: c.id, revision: c.revision }));
  if (pulled.length > 0 && deps.withdraw) await deps.withdraw(pulled).catch((err: unknown) => deps.log.warn({ err }, 'could not withdraw send jobs; they will skip'));
  const { entries: childEntries, setAside } = await prepareChildren(encounter, encounterUrn, claim, deps);
  await settleAndEnqueue(work, setAside, deps);
  encounterBody = await withBundleDiagnosis(encounterBody, diagnosis, childEntries, deps);

  let response: JudgedResponse;
  try {
    const entries: Entry[] = [{ item: encounter, fullUrl: encounterUrn, body: encounterBody }, ...childEntries];
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: entries.map((e) => ({ fullUrl: e.fullUrl, resource: e.body, request: { method: 'POST', url: fhirTypeOf(e.item.resourceType) } })),
    };
    for (const e of entries) work.mayBeStored.add(e.item.id);
    response = await recordedRequest(deps.client, attempts, 'POST', '', bundle, (code, s) => deps.observe?.('Bundle', code, s));
    if (response.accepted) return await settleSuccess(work, entries, response, attempts, deps);
    if (isDuplicate(response)) {
      attempts[attempts.length - 1]!.errorClass = 'duplicate';
      // If the Encounter exists, the whole Bundle was stored earlier (all-or-nothing): adopt it,
      // and each child looks itself up by identifier.
      const existing = await findExisting('Encounter', encounterBody, deps, attempts);
      if (existing) {
        const children = childEntries.map((e): Decision => ({ item: e.item, kind: 'giveBack', status: 'not_sent', lookupFirst: true }));
        return await finishWith(work, sentOutcome(existing, 200), attempts, deps, null, children);
      }
    }
  } catch (err) {
    const { outcome, retryAfterMs } = outcomeOfError(err, isLast, true, attempts);
    return bundleUnanswered(work, outcome, attempts, deps, retryAfterMs, childEntries);
  }

  if (isRetryableStatus(response.status)) {
    const outcome = retryOutcome(isLast, response.status, errorClassOf(response.status) ?? 'http_5xx', failureText(response), response.status !== 429);
    return bundleUnanswered(work, outcome, attempts, deps, attempts.retryAfterMs, childEntries);
  }
  return settleRejection(work, childEntries, response, attempts, deps, isLast);
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

async function settleSuccess(work: Work, entries: Entry[], response: JudgedResponse, attempts: AttemptLog, deps: SendDeps): Promise<SendResult> {
  const results = (response.json?.entry as Array<{ response?: EntryResponse }> | undefined) ?? [];
  const bundleAttempt = attempts.at(-1)!;
  const decisions = entries.map((entry, i): Decision => {
    const entryResponse = results[i]?.response;
    const outcome = entryOutcome(entryResponse, i, response.status);
    const log = i === 0 ? [...attempts.slice(0, -1), envelopeOnly(bundleAttempt, entries)] : [childAttempt(bundleAttempt, entry, entryResponse ?? null, outcome.httpCode, outcome.errorClass, outcome.lastError, [])];
    return { item: entry.item, kind: 'verdict', outcome, attempts: log };
  });
  // One commit for the whole Bundle; then what waited for its members is released (a member not
  // sent after all keeps its children).
  await settleAndEnqueue(work, decisions, deps);
  return { kind: 'sent', detail: `Bundle of ${entries.length}` };
}

/**
 * A 4xx for the Bundle: nothing was stored. Entries SATUSEHAT blamed fail with their own
 * messages; if the Encounter itself is fine it is retried at once without them.
 */
async function settleRejection(work: Work, childEntries: Entry[], response: JudgedResponse, attempts: AttemptLog, deps: SendDeps, isLast: boolean): Promise<SendResult> {
  const encounter = work.item;
  const blamed = blamedEntries(response);
  const bundleAttempt = attempts.at(-1)!;
  const encounterBlamed = blamed.has(0) || blamed.size === 0;
  const errorClass = errorClassOf(response.status, response.accepted) ?? 'http_4xx';
  const children: Decision[] = [];
  for (const [i, entry] of childEntries.entries()) {
    const blame = blamed.get(i + 1);
    if (!blame) {
      const reason = encounterBlamed ? `Encounter ${encounter.sourceKey} failed: ${(blamed.get(0)?.messages ?? [failureText(response)]).join('; ')}` : `waiting for Encounter ${encounter.sourceKey} to be sent`;
      children.push({ item: entry.item, kind: 'giveBack', status: 'blocked', reason: reason.slice(0, 300) });
    } else if (blame.messages.some((m) => /20002|duplicate/i.test(m))) {
      // SATUSEHAT already has it (an earlier send whose answer was lost): adopt it by identifier.
      children.push({ item: entry.item, kind: 'giveBack', status: 'not_sent', lookupFirst: true });
    } else {
      const text = `HTTP ${response.status} in transaction Bundle: ${blame.messages.join('; ')}`;
      const outcome: SendOutcome = { status: 'failed', httpCode: response.status, errorClass, lastError: text, lookupFirst: false };
      children.push({ item: entry.item, kind: 'verdict', outcome, attempts: [childAttempt(bundleAttempt, entry, blame.body, response.status, errorClass, text, blame.ruleNumbers)] });
    }
  }
  if (encounterBlamed) {
    const messages = blamed.get(0)?.messages ?? [failureText(response)];
    const outcome: SendOutcome = { status: 'failed', httpCode: response.status, errorClass, lastError: `in transaction Bundle: ${messages.join('; ')}`, lookupFirst: false };
    return finishWith(work, outcome, attempts, deps, null, children);
  }
  const outcome = retryOutcome(isLast, response.status, 'bundle_entry_rejected', `resending without the ${blamed.size} rejected entr${blamed.size === 1 ? 'y' : 'ies'}`, false);
  return finishWith(work, outcome, attempts, deps, 0, children);
}
