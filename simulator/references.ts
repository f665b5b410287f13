// Reference helpers: `Type/id` parsing and the deep urn:uuid rewrite used by transaction Bundles.
import type { JsonObject } from './types.js';

export interface ParsedRef {
  type: string;
  id: string;
}

const REF_RE = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;

/** `Patient/P0123` or an absolute `.../Patient/P0123` (a `_history` suffix is not accepted). */
export function parseReference(value: unknown): ParsedRef | null {
  if (typeof value !== 'string' || value.startsWith('urn:')) return null;
  const m = REF_RE.exec(value);
  return m ? { type: m[1] as string, id: m[2] as string } : null;
}

/** The `reference` string of a Reference-typed element, if any. */
export function refOf(element: unknown): string | undefined {
  if (!element || typeof element !== 'object') return undefined;
  const ref = (element as JsonObject).reference;
  return typeof ref === 'string' ? ref : undefined;
}

/**
 * Replaces every `reference: "urn:uuid:..."` anywhere in `node` using `map`. Calls `onRef` for each
 * urn:uuid found (resolved or not) so the caller can record dependencies and dangling references.
 */
export function rewriteUrnReferences(node: unknown, map: ReadonlyMap<string, string>, onRef: (urn: string, resolved: boolean) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) rewriteUrnReferences(item, map, onRef);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const obj = node as JsonObject;
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'reference' && typeof value === 'string' && value.startsWith('urn:uuid:')) {
      const target = map.get(value);
      onRef(value, target !== undefined);
      if (target !== undefined) obj[key] = target;
    } else if (value && typeof value === 'object') {
      rewriteUrnReferences(value, map, onRef);
    }
  }
}
