// Does the resource SATUSEHAT holds still say what we sent? Pure. What we sent must be there, as
// we sent it; what the server adds (id, meta, text, elements we never send) is not a difference.
// A reference we sent as `urn:uuid:` (a Bundle entry) the server rewrote to the entry's id: any
// reference of the same shape matches it.

/** Elements the server owns. */
const SERVER_OWNED = new Set(['id', 'meta', 'text']);

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Paths (FHIRPath-like, `Encounter.period.start`, `identifier[0].value`) where `stored` does not say what `sent` said. */
export function resourceDifferences(sent: Record<string, Json>, stored: Record<string, Json>): string[] {
  const out: string[] = [];
  const type = typeof sent.resourceType === 'string' ? sent.resourceType : 'Resource';
  for (const [key, value] of Object.entries(sent)) {
    if (SERVER_OWNED.has(key)) continue;
    compare(value, stored[key], `${type}.${key}`, out);
  }
  return out;
}

function compare(sent: Json, stored: Json, path: string, out: string[]): void {
  if (typeof sent === 'string' && sent.startsWith('urn:uuid:')) {
    if (typeof stored !== 'string' || stored.length === 0) out.push(path);
    return;
  }
  if (Array.isArray(sent)) {
    if (!Array.isArray(stored)) {
      out.push(path);
      return;
    }
    sent.forEach((v, i) => compare(v, stored[i], `${path}[${i}]`, out));
    return;
  }
  if (isObject(sent)) {
    if (!isObject(stored)) {
      out.push(path);
      return;
    }
    for (const [key, value] of Object.entries(sent)) compare(value, stored[key], `${path}.${key}`, out);
    return;
  }
  if (!sameScalar(sent, stored)) out.push(path);
}

/** Equal, or the same instant written two ways ('…+07:00' and its UTC form). */
function sameScalar(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a === 'string' && typeof b === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(a) && /^\d{4}-\d{2}-\d{2}T/.test(b)) {
    const ta = Date.parse(a);
    return !Number.isNaN(ta) && ta === Date.parse(b);
  }
  return false;
}
