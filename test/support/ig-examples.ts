// The official SATUSEHAT IG example payloads (test/fixtures/satusehat-ig) and the adaptation a
// real client makes before sending one: its own org id, references to resources that exist, UTC
// datetimes inside the allowed window, its own identifier values, no template placeholders.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- official examples are arbitrary FHIR JSON
export type Json = any;

/** The examples committed with the tests (see its README); SATUSEHAT_IG_DIR points at another copy of the IG. */
export const IG_ROOT = process.env.SATUSEHAT_IG_DIR ?? fileURLToPath(new URL('../fixtures/satusehat-ig', import.meta.url));
const FOLDERS = ['id-fhir/example', 'satusehat-usecase'];

/** The resource types the daemon sends; an example Bundle counts when all its entries are of these. */
export const SENT_TYPES: ReadonlySet<string> = new Set([
  'Organization', 'Location', 'Encounter', 'Condition', 'Observation', 'Procedure', 'AllergyIntolerance', 'Medication',
  'MedicationRequest', 'ServiceRequest', 'Specimen', 'DiagnosticReport', 'Composition', 'NutritionOrder',
]);

export interface IgExample {
  /** Path under IG_ROOT. */
  file: string;
  /** The resource type, or `Bundle` for a transaction Bundle. */
  type: string;
  json: Json;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return jsonFiles(path);
    return e.name.endsWith('.json') ? [path] : [];
  });
}

const isSentExample = (json: Json): boolean =>
  json.resourceType === 'Bundle'
    ? json.type === 'transaction' && Array.isArray(json.entry) && json.entry.length > 0 && json.entry.every((e: Json) => SENT_TYPES.has(e?.resource?.resourceType))
    : SENT_TYPES.has(json.resourceType);

/** Every example payload of a sent type, sorted by file. `*-Response.json` are server answers, not payloads. */
export function loadIgExamples(): IgExample[] {
  return FOLDERS.flatMap((f) => jsonFiles(join(IG_ROOT, f)))
    .map((path) => ({ file: relative(IG_ROOT, path), json: JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, '')) as Json }))
    .filter((e) => !/-Response\.json$/.test(e.file) && isSentExample(e.json))
    .map((e) => ({ ...e, type: e.json.resourceType as string }))
    .sort((a, b) => a.file.localeCompare(b.file));
}

export interface Person {
  id: string;
  /** The name the simulator's NIK look-up returns (`name[0].text`), used as the reference display. */
  name: string;
}

export interface AdaptTarget {
  orgId: string;
  patient: Person;
  practitioner: Person;
  /** Id of a stored resource of each type that references may point at. */
  stored: Readonly<Record<string, string>>;
  /** Epoch ms: datetimes end up between floorMs and nowMs. */
  nowMs: number;
  floorMs: number;
  /** Appended to identifier values (the client's own record numbers), so examples that share a value do not collide (20002). */
  suffix: string;
}

const DATETIME_RE = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
// Keys whose values are FHIR `date` (not dateTime): left as they are.
const DATE_ONLY_KEYS = new Set(['birthDate']);
const DAY = 86_400_000;

function instantOf(value: string): number | null {
  const m = DATETIME_RE.exec(value);
  if (m) return Date.parse(`${m[1]}T${m[2]}${m[3] ?? ':00'}${m[4] ?? 'Z'}`);
  return DATE_RE.test(value) ? Date.parse(`${value}T00:00:00Z`) : null;
}

