// The item list (detail table of a card) and one item's detail panel.
import type { Db } from '../db/connect.js';
import { countItems, getItem, itemsByIds, listAttempts, listRevisions, pageIds, searchPage, type ItemFilter, type ItemRecord, type RevisionRecord } from '../db/state/items-query-repo.js';
import { ExitError, EXIT } from '../errors.js';
import { hintForStatus, parseOperationOutcome } from '../fhir/operation-outcome.js';
import { getResourceType, resourceTypeNames } from '../fhir/registry.js';
import type { ResourceTypeDef } from '../fhir/types.js';
import { isItemStatus, type ItemStatus } from '../types/items.js';
import type { AttemptView, ItemDetail, ItemListQuery, ItemPage, ItemRow, RevisionView } from './api.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
/** Attempts returned by showItem; an item retried for days can have hundreds. */
export const ATTEMPTS_SHOWN = 50;
export const PROBLEM_STATUSES: readonly ItemStatus[] = ['failed', 'invalid', 'blocked'];

const usage = (message: string) => new ExitError(EXIT.usage, message);

export function requireType(type: string): ResourceTypeDef {
  const def = getResourceType(type);
  if (!def) throw usage(`unknown resource type "${type}": choose from ${resourceTypeNames.join(', ')}`);
  return def;
}

export function statusesOf(status: ItemListQuery['status']): ItemStatus[] | undefined {
  if (status === undefined) return undefined;
  if (status === 'problem') return [...PROBLEM_STATUSES];
  if (!isItemStatus(status)) throw usage(`unknown status "${String(status)}": use problem, not_sent, queued, sending, sent, failed, invalid or blocked`);
  return [status];
}

/** Validates a query from either surface and turns it into the repo's filter. */
export function toFilter(q: ItemListQuery): ItemFilter {
  requireType(q.type);
  if (q.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(q.date)) throw usage(`invalid date "${q.date}": use YYYY-MM-DD`);
  const search = q.search?.trim();
  if (search && search.length > 100) throw usage('search text is longer than 100 characters');
  return { type: q.type, statuses: statusesOf(q.status), date: q.date, search: search || undefined };
}

export function toItemRow({ lookupFirst: _lookupFirst, ...row }: ItemRecord): ItemRow {
  return row;
}

export async function listItems(state: Db, q: ItemListQuery): Promise<ItemPage> {
  const filter = toFilter(q);
  const pageSize = q.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw usage(`page size must be 1 to ${MAX_PAGE_SIZE}, got ${pageSize}`);
  const requested = q.page ?? 1;
  if (!Number.isInteger(requested) || requested < 1) throw usage(`page must be a whole number from 1, got ${requested}`);
  const columns = requireType(q.type).columns;
  if (filter.search) {
    // One scan gives the page and the total; a page past the end needs the count first.
    let found = await searchPage(state, filter, pageSize, (requested - 1) * pageSize);
    let page = requested;
    if (found.total === null && requested > 1) {
      const total = await countItems(state, filter);
      page = Math.max(1, Math.ceil(total / pageSize));
      found = total === 0 ? { ids: [], total: 0 } : await searchPage(state, filter, pageSize, (page - 1) * pageSize);
    }
    const total = found.total ?? 0;
    const rows = (await itemsByIds(state, found.ids)).map(toItemRow);
    return { columns, rows, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)), total };
  }
  const total = await countItems(state, filter);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  // Past the end shows the last page rather than an empty screen.
  const page = Math.min(requested, pageCount);
  const ids = total === 0 ? [] : await pageIds(state, filter, pageSize, (page - 1) * pageSize, total);
  const rows = (await itemsByIds(state, ids)).map(toItemRow);
  return { columns, rows, page, pageSize, pageCount, total };
}

const toRevisionView = (r: RevisionRecord): RevisionView => ({ ...r });

function parseResponse(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The plain-language hint for a failure, including the failures that are not an HTTP status. */
export function hintFor(httpCode: number | null, errorClass: string | null): string {
  if (errorClass === 'not_found') return 'NIK not found in SATUSEHAT: check the NIK in Dekacare, then regenerate this type';
  if (errorClass === 'auth') return 'SATUSEHAT token unavailable: check SATUSEHAT_CLIENT_ID / SECRET and that SATUSEHAT is up; will retry';
  if (errorClass === 'bad_response') return 'SATUSEHAT accepted the request but returned no id: the next send looks it up by identifier';
  if (errorClass === 'rejected') return `SATUSEHAT answered HTTP ${httpCode ?? 200} with rule violations: the data was rejected; fix the request and resend`;
  return hintForStatus(httpCode ?? 0);
}

/** The request the worker will make for the current revision (daemon/send/send-job.ts decides the same way). */
export function nextSendOf(item: Pick<ItemRow, 'type' | 'satusehatId'>, current: Pick<RevisionView, 'method' | 'path'> | null, fhirUrl: string): ItemDetail['nextSend'] {
  if (!current) return null;
  const def = getResourceType(item.type);
  const url = (path: string) => `${fhirUrl.replace(/\/$/, '')}/${path}`;
  if (def?.kind === 'lookup') return { method: current.method, url: url(current.path), why: 'a NIK lookup: SATUSEHAT returns the id and the censored name' };
  const fhirType = def?.fhirType ?? item.type;
  if (item.satusehatId) return { method: 'PUT', url: url(`${fhirType}/${item.satusehatId}`), why: 'an update: SATUSEHAT holds it as this id' };
  return { method: 'POST', url: url(fhirType), why: 'a new resource (looked up by identifier first after a lost answer)' };
}

export async function showItem(state: Db, id: number, fhirUrl = ''): Promise<ItemDetail | null> {
  if (!Number.isSafeInteger(id) || id < 1) throw usage(`item id must be a positive whole number, got ${id}`);
  const item = await getItem(state, id);
  if (!item) return null;
  const [revisions, attemptRows] = await Promise.all([listRevisions(state, id), listAttempts(state, id, ATTEMPTS_SHOWN)]);
  const attempts: AttemptView[] = attemptRows.map(({ responseText, ...a }) => ({ ...a, responseBody: parseResponse(responseText) }));
  const current = revisions.find((r) => r.revision === item.currentRevision) ?? null;

  // The outcome explains the latest attempt when it failed; a later success makes it history.
  let outcome: ItemDetail['outcome'] = null;
  const last = attemptRows[0];
  if (last && last.errorClass !== null && item.status !== 'sent') {
    const parsed = parseOperationOutcome(last.responseText ?? '');
    const messages = parsed.messages.length > 0 ? parsed.messages : [last.errorMessage ?? item.lastError ?? last.errorClass];
    outcome = { messages, ruleNumbers: parsed.ruleNumbers.length > 0 ? parsed.ruleNumbers : last.ruleNumbers, hint: hintFor(last.httpCode, last.errorClass) };
  } else if (item.status === 'failed' && item.lastError) {
    outcome = { messages: [item.lastError], ruleNumbers: [], hint: hintFor(item.httpCode, item.errorClass) };
  }
  // The issues go beside the row, not in it: an ItemRow is the same in a list and in the detail.
  const { issues, ...record } = item;
  const row = toItemRow(record);
  return {
    item: row,
    nextSend: nextSendOf(row, current ? toRevisionView(current) : null, fhirUrl),
    issues,
    current: current ? toRevisionView(current) : null,
    revisions: revisions.map(toRevisionView),
    attempts,
    outcome,
  };
}
