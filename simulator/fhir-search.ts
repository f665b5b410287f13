// GET /<Type>?identifier=system|value (any type), plus the MPI/MNI lookups for Patient and Practitioner.
import { fail, fhirJson, type Reply } from './reply.js';
import { buildPerson, IHS_SYSTEM, isKnownPersonId, maskPerson, NAKES_SYSTEM, NIK_IBU_SYSTEM, NIK_SYSTEM, resolveNik, type PersonKind } from './people.js';
import { refOf } from './references.js';
import type { SimState } from './state.js';
import { bump } from './stats.js';
import type { JsonObject } from './types.js';

const IGNORED = new Set(['_count', '_format', '_sort', '_elements', '_summary']);
const FILTERS: Record<string, (r: JsonObject) => string | undefined> = {
  subject: (r) => refOf(r.subject),
  patient: (r) => refOf(r.subject) ?? refOf(r.patient),
  encounter: (r) => refOf(r.encounter),
};
// People searches by name/birthdate/gender exist upstream but are not modelled: they find nobody.
const PEOPLE_PARAMS = new Set(['name', 'birthdate', 'gender', 'nik']);

export function search(state: SimState, type: string, params: URLSearchParams, selfUrl: string): Reply {
  bump(state.counters.lookups, type);
  const isPerson = type === 'Patient' || type === 'Practitioner';
  for (const key of params.keys()) {
    if (key === 'identifier' || key === '_id' || IGNORED.has(key) || key in FILTERS || (isPerson && PEOPLE_PARAMS.has(key))) continue;
    return fail(400, 'not-supported', `Unsupported search parameter: ${key}`, key);
  }
  const identifier = params.get('identifier');
  const id = params.get('_id');
  let matches: JsonObject[];
  if (isPerson) matches = searchPeople(state, type as PersonKind, identifier, id);
  else if (id !== null) matches = state.store.get(type, id) ? [state.store.get(type, id) as JsonObject] : [];
  else if (identifier !== null) matches = byIdentifier(state, type, identifier);
  else return fail(400, 'required', `Search on ${type} needs identifier=<system>|<value> or _id`);

  for (const [key, get] of Object.entries(FILTERS)) {
    const wanted = params.get(key);
    if (wanted !== null) matches = matches.filter((r) => referenceMatches(get(r), wanted));
  }
  return fhirJson(200, searchset(state, type, matches, selfUrl));
}

function byIdentifier(state: SimState, type: string, identifier: string): JsonObject[] {
  const bar = identifier.indexOf('|');
  if (bar < 0) return state.store.findByIdentifier(type, null, identifier);
  return state.store.findByIdentifier(type, identifier.slice(0, bar), identifier.slice(bar + 1));
}

function searchPeople(state: SimState, kind: PersonKind, identifier: string | null, id: string | null): JsonObject[] {
  if (id !== null) return personById(state, kind, id);
  if (identifier === null) return [];
  const bar = identifier.indexOf('|');
  const system = bar < 0 ? '' : identifier.slice(0, bar);
  const value = bar < 0 ? identifier : identifier.slice(bar + 1);
  if (system === NIK_SYSTEM) {
    const created = state.store.findByIdentifier(kind, NIK_SYSTEM, value);
    if (created.length > 0) return created.map(maskPerson);
    const resolved = resolveNik(kind, value, state.config.unknownNikPercent);
    return resolved ? [buildPerson(kind, resolved)] : [];
  }
  if (system === NIK_IBU_SYSTEM) return state.store.findByIdentifier(kind, NIK_IBU_SYSTEM, value).map(maskPerson);
  if (system === IHS_SYSTEM || system === NAKES_SYSTEM) return personById(state, kind, value);
  return state.store.findByIdentifier(kind, system || null, value).map(maskPerson);
}

function personById(state: SimState, kind: PersonKind, id: string): JsonObject[] {
  const stored = state.store.get(kind, id);
  if (stored) return [maskPerson(stored)];
  return isKnownPersonId(kind, id) ? [buildPerson(kind, id)] : [];
}

function referenceMatches(ref: string | undefined, wanted: string): boolean {
  if (ref === undefined) return false;
  return ref === wanted || ref.endsWith(`/${wanted}`);
}

function searchset(state: SimState, type: string, matches: JsonObject[], selfUrl: string): JsonObject {
  const bundle: JsonObject = {
    resourceType: 'Bundle',
    type: 'searchset',
    total: matches.length,
    link: [{ relation: 'self', url: selfUrl }],
  };
  if (matches.length > 0) {
    bundle.entry = matches.map((resource) => ({
      fullUrl: `${state.fhirUrl}/${type}/${String(resource.id)}`,
      resource,
      search: { mode: 'match' },
    }));
  }
  return bundle;
}
