// The SATUSEHAT simulator over real HTTP (global fetch against a loopback server).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_FAULTS, resolveNik, startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { mapCondition } from '../../shared/fhir/mappers/condition.js';
import { mapEncounter } from '../../shared/fhir/mappers/encounter.js';
import { mapImmunization } from '../../shared/fhir/mappers/immunization.js';
import { mapProcedure } from '../../shared/fhir/mappers/procedure.js';
import { mapVitalSigns } from '../../shared/fhir/mappers/vital-signs.js';
import { resolvePlaceholders } from '../../shared/fhir/placeholders.js';
import type { ParentRef } from '../../shared/fhir/types.js';
import type { DiagnosisRow, ImmunizationRow, ProcedureRow, VisitRow, VitalSignsRow } from '../../shared/types/source-rows.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = `${ROOT}node_modules/.bin/tsx`;
const NIK = 'https://fhir.kemkes.go.id/id/nik';
// Sandbox people (Ardianto Putra, dr. Alexander) with the censored names the MPI/MNI serve.
const DUMMY_PATIENT = { nik: '9271060312000001', ihs: 'P02478375538', censored: 'Ar****** Pu***' };
const DUMMY_PRACTITIONER = { nik: '7209061211900001', id: '10009880728', censored: 'dr. Al*******' };
// Neither a sandbox id nor one the NIK rule can produce (its check digits are wrong).
const UNKNOWN_IHS = 'P99999999999';

let sim: RunningSimulator;
let accessToken: string;

interface Res {
  status: number;
  headers: Headers;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions dig into arbitrary FHIR JSON
}

async function call(method: string, url: string, init: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Res> {
  const headers: Record<string, string> = { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers };
  const response = await fetch(url, {
    method,
    headers,
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    signal: init.signal,
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json };
}

function requestToken(clientId = sim.clientId, clientSecret = sim.clientSecret, grant = 'client_credentials'): Promise<Res> {
  return call('POST', `${sim.authUrl}/accesstoken?grant_type=${grant}`, {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret }).toString(),
  });
}

async function freshToken(): Promise<string> {
  const res = await requestToken();
  expect(res.status).toBe(200);
  return res.json.access_token as string;
}

/** FHIR call with the current token; `path` is relative to the FHIR base. */
function fhir(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Res> {
  return call(method, path ? `${sim.fhirUrl}/${path}` : sim.fhirUrl, { body, headers: { authorization: `Bearer ${accessToken}` }, signal });
}

const texts = (res: Res): string[] => (res.json?.issue ?? []).map((i: { details: { text: string } }) => i.details.text);
const utc = (ms: number): string => new Date(ms).toISOString().slice(0, 19) + '+00:00';
const HOUR = 3_600_000;
const sys = (kind: string): string => `http://sys-ids.kemkes.go.id/${kind}/${sim.orgId}`;

function organization(code = 'POLI-UMUM'): Record<string, unknown> {
  return {
    resourceType: 'Organization',
    active: true,
    identifier: [{ use: 'official', system: sys('organization'), value: code }],
    type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'dept', display: 'Hospital Department' }] }],
    name: 'Poli Umum',
    partOf: { reference: `Organization/${sim.orgId}` },
  };
}

function location(orgRef: string, code = 'R-1A'): Record<string, unknown> {
  return {
    resourceType: 'Location',
    identifier: [{ system: sys('location'), value: code }],
    status: 'active',
    name: 'Ruang 1A',
    mode: 'instance',
    physicalType: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code: 'ro', display: 'Room' }] },
    managingOrganization: { reference: orgRef },
  };
}

function encounter(locationRef: string, regNo = 'REG-0001'): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any -- mutated freely by rule tests
  const start = utc(Date.now() - 2 * HOUR);
  return {
    resourceType: 'Encounter',
    identifier: [{ system: sys('encounter'), value: regNo }],
    status: 'arrived',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    subject: { reference: `Patient/${DUMMY_PATIENT.ihs}`, display: DUMMY_PATIENT.censored },
    participant: [
      {
        type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'ATND', display: 'attender' }] }],
        individual: { reference: `Practitioner/${DUMMY_PRACTITIONER.id}`, display: DUMMY_PRACTITIONER.censored },
      },
    ],
    period: { start },
    location: [{ location: { reference: locationRef, display: 'Ruang 1A' } }],
    statusHistory: [{ status: 'arrived', period: { start } }],
    serviceProvider: { reference: `Organization/${sim.orgId}` },
  };
}

function condition(encounterRef: string, code = 'A15.0'): Record<string, unknown> {
  return {
    resourceType: 'Condition',
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }],
    code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code, display: 'Tuberculosis of lung' }] },
    subject: { reference: `Patient/${DUMMY_PATIENT.ihs}` },
    encounter: { reference: encounterRef },
  };
}

function observation(encounterRef: string): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any -- mutated by rule tests
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
    subject: { reference: `Patient/${DUMMY_PATIENT.ihs}` },
    encounter: { reference: encounterRef },
    effectiveDateTime: utc(Date.now() - HOUR),
    valueQuantity: { value: 80, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
  };
}

/** Organization + Location stored; returns the Location reference. */
async function seedLocation(): Promise<string> {
  const org = await fhir('POST', 'Organization', organization());
  expect(org.status).toBe(201);
  const loc = await fhir('POST', 'Location', location(`Organization/${org.json.id}`));
  expect(loc.status).toBe(201);
  return `Location/${loc.json.id}`;
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, tokenTtlSeconds: 1234 });
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  sim.reset();
  sim.setFaults(DEFAULT_FAULTS);
  accessToken = await freshToken();
});

describe('OAuth2 token', () => {
  it('issues a token whose every value is a string, with expires_in from the option', async () => {
    const before = Date.now();
    const res = await requestToken();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = res.json as Record<string, unknown>;
    for (const [key, value] of Object.entries(body)) {
      if (key === 'api_product_list_json') expect(value).toEqual(['ihsv1']);
      else expect(typeof value, key).toBe('string');
    }
    expect(body).toMatchObject({ token_type: 'BearerToken', expires_in: '1234', refresh_count: '0', status: 'approved', scope: '', client_id: sim.clientId, api_product_list: '[ihsv1]' });
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['developer.email', 'organization_name', 'application_name', 'refresh_token_expires_in']));
    const issuedAt = Number(body.issued_at);
    expect(issuedAt).toBeGreaterThanOrEqual(before);
    expect(issuedAt).toBeLessThanOrEqual(Date.now());
    expect(body.access_token).not.toBe(accessToken);
  });

  it('rejects bad credentials with 401, then rate-limits that client for 60 s', async () => {
    const bad = await requestToken(sim.clientId, 'wrong');
    expect(bad.status).toBe(401);
    expect(bad.json.resourceType).toBe('OperationOutcome');
    expect(texts(bad)[0]).toContain('either client_id or client_secret combination is unacceptable');

    const retry = await requestToken();
    expect(retry.status).toBe(429);
    expect(texts(retry)[0]).toContain('Rate limit: 1 request per minute after a failed attempt');
    expect(Number(retry.headers.get('retry-after'))).toBeGreaterThan(50);

    // Another client id is not affected by this client's failure.
    expect((await requestToken('someone-else', 'x')).status).toBe(401);
    expect(sim.stats().tokenFailures).toBe(3);
  });

  it('rejects a wrong grant_type', async () => {
    const res = await requestToken(sim.clientId, sim.clientSecret, 'password');
    expect(res.status).toBe(401);
    expect(texts(res)[0]).toContain('not able to be authenticated');
  });

  it('answers 401 without a token, with an unknown token and after expireTokens()', async () => {
    expect((await call('GET', `${sim.fhirUrl}/Encounter?identifier=a|b`)).status).toBe(401);
    const garbage = await call('GET', `${sim.fhirUrl}/Encounter?identifier=a|b`, { headers: { authorization: 'Bearer nope' } });
    expect(garbage.status).toBe(401);
    expect(garbage.json.resourceType).toBe('OperationOutcome');

    expect((await fhir('GET', 'Encounter?identifier=a|b')).status).toBe(200);
    sim.expireTokens();
    expect((await fhir('GET', 'Encounter?identifier=a|b')).status).toBe(401);
    accessToken = await freshToken();
    expect((await fhir('GET', 'Encounter?identifier=a|b')).status).toBe(200);
  });

  it('expires tokens after tokenTtlSeconds', async () => {
    const short = await startSimulator({ tokenTtlSeconds: 1 });
    try {
      const tok = await call('POST', `${short.authUrl}/accesstoken?grant_type=client_credentials`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `client_id=${short.clientId}&client_secret=${short.clientSecret}`,
      });
      expect(tok.json.expires_in).toBe('1');
      const get = () => call('GET', `${short.fhirUrl}/Encounter?identifier=a|b`, { headers: { authorization: `Bearer ${tok.json.access_token}` } });
      expect((await get()).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1100));
      expect((await get()).status).toBe(401);
    } finally {
      await short.close();
    }
  });
});