const utc = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}+00:00`;

/** Every datetime (and date-only value of a dateTime element) in the example, as [holder, key, ms]. */
function datetimes(node: Json, out: [Json, string | number, number][] = []): [Json, string | number, number][] {
  if (Array.isArray(node)) node.forEach((v, i) => visit(node, i, v, out));
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) visit(node, k, v, out);
  return out;
}

function visit(holder: Json, key: string | number, value: Json, out: [Json, string | number, number][]): void {
  if (typeof value === 'string') {
    const ms = typeof key === 'string' && DATE_ONLY_KEYS.has(key) ? null : instantOf(value);
    if (ms !== null && !Number.isNaN(ms)) out.push([holder, key, ms]);
  } else if (value && typeof value === 'object') {
    datetimes(value, out);
  }
}

/**
 * Moves all datetimes by one offset, so the latest lands a day before now and their order and gaps
 * stay as the example has them; anything that would fall before the floor is put just after it.
 */
function moveDatetimes(json: Json, t: AdaptTarget): void {
  const found = datetimes(json);
  if (found.length === 0) return;
  const latest = Math.max(...found.map(([, , ms]) => ms));
  const offset = t.nowMs - DAY - latest;
  for (const [holder, key, ms] of found) holder[key] = utc(Math.max(ms + offset, t.floorMs + DAY));
}

const SYS_IDS_RE = /^(http:\/\/sys-ids\.kemkes\.go\.id\/[a-z-]+\/)[^/]+(\/[a-z]+)?$/;
const PLACEHOLDER_RE = /\$[A-Z][A-Z0-9_]*|\{\{[^}]*\}\}/g;
const HAS_PLACEHOLDER_RE = /\$[A-Z]|\{\{/;
const REF_RE = /(?:^|\/)([A-Z][A-Za-z]+)\/([^/]+)$/;

/** Identifier values made unique per example, placeholders replaced; sys-ids systems carry our org. */
function adaptIdentifiers(json: Json, t: AdaptTarget, suffix: string): void {
  const list = Array.isArray(json.identifier) ? json.identifier : json.identifier ? [json.identifier] : [];
  for (const id of list) {
    if (typeof id?.system === 'string') id.system = id.system.replace(SYS_IDS_RE, `$1${t.orgId}$2`);
    if (typeof id?.value === 'string') id.value = `${id.value.replace(PLACEHOLDER_RE, 'X')}-${suffix}`;
  }
}

/** A reference's new target: the simulator's person, org, or the stored resource of that type. */
function retarget(ref: string, t: AdaptTarget): string | null {
  const m = REF_RE.exec(ref);
  if (!m || ref.startsWith('urn:') || ref.startsWith('#')) return null;
  const type = m[1] as string;
  if (type === 'Patient') return `Patient/${t.patient.id}`;
  if (type === 'Practitioner') return `Practitioner/${t.practitioner.id}`;
  if (type === 'Organization') return `Organization/${t.orgId}`;
  const stored = t.stored[type];
  return stored === undefined ? null : `${type}/${stored}`;
}

// A standalone example may point at another example with `urn:uuid:…` or `#link-to-…`, which only a
// Bundle could resolve; the client sends the stored resource's id instead, typed by the element.
const TYPE_OF_ELEMENT: Record<string, string> = { encounter: 'Encounter', medicationReference: 'Medication', subject: 'Patient', patient: 'Patient' };

function adaptReferences(node: Json, t: AdaptTarget, uuids: Map<string, string>, inBundle: boolean, element = ''): void {
  if (Array.isArray(node)) {
    node.forEach((v) => adaptReferences(v, t, uuids, inBundle, element));
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'reference' && typeof value === 'string') {
      const ref = localReference(value, element, t, uuids, inBundle);
      node.reference = ref;
      if (ref.startsWith('Patient/')) node.display = t.patient.name;
      else if (ref.startsWith('Practitioner/')) node.display = t.practitioner.name;
    } else if (key === 'fullUrl' && typeof value === 'string') {
      node.fullUrl = urn(value, uuids);
    } else {
      adaptReferences(value, t, uuids, inBundle, key);
    }
  }
}

function localReference(value: string, element: string, t: AdaptTarget, uuids: Map<string, string>, inBundle: boolean): string {
  const pointsElsewhere = value.startsWith('#') || value.startsWith('urn:uuid:');
  const type = TYPE_OF_ELEMENT[element];
  if (!inBundle && pointsElsewhere && type !== undefined) return retarget(`${type}/x`, t) ?? value;
  if (value.startsWith('urn:uuid:')) return urn(value, uuids);
  return retarget(value, t) ?? value;
}

// `urn:uuid:$GENERATED_UUID_ENCOUNTER` and its references become one fresh UUID.
function urn(value: string, uuids: Map<string, string>): string {
  if (!HAS_PLACEHOLDER_RE.test(value)) return value;
  let id = uuids.get(value);
  if (!id) {
    id = `urn:uuid:${randomUUID()}`;
    uuids.set(value, id);
  }
  return id;
}

function adaptResource(resource: Json, t: AdaptTarget, suffix: string): void {
  delete resource.id;
  delete resource.meta;
  adaptIdentifiers(resource, t, suffix);
}

/** A copy of the example as a client would send it (`id` and `meta` dropped: the server assigns them). */
export function adaptExample(example: IgExample, t: AdaptTarget): Json {
  const json = structuredClone(example.json);
  const uuids = new Map<string, string>();
  if (json.resourceType === 'Bundle') {
    delete json.id;
    delete json.meta;
    // Each entry gets its own values: a client's record numbers are unique per record.
    json.entry.forEach((entry: Json, i: number) => {
      adaptResource(entry.resource, t, `${t.suffix}.${i}`);
      // An update inside the Bundle (PUT Type/<id>) updates the client's stored resource of that type.
      if (entry.request?.method === 'PUT' && typeof entry.request.url === 'string') entry.request.url = retarget(entry.request.url, t) ?? entry.request.url;
    });
  } else {
    adaptResource(json, t, t.suffix);
  }
  adaptReferences(json, t, uuids, json.resourceType === 'Bundle');
  moveDatetimes(json, t);
  return json;
}

