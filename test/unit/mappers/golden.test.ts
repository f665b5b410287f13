// Golden tests: every test/fixtures/source/<type>/<name>.json is mapped with FIXED_CTX and compared
// with the full MapResult in test/fixtures/fhir/<type>/<name>.json (a list of MapResults for types
// whose mapper returns several, e.g. one Observation per vital sign, or none).
//
// After an intended mapper change, rewrite the goldens with
//   UPDATE_GOLDEN=1 npx vitest run test/unit/mappers/golden.test.ts
// and then read every changed golden (git diff test/fixtures/fhir): a rewritten golden only
// records what the code does, not what SATUSEHAT expects.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { takeDiagnosis } from '../../../shared/fhir/diagnosis-refs.js';
import { listPlaceholders, resolvePlaceholders } from '../../../shared/fhir/placeholders.js';
import { registry, resourceTypeNames } from '../../../shared/fhir/registry.js';
import type { MapResult } from '../../../shared/fhir/types.js';
import { validateR4 } from '../../../shared/validation/r4-validator.js';
import { dummyId, FIXED_CTX } from './support.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const jsonNames = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : []);

for (const typeName of resourceTypeNames) {
  const dir = typeName.toLowerCase();
  const sourceDir = join(FIXTURES, 'source', dir);
  const goldenDir = join(FIXTURES, 'fhir', dir);
  const names = jsonNames(sourceDir);
  const def = registry[typeName] as { map(row: unknown, ctx: typeof FIXED_CTX): MapResult | MapResult[]; fhirType?: string };
  // Issue paths and bodies use the FHIR type (ObservationLab sends Observations).
  const fhirType = def.fhirType ?? typeName;

  describe(`${typeName} goldens`, () => {
    it('has source fixtures, and no golden without one', () => {
      expect(names.length).toBeGreaterThan(0);
      expect(jsonNames(goldenDir).filter((g) => !names.includes(g))).toEqual([]);
    });

    for (const name of names) {
      describe(name, () => {
        const row = readJson(join(sourceDir, name)) as { id: number };
        const mapped = def.map(row, FIXED_CTX);
        const results = Array.isArray(mapped) ? mapped : [mapped];
        const goldenPath = join(goldenDir, name);

        it('matches the golden MapResult', () => {
          if (UPDATE) {
            mkdirSync(goldenDir, { recursive: true });
            writeFileSync(goldenPath, JSON.stringify(mapped, null, 2) + '\n');
          }
          expect(existsSync(goldenPath), `missing golden ${goldenPath} (see UPDATE_GOLDEN at the top)`).toBe(true);
          expect(mapped).toEqual(readJson(goldenPath));
        });

        it('is internally consistent', () => {
          const keys = results.map((r) => r.sourceKey);
          expect(new Set(keys).size, 'source keys are unique').toBe(keys.length);
          for (const result of results) {
            // One row, one key; several results from one row are keyed `${id}:<part>`.
            if (Array.isArray(mapped) && results.length > 1) expect(result.sourceKey.startsWith(`${row.id}:`) || result.sourceKey === String(row.id)).toBe(true);
            else expect(result.sourceKey.split(':')[0]).toBe(String(row.id));
            if (!result.ok) {
              expect(result.issues.length).toBeGreaterThan(0);
              for (const issue of result.issues) {
                expect(issue.path.startsWith(fhirType), issue.path).toBe(true);
                expect(issue.message.length).toBeGreaterThan(10);
              }
              continue;
            }
            const { request, parents } = result;
            if (request.method === 'GET') {
              expect(request.body).toBeNull();
              expect(parents).toEqual([]);
              continue;
            }
            expect(request.body?.resourceType).toBe(fhirType);
            expect(request.path).toBe(fhirType);
            // Every resource we create can be looked up by our own identifier after a lost answer.
            expect(sysIdSystemsOf(request.body), 'a sys-ids identifier of our org').toContainEqual(expect.stringMatching(new RegExp(`^http://sys-ids\\.kemkes\\.go\\.id/[a-z-]+/${FIXED_CTX.orgId}(/[a-z-]+)?$`)));
            // Every placeholder in the body is a declared parent, and every parent is used; the
            // Conditions of Encounter.diagnosis are children, never parents (diagnosis-refs.ts).
            const { body: withoutChildren, entries } = takeDiagnosis(request.body);
            const used = listPlaceholders(withoutChildren);
            expect([...used].sort(byKey)).toEqual([...parents].sort(byKey));
            expect(listPlaceholders(entries).every((ref) => ref.type === 'Condition')).toBe(true);
          }
        });

        results.forEach((result, i) => {
          if (!result.ok || result.request.body === null) return;
          const body = result.request.body;
          it(`passes FHIR R4 validation once placeholders are resolved${results.length > 1 ? ` (#${i + 1}, ${result.sourceKey})` : ''}`, () => {
            const resolved = resolvePlaceholders(body, dummyId);
            if (!resolved.ok) throw new Error(`unresolved: ${JSON.stringify(resolved.missing)}`);
            expect(JSON.stringify(resolved.body)).not.toContain('{{');
            expect(validateR4(resolved.body as Resource)).toEqual([]);
          });
        });
      });
    }
  });
}

/** The identifier systems of a body (Composition.identifier is a single Identifier, the rest a list). */
function sysIdSystemsOf(body: object | null): string[] {
  const identifier = (body as { identifier?: unknown } | null)?.identifier;
  const list = Array.isArray(identifier) ? identifier : identifier ? [identifier] : [];
  return list.map((i: { system?: string }) => i.system ?? '');
}

function byKey(a: { type: string; sourceKey: string }, b: { type: string; sourceKey: string }): number {
  return `${a.type}:${a.sourceKey}`.localeCompare(`${b.type}:${b.sourceKey}`);
}
