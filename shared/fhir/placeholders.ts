// Parent placeholders: mappers write `Patient/{{Patient:42}}` into request bodies (see
// ./placeholder-text.ts); just before sending, the worker swaps each placeholder for the
// parent's SATUSEHAT id. A person's name placeholder, `{{name:Patient:42}}`, is swapped for the
// censored name SATUSEHAT's look-up returned (a reference display must equal it, rules 10118/10119),
// or its key is dropped when SATUSEHAT returned no name. The functions deep-walk plain JSON and
// never mutate their input.
import { RESOURCE_TYPES, type ParentRef, type ResourceTypeName } from './types.js';

import { namePlaceholder } from './placeholder-text.js';

export { namePlaceholder };

// Only the known types match. The key may be anything except braces.
const PLACEHOLDER_SOURCE = `\\{\\{(${RESOURCE_TYPES.join('|')}):([^{}]+)\\}\\}`;
/** A whole placeholder reference, `Type/{{Type:key}}`, as it appears in a body. */
const REFERENCE_SOURCE = `[A-Za-z]+/${PLACEHOLDER_SOURCE}`;
// Compiled once; replace() and matchAll() start every global regex from lastIndex 0 themselves.
const PLACEHOLDER = new RegExp(PLACEHOLDER_SOURCE, 'g');
/** `{{name:Patient:42}}`: only people have names SATUSEHAT serves (and censors). */
const NAME_SOURCE = `\\{\\{name:(Patient|Practitioner):([^{}]+)\\}\\}`;
const NAME = new RegExp(NAME_SOURCE, 'g');
const WHOLE_NAME = new RegExp(`^${NAME_SOURCE}$`);

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

/** Every distinct parent named by a `{{Type:key}}` or `{{name:Type:key}}` in the body, ids first. */
export function listPlaceholders(body: unknown): ParentRef[] {
  const seen = new Map<string, ParentRef>();
  forEachString(body, (s) => {
    if (!mayHold(s)) return;
    for (const m of [...s.matchAll(PLACEHOLDER), ...s.matchAll(NAME)]) {
      const ref: ParentRef = { type: m[1] as ResourceTypeName, sourceKey: m[2] ?? '' };
      if (!seen.has(refKey(ref))) seen.set(refKey(ref), ref);
    }
  });
  return [...seen.values()];
}

export type ResolveResult<T> = { ok: true; body: T } | { ok: false; missing: ParentRef[] };

/**
 * Returns a copy of `body` with every placeholder replaced by `idOf(ref)`, and every name
 * placeholder by `nameOf(ref)`. A value that is only a name placeholder whose person has no name
 * (null, undefined or '') is left out with its key. When any parent has no id yet (undefined or
 * ''), returns the distinct missing refs instead and no body.
 */
export function resolvePlaceholders<T>(body: T, idOf: (ref: ParentRef) => string | undefined, nameOf: (ref: ParentRef) => string | null | undefined = () => undefined): ResolveResult<T> {
  const missing = new Map<string, ParentRef>();
  /** The parent's id, or null (and the parent noted as missing) when it has none yet. */
  const idFor = (ref: ParentRef): string | null => {
    const id = idOf(ref);
    if (id !== undefined && id !== '') return id;
    missing.set(refKey(ref), ref);
    return null;
  };
  const refOf = (type: string, sourceKey: string): ParentRef => ({ type: type as ResourceTypeName, sourceKey });
  const nameText = (type: string, sourceKey: string): string | null => {
    const ref = refOf(type, sourceKey);
    return idFor(ref) === null ? null : nameOf(ref) || null;
  };
  const resolveString = (s: string): string | typeof LEAVE_OUT => {
    if (!mayHold(s)) return s;
    const whole = WHOLE_NAME.exec(s);
    if (whole) return nameText(whole[1]!, whole[2]!) ?? LEAVE_OUT;
    return s
      .replace(NAME, (_all, type: string, sourceKey: string) => nameText(type, sourceKey) ?? '')
      .replace(PLACEHOLDER, (all, type: string, sourceKey: string) => idFor(refOf(type, sourceKey)) ?? all);
  };
  const resolved = mapValues(body, resolveString);
  if (missing.size > 0) return { ok: false, missing: [...missing.values()] };
  return { ok: true, body: resolved as T };
}

const LEAVE_OUT = Symbol('leave out');

/** Like mapStrings, but a string mapped to LEAVE_OUT drops its key (or array slot). */
function mapValues(value: unknown, fn: (s: string) => string | typeof LEAVE_OUT): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapValues(v, fn)).filter((v) => v !== LEAVE_OUT);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const mapped = mapValues(v, fn);
      if (mapped !== LEAVE_OUT) out[k] = mapped;
    }
    return out;
  }
  return value;
}

const PERSON_REFERENCE = /^(Patient|Practitioner)\/\{\{(Patient|Practitioner):([^{}]+)\}\}$/;

/**
 * Person references whose display is not their name placeholder (an operator typed a name in):
 * SATUSEHAT would refuse any name but the censored one it returned (10118/10119).
 */
export function foreignPersonDisplays(body: unknown): Array<{ path: string; type: 'Patient' | 'Practitioner'; expected: string }> {
  const found: Array<{ path: string; type: 'Patient' | 'Practitioner'; expected: string }> = [];
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`));
    else if (value !== null && typeof value === 'object') {
      const element = value as Record<string, unknown>;
      const m = typeof element.reference === 'string' ? PERSON_REFERENCE.exec(element.reference) : null;
      if (m && m[1] === m[2] && element.display !== undefined) {
        const type = m[1] as 'Patient' | 'Practitioner';
        const expected = namePlaceholder(type, m[3]!);
        if (element.display !== expected) found.push({ path: `${path}.display`, type, expected });
      }
      for (const [key, v] of Object.entries(element)) walk(v, path === '' ? key : `${path}.${key}`);
    }
  };
  walk(body, '');
  return found;
}
