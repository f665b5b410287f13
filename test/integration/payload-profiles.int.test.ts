// Every payload we would send passes base FHIR R4 and its type's SATUSEHAT profile (with every
// required binding): each request body in the golden mapper fixtures, and each request revision the
// extraction stores for a seeded demo clinic (real MariaDB: demo source → state DB). Parent
// placeholders are resolved to a dummy id first, as they are before a send. One test per type, so
// a type that fails names itself; the counts per type are printed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '@medplum/fhirtypes';
import { runExtraction } from '../../daemon/extract/run-extraction.js';
import { seedDemoSource } from '../../shared/db/demo/index.js';
import { migrateLatest } from '../../shared/db/state/migrate.js';
import { resolvePlaceholders } from '../../shared/fhir/placeholders.js';
import { profileUrlFor } from '../../shared/validation/profile-validator.js';
import { validatePayload } from '../../shared/validation/payload-validator.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';
import { ANCHOR_DATE } from '../support/pipeline-harness.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/fhir');
const DUMMY_ID = '00000000-0000-0000-0000-000000000000';
/** Every FHIR type we send (NutritionOrder has no IG profile: base R4 and its bindings only). */
const SENT_TYPES = ['Organization', 'Location', 'Encounter', 'Condition', 'Observation', 'Procedure', 'Immunization', 'AllergyIntolerance', 'Medication', 'MedicationRequest', 'ServiceRequest', 'Specimen', 'DiagnosticReport', 'Composition'];

interface Payload {
  where: string;
  body: Resource;
}

function goldenPayloads(): Payload[] {
  const out: Payload[] = [];
  for (const dir of readdirSync(FIXTURES)) {
    for (const file of readdirSync(join(FIXTURES, dir))) {
      const parsed = JSON.parse(readFileSync(join(FIXTURES, dir, file), 'utf8')) as unknown;
      for (const result of Array.isArray(parsed) ? parsed : [parsed]) {
        const body = (result as { request?: { body?: Resource | null } }).request?.body;
        if (body?.resourceType) out.push({ where: `golden ${dir}/${file}`, body });
      }
    }
  }
  return out;
}

function resolved(body: unknown): Resource {
  const r = resolvePlaceholders(body, () => DUMMY_ID);
  if (!r.ok) throw new Error(`placeholders left unresolved in ${JSON.stringify(body).slice(0, 80)}`);
  return r.body as Resource;
}

describe('every payload passes base R4 and its SATUSEHAT profile', () => {
  let source: TestDatabase;
  let state: TestDatabase;
  const payloads: Payload[] = [];

  beforeAll(async () => {
    payloads.push(...goldenPayloads().map((p) => ({ ...p, body: resolved(p.body) })));
    source = await createTestDatabase('profsrc', { dateStrings: true });
    state = await createTestDatabase('profstate');
    // Seed 10 at this size plants every kind of deliberate bad row at least once (they store no body).
    await seedDemoSource(source.db, { patients: 60, visits: 180, seed: 10, anchorDate: ANCHOR_DATE });
    await migrateLatest(state.db);
    await runExtraction({ source: source.db, state: state.db, enqueue: async () => undefined, context: { orgId: '100011961', sourceUtcOffset: '+07:00' }, now: () => new Date() });
    const rows = (await state.db('request_revisions as r').join('items as i', 'i.id', 'r.item_id').whereNotNull('r.body').select('i.resource_type', 'i.source_key', 'r.revision', 'r.body')) as Array<{ resource_type: string; source_key: string; revision: number; body: unknown }>;
    for (const row of rows) {
      const body = typeof row.body === 'string' ? JSON.parse(row.body) : row.body;
      payloads.push({ where: `demo ${row.resource_type} ${row.source_key} r${row.revision}`, body: resolved(body) });
      // A Medication travels inside its MedicationRequest (the default): checked as a Medication too.
      for (const inner of (body.contained as Resource[] | undefined) ?? []) payloads.push({ where: `demo ${row.resource_type} ${row.source_key} r${row.revision} contained`, body: resolved(inner) });
    }
    const counts = Object.fromEntries(SENT_TYPES.map((t) => [t, { golden: 0, demo: 0 }]));
    for (const p of payloads) {
      const c = counts[p.body.resourceType];
      if (c) c[p.where.startsWith('golden') ? 'golden' : 'demo'] += 1;
    }
    console.log('payloads checked against base R4 + SATUSEHAT profile, per type:', counts);
  }, 240_000);
  afterAll(async () => {
    await source?.drop();
    await state?.drop();
  });

  for (const type of SENT_TYPES) {
    it(`${type}: every golden and demo payload conforms`, () => {
      expect(profileUrlFor(type), `${type} has a SATUSEHAT profile`).toBe(`https://fhir.kemkes.go.id/r4/StructureDefinition/${type}`);
      const ofType = payloads.filter((p) => p.body.resourceType === type);
      expect(ofType.filter((p) => p.where.startsWith('golden')).length, `${type} goldens`).toBeGreaterThan(0);
      expect(ofType.filter((p) => p.where.startsWith('demo')).length, `${type} demo bodies`).toBeGreaterThan(0);
      const failures = ofType.flatMap((p) => validatePayload(p.body).map((e) => `${p.where}: ${e}`));
      expect(failures.slice(0, 20)).toEqual([]);
    });
  }

  it('covers every type the payloads hold; any other (NutritionOrder: base R4 and bindings) conforms too', () => {
    const others = payloads.filter((p) => !SENT_TYPES.includes(p.body.resourceType));
    expect(others.filter((p) => p.body.resourceType === 'NutritionOrder' && p.where.startsWith('demo')).length).toBeGreaterThan(0);
    expect([...new Set(others.map((p) => p.body.resourceType))].filter((t) => t !== 'NutritionOrder')).toEqual([]);
    expect(others.flatMap((p) => validatePayload(p.body).map((e) => `${p.where}: ${e}`)).slice(0, 20)).toEqual([]);
  });
});
