// Golden tests: every test/fixtures/source/<type>/<name>.json is mapped with FIXED_CTX and compared
// with the full MapResult in test/fixtures/fhir/<type>/<name>.json.
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
  const def = registry[typeName] as { map(row: unknown, ctx: typeof FIXED_CTX): MapResult };

  describe(`${typeName} goldens`, () => {
    it('has source fixtures, and no golden without one', () => {
      expect(names.length).toBeGreaterThan(0);
      expect(jsonNames(goldenDir).filter((g) => !names.includes(g))).toEqual([]);
    });

    for (const name of names) {
      describe(name, () => {
        const result = def.map(readJson(join(sourceDir, name)), FIXED_CTX);
        const goldenPath = join(goldenDir, name);

        it('matches the golden MapResult', () => {
          if (UPDATE) {
            mkdirSync(goldenDir, { recursive: true });
            writeFileSync(goldenPath, JSON.stringify(result, null, 2) + '\n');
          }
          expect(existsSync(goldenPath), `missing golden ${goldenPath} (see UPDATE_GOLDEN at the top)`).toBe(true);
          expect(result).toEqual(readJson(goldenPath));
        });

        it('is internally consistent', () => {
          expect(result.sourceKey).toBe(String((readJson(join(sourceDir, name)) as { id: number }).id));
          if (!result.ok) {
            expect(result.issues.length).toBeGreaterThan(0);
            for (const issue of result.issues) {
              expect(issue.path.startsWith(typeName)).toBe(true);
              expect(issue.message.length).toBeGreaterThan(10);
            }
            return;
          }
          const { request, parents } = result;
          if (request.method === 'GET') {
            expect(request.body).toBeNull();
            expect(parents).toEqual([]);
            return;
          }
          // Every placeholder in the body is a declared parent, and every parent is used.
          const used = listPlaceholders(request.body);
          expect([...used].sort(byKey)).toEqual([...parents].sort(byKey));
        });

        if (result.ok && result.request.body !== null) {
          const body = result.request.body;
          it('passes FHIR R4 validation once placeholders are resolved', () => {
            const resolved = resolvePlaceholders(body, dummyId);
            if (!resolved.ok) throw new Error(`unresolved: ${JSON.stringify(resolved.missing)}`);
            expect(JSON.stringify(resolved.body)).not.toContain('{{');
            expect(validateR4(resolved.body as Resource)).toEqual([]);
          });
        }
      });
    }
  });
}

function byKey(a: { type: string; sourceKey: string }, b: { type: string; sourceKey: string }): number {
  return `${a.type}:${a.sourceKey}`.localeCompare(`${b.type}:${b.sourceKey}`);
}