/** An example with an `id` is an update in the IG (a PUT of a stored resource), apart from id-fhir's own example ids. */
export const isUpdateExample = (e: IgExample): boolean =>
  e.type !== 'Bundle' && typeof e.json.id === 'string' && !e.json.id.startsWith('Example-');

/**
 * The resources examples refer to, created in the simulator before the examples are sent. `post`
 * stores one and returns its id. Types the simulator has no rules for (EpisodeOfCare, Media, …) are
 * stored as minimal resources, as SATUSEHAT stores what it does not check.
 */
export async function seedStored(
  t: Pick<AdaptTarget, 'orgId' | 'patient' | 'practitioner' | 'nowMs'>,
  post: (type: string, body: Json) => Promise<string>,
): Promise<Record<string, string>> {
  const sys = (kind: string): string => `http://sys-ids.kemkes.go.id/${kind}/${t.orgId}`;
  const patient = { reference: `Patient/${t.patient.id}`, display: t.patient.name };
  const practitioner = { reference: `Practitioner/${t.practitioner.id}`, display: t.practitioner.name };
  const start = utc(t.nowMs - 3 * 3_600_000);
  const end = utc(t.nowMs - 3_600_000);
  const loinc = (code: string, display: string): Json => ({ coding: [{ system: 'http://loinc.org', code, display }] });
  const s: Record<string, string> = {};
  s.Location = await post('Location', {
    resourceType: 'Location', identifier: [{ system: sys('location'), value: 'IG-SEED-ROOM' }], status: 'active', name: 'Ruang 1A', mode: 'instance',
    physicalType: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code: 'ro', display: 'Room' }] },
    managingOrganization: { reference: `Organization/${t.orgId}` },
  });
  s.Encounter = await post('Encounter', {
    resourceType: 'Encounter', identifier: [{ system: sys('encounter'), value: 'IG-SEED-VISIT' }], status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    subject: patient, participant: [{ individual: practitioner }], period: { start, end },
    location: [{ location: { reference: `Location/${s.Location}` } }],
    statusHistory: [{ status: 'arrived', period: { start, end: start } }, { status: 'finished', period: { start: end, end } }],
    serviceProvider: { reference: `Organization/${t.orgId}` },
  });
  const visit = { subject: { reference: patient.reference }, encounter: { reference: `Encounter/${s.Encounter}` } };
  s.Condition = await post('Condition', { resourceType: 'Condition', code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'A15.0' }] }, ...visit });
  s.ServiceRequest = await post('ServiceRequest', {
    resourceType: 'ServiceRequest', identifier: [{ system: sys('servicerequest'), value: 'IG-SEED-ORDER' }], status: 'active', intent: 'order',
    code: loinc('11477-7', 'Microscopic observation [Identifier] in Sputum by Acid fast stain'), requester: { reference: practitioner.reference }, ...visit,
  });
  s.Specimen = await post('Specimen', {
    resourceType: 'Specimen', identifier: [{ system: sys('specimen'), value: 'IG-SEED-SPECIMEN' }], status: 'available',
    type: { coding: [{ system: 'http://snomed.info/sct', code: '119334006', display: 'Sputum specimen' }] },
    subject: { reference: patient.reference }, request: [{ reference: `ServiceRequest/${s.ServiceRequest}` }],
  });
  s.Observation = await post('Observation', {
    resourceType: 'Observation', status: 'final', code: loinc('8867-4', 'Heart rate'), ...visit, effectiveDateTime: end,
    valueQuantity: { value: 80, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
  });
  s.DiagnosticReport = await post('DiagnosticReport', {
    resourceType: 'DiagnosticReport', status: 'final', code: loinc('11477-7', 'Microscopic observation [Identifier] in Sputum by Acid fast stain'), ...visit,
    result: [{ reference: `Observation/${s.Observation}` }],
  });
  s.Medication = await post('Medication', { resourceType: 'Medication', code: { coding: [{ system: 'http://sys-ids.kemkes.go.id/kfa', code: '93001019', display: 'Obat' }] } });
  for (const type of ['EpisodeOfCare', 'QuestionnaireResponse', 'ImagingStudy', 'Media', 'CarePlan']) {
    s[type] = await post(type, { resourceType: type, status: 'active' });
  }
  return s;
}
