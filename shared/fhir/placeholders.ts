// Parent placeholders: mappers write `Patient/{{Patient:42}}` into request bodies (see
// parentPlaceholder in ./types.ts); just before sending, the worker swaps each placeholder for the
// parent's SATUSEHAT id. Both functions deep-walk plain JSON and never mutate their input.
import { RESOURCE_TYPES, type ParentRef, type ResourceTypeName } from './types.js';

// Only the known types match. The key may be anything except braces.
const PLACEHOLDER_SOURCE = `\\{\\{(${RESOURCE_TYPES.join('|')}):([^{}]+)\\}\\}`;
/** A whole placeholder reference, `Type/{{Type:key}}`, as it appears in a body. */
const REFERENCE_SOURCE = `[A-Za-z]+/${PLACEHOLDER_SOURCE}`;
// Compiled once; replace() and matchAll() start every global regex from lastIndex 0 themselves.
const PLACEHOLDER = new RegExp(PLACEHOLDER_SOURCE, 'g');
const REFERENCE = new RegExp(REFERENCE_SOURCE, 'g');
/** Most strings of a body hold no placeholder: they skip the regex. */
const mayHold = (s: string) => s.includes('{{');

/**
 * Replaces whole placeholder references found in `replacements` (e.g. with a Bundle member's
 * urn:uuid) in one pass over the body; other references are left as they are.
 */
export function replaceReferences<T>(body: T, replacements: ReadonlyMap<string, string>): T {
  return mapStrings(body, (s) => (mayHold(s) ? s.replace(REFERENCE, (whole) => replacements.get(whole) ?? whole) : s)) as T;
}

const refKey = (ref: ParentRef): string => `${ref.type}\u0000${ref.sourceKey}`;

function forEachString(value: unknown, visit: (s: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) for (const v of value) forEachString(v, visit);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) forEachString(v, visit);
}

function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, fn);
    return out;
  }
  return value;
}

/** Every distinct `{{Type:key}}` in the body, in order of first appearance. */
export function listPlaceholders(body: unknown): ParentRef[] {
  const seen = new Map<string, ParentRef>();
  forEachString(body, (s) => {
    if (!mayHold(s)) return;
    for (const m of s.matchAll(PLACEHOLDER)) {
      const ref: ParentRef = { type: m[1] as ResourceTypeName, sourceKey: m[2] ?? '' };
      if (!seen.has(refKey(ref))) seen.set(refKey(ref), ref);
    }
  });
  return [...seen.values()];
}

export type ResolveResult<T> = { ok: true; body: T } | { ok: false; missing: ParentRef[] };

/**
 * Returns a copy of `body` with every placeholder replaced by `idOf(ref)`. When any parent has no
 * id yet (undefined or ''), returns the distinct missing refs instead and no body.
 */
export function resolvePlaceholders<T>(body: T, idOf: (ref: ParentRef) => string | undefined): ResolveResult<T> {
  const missing = new Map<string, ParentRef>();
  const resolved = mapStrings(body, (s) =>
    !mayHold(s) ? s : s.replace(PLACEHOLDER, (whole, type: string, sourceKey: string) => {
      const ref: ParentRef = { type: type as ResourceTypeName, sourceKey };
      const id = idOf(ref);
      if (id === undefined || id === '') {
        missing.set(refKey(ref), ref);
        return whole;
      }
      return id;
    }),
  );
  if (missing.size > 0) return { ok: false, missing: [...missing.values()] };
  return { ok: true, body: resolved as T };
}