describe('Patient and Practitioner lookup', () => {
  it('finds the sandbox dummy patient by NIK with a masked NIK', async () => {
    const res = await fhir('GET', `Patient?identifier=${encodeURIComponent(`${NIK}|${DUMMY_PATIENT.nik}`)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/fhir+json;charset=utf-8');
    expect(res.json).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    const entry = res.json.entry[0];
    expect(entry.search.mode).toBe('match');
    expect(entry.fullUrl).toBe(`${sim.fhirUrl}/Patient/${DUMMY_PATIENT.ihs}`);
    expect(entry.resource.id).toBe(DUMMY_PATIENT.ihs);
    expect(entry.resource.identifier).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ system: NIK, value: '################' }),
        expect.objectContaining({ system: 'https://fhir.kemkes.go.id/id/ihs-number', value: DUMMY_PATIENT.ihs }),
      ]),
    );
    expect(JSON.stringify(res.json.entry)).not.toContain(DUMMY_PATIENT.nik);
    expect(res.json.link[0].relation).toBe('self');
    expect(sim.stats().lookups.Patient).toBe(1);
  });

  it('finds the sandbox dummy practitioner and reads people by id', async () => {
    const res = await fhir('GET', `Practitioner?identifier=${NIK}|${DUMMY_PRACTITIONER.nik}`);
    expect(res.json.total).toBe(1);
    expect(res.json.entry[0].resource.id).toBe(DUMMY_PRACTITIONER.id);
    expect(res.json.entry[0].resource.identifier).toEqual(expect.arrayContaining([expect.objectContaining({ system: 'https://fhir.kemkes.go.id/id/nakes-his-number', value: DUMMY_PRACTITIONER.id })]));
    expect((await fhir('GET', `Practitioner/${DUMMY_PRACTITIONER.id}`)).json.id).toBe(DUMMY_PRACTITIONER.id);
    expect((await fhir('GET', `Patient/${DUMMY_PATIENT.ihs}`)).json.name[0].text).toBe(DUMMY_PATIENT.censored);
    expect(res.json.entry[0].resource.name[0].text).toBe(DUMMY_PRACTITIONER.censored);
    expect((await fhir('GET', `Patient/${UNKNOWN_IHS}`)).status).toBe(404);
  });

  it('answers total 0 for an unknown or malformed NIK', async () => {
    let unknown = '';
    for (let n = 3201010000000001; !unknown; n++) if (resolveNik('Patient', String(n), 3) === null) unknown = String(n);
    for (const nik of [unknown, '12345']) {
      const res = await fhir('GET', `Patient?identifier=${NIK}|${nik}`);
      expect(res.status).toBe(200);
      expect(res.json.total).toBe(0);
      expect(res.json.entry).toBeUndefined();
    }
  });

  it('maps other well-formed NIKs to a stable IHS number that Encounters may cite', async () => {
    let known = '';
    for (let n = 3201010000000001; !known; n++) if (resolveNik('Patient', String(n), 3) !== null) known = String(n);
    const first = await fhir('GET', `Patient?identifier=${NIK}|${known}`);
    const second = await fhir('GET', `Patient?identifier=${NIK}|${known}`);
    const ihs = first.json.entry[0].resource.id as string;
    expect(ihs).toMatch(/^P\d{11}$/);
    expect(second.json.entry[0].resource.id).toBe(ihs);
    expect(second.json.entry[0].resource.name).toEqual(first.json.entry[0].resource.name);
    expect((await fhir('GET', `Patient/${ihs}`)).status).toBe(200);

    const enc = encounter(await seedLocation());
    enc.subject = { reference: `Patient/${ihs}` };
    expect((await fhir('POST', 'Encounter', enc)).status).toBe(201);
  });

  it('creates a patient the MPI does not know (non-FHIR 200 body) and finds it afterwards', async () => {
    let unknown = '';
    for (let n = 3301010000000001; !unknown; n++) if (resolveNik('Patient', String(n), 3) === null) unknown = String(n);
    const patient = { resourceType: 'Patient', identifier: [{ system: NIK, value: unknown }], name: [{ text: 'Budi' }], gender: 'male', birthDate: '1990-01-01' };
    const created = await fhir('POST', 'Patient', patient);
    expect(created.status).toBe(200);
    expect(created.json.success).toBe(true);
    const ihs = created.json.data['Patient ID:'] as string;
    expect(ihs).toMatch(/^P\d{11}$/);
    const found = await fhir('GET', `Patient?identifier=${NIK}|${unknown}`);
    expect(found.json.entry[0].resource.id).toBe(ihs);
    expect(found.json.entry[0].resource.name).toEqual([{ text: 'Bu**' }]);
    expect(found.json.entry[0].resource.identifier[0].value).toBe('################');

    const again = await fhir('POST', 'Patient', patient);
    expect(again.json).toMatchObject({ success: false, data: { resourceID: ihs } });
    const dummy = await fhir('POST', 'Patient', { ...patient, identifier: [{ system: NIK, value: DUMMY_PATIENT.nik }] });
    expect(dummy.json).toMatchObject({ success: false, data: { resourceID: DUMMY_PATIENT.ihs } });
  });
});

describe('display names of people (10118/10119)', () => {
  it("rejects a reference display that is not the MPI/MNI's censored name, naming the expected one", async () => {
    const enc = encounter(await seedLocation(), 'REG-NAME');
    enc.subject.display = 'Ardianto Putra';
    enc.participant[0].individual.display = 'dr. Alexander';
    const res = await fhir('POST', 'Encounter', enc);
    expect(res.status).toBe(400);
    expect(texts(res)).toEqual([
      expect.stringMatching(/^Encounter\.subject\.display 'Ardianto Putra' does not match .*expected 'Ar\*{6} Pu\*{3}'.*\(RuleNumber: 10118\)$/),
      expect.stringMatching(/^Encounter\.participant\[0\]\.individual\.display 'dr\. Alexander' .*expected 'dr\. Al\*{7}'.*\(RuleNumber: 10119\)$/),
    ]);
    expect(sim.stats().stored.Encounter ?? 0).toBe(0);
  });

  it('accepts the censored names, or no display at all', async () => {
    const loc = await seedLocation();
    expect((await fhir('POST', 'Encounter', encounter(loc, 'REG-CENSORED'))).status).toBe(201);
    const bare = encounter(loc, 'REG-BARE');
    delete bare.subject.display;
    delete bare.participant[0].individual.display;
    expect((await fhir('POST', 'Encounter', bare)).status).toBe(201);
  });

  it('applies the rule to person references of every type, and inside a Bundle', async () => {
    const enc = (await fhir('POST', 'Encounter', encounter(await seedLocation(), 'REG-COND'))).json;
    const named = { ...condition(`Encounter/${enc.id}`), subject: { reference: `Patient/${DUMMY_PATIENT.ihs}`, display: 'Ardianto' } };
    const single = await fhir('POST', 'Condition', named);
    expect(single.status).toBe(400);
    expect(texts(single)[0]).toMatch(/^Condition\.subject\.display 'Ardianto' .*\(RuleNumber: 10118\)$/);
    const bundle = await fhir('POST', '', { resourceType: 'Bundle', type: 'transaction', entry: [{ fullUrl: `urn:uuid:${randomUUID()}`, resource: named, request: { method: 'POST', url: 'Condition' } }] });
    expect(bundle.status).toBe(400);
    expect(texts(bundle).join(' ')).toContain('(RuleNumber: 10118)');
  });

  it('accepts any display when the rule is switched off', async () => {
    const lax = await startSimulator({ port: 0, enforceDisplayNames: false });
    try {
      const token = await (await fetch(`${lax.authUrl}/accesstoken?grant_type=client_credentials`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: lax.clientId, client_secret: lax.clientSecret }).toString(),
      })).json() as { access_token: string };
      const post = (type: string, body: unknown) =>
        fetch(`${lax.fhirUrl}/${type}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` }, body: JSON.stringify(body) });
      // Same default org id as `sim`, so the builders' identifiers fit.
      expect(lax.orgId).toBe(sim.orgId);
      const org = await (await post('Organization', organization())).json() as { id: string };
      const loc = await (await post('Location', location(`Organization/${org.id}`))).json() as { id: string };
      const enc = encounter(`Location/${loc.id}`, 'REG-LAX');
      enc.subject.display = 'Ardianto Putra';
      expect((await post('Encounter', enc)).status).toBe(201);
    } finally {
      await lax.close();
    }
  });
});

describe('create, read, search, update', () => {
  it('creates Organization → Location → Encounter with SATUSEHAT-style ids, meta and headers', async () => {
    const org = await fhir('POST', 'Organization', organization());
    expect(org.status).toBe(201);
    expect(org.json.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const versionId = org.json.meta.versionId as string;
    expect(Buffer.from(versionId, 'base64').toString()).toMatch(/^\d{19}$/);
    expect(org.json.meta.lastUpdated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/);
    expect(org.headers.get('location')).toBe(`${sim.fhirUrl}/Organization/${org.json.id}/_history/${versionId}`);
    expect(org.headers.get('etag')).toBe(`W/"${versionId}"`);

    const sub = await fhir('POST', 'Organization', { ...organization('LAB'), partOf: { reference: `Organization/${org.json.id}` } });
    expect(sub.status).toBe(201);
    const loc = await fhir('POST', 'Location', location(`Organization/${sub.json.id}`));
    expect(loc.status).toBe(201);
    const enc = await fhir('POST', 'Encounter', encounter(`Location/${loc.json.id}`));
    expect(enc.status).toBe(201);

    const read = await fhir('GET', `Encounter/${enc.json.id}`);
    expect(read.status).toBe(200);
    expect(read.json).toEqual(enc.json);
    expect(sim.stats()).toMatchObject({ created: { Organization: 2, Location: 1, Encounter: 1 }, stored: { Organization: 2, Location: 1, Encounter: 1 } });
    expect(sim.resources('Encounter')).toHaveLength(1);
  });

  it('validates Organization and Location mandatory fields', async () => {
    const org = await fhir('POST', 'Organization', { resourceType: 'Organization', partOf: { reference: 'Organization/999' } });
    expect(org.status).toBe(400);
    expect(texts(org)).toEqual(expect.arrayContaining([expect.stringContaining('Organization.active'), expect.stringContaining('Organization.name'), expect.stringContaining('Organization.type'), expect.stringContaining('Organization/999')]));
    const loc = await fhir('POST', 'Location', { ...location('Organization/nope'), physicalType: undefined });
    expect(loc.status).toBe(400);
    expect(texts(loc)).toEqual(expect.arrayContaining([expect.stringContaining('Location.physicalType'), expect.stringContaining('Organization/nope')]));
    const wrongOrg = await fhir('POST', 'Location', { ...location(`Organization/${sim.orgId}`), identifier: [{ system: 'http://sys-ids.kemkes.go.id/location/123', value: 'x' }] });
    expect(texts(wrongOrg)[0]).toBe('Wrong organization ID provided by system URL: http://sys-ids.kemkes.go.id/location/123');
  });

  type Mutate = (e: Record<string, any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any -- test payloads
  const ruleCases: Array<[string, string, Mutate, string]> = [
    ['wrong org in the identifier system', '10117', (e) => (e.identifier[0].system = 'http://sys-ids.kemkes.go.id/encounter/100025753'), 'Wrong organization ID provided by system URL: http://sys-ids.kemkes.go.id/encounter/100025753 (RuleNumber: 10117)'],
    ['missing identifier', '10117', (e) => delete e.identifier, 'Encounter.identifier'],
    ['missing subject', '10118', (e) => delete e.subject, 'Reference is mandatory : Encounter.subject (RuleNumber: 10118)'],
    ['unknown patient', '10118', (e) => (e.subject = { reference: `Patient/${UNKNOWN_IHS}` }), `Patient/${UNKNOWN_IHS}`],
    ['unknown practitioner', '10119', (e) => (e.participant[0].individual.reference = 'Practitioner/99999999999'), 'Practitioner/99999999999'],
    ['unknown location', '10120', (e) => (e.location[0].location.reference = 'Location/00000000-0000-4000-8000-000000000000'), 'Location/00000000-0000-4000-8000-000000000000'],
    ['missing statusHistory', '10122', (e) => delete e.statusHistory, 'Encounter.statusHistory'],
    ['missing period.start', '10123', (e) => (e.period = {}), 'Encounter.period.start'],
    ['missing serviceProvider', '10124', (e) => delete e.serviceProvider, 'Reference is mandatory : Encounter.serviceProvider (RuleNumber: 10124)'],
    ['serviceProvider of another org', '10124', (e) => (e.serviceProvider = { reference: 'Organization/1' }), 'Encounter.serviceProvider'],
    ['finished without period.end', '10121', (e) => (e.status = 'finished'), 'status finished'],
    ['unknown class code', '10001', (e) => (e.class.code = 'XYZ'), "Code not found: 'XYZ' in system: http://terminology.hl7.org/CodeSystem/v3-ActCode (RuleNumber: 10001)"],
    [
      'a date-time without the +00:00 offset',
      '10132',
      (e) => (e.period.start = '2024-06-14'),
      'Invalid date time format : 2024-06-14 (RuleNumber: 10132). Format allowed : YYYY-MM-DDThh:mm:ss+00:00',
    ],
    ['a local WIB offset', '10132', (e) => (e.statusHistory[0].period.start = '2024-06-14T10:00:00+07:00'), 'Invalid date time format : 2024-06-14T10:00:00+07:00'],
    ['a future date-time', '10132', (e) => (e.period.start = utc(Date.now() + 24 * HOUR)), 'Not Allowed : Future Date or Past Date older than 31st August 2022'],
    ['a date-time before 2022-08-31', '10132', (e) => (e.period.start = '2022-08-30T23:59:59+00:00'), 'Invalid date time value : 2022-08-30T23:59:59+00:00 (RuleNumber: 10132) Not Allowed : Future Date or Past Date older than 31st August 2022'],
  ];

  it.each(ruleCases)('rejects an Encounter with %s (RuleNumber %s)', async (_name, rule, mutate, fragment) => {
    const enc = encounter(await seedLocation());
    mutate(enc);
    const res = await fhir('POST', 'Encounter', enc);
    expect(res.status).toBe(400);
    expect(res.json.resourceType).toBe('OperationOutcome');
    const matching = texts(res).filter((t) => t.includes(`(RuleNumber: ${rule})`));
    expect(matching.length, texts(res).join('\n')).toBeGreaterThan(0);
    expect(matching.some((t) => t.includes(fragment)), matching.join('\n')).toBe(true);
    expect(sim.resources('Encounter')).toHaveLength(0);
  });

  it('accepts 2022-08-31 itself and a finished Encounter with end after start', async () => {
    const enc = encounter(await seedLocation());
    enc.period = { start: '2022-08-31T00:00:00+00:00', end: '2022-08-31T01:00:00.123+00:00' };
    enc.status = 'finished';
    expect((await fhir('POST', 'Encounter', enc)).status).toBe(201);
  });

  it('collects every issue of a resource in one OperationOutcome', async () => {
    const enc = encounter(await seedLocation());
    delete enc.subject;
    enc.period = {};
    enc.serviceProvider = undefined;
    const res = await fhir('POST', 'Encounter', enc);
    const rules = texts(res).map((t) => /RuleNumber: (\d+)/.exec(t)?.[1]);
    expect(rules).toEqual(expect.arrayContaining(['10118', '10123', '10124']));
    expect(res.json.issue.find((i: { details: { text: string } }) => i.details.text.includes('10118')).expression).toEqual(['Encounter.subject']);
  });

  it('rejects a second Encounter with the same identifier as a duplicate (20002)', async () => {
    const loc = await seedLocation();
    expect((await fhir('POST', 'Encounter', encounter(loc, 'REG-DUP'))).status).toBe(201);
    const dup = await fhir('POST', 'Encounter', encounter(loc, 'REG-DUP'));
    expect(dup.status).toBe(400);
    expect(dup.json.issue[0].code).toBe('duplicate');
    expect(dup.json.issue[0].details.text).toBe('Found duplicate resource: Encounter (RuleNumber: 20002)');
    const stats = sim.stats();
    expect(stats.duplicatesRejected.Encounter).toBe(1);
    expect(stats.stored.Encounter).toBe(1);
    expect(stats.duplicateIdentifiersStored).toBe(0);
  });

  it('validates before checking duplicates', async () => {
    const loc = await seedLocation();
    expect((await fhir('POST', 'Encounter', encounter(loc, 'REG-V'))).status).toBe(201);
    const invalidDup = encounter(loc, 'REG-V');
    delete invalidDup.subject;
    const res = await fhir('POST', 'Encounter', invalidDup);
    expect(texts(res).some((t) => t.includes('10118'))).toBe(true);
    expect(texts(res).some((t) => t.includes('20002'))).toBe(false);
  });

  it('finds stored resources by identifier', async () => {
    const created = await fhir('POST', 'Encounter', encounter(await seedLocation(), 'REG-42'));
    const res = await fhir('GET', `Encounter?identifier=${encodeURIComponent(`${sys('encounter')}|REG-42`)}`);
    expect(res.json).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    expect(res.json.entry[0]).toMatchObject({ fullUrl: `${sim.fhirUrl}/Encounter/${created.json.id}`, search: { mode: 'match' }, resource: { id: created.json.id } });
    const withSubject = await fhir('GET', `Encounter?identifier=${sys('encounter')}|REG-42&subject=${DUMMY_PATIENT.ihs}`);
    expect(withSubject.json.total).toBe(1);
    const otherSubject = await fhir('GET', `Encounter?identifier=${sys('encounter')}|REG-42&subject=P00000000097`);
    expect(otherSubject.json.total).toBe(0);
    const none = await fhir('GET', `Encounter?identifier=${sys('encounter')}|REG-43`);
    expect(none.json.total).toBe(0);
    expect(none.json.entry).toBeUndefined();
    expect(sim.stats().lookups.Encounter).toBe(4);
  });

  it('updates with PUT and PATCH, and rejects bad updates', async () => {
    const created = (await fhir('POST', 'Encounter', encounter(await seedLocation()))).json;
    const start = created.period.start as string;
    const end = utc(Date.now() - HOUR);
    const finished = {
      ...created,
      status: 'finished',
      period: { start, end },
      statusHistory: [...created.statusHistory, { status: 'finished', period: { start, end } }],
    };
    const put = await fhir('PUT', `Encounter/${created.id}`, finished);
    expect(put.status).toBe(200);
    expect(put.json.meta.versionId).not.toBe(created.meta.versionId);
    expect((await fhir('GET', `Encounter/${created.id}`)).json.status).toBe('finished');

    const mismatch = await fhir('PUT', `Encounter/${created.id}`, { ...finished, id: 'other' });
    expect(mismatch.status).toBe(400);
    const missing = await fhir('PUT', 'Encounter/00000000-0000-4000-8000-000000000000', { ...finished, id: '00000000-0000-4000-8000-000000000000' });
    expect(missing.status).toBe(404);
    expect(texts(missing)[0]).toBe('Resource not found Encounter/00000000-0000-4000-8000-000000000000 (RuleNumber: 20007)');
    expect((await fhir('GET', 'Encounter/00000000-0000-4000-8000-000000000000')).status).toBe(404);

    const patch = await call('PATCH', `${sim.fhirUrl}/Encounter/${created.id}`, {
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json-patch+json' },
      body: [{ op: 'replace', path: '/period/end', value: utc(Date.now() - HOUR / 2) }],
    });
    expect(patch.status).toBe(200);
    expect(patch.json.period.end).not.toBe(end);
    const add = await fhir('PATCH', `Encounter/${created.id}`, [{ op: 'add', path: '/language', value: 'id' }]);
    expect(add.status).toBe(400);
    const badValue = await fhir('PATCH', `Encounter/${created.id}`, [{ op: 'replace', path: '/period/end', value: '2020-01-01T00:00:00+00:00' }]);
    expect(texts(badValue).some((t) => t.includes('10132'))).toBe(true);
    expect(sim.stats().updated.Encounter).toBe(2);
  });

  it('accepts the Playbook elements of a finished visit as a PUT, and checks them', async () => {
    const created = (await fhir('POST', 'Encounter', encounter(await seedLocation(), 'REG-PLAYBOOK'))).json;
    const condition1 = (await fhir('POST', 'Condition', condition(`Encounter/${created.id}`))).json;
    const start = created.period.start as string;
    const end = utc(Date.now() - HOUR);
    const role = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/diagnosis-role', code: 'DD', display: 'Discharge diagnosis' }] };
    const serviceClass = (system: string, code: string) => [{ url: 'https://fhir.kemkes.go.id/r4/StructureDefinition/ServiceClass', extension: [{ url: 'value', valueCodeableConcept: { coding: [{ system, code }] } }] }];
    const finished = {
      ...created,
      status: 'finished',
      period: { start, end },
      length: { value: 60, unit: 'min', system: 'http://unitsofmeasure.org', code: 'min' },
      location: [{ ...created.location[0], period: { start, end }, extension: serviceClass('http://terminology.kemkes.go.id/CodeSystem/locationServiceClass-Inpatient', '2') }],
      diagnosis: [{ condition: { reference: `Condition/${condition1.id}` }, use: role, rank: 1 }],
      hospitalization: { dischargeDisposition: { coding: [{ system: 'http://terminology.kemkes.go.id/CodeSystem/discharge-disposition', code: 'exp-lt48h' }] } },
      statusHistory: [...created.statusHistory, { status: 'finished', period: { start: end, end } }],
    };
    const put = await fhir('PUT', `Encounter/${created.id}`, finished);
    expect(put.status, JSON.stringify(put.json?.issue)).toBe(200);
    expect((await fhir('GET', `Encounter/${created.id}`)).json.diagnosis[0].condition.reference).toBe(`Condition/${condition1.id}`);

    const bad = await fhir('PUT', `Encounter/${created.id}`, {
      ...finished,
      location: [{ ...finished.location[0], extension: serviceClass('http://example.org/kelas', '2') }],
      diagnosis: [{ condition: { reference: 'Condition/00000000-0000-4000-8000-000000000000' }, use: { coding: [{ ...role.coding[0], code: 'XX' }] }, rank: 0 }, { use: role }],
      hospitalization: { dischargeDisposition: { coding: [{ system: 'http://example.org/pulang', code: 'home' }] } },
    });
    expect(bad.status).toBe(400);
    const expected = [
      'Condition/00000000-0000-4000-8000-000000000000',
      "Code not found: 'XX' in system: http://terminology.hl7.org/CodeSystem/diagnosis-role",
      'rank must be a positive integer',
      'Encounter.diagnosis[1].condition',
      'Invalid coding system: http://example.org/pulang',
      'Invalid coding system: http://example.org/kelas',
    ];
    expect(texts(bad)).toEqual(expect.arrayContaining(expected.map((text) => expect.stringContaining(text))));
  });

  it('validates Condition and Observation rules', async () => {
    const enc = await fhir('POST', 'Encounter', encounter(await seedLocation()));
    const encRef = `Encounter/${enc.json.id}`;
    expect((await fhir('POST', 'Condition', condition(encRef))).status).toBe(201);
    expect((await fhir('POST', 'Observation', observation(encRef))).status).toBe(201);

    const noEncounter = await fhir('POST', 'Condition', { ...condition(encRef), encounter: undefined });
    expect(texts(noEncounter).join()).toContain('RuleNumber: 10126');
    const badCode = await fhir('POST', 'Condition', condition(encRef, 'TBC'));
    expect(texts(badCode).join()).toContain("Code not found: 'TBC' in system: http://hl7.org/fhir/sid/icd-10 (RuleNumber: 10001)");
    const badSystem = await fhir('POST', 'Condition', { ...condition(encRef), code: { coding: [{ system: 'http://example.org/icd', code: 'A15.0' }] } });
    expect(texts(badSystem).join()).toContain('Invalid coding system: http://example.org/icd (RuleNumber: 10002)');

    const obsNoEncounter = observation('Encounter/00000000-0000-4000-8000-000000000000');
    expect(texts(await fhir('POST', 'Observation', obsNoEncounter)).join()).toContain('RuleNumber: 10130');
    const obsBadUnit = observation(encRef);
    obsBadUnit.valueQuantity.system = 'http://example.org/units';
    expect(texts(await fhir('POST', 'Observation', obsBadUnit)).join()).toContain('RuleNumber: 10012');
  });

  it('stores other resource types generically and still checks their identifier systems', async () => {
    // Procedure has rules of its own now; EpisodeOfCare is still stored generically.
    const episode = { resourceType: 'EpisodeOfCare', status: 'active', identifier: [{ system: sys('episode-of-care'), value: 'EOC-1' }] };
    const created = await fhir('POST', 'EpisodeOfCare', episode);
    expect(created.status).toBe(201);
    expect((await fhir('GET', `EpisodeOfCare/${created.json.id}`)).json.status).toBe('active');
    expect((await fhir('POST', 'EpisodeOfCare', episode)).json.issue[0].code).toBe('duplicate');
    const wrongOrg = await fhir('POST', 'EpisodeOfCare', { ...episode, identifier: [{ system: 'http://sys-ids.kemkes.go.id/episode-of-care/1', value: 'EOC-2' }] });
    expect(wrongOrg.status).toBe(400);
  });

  it('validates Procedure, AllergyIntolerance and Composition: references, ICD-9-CM, SNOMED, empty text', async () => {
    const encRef = `Encounter/${(await fhir('POST', 'Encounter', encounter(await seedLocation()))).json.id}`;
    const procedure = (code: string, over: Record<string, unknown> = {}) => ({
      resourceType: 'Procedure',
      identifier: [{ system: sys('procedure'), value: `PR-${code}` }],
      status: 'completed',
      code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-9-cm', code, display: 'Electrocardiogram' }] },
      subject: { reference: `Patient/${DUMMY_PATIENT.ihs}` },
      encounter: { reference: encRef },
      performedPeriod: { start: utc(Date.now() - HOUR) },
      performer: [{ actor: { reference: `Practitioner/${DUMMY_PRACTITIONER.id}` } }],
      ...over,
    });
    expect((await fhir('POST', 'Procedure', procedure('89.52'))).status).toBe(201);
    expect(texts(await fhir('POST', 'Procedure', procedure('HECTING'))).join()).toContain("Code not found: 'HECTING' in system: http://hl7.org/fhir/sid/icd-9-cm (RuleNumber: 10001)");
    const noEncounter = texts(await fhir('POST', 'Procedure', procedure('23.09', { encounter: undefined }))).join();
    expect(noEncounter).toContain('Reference is mandatory : Procedure.encounter');
    const ghost = texts(await fhir('POST', 'Procedure', procedure('23.2', { performer: [{ actor: { reference: 'Practitioner/99999999999' } }] }))).join();
    expect(ghost).toContain('Reference not found : Procedure.performer[0].actor.reference : Practitioner/99999999999');

    const allergy = (over: Record<string, unknown> = {}) => ({
      resourceType: 'AllergyIntolerance',
      identifier: [{ system: sys('allergy'), value: `AL-${JSON.stringify(over).length}` }],
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
      category: ['medication'],
      code: { coding: [{ system: 'http://snomed.info/sct', code: '372687004', display: 'Amoxicillin' }] },
      patient: { reference: `Patient/${DUMMY_PATIENT.ihs}` },
      recordedDate: utc(Date.now() - HOUR),
      ...over,
    });
    expect((await fhir('POST', 'AllergyIntolerance', allergy())).status).toBe(201);
    expect((await fhir('POST', 'AllergyIntolerance', allergy({ code: { coding: [{ system: 'http://sys-ids.kemkes.go.id/kfa', code: '91000330' }] } }))).status).toBe(201);
    expect(texts(await fhir('POST', 'AllergyIntolerance', allergy({ code: { coding: [{ system: 'http://example.org/obat', code: 'AMX' }] } }))).join()).toContain('RuleNumber: 10002');
    expect(texts(await fhir('POST', 'AllergyIntolerance', allergy({ patient: undefined }))).join()).toContain('Reference is mandatory : AllergyIntolerance.patient');

    const composition = (div: string) => ({
      resourceType: 'Composition',
      identifier: { system: sys('composition'), value: `C-${div.length}` },
      status: 'final',
      type: { coding: [{ system: 'http://loinc.org', code: '18842-5', display: 'Discharge summary' }] },
      subject: { reference: `Patient/${DUMMY_PATIENT.ihs}` },
      encounter: { reference: encRef },
      date: utc(Date.now() - HOUR),
      author: [{ reference: `Practitioner/${DUMMY_PRACTITIONER.id}` }],
      title: 'Anjuran Diet',
      section: [{ code: { coding: [{ system: 'http://loinc.org', code: '42344-2' }] }, text: { status: 'additional', div } }],
    });
    expect((await fhir('POST', 'Composition', composition('<div xmlns="http://www.w3.org/1999/xhtml"><p>Diet rendah garam</p></div>'))).status).toBe(201);
    expect(texts(await fhir('POST', 'Composition', composition('<div xmlns="http://www.w3.org/1999/xhtml"></div>'))).join()).toContain('(RuleNumber: 10134)');
    const listIdentifier = { ...composition('<div xmlns="http://www.w3.org/1999/xhtml">x</div>'), identifier: [{ system: sys('composition'), value: 'C-list' }] };
    expect(texts(await fhir('POST', 'Composition', listIdentifier)).join()).toContain('Composition.identifier must be a single Identifier');
  });

  it('validates Immunization as the IG profile has it: our mapper\'s body is created, a missing vaccine, performer actor or known reason display is refused', async () => {
    const encId = (await fhir('POST', 'Encounter', encounter(await seedLocation()))).json.id as string;
    const row = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/source/immunization/imunisasi-td-anc.json', import.meta.url)), 'utf8')) as ImmunizationRow;
    const mapped = mapImmunization(row, { orgId: sim.orgId, now: new Date(), sourceUtcOffset: '+07:00' });
    if (!mapped.ok || !mapped.request.body) throw new Error(`the fixture did not map: ${JSON.stringify(mapped)}`);
    const idOf = (ref: ParentRef) => ({ Patient: DUMMY_PATIENT.ihs, Practitioner: DUMMY_PRACTITIONER.id, Encounter: encId })[ref.type as string];
    const nameOf = (ref: ParentRef) => (ref.type === 'Patient' ? DUMMY_PATIENT.censored : DUMMY_PRACTITIONER.censored);
    const resolved = resolvePlaceholders(mapped.request.body, idOf, nameOf);
    if (!resolved.ok) throw new Error(`unresolved ${JSON.stringify(resolved.missing)}`);
    const body = resolved.body as unknown as Record<string, unknown>;
    const created = await fhir('POST', 'Immunization', body);
    expect(created.status, JSON.stringify(created.json?.issue)).toBe(201);
    expect((await fhir('GET', `Immunization/${created.json.id}`)).json.vaccineCode.coding[0].code).toBe('93006992');
    expect(texts(await fhir('POST', 'Immunization', { ...body, vaccineCode: undefined })).join()).toContain('Immunization.vaccineCode');
    expect(texts(await fhir('POST', 'Immunization', { ...body, performer: [{}] })).join()).toContain('Immunization.performer[0].actor');
    const wrongDisplay = { ...body, reasonCode: [{ coding: [{ system: 'http://terminology.kemkes.go.id/CodeSystem/immunization-reason', code: 'IM-WUS', display: 'Imunisasi Ibu Hamil' }] }] };
    expect(texts(await fhir('POST', 'Immunization', wrongDisplay)).join()).toContain("Display 'Imunisasi Ibu Hamil' does not match code 'IM-WUS'");
    expect(sim.stats().created).toMatchObject({ Immunization: 1 });
  });

  it('validates medication and laboratory resources: KFA, LOINC check digits, UCUM, and the chain of references', async () => {
    const encRef = `Encounter/${(await fhir('POST', 'Encounter', encounter(await seedLocation()))).json.id}`;
    const patient = { reference: `Patient/${DUMMY_PATIENT.ihs}` };
    const medication = (code: string, system = 'http://sys-ids.kemkes.go.id/kfa') => ({
      resourceType: 'Medication',
      identifier: [{ system: sys('medication'), value: `M-${code}` }],
      code: { coding: [{ system, code }] },
      form: { coding: [{ system: 'http://terminology.kemkes.go.id/CodeSystem/medication-form', code: 'BS066', display: 'Tablet' }] },
      extension: [{ url: 'https://fhir.kemkes.go.id/r4/StructureDefinition/MedicationType', valueCodeableConcept: { coding: [{ system: 'http://terminology.kemkes.go.id/CodeSystem/medication-type', code: 'NC' }] } }],
    });
    const med = await fhir('POST', 'Medication', medication('93006500'));
    expect(med.status).toBe(201);
    expect(texts(await fhir('POST', 'Medication', medication('12345678'))).join()).toContain("Code not found: '12345678' in system: http://sys-ids.kemkes.go.id/kfa (RuleNumber: 10001)");
    expect(texts(await fhir('POST', 'Medication', medication('93006500', 'http://www.whocc.no/atc'))).join()).toContain('Invalid coding system: http://www.whocc.no/atc (RuleNumber: 10002)');

    const request = (medRef: string, unit: Record<string, unknown>) => ({
      resourceType: 'MedicationRequest',
      identifier: [{ system: sys('prescription-item'), value: `RX-1-${medRef.length}-${String(unit.code)}` }],
      groupIdentifier: { system: sys('prescription'), value: 'RX-1' },
      status: 'completed',
      intent: 'order',
      medicationReference: { reference: medRef },
      subject: patient,
      encounter: { reference: encRef },
      requester: { reference: `Practitioner/${DUMMY_PRACTITIONER.id}` },
      authoredOn: utc(Date.now() - HOUR),
      dispenseRequest: { quantity: { value: 10, ...unit } },
    });
    const tab = { unit: 'TAB', system: 'http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm', code: 'TAB' };
    expect((await fhir('POST', 'MedicationRequest', request(`Medication/${med.json.id}`, tab))).status).toBe(201);
    // Two lines of one prescription share groupIdentifier without being duplicates.
    expect((await fhir('POST', 'MedicationRequest', request(`Medication/${med.json.id}`, { unit: 'mL', system: 'http://unitsofmeasure.org', code: 'mL' }))).status).toBe(201);
    expect(texts(await fhir('POST', 'MedicationRequest', request('Medication/00000000-0000-4000-8000-000000000000', tab))).join()).toContain('Reference not found : MedicationRequest.medicationReference.reference');
    expect(texts(await fhir('POST', 'MedicationRequest', request(`Medication/${med.json.id}`, { system: 'http://unitsofmeasure.org', code: 'botol' }))).join()).toContain("Invalid UCUM unit: 'botol'");

    const serviceRequest = (loinc: string) => ({
      resourceType: 'ServiceRequest',
      identifier: [{ system: sys('servicerequest'), value: `LAB-${loinc}` }],
      status: 'completed',
      intent: 'original-order',
      code: { coding: [{ system: 'http://loinc.org', code: loinc }] },
      subject: patient,
      encounter: { reference: encRef },
      requester: { reference: `Practitioner/${DUMMY_PRACTITIONER.id}` },
      authoredOn: utc(Date.now() - 2 * HOUR),
    });
    const sr = await fhir('POST', 'ServiceRequest', serviceRequest('58410-2'));
    expect(sr.status).toBe(201);
    expect(texts(await fhir('POST', 'ServiceRequest', serviceRequest('58410-3'))).join()).toContain("Code not found: '58410-3' in system: http://loinc.org (RuleNumber: 10001)");
    const srRef = `ServiceRequest/${sr.json.id}`;

    const specimen = (requestRef: string) => ({
      resourceType: 'Specimen',
      identifier: [{ system: sys('specimen'), value: `S-${requestRef.length}` }],
      status: 'available',
      type: { coding: [{ system: 'http://snomed.info/sct', code: '122555007', display: 'Venous blood specimen' }] },
      subject: patient,
      request: [{ reference: requestRef }],
      collection: { collectedDateTime: utc(Date.now() - 2 * HOUR) },
    });
    const sp = await fhir('POST', 'Specimen', specimen(srRef));
    expect(sp.status).toBe(201);
    expect(texts(await fhir('POST', 'Specimen', specimen('ServiceRequest/00000000-0000-4000-8000-000000000000'))).join()).toContain('Reference not found : Specimen.request[0].reference');

    const lab = (code: string, over: Record<string, unknown> = {}) => ({
      ...observation(encRef),
      identifier: [{ system: sys('observation'), value: `lab-${code}-${JSON.stringify(over).length}` }],
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '718-7' }] },
      performer: [{ reference: `Organization/${sim.orgId}` }],
      basedOn: [{ reference: srRef }],
      specimen: { reference: `Specimen/${sp.json.id}` },
      valueQuantity: { value: 14.2, unit: 'g/dL', system: 'http://unitsofmeasure.org', code },
      ...over,
    });
    const obs = await fhir('POST', 'Observation', lab('g/dL'));
    expect(obs.status).toBe(201);
    expect(texts(await fhir('POST', 'Observation', lab('gr%'))).join()).toContain("Invalid UCUM unit: 'gr%' in Observation.valueQuantity.code (RuleNumber: 10012)");
    expect(texts(await fhir('POST', 'Observation', lab('g/dL', { specimen: { reference: 'Specimen/00000000-0000-4000-8000-000000000000' } }))).join()).toContain('Reference not found : Observation.specimen.reference');

    const report = (results: string[]) => ({
      resourceType: 'DiagnosticReport',
      identifier: [{ system: `http://sys-ids.kemkes.go.id/diagnostic/${sim.orgId}/lab`, value: `DR-${results.length}` }],
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '58410-2' }] },
      subject: patient,
      encounter: { reference: encRef },
      result: results.map((reference) => ({ reference })),
      specimen: [{ reference: `Specimen/${sp.json.id}` }],
      basedOn: [{ reference: srRef }],
      issued: utc(Date.now() - HOUR),
    });
    expect((await fhir('POST', 'DiagnosticReport', report([`Observation/${obs.json.id}`]))).status).toBe(201);
    expect(texts(await fhir('POST', 'DiagnosticReport', report([`Observation/${obs.json.id}`, 'Observation/00000000-0000-4000-8000-000000000000']))).join()).toContain('Reference not found : DiagnosticReport.result[1].reference');
    const wrongSystem = { ...report([]), identifier: [{ system: `http://sys-ids.kemkes.go.id/diagnostic/1/lab`, value: 'DR-x' }] };
    expect(texts(await fhir('POST', 'DiagnosticReport', wrongSystem)).join()).toContain('Wrong organization ID');
  });

  it('rejects invalid JSON (20006) and non-JSON content types', async () => {
    const res = await fhir('POST', 'Encounter', '{"resourceType":');
    expect(res.status).toBe(400);
    expect(texts(res)[0]).toContain('(RuleNumber: 20006)');
    const plain = await call('POST', `${sim.fhirUrl}/Encounter`, { headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'text/plain' }, body: '{}' });
    expect(plain.status).toBe(415);
    const mismatch = await fhir('POST', 'Encounter', { resourceType: 'Condition' });
    expect(mismatch.status).toBe(400);
  });
});

