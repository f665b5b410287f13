// POST /fhir-r4/v1 with a transaction Bundle (reference A8, A11 item 7): validate the envelope
// (20011, 20017–20021), resolve urn:uuid references, validate every entry, then store all or nothing.
import { randomUUID } from 'node:crypto';
import { duplicate, elementMissing, issue, notFound, outcome, withRule, type Issue } from './outcome.js';
import { fail, fhirJson, type Reply } from './reply.js';
import { rewriteUrnReferences } from './references.js';
import { entryOutcomes } from './response-shapes.js';
import type { SimState } from './state.js';
import { bump } from './stats.js';
import { uniqueIdentifierKeys } from './store.js';
import type { JsonObject } from './types.js';
import { RESOURCE_TYPE_RE, validateResource } from './validate.js';
import { isObject } from './validate-common.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// People come from the MPI/MNI (and Patient creation has its own non-FHIR endpoint).
const NOT_IN_BUNDLE = new Set(['Patient', 'Practitioner', 'Bundle']);

interface Planned {
  index: number;
  fullUrl: string;
  type: string;
  id: string;
  method: 'POST' | 'PUT';
  resource: JsonObject;
  /** Indexes of entries this one references through urn:uuid. */
  deps: Set<number>;
  issues: Issue[];
}

export function processTransaction(state: SimState, body: unknown): Reply {
  if (!isObject(body)) return fail(400, 'structure', withRule('Failed to read payload: expected a JSON object', '20005'));
  if (body.resourceType !== 'Bundle') return fail(400, 'value', `Only a transaction Bundle can be posted to the FHIR base URL (got ${String(body.resourceType)})`, 'resourceType');
  if (body.type !== 'transaction') return fail(400, 'not-supported', `Only Bundle.type transaction is supported (got ${String(body.type)})`, 'Bundle.type');
  if (!Array.isArray(body.entry) || body.entry.length === 0) return fhirJson(400, outcome([elementMissing('Bundle.entry')]));

  const envelope: Issue[] = [];
  const planned = planEntries(body.entry, envelope);
  if (envelope.length > 0) return fhirJson(400, outcome(envelope));

  resolveReferences(planned);
  const failed = validateAll(state, planned);
  if (failed.size === 0) return commit(state, planned);
  // Either each entry answers for itself, or one OperationOutcome names the entries in its expressions.
  if (state.faults.transactionEntryOutcomes) return entryOutcomes(planned.map((p) => ({ fullUrl: p.fullUrl, issues: failed.get(p) ?? [] })));
  return fhirJson(400, outcome([...failed].flatMap(([p, issues]) => issues.map((i) => relocate(i, p)))));
}

/** Envelope checks; on any problem the returned plan must not be used. */
function planEntries(entries: unknown[], envelope: Issue[]): Planned[] {
  const seen = new Map<string, number>();
  const planned: Planned[] = [];
  entries.forEach((raw, index) => {
    const path = `Bundle.entry[${index}]`;
    if (!isObject(raw)) {
      envelope.push(issue('structure', `${path} must be an object`, path));
      return;
    }
    const fullUrl = raw.fullUrl;
    if (typeof fullUrl !== 'string' || fullUrl === '') envelope.push(issue('required', withRule(`fullUrl is mandatory: ${path}.fullUrl`, '20017'), `${path}.fullUrl`));
    else if (!fullUrl.startsWith('urn:uuid:')) envelope.push(issue('value', withRule(`fullUrl must have the form urn:uuid:<uuid>: ${fullUrl}`, '20018'), `${path}.fullUrl`));
    else if (!UUID_RE.test(fullUrl.slice(9))) envelope.push(issue('value', withRule(`fullUrl does not contain a valid UUID: ${fullUrl}`, '20019'), `${path}.fullUrl`));
    else if (seen.has(fullUrl)) envelope.push(issue('duplicate', withRule(`fullUrl ${fullUrl} is used by more than one entry (also Bundle.entry[${String(seen.get(fullUrl))}])`, '20020'), `${path}.fullUrl`));
    else seen.set(fullUrl, index);

    const resource = raw.resource;
    if (!isObject(resource)) {
      envelope.push(elementMissing(`${path}.resource`));
      return;
    }
    const type = resource.resourceType;
    if (type === 'Bundle') {
      envelope.push(issue('not-supported', withRule('Nested Bundle is not allowed', '20011'), `${path}.resource`));
      return;
    }
    if (typeof type !== 'string' || !RESOURCE_TYPE_RE.test(type)) {
      envelope.push(issue('value', `Invalid resourceType: ${String(type)}`, `${path}.resource.resourceType`));
      return;
    }
    if (NOT_IN_BUNDLE.has(type)) {
      envelope.push(issue('not-supported', `${type} cannot be written in a transaction Bundle`, `${path}.resource`));
      return;
    }
    const target = requestTarget(raw.request, type, path, envelope);
    if (!target || typeof fullUrl !== 'string') return;
    planned.push({ index, fullUrl, type, ...target, resource: structuredClone(resource), deps: new Set(), issues: [] });
  });
  return planned;
}

