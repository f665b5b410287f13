// What the simulator's rule tests share: golden bodies as the simulator receives them, and a
// validation context in which everything referenced exists.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolvePlaceholders } from '../../shared/fhir/placeholders.js';
import type { MapResult } from '../../shared/fhir/types.js';
import type { JsonObject } from '../../simulator/types.js';
import { validateResource, type ValidationContext } from '../../simulator/validate.js';
import { dummyId } from './mappers/support.js';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/fhir');

/** A golden's body with its placeholders resolved to the dummy ids. */
export function golden(path: string): JsonObject {
  const result = JSON.parse(readFileSync(join(GOLDEN, path), 'utf8')) as MapResult;
  if (!result.ok) throw new Error(`${path} is not ok`);
  const resolved = resolvePlaceholders(result.request.body, dummyId);
  if (!resolved.ok) throw new Error(`${path} has unresolved placeholders`);
  return JSON.parse(JSON.stringify(resolved.body)) as JsonObject;
}

/** Everything referenced exists, except the ids listed in `missing`. */
export const ctx = (missing: string[] = []): ValidationContext => ({
  orgId: '100011961',
  now: Date.UTC(2026, 10, 27, 3),
  hasResource: (type, id) => !missing.includes(`${type}/${id}`),
  isKnownPerson: () => true,
});

/** The simulator's issues for the resource, as `path: text`. */
export const messages = (type: string, r: JsonObject, c = ctx()) => validateResource(type, r, c).map((i) => `${i.expression?.join() ?? ''}: ${i.details.text}`);