describe('transaction Bundle', () => {
  const U = {
    enc: 'urn:uuid:11111111-1111-4111-8111-111111111111',
    cond: 'urn:uuid:22222222-2222-4222-8222-222222222222',
    obs: 'urn:uuid:33333333-3333-4333-8333-333333333333',
  };

  function visitBundle(loc: string, conditionCode = 'A15.0', encounterOverride?: (e: Record<string, unknown>) => void): Record<string, unknown> {
    const enc = encounter(loc, 'REG-BUNDLE');
    enc.diagnosis = [{ condition: { reference: U.cond }, rank: 1 }];
    encounterOverride?.(enc);
    return {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: U.enc, resource: enc, request: { method: 'POST', url: 'Encounter' } },
        { fullUrl: U.cond, resource: condition(U.enc, conditionCode), request: { method: 'POST', url: 'Condition' } },
        { fullUrl: U.obs, resource: observation(U.enc), request: { method: 'POST', url: 'Observation' } },
      ],
    };
  }

  it('stores every entry, resolves urn:uuid references and returns resourceID per entry', async () => {
    const res = await fhir('POST', '', visitBundle(await seedLocation()));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ resourceType: 'Bundle', type: 'transaction-response' });
    const responses = res.json.entry.map((e: { response: Record<string, string> }) => e.response);
    expect(responses.map((r: Record<string, string>) => [r.status, r.resourceType])).toEqual([
      ['201 Created', 'Encounter'],
      ['201 Created', 'Condition'],
      ['201 Created', 'Observation'],
    ]);
    const [encId, condId, obsId] = responses.map((r: Record<string, string>) => r.resourceID);
    expect(responses[0].location).toContain(`/Encounter/${encId}/_history/`);
    expect(responses[0].etag).toMatch(/^W\/".+"$/);
    expect(responses[0].lastModified).toMatch(/\+00:00$/);

    const storedCondition = (await fhir('GET', `Condition/${condId}`)).json;
    expect(storedCondition.encounter.reference).toBe(`Encounter/${encId}`);
    expect((await fhir('GET', `Observation/${obsId}`)).json.encounter.reference).toBe(`Encounter/${encId}`);
    expect((await fhir('GET', `Encounter/${encId}`)).json.diagnosis[0].condition.reference).toBe(`Condition/${condId}`);
    expect(sim.stats()).toMatchObject({ bundles: 1, created: { Encounter: 1, Condition: 1, Observation: 1 } });
  });

  it('accepts a visit Bundle built by our mappers: Encounter + Condition + vital signs + Procedure via urn:uuid', async () => {
    const loc = await seedLocation();
    const fixture = (path: string): unknown => JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/source/${path}`, import.meta.url)), 'utf8'));
    const ctx = { orgId: sim.orgId, now: new Date(), sourceUtcOffset: '+07:00' };
    const results = [
      mapEncounter(fixture('encounter/visit-finished-budi.json') as VisitRow, ctx),
      mapCondition(fixture('condition/diagnosis-ispa.json') as DiagnosisRow, ctx),
      mapCondition(fixture('condition/diagnosis-kode-tanpa-titik.json') as DiagnosisRow, ctx),
      ...mapVitalSigns(fixture('observation/vital-lengkap.json') as VitalSignsRow, ctx),
      mapProcedure(fixture('procedure/tindakan-ekg.json') as ProcedureRow, ctx),
    ];
    const encounterUrn = `urn:uuid:${randomUUID()}`;
    // Every member by urn:uuid: the Conditions refer to the Encounter, its diagnosis to them.
    const urnOf = new Map(results.map((r, i) => [`${r.ok ? r.request.path : "?"}/__${r.sourceKey}__`, i === 0 ? encounterUrn : `urn:uuid:${randomUUID()}`]));
    const idOf = (ref: ParentRef): string | undefined =>
      ({ Patient: DUMMY_PATIENT.ihs, Practitioner: DUMMY_PRACTITIONER.id, Location: loc.slice('Location/'.length), Encounter: '__1001__', Condition: `__${ref.sourceKey}__` })[ref.type as string];
    const entry = results.map((result, i) => {
      if (!result.ok || !result.request.body) throw new Error(`fixture ${i} did not map: ${JSON.stringify(result)}`);
      const nameOf = (ref: ParentRef) => (ref.type === 'Patient' ? DUMMY_PATIENT.censored : DUMMY_PRACTITIONER.censored);
      const resolved = resolvePlaceholders(result.request.body, idOf, nameOf);
      if (!resolved.ok) throw new Error(`unresolved ${JSON.stringify(resolved.missing)}`);
      const text = JSON.stringify(resolved.body).replace(/(Encounter|Condition)\/__[\d:]+__/g, (ref) => urnOf.get(ref) ?? ref);
      return { fullUrl: urnOf.get(`${result.request.path}/__${result.sourceKey}__`)!, resource: JSON.parse(text) as Record<string, unknown>, request: { method: 'POST', url: result.request.path } };
    });
    expect(entry.map((e) => e.resource.resourceType)).toEqual(['Encounter', 'Condition', 'Condition', ...Array(9).fill('Observation'), 'Procedure']);

    const res = await fhir('POST', '', { resourceType: 'Bundle', type: 'transaction', entry });
    expect(res.status, JSON.stringify(res.json?.issue)).toBe(200);
    const responses = res.json.entry.map((e: { response: Record<string, string> }) => e.response);
    expect(responses.every((r: Record<string, string>) => r.status === '201 Created')).toBe(true);
    const encId = responses[0].resourceID as string;
    for (const type of ['Condition', 'Observation', 'Procedure']) {
      expect(sim.resources(type).length, type).toBeGreaterThan(0);
      for (const stored of sim.resources(type)) expect((stored.encounter as { reference: string }).reference, type).toBe(`Encounter/${encId}`);
    }
    // The Encounter's diagnosis names both Conditions, primary first, as stored.
    const storedEncounter = sim.resources('Encounter')[0] as { diagnosis: Array<{ condition: { reference: string }; rank: number }> };
    expect(storedEncounter.diagnosis.map((d) => [d.condition.reference, d.rank])).toEqual([[`Condition/${responses[1].resourceID}`, 1], [`Condition/${responses[2].resourceID}`, 2]]);
    expect(sim.stats().created).toMatchObject({ Encounter: 1, Condition: 2, Observation: 9, Procedure: 1 });
  });

  it('supports PUT entries that update a stored resource', async () => {
    const created = (await fhir('POST', 'Encounter', encounter(await seedLocation(), 'REG-PUT'))).json;
    const res = await fhir('POST', '', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [{ fullUrl: U.enc, resource: { ...created, status: 'in-progress' }, request: { method: 'PUT', url: `Encounter/${created.id}` } }],
    });
    expect(res.status).toBe(200);
    expect(res.json.entry[0].response).toMatchObject({ status: '200 OK', resourceID: created.id });
    expect(sim.stats().updated.Encounter).toBe(1);
  });

  it('stores nothing when one entry fails, and reports each failing entry', async () => {
    const loc = await seedLocation();
    const res = await fhir('POST', '', visitBundle(loc, 'NOT-ICD'));
    expect(res.status).toBe(400);
    expect(res.json.resourceType).toBe('OperationOutcome');
    const failing = res.json.issue.find((i: { details: { text: string } }) => i.details.text.includes('10001'));
    expect(failing.expression[0]).toMatch(/^Bundle\.entry\[1\]\.resource\./);
    for (const type of ['Encounter', 'Condition', 'Observation']) expect(sim.resources(type), type).toHaveLength(0);
    expect(sim.stats().bundles).toBe(0);

    // A failed Encounter drags down the entries that depend on it (20013).
    const cascade = await fhir('POST', '', visitBundle(loc, 'A15.0', (e) => delete e.serviceProvider));
    expect(cascade.status).toBe(400);
    const all = texts(cascade).join('\n');
    expect(all).toContain('RuleNumber: 10124');
    expect(all).toMatch(/Invalid resource Condition due to previous error.*RuleNumber: 20013/);
    expect(all).toMatch(/Invalid resource Observation due to previous error.*RuleNumber: 20013/);
    expect(sim.resources('Encounter')).toHaveLength(0);
  });

  it('rejects duplicates inside the Bundle and against the store', async () => {
    const loc = await seedLocation();
    expect((await fhir('POST', '', visitBundle(loc))).status).toBe(200);
    const again = await fhir('POST', '', visitBundle(loc));
    expect(again.status).toBe(400);
    expect(texts(again)).toContain('Found duplicate resource: Encounter (RuleNumber: 20002)');
    expect(sim.stats().stored.Condition).toBe(1);
    expect(sim.stats().duplicateIdentifiersStored).toBe(0);
  });

  it('validates fullUrl (20017–20020), nested Bundles (20011) and dangling urn:uuid references (20021)', async () => {
    const loc = await seedLocation();
    const base = visitBundle(loc) as { entry: Array<Record<string, unknown>> };
    const cases: Array<[(b: { entry: Array<Record<string, unknown>> }) => void, string]> = [
      [(b) => delete b.entry[0]!.fullUrl, '20017'],
      [(b) => (b.entry[0]!.fullUrl = 'Encounter/1'), '20018'],
      [(b) => (b.entry[0]!.fullUrl = 'urn:uuid:not-a-uuid'), '20019'],
      [(b) => (b.entry[2]!.fullUrl = U.cond), '20020'],
      [(b) => (b.entry[2]!.resource = { resourceType: 'Bundle', type: 'collection' }), '20011'],
      [(b) => ((b.entry[1]!.resource as Record<string, unknown>).encounter = { reference: 'urn:uuid:44444444-4444-4444-8444-444444444444' }), '20021'],
    ];
    for (const [mutate, rule] of cases) {
      const bundle = structuredClone(base);
      mutate(bundle);
      const res = await fhir('POST', '', bundle);
      expect(res.status, rule).toBe(400);
      expect(texts(res).join('\n'), rule).toContain(`RuleNumber: ${rule}`);
    }
    expect(sim.resources('Encounter')).toHaveLength(0);
  });
});

describe('fault injection', () => {
  it('answers 5xx with a text/plain gateway body, but never on the token endpoint', async () => {
    sim.setFaults({ errorRate5xx: 1 });
    const res = await fhir('GET', `Patient?identifier=${NIK}|${DUMMY_PATIENT.nik}`);
    expect([500, 502, 503, 504]).toContain(res.status);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/^(Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout)$/);
    expect((await requestToken()).status).toBe(200);
    expect(sim.stats().injected['5xx']).toBe(1);
  });

  it('answers 429 with Retry-After (or without when retryAfterSeconds is null)', async () => {
    sim.setFaults({ rate429: 1, retryAfterSeconds: 7 });
    const res = await fhir('GET', 'Encounter?identifier=a|b');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    sim.setFaults({ retryAfterSeconds: null });
    const bare = await fhir('GET', 'Encounter?identifier=a|b');
    expect(bare.status).toBe(429);
    expect(bare.headers.get('retry-after')).toBeNull();
    expect(sim.stats().injected['429']).toBe(2);
  });

  it('hangs until the client gives up', async () => {
    sim.setFaults({ hangRate: 1, hangMs: 10_000 });
    const started = Date.now();
    const err = await fhir('GET', 'Encounter?identifier=a|b', undefined, AbortSignal.timeout(300)).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('TimeoutError');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(sim.stats().injected.hang).toBe(1);
    sim.setFaults({ hangRate: 0 });
    expect((await fhir('GET', 'Encounter?identifier=a|b')).status).toBe(200);
  });

  it('destroys a hung socket after hangMs', async () => {
    sim.setFaults({ hangRate: 1, hangMs: 200 });
    const err = await fhir('GET', 'Encounter?identifier=a|b', undefined, AbortSignal.timeout(5000)).catch((e: Error) => e);
    expect(err).toBeInstanceOf(TypeError);
  });

  it('stores the resource but loses the response', async () => {
    sim.setFaults({ lostResponseRate: 1 });
    const err = await fhir('POST', 'Organization', organization('LOST')).catch((e: Error) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(sim.resources('Organization')).toHaveLength(1);
    expect(sim.stats().injected.lost).toBe(1);
    // Reads are untouched, so a client can recover the id by identifier.
    const found = await fhir('GET', `Organization?identifier=${sys('organization')}|LOST`);
    expect(found.json.entry[0].resource.id).toBe(sim.resources('Organization')[0]!.id);
  });

  it('afterStoreShare: a write answered 5xx, or never answered, after it was stored', async () => {
    sim.setFaults({ errorRate5xx: 1, afterStoreShare: 1 });
    const failed = await fhir('POST', 'Organization', organization('STORED-5XX'));
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(sim.resources('Organization').map((r) => (r.identifier as Array<{ value: string }>)[0]!.value)).toEqual(['STORED-5XX']);
    // A read has nothing to store: its 5xx comes first, as before.
    expect((await fhir('GET', 'Encounter?identifier=a|b')).status).toBeGreaterThanOrEqual(500);
    sim.setFaults({ errorRate5xx: 0, hangRate: 1, hangMs: 10_000 });
    const hung = await fhir('POST', 'Organization', organization('STORED-HANG'), AbortSignal.timeout(300)).catch((e: Error) => e);
    expect((hung as Error).name).toBe('TimeoutError');
    expect(sim.resources('Organization')).toHaveLength(2);
    expect(sim.stats().injected).toMatchObject({ '5xx': 2, hang: 1, afterStore: 2 });
  });

  it("counts apart the faults that struck a read of the facility's Organization, which no item makes", async () => {
    sim.setFaults({ errorRate5xx: 1 });
    expect((await fhir('GET', `Organization/${sim.orgId}`)).status).toBeGreaterThanOrEqual(500);
    expect((await fhir('GET', `Organization?identifier=${sys('organization')}|X`)).status).toBeGreaterThanOrEqual(500);
    expect((await fhir('GET', 'Encounter/some-id')).status).toBeGreaterThanOrEqual(500);
    expect((await fhir('POST', 'Organization', organization('READS'))).status).toBeGreaterThanOrEqual(500);
    sim.setFaults({ errorRate5xx: 0, rate429: 1 });
    expect((await fhir('GET', `Organization/${sim.orgId}`)).status).toBe(429);
    expect(sim.stats().injected).toMatchObject({ '5xx': 4, '429': 1, onOrgRead: { '5xx': 1, '429': 1, hang: 0 } });
  });

  it('faultScope: reads fail while writes go through, and the other way round', async () => {
    sim.setFaults({ errorRate5xx: 1, faultScope: 'reads' });
    expect((await fhir('POST', 'Organization', organization('SCOPE'))).status).toBe(201);
    expect((await fhir('GET', `Organization?identifier=${sys('organization')}|SCOPE`)).status).toBeGreaterThanOrEqual(500);
    sim.setFaults({ faultScope: 'writes' });
    expect((await fhir('GET', `Organization?identifier=${sys('organization')}|SCOPE`)).status).toBe(200);
    expect((await fhir('POST', 'Organization', organization('SCOPE-2'))).status).toBeGreaterThanOrEqual(500);
    expect(sim.resources('Organization')).toHaveLength(1);
  });

  it('adds latency', async () => {
    sim.setFaults({ latencyMs: 200 });
    const started = Date.now();
    expect((await fhir('GET', 'Encounter?identifier=a|b')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('enforces a sliding per-minute limit over FHIR and token requests', async () => {
    sim.setFaults({ rateLimitPerMinute: 3, retryAfterSeconds: 1 });
    expect((await requestToken()).status).toBe(200);
    expect((await fhir('GET', 'Encounter?identifier=a|b')).status).toBe(200);
    expect((await fhir('GET', 'Encounter?identifier=a|b')).status).toBe(200);
    const limited = await fhir('GET', 'Encounter?identifier=a|b');
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(50);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await requestToken()).status).toBe(429);
    // The admin API is outside the limit.
    expect((await call('GET', `${sim.url}/__sim/health`)).status).toBe(200);
    expect(sim.stats().injected.rateLimited).toBe(2);
  });

  it('rejects invalid fault settings', () => {
    expect(() => sim.setFaults({ errorRate5xx: 2 })).toThrow(/errorRate5xx/);
  });
});

describe('admin API and stats', () => {
  it('serves health, stats, faults, expire-tokens and reset', async () => {
    await fhir('POST', 'Organization', organization());
    const health = await call('GET', `${sim.url}/__sim/health`);
    expect(health.json.status).toBe('ok');

    const stats = await call('GET', `${sim.url}/__sim/stats`);
    expect(stats.json.stored.Organization).toBe(1);
    expect(stats.json.byStatus['201']).toBe(1);
    expect(stats.json.tokensIssued).toBe(1);
    expect(stats.json.requests).toBe(2);

    const faults = await call('POST', `${sim.url}/__sim/faults`, { body: { latencyMs: 5, rate429: 0.25 } });
    expect(faults.json).toMatchObject({ latencyMs: 5, rate429: 0.25, errorRate5xx: 0 });
    expect((await call('GET', `${sim.url}/__sim/faults`)).json.rate429).toBe(0.25);
    const badFaults = await call('POST', `${sim.url}/__sim/faults`, { body: { hangRate: -1 } });
    expect(badFaults.status).toBe(400);
    const unknownFault = await call('POST', `${sim.url}/__sim/faults`, { body: { bogus: 1 } });
    expect(unknownFault.status).toBe(400);
    sim.setFaults(DEFAULT_FAULTS);

    await call('POST', `${sim.url}/__sim/expire-tokens`);
    expect((await fhir('GET', 'Encounter?identifier=a|b')).status).toBe(401);
    await call('POST', `${sim.url}/__sim/reset`);
    expect(sim.stats().stored).toEqual({});
    expect(sim.stats().requests).toBe(0);
  });

  it('serves many concurrent keep-alive requests', async () => {
    const total = 2000;
    const started = performance.now();
    let next = 0;
    let ok = 0;
    const worker = async (): Promise<void> => {
      while (next < total) {
        next++;
        const res = await fhir('GET', `Patient?identifier=${NIK}|${DUMMY_PATIENT.nik}`);
        if (res.status === 200) ok++;
      }
    };
    await Promise.all(Array.from({ length: 50 }, worker));
    expect(ok).toBe(total);
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(sim.stats().lookups.Patient).toBe(total);
  });
});

describe('command line', () => {
  it('exits 2 with one line on an unknown flag', async () => {
    const child = spawn(TSX, ['simulator/main.ts', '--bogus'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(2);
    expect(out.trim().split('\n')).toEqual(['simulator: unknown flag --bogus']);
  });

  it('exits 2 on a bad number from the environment', async () => {
    const child = spawn(TSX, ['simulator/main.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SIM_ERROR_RATE_5XX: 'lots' } });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(2);
    expect(err.trim()).toBe("simulator: SIM_ERROR_RATE_5XX expects a number, got 'lots'");
  });

  it('prints the listening line, serves, and exits cleanly on SIGTERM', async () => {
    const child = spawn(TSX, ['simulator/main.ts', '--port', '0', '--org-id', '100099999'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const lines = createInterface({ input: child.stdout });
      const [line] = (await once(lines, 'line')) as [string];
      const m = /^SATUSEHAT simulator listening on (http:\/\/127\.0\.0\.1:\d+) \(org 100099999\)$/.exec(line);
      expect(m, line).not.toBeNull();
      const health = await call('GET', `${m![1]}/__sim/health`);
      expect(health.json).toEqual({ status: 'ok', orgId: '100099999' });
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
