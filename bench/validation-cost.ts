// What local validation costs per resource, before this change (base R4: Medplum's validator) and
// after (base R4 + the SATUSEHAT profile + required bindings), per type: without the shape memo
// (every resource validated) and with it, on a stream in which each golden body comes back with
// other free values (identifiers, dates, quantities), as a clinic's visits do. CPU time of this
// process, so other load on the machine counts less than in wall time.
//   npx tsx bench/validation-cost.ts [--rounds 20] [--stream 20000]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Resource } from '@medplum/fhirtypes';
import { resolvePlaceholders } from '../shared/fhir/placeholders.js';
import { payloadMemoStats, validatePayload, validatePayloadUncached } from '../shared/validation/payload-validator.js';
import { shapeMemoStats, validateR4, validateWithMedplum } from '../shared/validation/r4-validator.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '20' }, stream: { type: 'string', default: '20000' } } });
const ROUNDS = Number(values.rounds);
const STREAM = Number(values.stream);
const FIXTURES = new URL('../test/fixtures/fhir/', import.meta.url).pathname;

const bodies: Resource[] = [];
for (const dir of readdirSync(FIXTURES)) {
  for (const file of readdirSync(join(FIXTURES, dir))) {
    const parsed = JSON.parse(readFileSync(join(FIXTURES, dir, file), 'utf8')) as unknown;
    for (const result of Array.isArray(parsed) ? parsed : [parsed]) {
      const body = (result as { request?: { body?: Resource | null } }).request?.body;
      const resolved = body?.resourceType ? resolvePlaceholders(body, () => '00000000-0000-0000-0000-000000000000') : null;
      if (resolved?.ok) bodies.push(resolved.body as Resource);
    }
  }
}

/** The same body with other free values: what the memo sees from one visit to the next. */
function variant(body: Resource, n: number): Resource {
  const copy = structuredClone(body) as unknown as Record<string, unknown>;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      for (const [k, v] of Object.entries(o)) {
        if (k === 'value' && typeof v === 'string') o[k] = `${v}-${n}`;
        else if (k === 'value' && typeof v === 'number') o[k] = Number.isInteger(v) ? v + (n % 7) : v + (n % 7) / 10;
        else walk(v);
      }
    }
  };
  walk(copy);
  return copy as unknown as Resource;
}

const cpuMicros = (fn: () => void): number => {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return used.user + used.system;
};

// Load the definitions and the profiles, and warm the JIT, before timing anything.
const loadMs = cpuMicros(() => validatePayloadUncached(bodies[0]!)) / 1000;
for (let r = 0; r < 3; r += 1) for (const b of bodies) validatePayloadUncached(b);

const types = [...new Set(bodies.map((b) => b.resourceType))].sort();
console.log(`${bodies.length} golden payloads of ${types.length} types, ${ROUNDS} rounds each; loading definitions + profiles: ${loadMs.toFixed(0)} ms CPU`);
console.log('type                 base R4 µs   R4+profile µs   ×');
let totalBefore = 0;
let totalAfter = 0;
for (const type of types) {
  const ofType = bodies.filter((b) => b.resourceType === type);
  const before = cpuMicros(() => {
    for (let r = 0; r < ROUNDS; r += 1) for (const b of ofType) validateWithMedplum(b);
  }) / (ROUNDS * ofType.length);
  const after = cpuMicros(() => {
    for (let r = 0; r < ROUNDS; r += 1) for (const b of ofType) validatePayloadUncached(b);
  }) / (ROUNDS * ofType.length);
  totalBefore += before * ofType.length;
  totalAfter += after * ofType.length;
  console.log(`${type.padEnd(20)} ${before.toFixed(0).padStart(10)} ${after.toFixed(0).padStart(15)}   ${(after / before).toFixed(2)}`);
}
console.log(`${'mean per payload'.padEnd(20)} ${(totalBefore / bodies.length).toFixed(0).padStart(10)} ${(totalAfter / bodies.length).toFixed(0).padStart(15)}   ${(totalAfter / totalBefore).toFixed(2)}`);

const stream = Array.from({ length: STREAM }, (_, i) => variant(bodies[i % bodies.length]!, i));
const r4Stream = cpuMicros(() => stream.forEach((b) => validateR4(b))) / STREAM;
const payloadStream = cpuMicros(() => stream.forEach((b) => validatePayload(b))) / STREAM;
// A payload that fails is validated again every time (its messages are its own): today the
// Compositions (no DocumentStatus yet) miss on every pass.
console.log(`with the shape memo, a stream of ${STREAM} varied payloads: base R4 ${r4Stream.toFixed(1)} µs/resource (hits ${shapeMemoStats.hits}, misses ${shapeMemoStats.misses}); R4+profile ${payloadStream.toFixed(1)} µs/resource (hits ${payloadMemoStats.hits}, misses ${payloadMemoStats.misses})`);
