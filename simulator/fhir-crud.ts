// Create, read, update and patch of single resources.
import { randomUUID } from 'node:crypto';
import { applyReplacePatch } from './json-patch.js';
import { duplicate, issue, notFound, outcome, withRule, type Issue } from './outcome.js';
import { buildPerson, isKnownPersonId, maskPerson, type PersonKind } from './people.js';
import { fail, fhirJson, type Reply } from './reply.js';
import type { SimState } from './state.js';
import { bump } from './stats.js';
import type { VersionMeta } from './store.js';
import type { JsonObject } from './types.js';
import { validateResource } from './validate.js';

/** Validation first, then the duplicate check (20002) against other stored resources. */
export function writeIssues(state: SimState, type: string, resource: JsonObject, selfId?: string): Issue[] {
  const issues = validateResource(type, resource, state.validationContext());
  if (issues.length > 0) return issues;
  if (state.store.conflicts(type, resource, selfId).length > 0) {
    bump(state.counters.duplicatesRejected, type);
    return [duplicate(type, `${type}.identifier`)];
  }
  return [];
}

export function versionHeaders(state: SimState, type: string, id: string, v: VersionMeta): Record<string, string> {
  return {
    location: `${state.fhirUrl}/${type}/${id}/_history/${v.versionId}`,
    etag: `W/"${v.versionId}"`,
    'last-modified': new Date(v.ms).toUTCString(),
  };
}

/** The body must be a JSON object of the URL's resource type. */
export function checkBodyType(type: string, body: unknown): Reply | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return fail(400, 'structure', withRule('Failed to read payload: expected a JSON object', '20005'));
  const rt = (body as JsonObject).resourceType;
  if (rt !== type) return fail(400, 'value', `Resource type mismatch: URL says ${type}, body says ${String(rt)}`, 'resourceType');
  return null;
}

export function createResource(state: SimState, type: string, body: unknown): Reply {
  const bad = checkBodyType(type, body);
  if (bad) return bad;
  // The server assigns ids; a client-sent id is ignored, as on a FHIR create.
  const resource = { ...(body as JsonObject), id: randomUUID() };
  const issues = writeIssues(state, type, resource);
  if (issues.length > 0) return fhirJson(400, outcome(issues));
  const version = state.store.put(type, resource);
  bump(state.counters.created, type);
  return { ...fhirJson(201, resource, versionHeaders(state, type, resource.id, version)), stored: true };
}

export function readResource(state: SimState, type: string, id: string): Reply {
  const stored = state.store.get(type, id);
  if (stored) {
    const meta = stored.meta as { versionId: string };
    const body = type === 'Patient' || type === 'Practitioner' ? maskPerson(stored) : stored;
    return fhirJson(200, body, { etag: `W/"${meta.versionId}"` });
  }
  if ((type === 'Patient' || type === 'Practitioner') && isKnownPersonId(type as PersonKind, id)) return fhirJson(200, buildPerson(type as PersonKind, id));
  if (type === 'Organization' && id === state.config.orgId) return fhirJson(200, facilityOrganization(state.config.orgId));
  return fhirJson(404, outcome([notFound(type, id)]));
}

export function updateResource(state: SimState, type: string, id: string, body: unknown): Reply {
  const bad = checkBodyType(type, body);
  if (bad) return bad;
  const resource = body as JsonObject;
  if (resource.id !== id) return fail(400, 'value', `Resource id in the body (${String(resource.id)}) must match the URL id ${id}`, `${type}.id`);
  if (!state.store.has(type, id)) return fhirJson(404, outcome([notFound(type, id)]));
  const issues = writeIssues(state, type, resource, id);
  if (issues.length > 0) return fhirJson(400, outcome(issues));
  const version = state.store.put(type, resource);
  bump(state.counters.updated, type);
  return { ...fhirJson(200, resource, versionHeaders(state, type, id, version)), stored: true };
}

export function patchResource(state: SimState, type: string, id: string, ops: unknown): Reply {
  const existing = state.store.get(type, id);
  if (!existing) return fhirJson(404, outcome([notFound(type, id)]));
  const draft = structuredClone(existing);
  const error = applyReplacePatch(draft, ops);
  if (error) return fhirJson(400, outcome([issue('not-supported', error)]));
  const issues = writeIssues(state, type, draft, id);
  if (issues.length > 0) return fhirJson(400, outcome(issues));
  const version = state.store.put(type, draft);
  bump(state.counters.updated, type);
  return fhirJson(200, draft, versionHeaders(state, type, id, version));
}

/** The facility's own Organization: registered by Kemenkes, read-only here. */
function facilityOrganization(orgId: string): JsonObject {
  return {
    resourceType: 'Organization',
    id: orgId,
    active: true,
    identifier: [{ use: 'official', system: 'https://fhir.kemkes.go.id/id/org-number', value: orgId }],
    type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov', display: 'Healthcare Provider' }] }],
    name: `Fasilitas Simulator ${orgId}`,
  };
}
