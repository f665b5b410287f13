// Encounter.diagnosis refers to the visit's Conditions, and every Condition refers to its
// Encounter. Only the second is a parent link: a Condition cannot be sent before its Encounter has
// an id, so the Encounter must not wait for its Conditions (that would be a cycle). The mapper
// writes each diagnosis with a Condition placeholder that is not listed among the parents; at send
// time the worker takes the entries out, resolves the parents of the rest, and puts back the
// entries whose Condition it can name: a Bundle member's urn:uuid, or the id of a Condition sent
// already. The others are left out, and the Encounter is sent again (PUT) once they have ids.
import type { ParentRef } from './types.js';

type Json = Record<string, unknown>;

/** `Condition/{{Condition:<key>}}`, as the Encounter mapper writes it. */
const CONDITION_PLACEHOLDER = /^Condition\/\{\{Condition:([^{}]+)\}\}$/;

const conditionRefOf = (entry: unknown): ParentRef | null => {
  const reference = ((entry as Json | null)?.condition as Json | undefined)?.reference;
  const key = typeof reference === 'string' ? CONDITION_PLACEHOLDER.exec(reference)?.[1] : undefined;
  return key === undefined ? null : { type: 'Condition', sourceKey: key };
};

const isEncounter = (body: unknown): body is Json & { diagnosis?: unknown } => (body as Json | null)?.resourceType === 'Encounter';

/** The Conditions an Encounter body names in its diagnosis (child references, never parents). */
export function diagnosisRefs(body: unknown): ParentRef[] {
  if (!isEncounter(body) || !Array.isArray(body.diagnosis)) return [];
  return body.diagnosis.map(conditionRefOf).filter((r): r is ParentRef => r !== null);
}

export interface TakenDiagnosis<T> {
  /** The body without `diagnosis`. */
  body: T;
  /** The diagnosis entries as they were (empty for other types, or none). */
  entries: unknown[];
}

/** Takes the diagnosis out of an Encounter body, so that only its parents are left to resolve. */
export function takeDiagnosis<T>(body: T): TakenDiagnosis<T> {
  if (!isEncounter(body) || !Array.isArray(body.diagnosis)) return { body, entries: [] };
  const { diagnosis, ...rest } = body;
  return { body: rest as T, entries: diagnosis as unknown[] };
}

export interface RestoredDiagnosis<T> {
  body: T;
  /** The Conditions left out, for want of an id or a Bundle member to name. */
  left: ParentRef[];
}

/**
 * Puts the entries back in their order, each Condition placeholder replaced by `targetOf(ref)`
 * (`Condition/<id>` or `urn:uuid:…`); an entry whose Condition has no target is left out, an entry
 * naming its Condition some other way (an operator's edit) is kept as it is.
 */
export function restoreDiagnosis<T>(body: T, entries: unknown[], targetOf: (ref: ParentRef) => string | undefined): RestoredDiagnosis<T> {
  if (entries.length === 0) return { body, left: [] };
  const kept: unknown[] = [];
  const left: ParentRef[] = [];
  for (const entry of entries) {
    const ref = conditionRefOf(entry);
    if (ref === null) {
      kept.push(entry);
      continue;
    }
    const target = targetOf(ref);
    if (target === undefined) left.push(ref);
    else kept.push({ ...(entry as Json), condition: { ...((entry as Json).condition as Json), reference: target } });
  }
  return { body: (kept.length > 0 ? { ...body, diagnosis: kept } : body) as T, left };
}
