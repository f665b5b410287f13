// Remembers which shapes (shape-key.ts) a validator has passed, so a resource of a known-good shape
// is not validated again. Only passes are remembered: a failure is always validated again, so its
// messages are its own. Bounded: cleared when full.
import type { Resource } from '@medplum/fhirtypes';
import { createHash } from 'node:crypto';
import { LITERAL_KEYS, shapeKey } from './shape-key.js';

const MAX_SHAPES = 50_000;

export interface ShapeMemo {
  validate(resource: Resource): string[];
  readonly stats: { hits: number; misses: number };
}

/** `literalKeys` (read on first use) widens the keys whose values the shape keeps. */
export function shapeMemo(validate: (resource: Resource) => string[], literalKeys?: () => Iterable<string>): ShapeMemo {
  const passed = new Set<string>();
  const stats = { hits: 0, misses: 0 };
  let literal: ReadonlySet<string> | undefined;
  return {
    stats,
    validate(resource) {
      literal ??= literalKeys ? new Set([...LITERAL_KEYS, ...literalKeys()]) : LITERAL_KEYS;
      const shape = createHash('sha1').update(shapeKey(resource, literal)).digest('base64');
      if (passed.has(shape)) {
        stats.hits += 1;
        return [];
      }
      stats.misses += 1;
      const errors = validate(resource);
      if (errors.length === 0) {
        if (passed.size >= MAX_SHAPES) passed.clear();
        passed.add(shape);
      }
      return errors;
    },
  };
}