/** request.method POST + url `Type`, or PUT + url `Type/<id>`. */
function requestTarget(request: unknown, type: string, path: string, envelope: Issue[]): { method: 'POST' | 'PUT'; id: string } | null {
  if (!isObject(request)) {
    envelope.push(elementMissing(`${path}.request`));
    return null;
  }
  const url = typeof request.url === 'string' ? request.url.replace(/^\//, '') : '';
  if (request.method === 'POST' && url === type) return { method: 'POST', id: randomUUID() };
  const m = /^([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(url);
  if (request.method === 'PUT' && m && m[1] === type) return { method: 'PUT', id: m[2] as string };
  envelope.push(issue('value', `${path}.request must be POST ${type} or PUT ${type}/<id> (got ${String(request.method)} ${String(request.url)})`, `${path}.request`));
  return null;
}

function resolveReferences(planned: Planned[]): void {
  const targets = new Map(planned.map((p) => [p.fullUrl, `${p.type}/${p.id}`]));
  const indexOf = new Map(planned.map((p) => [p.fullUrl, p.index]));
  for (const p of planned) {
    if (p.method === 'PUT' && p.resource.id !== undefined && p.resource.id !== p.id) {
      p.issues.push(issue('value', `Resource id ${String(p.resource.id)} does not match request.url ${p.type}/${p.id}`, `${p.type}.id`));
    }
    p.resource.id = p.id;
    rewriteUrnReferences(p.resource, targets, (urn, resolved) => {
      if (resolved) p.deps.add(indexOf.get(urn) as number);
      else p.issues.push(issue('not-found', withRule(`Reference ${urn} does not match any fullUrl in the Bundle`, '20021')));
    });
  }
}

/** The issues of each failed entry, in entry order. Empty when the Bundle can be stored. */
function validateAll(state: SimState, planned: Planned[]): Map<Planned, Issue[]> {
  const staged = new Set(planned.map((p) => `${p.type}/${p.id}`));
  const ctx = state.validationContext(staged);
  const claimed = new Set<string>();
  const failed = new Set<number>();
  const all = new Map<Planned, Issue[]>();
  for (const p of planned) {
    const issues = [...p.issues];
    if (p.method === 'PUT' && !state.store.has(p.type, p.id)) issues.push(notFound(p.type, p.id));
    issues.push(...validateResource(p.type, p.resource, ctx));
    if (issues.length === 0) {
      const keys = uniqueIdentifierKeys(p.type, p.resource);
      const selfId = p.method === 'PUT' ? p.id : undefined;
      if (state.store.conflicts(p.type, p.resource, selfId).length > 0 || keys.some((k) => claimed.has(k))) {
        bump(state.counters.duplicatesRejected, p.type);
        issues.push(duplicate(p.type, `${p.type}.identifier`));
      } else {
        for (const k of keys) claimed.add(k);
      }
    }
    // 20013: an entry that refers to an earlier failed entry fails with it.
    for (const dep of p.deps) {
      if (dep < p.index && failed.has(dep)) {
        issues.push(issue('value', withRule(`Invalid resource ${p.type} due to previous error in Bundle.entry[${dep}]`, '20013')));
        break;
      }
    }
    if (issues.length > 0) {
      failed.add(p.index);
      all.set(p, issues);
    }
  }
  return all;
}

// `Encounter.period.start` in entry 2 becomes `Bundle.entry[2].resource.period.start`.
function relocate(i: Issue, p: Planned): Issue {
  const base = `Bundle.entry[${p.index}].resource`;
  const expression = (i.expression ?? [p.type]).map((e) => (e === p.type ? base : e.startsWith(`${p.type}.`) ? `${base}${e.slice(p.type.length)}` : `${base}.${e}`));
  return { ...i, expression };
}

function commit(state: SimState, planned: Planned[]): Reply {
  const entry = planned.map((p) => {
    const version = state.store.put(p.type, p.resource);
    bump(p.method === 'POST' ? state.counters.created : state.counters.updated, p.type);
    return {
      fullUrl: `${state.fhirUrl}/${p.type}/${p.id}`,
      response: {
        status: p.method === 'POST' ? '201 Created' : '200 OK',
        location: `${state.fhirUrl}/${p.type}/${p.id}/_history/${version.versionId}`,
        etag: `W/"${version.versionId}"`,
        lastModified: version.lastUpdated,
        resourceType: p.type,
        resourceID: p.id,
      },
    };
  });
  state.counters.bundles++;
  return { ...fhirJson(200, { resourceType: 'Bundle', type: 'transaction-response', entry }), stored: true };
}
