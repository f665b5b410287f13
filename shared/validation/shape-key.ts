// A key for "everything R4 structural validation can see" in a resource, without its free values.
// Two resources with the same key get the same verdict from the validator: same properties, array
// lengths and JSON types; for every string, which FHIR primitive formats it matches; for every
// number, its sign and whether it is whole. Values that R4 invariants compare are kept as they are:
// code systems and codes (ait-1, con-4, obs-7 …), `use` (org-2), `when` (tim-9), a reference's
// target type and local '#' (ref-1, reference targets), period order (per-1), range order (rng-2).
// Free values (names, identifiers, dates, quantities) collapse, so a visit's Observations share
// a handful of keys and the validator runs once per key.
import { validationRegexes } from '@medplum/core';

const FORMATS = Object.values(validationRegexes);
/** Keys whose values an invariant or a required-type check reads literally. */
export const LITERAL_KEYS: ReadonlySet<string> = new Set(['resourceType', 'system', 'code', 'use', 'when', 'div', 'url', 'comparator', 'status']);
const MAX_STRING = 1024 * 1024;

function stringClass(value: string): string {
  // Empty counts as absent; blank is an error: two classes.
  if (value === '') return 's0';
  if (!value.trim()) return 's!';
  if (value.length > MAX_STRING) return 's+';
  let mask = 0;
  for (let i = 0; i < FORMATS.length; i += 1) if (FORMATS[i]!.test(value)) mask |= 1 << i;
  return `s${mask.toString(36)}`;
}

function numberClass(value: number): string {
  if (!Number.isFinite(value)) return 'n!';
  return `n${Math.sign(value)}${Number.isInteger(value) ? 'i' : 'd'}`;
}

const quantityValue = (q: unknown) => (q && typeof q === 'object' ? (q as { value?: unknown }).value : undefined);

function orderFlags(node: Record<string, unknown>): string {
  let flags = '';
  if (typeof node.start === 'string' && typeof node.end === 'string') flags += node.start <= node.end ? '<' : '>';
  const low = quantityValue(node.low);
  const high = quantityValue(node.high);
  if (typeof low === 'number' && typeof high === 'number') flags += low <= high ? '<' : '>';
  return flags;
}

function referenceClass(value: string): string {
  if (value.startsWith('#')) return `r#${value}`;
  if (value.startsWith('urn:')) return `ru${stringClass(value)}`;
  return `r${value.split(/[/?]/)[0]}/${stringClass(value)}`;
}

function write(value: unknown, key: string, out: string[], literal: ReadonlySet<string>): void {
  if (value === null) out.push('N');
  else if (Array.isArray(value)) {
    out.push('[');
    for (const v of value) write(v, key, out, literal);
    out.push(']');
  } else if (typeof value === 'object') {
    const node = value as Record<string, unknown>;
    out.push(`{${orderFlags(node)}`);
    for (const k of Object.keys(node)) {
      out.push(JSON.stringify(k), ':');
      write(node[k], k, out, literal);
    }
    out.push('}');
  } else if (typeof value === 'string') {
    if (literal.has(key)) out.push(JSON.stringify(value));
    else if (key === 'reference') out.push(referenceClass(value));
    else out.push(stringClass(value));
  } else if (typeof value === 'number') out.push(numberClass(value));
  else out.push(typeof value === 'boolean' ? 'b' : `?${typeof value}`);
  out.push(',');
}

/** `literal`: the keys whose values stay as they are (a wider set for a check that reads more of them). */
export function shapeKey(resource: unknown, literal: ReadonlySet<string> = LITERAL_KEYS): string {
  const out: string[] = [];
  write(resource, '', out, literal);
  return out.join('');
}
