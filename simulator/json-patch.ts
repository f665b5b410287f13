// JSON Patch restricted to what SATUSEHAT documents: `replace` only (reference A3).
import type { JsonObject } from './types.js';

const PROTECTED = new Set(['id', 'resourceType', 'meta']);

/** Applies the ops to `doc` in place. Returns an error message, or null on success. */
export function applyReplacePatch(doc: JsonObject, ops: unknown): string | null {
  if (!Array.isArray(ops) || ops.length === 0) return 'PATCH body must be a non-empty JSON Patch array';
  for (const [i, raw] of ops.entries()) {
    if (!raw || typeof raw !== 'object') return `Patch operation ${i} is not an object`;
    const op = raw as JsonObject;
    if (op.op !== 'replace') return `Unsupported patch operation '${String(op.op)}' at ${i}: only replace is supported`;
    if (typeof op.path !== 'string' || !op.path.startsWith('/')) return `Patch operation ${i} needs a JSON pointer path`;
    if (!('value' in op)) return `Patch operation ${i} needs a value`;
    const error = replaceAt(doc, op.path, op.value);
    if (error) return `Patch operation ${i}: ${error}`;
  }
  return null;
}

function replaceAt(doc: JsonObject, pointer: string, value: unknown): string | null {
  const segments = pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (PROTECTED.has(segments[0] as string)) return `${pointer} cannot be patched`;
  let parent: unknown = doc;
  for (const seg of segments.slice(0, -1)) {
    parent = child(parent, seg);
    if (parent === undefined) return `path ${pointer} does not exist`;
  }
  const last = segments[segments.length - 1] as string;
  if (Array.isArray(parent)) {
    if (!/^\d+$/.test(last) || Number(last) >= parent.length) return `path ${pointer} does not exist`;
    parent[Number(last)] = value;
    return null;
  }
  if (!parent || typeof parent !== 'object' || !Object.hasOwn(parent, last)) return `path ${pointer} does not exist`;
  (parent as JsonObject)[last] = value;
  return null;
}

function child(node: unknown, seg: string): unknown {
  if (Array.isArray(node)) return /^\d+$/.test(seg) ? node[Number(seg)] : undefined;
  if (node && typeof node === 'object' && Object.hasOwn(node, seg)) return (node as JsonObject)[seg];
  return undefined;
}
