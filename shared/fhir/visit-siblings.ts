// The visit summary (Resume Medis) refers to the resources of its visit. Which of them can it
// refer to? Each sibling row is mapped with its own type's mapper (pure, the same result its own
// item has), and a sibling is kept only when it maps to a request and every parent it has among
// the visit's items is kept too (a MedicationRequest whose Medication is invalid can never be
// sent). Left-out siblings are listed with the reason, so the Composition never waits for an
// item that cannot be sent; it still waits for the kept ones, which will have ids.
import { DEFAULT_MEDICATION_MODE } from './medication-mode.js';
import type { MapContext, MapResult, ResourceTypeName } from './types.js';
import type { VisitNoteRow, VisitSiblingRows } from '../types/source-rows.js';

export interface Sibling {
  type: ResourceTypeName;
  result: MapResult;
}

export interface LeftOut {
  type: ResourceTypeName;
  sourceKey: string;
  reason: string;
}

export interface VisitSiblings {
  kept: Sibling[];
  leftOut: LeftOut[];
}

type MapperOf = (type: ResourceTypeName) => (row: never, ctx: MapContext) => MapResult | MapResult[];

/** The types each sibling row list feeds (one prescription line is a Medication and its request). */
const TYPES_OF: { [K in keyof VisitSiblingRows]: (row: VisitSiblingRows[K][number]) => readonly ResourceTypeName[] } = {
  diagnoses: () => ['Condition'],
  vitalSigns: () => ['Observation'],
  procedures: () => ['Procedure'],
  allergies: () => ['AllergyIntolerance'],
  prescriptionItems: () => ['Medication', 'MedicationRequest'],
  labOrders: () => ['ServiceRequest', 'Specimen', 'DiagnosticReport'],
  labResults: () => ['ObservationLab'],
  notes: (row: VisitNoteRow) => (row.noteType === 'diet' ? ['NutritionOrder'] : row.noteType === 'education' ? ['ProcedureEducation'] : []),
};

const keyOf = (type: string, sourceKey: string) => `${type}\u0000${sourceKey}`;

/** Every sibling item of the visit, kept or left out (with why), in source order. */
export function mapVisitSiblings(rows: VisitSiblingRows, ctx: MapContext, mapperOf: MapperOf): VisitSiblings {
  const all: Sibling[] = [];
  for (const list of Object.keys(TYPES_OF) as Array<keyof VisitSiblingRows>) {
    for (const row of rows[list]) {
      for (const type of (TYPES_OF[list] as (r: unknown) => readonly ResourceTypeName[])(row)) {
        // A contained Medication is part of its MedicationRequest, not an item of its own.
        if (type === 'Medication' && (ctx.medicationMode ?? DEFAULT_MEDICATION_MODE) !== 'separate') continue;
        const mapped = mapperOf(type)(row as never, ctx);
        for (const result of Array.isArray(mapped) ? mapped : [mapped]) all.push({ type, result });
      }
    }
  }
  const byKey = new Map(all.map((s) => [keyOf(s.type, s.result.sourceKey), s]));
  const verdict = new Map<string, string | null>();
  // null = kept; a string = why not. Parents come from other lists, so the walk is shallow.
  const judge = (s: Sibling, seen: Set<string>): string | null => {
    const key = keyOf(s.type, s.result.sourceKey);
    const known = verdict.get(key);
    if (known !== undefined) return known;
    let reason: string | null = null;
    if (!s.result.ok) reason = `invalid: ${s.result.issues[0]?.message ?? 'see that item'}`;
    else {
      for (const parent of s.result.parents) {
        const p = byKey.get(keyOf(parent.type, parent.sourceKey));
        if (!p || seen.has(keyOf(parent.type, parent.sourceKey))) continue;
        if (judge(p, new Set([...seen, key])) !== null) {
          reason = `waits for ${parent.type} ${parent.sourceKey}, which cannot be sent`;
          break;
        }
      }
    }
    verdict.set(key, reason);
    return reason;
  };
  const kept: Sibling[] = [];
  const leftOut: LeftOut[] = [];
  for (const s of all) {
    const reason = judge(s, new Set());
    if (reason === null) kept.push(s);
    else leftOut.push({ type: s.type, sourceKey: s.result.sourceKey, reason });
  }
  return { kept, leftOut };
}
