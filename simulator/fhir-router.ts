// Routes under /fhir-r4/v1 after the faults have had their say: auth, body parsing, dispatch.
import { createResource, patchResource, readResource, updateResource } from './fhir-crud.js';
import { search } from './fhir-search.js';
import { withRule } from './outcome.js';
import { createPatient } from './patient-create.js';
import { fail, type Reply } from './reply.js';
import type { SimState } from './state.js';
import { processTransaction } from './transaction.js';
import { RESOURCE_TYPE_RE } from './validate.js';

export interface FhirRequest {
  method: string;
  /** Path below /fhir-r4/v1, e.g. '/Encounter/123' or ''. */
  path: string;
  query: URLSearchParams;
  body: string;
  contentType: string;
  authorization: string | undefined;
  /** Absolute request URL, for the searchset self link. */
  selfUrl: string;
}

type Parsed = { ok: true; value: unknown } | { ok: false; reply: Reply };

export function handleFhir(state: SimState, req: FhirRequest): Reply {
  const denied = state.tokens.check(req.authorization);
  if (denied) return denied;

  let segments: string[];
  try {
    segments = req.path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return fail(400, 'structure', `Malformed URL path: ${req.path}`);
  }
  const [type, id, ...rest] = segments;
  const { method } = req;

  if (type === undefined) {
    if (method !== 'POST') return notAllowed(method, 'the FHIR base URL');
    const body = parseBody(req);
    return body.ok ? processTransaction(state, body.value) : body.reply;
  }
  if (!RESOURCE_TYPE_RE.test(type)) return fail(404, 'not-supported', `Unknown resource type: ${type}`);
  if (rest.length > 0) return fail(404, 'not-supported', `Unsupported path: ${req.path}`);

  if (id === undefined) {
    if (method === 'GET') return search(state, type, req.query, req.selfUrl);
    if (method !== 'POST') return notAllowed(method, type);
    const body = parseBody(req);
    if (!body.ok) return body.reply;
    if (type === 'Patient') return createPatient(state, body.value);
    if (type === 'Practitioner') return fail(403, 'forbidden', withRule('Resource Practitioner is not allowed for current access class', '20004'));
    if (type === 'Bundle') return fail(400, 'not-supported', 'Post transaction Bundles to the FHIR base URL, not to /Bundle');
    return createResource(state, type, body.value);
  }

  if (method === 'GET') return readResource(state, type, id);
  if (method !== 'PUT' && method !== 'PATCH') return notAllowed(method, `${type}/${id}`);
  const body = parseBody(req);
  if (!body.ok) return body.reply;
  return method === 'PUT' ? updateResource(state, type, id, body.value) : patchResource(state, type, id, body.value);
}

// application/json, application/fhir+json and application/json-patch+json; fetch's default
// text/plain is rejected so a client that forgets the header finds out here, not in production.
const JSON_TYPE_RE = /^application\/([a-z.-]+\+)?json\s*(;|$)/i;

function parseBody(req: FhirRequest): Parsed {
  if (!JSON_TYPE_RE.test(req.contentType)) {
    return { ok: false, reply: fail(415, 'not-supported', `Unsupported Content-Type: ${req.contentType || '(none)'}; use application/json or application/fhir+json`) };
  }
  if (req.body.trim() === '') return { ok: false, reply: fail(400, 'structure', withRule('Failed to read payload: empty body', '20005')) };
  try {
    return { ok: true, value: JSON.parse(req.body) };
  } catch (err) {
    return { ok: false, reply: fail(400, 'structure', withRule(`Invalid JSON: ${(err as Error).message}`, '20006')) };
  }
}

function notAllowed(method: string, target: string): Reply {
  return fail(405, 'not-supported', `Method ${method} is not supported on ${target}`);
}
