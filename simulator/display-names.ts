// The MPI/MNI privacy rule (platform change of 21 Nov 2024, reference A13): people are served with
// censored names, and a Patient or Practitioner reference that carries a `display` must carry that
// censored name. SATUSEHAT names 10118 (Encounter.subject) and 10119 (participant.individual); the
// simulator applies the same two rule numbers to such references in every resource type.
import { issue, withRule, type Issue } from './outcome.js';
import type { PersonKind } from './people.js';
import type { JsonObject } from './types.js';

const PERSON_REF = /^(Patient|Practitioner)\/([^/]+)$/;

/**
 * Every `{reference: 'Patient/<id>' | 'Practitioner/<id>', display}` in the resource whose display is
 * not the name the MPI/MNI serves for that id. `nameOf` returns null for people it does not know
 * (their reference is another rule's business).
 */
export function checkPersonDisplays(resource: JsonObject, type: string, nameOf: (kind: PersonKind, id: string) => string | null, issues: Issue[]): void {
  walk(resource, type, (element, path) => {
    const m = typeof element.reference === 'string' ? PERSON_REF.exec(element.reference) : null;
    if (!m || element.display === undefined) return;
    const kind = m[1] as PersonKind;
    const expected = nameOf(kind, m[2] as string);
    if (expected === null || element.display === expected) return;
    const registry = kind === 'Patient' ? 'Master Patient Index' : 'Master Nakes Index';
    const text = `${path}.display '${String(element.display)}' does not match the name in the ${registry}: expected '${expected}' (or leave display out)`;
    issues.push(issue('value', withRule(text, kind === 'Patient' ? '10118' : '10119'), `${path}.display`));
  });
}

function walk(value: unknown, path: string, visit: (element: JsonObject, path: string) => void): void {
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, visit));
  else if (value !== null && typeof value === 'object') {
    const element = value as JsonObject;
    visit(element, path);
    for (const [key, v] of Object.entries(element)) walk(v, `${path}.${key}`, visit);
  }
}
