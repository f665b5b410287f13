// The validator's memo must never pass what Medplum's validator rejects. Every golden mapper
// output is mutated leaf by leaf (bad dates, blank strings, codes with spaces, other reference
// targets, negative or fractional numbers, swapped periods …) and the memoised verdict, with the
// memo warmed by everything valid seen so far, must equal the validator's own verdict every time.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Resource } from '@medplum/fhirtypes';
import { payloadMemoStats, validatePayload, validatePayloadUncached } from '../../shared/validation/payload-validator.js';
import { shapeMemoStats, validateR4, validateWithMedplum } from '../../shared/validation/r4-validator.js';
import { shapeKey } from '../../shared/validation/shape-key.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/fhir');

function goldenBodies(): Resource[] {
  const bodies: Resource[] = [];
  for (const dir of readdirSync(FIXTURES)) {
    for (const file of readdirSync(join(FIXTURES, dir))) {
      const parsed = JSON.parse(readFileSync(join(FIXTURES, dir, file), 'utf8')) as unknown;
      for (const result of Array.isArray(parsed) ? parsed : [parsed]) {
        const body = (result as { request?: { body?: Resource } }).request?.body;
        if (body?.resourceType) bodies.push(body);
      }
    }
  }
  return bodies;
}

type Path = Array<string | number>;

function leaves(value: unknown, path: Path = [], out: Array<{ path: Path; value: unknown }> = []) {
  if (Array.isArray(value)) value.forEach((v, i) => leaves(v, [...path, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) leaves(v, [...path, k], out);
  else out.push({ path, value });
  return out;
}

function withLeaf<T>(body: T, path: Path, value: unknown): T {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let node = copy;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
  return copy as T;
}

const STRING_SWAPS = ['', '   ', 'two  spaces', ' padded ', '2026-13-45', '2026-11-20', '2026-11-20T08:15:00+00:00', '2026-11-20T25:00:00Z', '#local', 'Group/1', 'urn:uuid:not-a-uuid', 'entered-in-error', 'home', 'resolved', 'ok'];
const NUMBER_SWAPS = [-1, 0, 0.5, 3, Number.NaN];

describe('validation memo', () => {
  function mutationsOf(body: Resource): Array<{ what: string; body: Resource }> {
    const mutations: Array<{ what: string; body: Resource }> = [];
    for (const leaf of leaves(body)) {
      const swaps = typeof leaf.value === 'string' ? STRING_SWAPS : typeof leaf.value === 'number' ? NUMBER_SWAPS : [];
      for (const swap of swaps) mutations.push({ what: `${body.resourceType}.${leaf.path.join('.')} = ${JSON.stringify(swap)}`, body: withLeaf(body, leaf.path, swap) });
    }
    // A period the wrong way round (per-1).
    const period = (body as { period?: { start?: string; end?: string } }).period;
    if (period?.start && period.end) mutations.push({ what: 'period reversed', body: { ...body, period: { start: period.end, end: '2022-09-01T00:00:00+00:00' } } as Resource });
    return mutations;
  }

  function compare(bodies: Resource[], memoised: (r: Resource) => string[], truthOf: (r: Resource) => string[]) {
    let checked = 0;
    let rejected = 0;
    const mismatches: string[] = [];
    for (const body of bodies) {
      for (const mutation of mutationsOf(body)) {
        const truth = truthOf(mutation.body).length === 0;
        if ((memoised(mutation.body).length === 0) !== truth) mismatches.push(`${mutation.what}: validator says ${truth ? 'valid' : 'invalid'}`);
        checked += 1;
        if (!truth) rejected += 1;
      }
    }
    return { checked, rejected, mismatches };
  }

  it('gives exactly the validator’s verdict on every mutation of every golden resource', () => {
    const bodies = goldenBodies();
    expect(bodies.length).toBeGreaterThan(20);
    for (const body of bodies) expect(validateR4(body)).toEqual([]);
    const hitsBefore = shapeMemoStats.hits;
    const { checked, rejected, mismatches } = compare(bodies, validateR4, validateWithMedplum);
    expect(mismatches).toEqual([]);
    // The mutations really exercised both verdicts, and the memo really answered some of them.
    expect(checked).toBeGreaterThan(1_000);
    expect(rejected).toBeGreaterThan(100);
    expect(shapeMemoStats.hits - hitsBefore).toBeGreaterThan(100);
  });

  it('gives exactly the profile and binding check’s verdict on the same mutations', () => {
    // Warm the memo with every golden body first, as a running daemon would be.
    const bodies = goldenBodies();
    for (const body of bodies) validatePayload(body);
    const hitsBefore = payloadMemoStats.hits;
    const { checked, rejected, mismatches } = compare(bodies, validatePayload, validatePayloadUncached);
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(1_000);
    expect(rejected).toBeGreaterThan(100);
    expect(payloadMemoStats.hits - hitsBefore).toBeGreaterThan(100);
  });

  it('shares a key between resources that differ only in free values', () => {
    const a = { resourceType: 'Observation', status: 'final', identifier: [{ system: 'http://x', value: '7002-8867-4' }], subject: { reference: 'Patient/P1' }, effectiveDateTime: '2026-11-20T08:15:00+00:00', valueQuantity: { value: 118, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' } };
    const b = { ...a, identifier: [{ system: 'http://x', value: '9-1' }], subject: { reference: 'Patient/P2' }, effectiveDateTime: '2025-01-02T03:04:05+00:00', valueQuantity: { ...a.valueQuantity, value: 64 } };
    expect(shapeKey(b)).toBe(shapeKey(a));
    expect(shapeKey({ ...a, subject: { reference: 'Group/P1' } })).not.toBe(shapeKey(a));
    expect(shapeKey({ ...a, valueQuantity: { ...a.valueQuantity, value: 1.5 } })).not.toBe(shapeKey(a));
    expect(shapeKey({ ...a, effectiveDateTime: '2026-11-20' })).not.toBe(shapeKey(a));
    expect(shapeKey({ ...a, period: { start: '2026-01-02', end: '2026-01-01' } })).not.toBe(shapeKey({ ...a, period: { start: '2026-01-01', end: '2026-01-02' } }));
  });
});
