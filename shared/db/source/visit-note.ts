// Dekacare `visit_notes`, with the visit's number and patient and the author's name
// (visit-child-query.ts). Three kinds, three types: diet notes become
// NutritionOrders, education notes education Procedures, and summary notes (Resume Medis)
// Compositions, read with the rows of their visit that the summary refers to. A note of a kind
// we do not know goes with the summaries, whose mapper reports it instead of dropping it.
import type { VisitNoteRow, VisitSiblingRows, VisitSummaryRow } from '../../types/source-rows.js';
import type { Db } from '../connect.js';
import { readAllergies } from './allergy.js';
import { keysetPages, type ReadOptions } from './keyset.js';
import { readLabOrders, readLabResults } from './lab.js';
import { readPrescriptionItems } from './prescription.js';
import { sourceReader, updatedAt } from './source-reader.js';
import { visitChildQuery, type RawVisitChildBy } from './visit-child-query.js';
import { readDiagnoses, readProcedures, readVitalSigns } from './visit-children.js';
import { toDateTime, toInt, toRefIdOrNull, toText, toTextOrNull } from './values.js';

interface RawVisitNote extends RawVisitChildBy {
  note_type: unknown;
  title: unknown;
  text: unknown;
  snomed_code: unknown;
  snomed_display: unknown;
  diet_intent: unknown;
  written_at: unknown;
}

export function toVisitNoteRow(raw: RawVisitNote): VisitNoteRow {
  return {
    id: toInt(raw.id),
    visitId: toRefIdOrNull(raw.visit_id),
    visitNo: toText(raw.visit_no),
    patientId: toRefIdOrNull(raw.patient_id),
    patientName: toText(raw.patient_name),
    practitionerId: toRefIdOrNull(raw.practitioner_id),
    practitionerName: toText(raw.practitioner_name),
    noteType: toText(raw.note_type).trim().toLowerCase(),
    title: toText(raw.title),
    text: toText(raw.text),
    snomedCode: toTextOrNull(raw.snomed_code),
    snomedDisplay: toTextOrNull(raw.snomed_display),
    dietIntent: toTextOrNull(raw.diet_intent),
    writtenAt: toDateTime(raw.written_at),
    updatedAt: toDateTime(raw.updated_at),
  };
}

/**
 * 'diet' and 'education' read that kind; 'summary' reads summaries and every kind we do not know;
 * 'diet+education' both kinds sent on their own; 'all' (the default) every note.
 */
export type NoteKindFilter = 'diet' | 'education' | 'summary' | 'diet+education' | 'all';
const SENT_ALONE = ['diet', 'education'];

export function readVisitNotes(db: Db, options?: ReadOptions, kind: NoteKindFilter = 'all'): AsyncGenerator<VisitNoteRow[]> {
  return keysetPages<RawVisitNote, VisitNoteRow>(options, 'n.id', 'n.updated_at', () => {
    const query = visitChildQuery(db, { table: 'visit_notes', alias: 'n', visitId: 'n.visit_id', practitionerId: 'n.practitioner_id' })
      .select('n.note_type', 'n.title', 'n.text', 'n.snomed_code', 'n.snomed_display', 'n.diet_intent', 'n.written_at');
    if (kind === 'summary') query.whereNotIn('n.note_type', SENT_ALONE);
    else if (kind === 'diet+education') query.whereIn('n.note_type', SENT_ALONE);
    else if (kind !== 'all') query.where('n.note_type', kind);
    return query;
  }, toVisitNoteRow);
}

export const readDietNotes = (db: Db, options?: ReadOptions) => readVisitNotes(db, options, 'diet');
export const readEducationNotes = (db: Db, options?: ReadOptions) => readVisitNotes(db, options, 'education');

export const dietNoteReader = sourceReader({ tables: ['visit_notes'], changedAt: [updatedAt('visit_notes')], read: readDietNotes });
export const educationNoteReader = sourceReader({ tables: ['visit_notes'], changedAt: [updatedAt('visit_notes')], read: readEducationNotes });

/** Rows per sibling read; a batch of summaries is at most a few thousand rows of each table. */
const SIBLING_BATCH = 10_000;

async function collect<T>(pages: AsyncGenerator<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for await (const page of pages) rows.push(...page);
  return rows;
}

const emptySiblings = (): VisitSiblingRows => ({ diagnoses: [], vitalSigns: [], procedures: [], allergies: [], prescriptionItems: [], labOrders: [], labResults: [], notes: [] });

/** The rows of these visits the summary refers to, through each type's own reader: one query per table. */
export async function readVisitSiblings(db: Db, visitIds: readonly number[]): Promise<Map<number, VisitSiblingRows>> {
  const byVisit = new Map<number, VisitSiblingRows>(visitIds.map((id) => [id, emptySiblings()]));
  if (visitIds.length === 0) return byVisit;
  const forVisits = (column: string) => ({ batchSize: SIBLING_BATCH, only: { column, ids: visitIds } });
  const [diagnoses, vitalSigns, procedures, allergies, labOrders, notes, prescriptions] = await Promise.all([
    collect(readDiagnoses(db, forVisits('d.visit_id'))),
    collect(readVitalSigns(db, forVisits('vs.visit_id'))),
    collect(readProcedures(db, forVisits('pc.visit_id'))),
    collect(readAllergies(db, forVisits('a.visit_id'))),
    collect(readLabOrders(db, forVisits('o.visit_id'))),
    collect(readVisitNotes(db, forVisits('n.visit_id'), 'diet+education')),
    db('prescriptions').whereIn('visit_id', visitIds as number[]).select('id') as Promise<Array<{ id: unknown }>>,
  ]);
  // Lab results and prescription lines hang off an order or prescription: read them by its id.
  const [labResults, prescriptionItems] = await Promise.all([
    collect(readLabResults(db, { batchSize: SIBLING_BATCH, only: { column: 'r.lab_order_id', ids: labOrders.map((o) => o.id) } })),
    collect(readPrescriptionItems(db, { batchSize: SIBLING_BATCH, only: { column: 'i.prescription_id', ids: prescriptions.map((p) => toInt(p.id)) } })),
  ]);
  const add = <K extends keyof VisitSiblingRows>(list: K, visitId: number | null | undefined, row: VisitSiblingRows[K][number]) => {
    const siblings = visitId === null || visitId === undefined ? undefined : byVisit.get(visitId);
    (siblings?.[list] as Array<VisitSiblingRows[K][number]> | undefined)?.push(row);
  };
  for (const r of diagnoses) add('diagnoses', r.visitId, r);
  for (const r of vitalSigns) add('vitalSigns', r.visitId, r);
  for (const r of procedures) add('procedures', r.visitId, r);
  for (const r of allergies) add('allergies', r.visitId, r);
  for (const r of labOrders) add('labOrders', r.visitId, r);
  for (const r of labResults) add('labResults', r.visitId, r);
  for (const r of prescriptionItems) add('prescriptionItems', r.visitId, r);
  for (const r of notes) add('notes', r.visitId, r);
  return byVisit;
}

/** Summary notes (Resume Medis) page by page, each with its visit's rows. */
export async function* readVisitSummaries(db: Db, options?: ReadOptions): AsyncGenerator<VisitSummaryRow[]> {
  for await (const notes of readVisitNotes(db, options, 'summary')) {
    const siblings = await readVisitSiblings(db, [...new Set(notes.flatMap((n) => (n.visitId === null ? [] : [n.visitId])))]);
    yield notes.map((n) => ({ ...n, siblings: (n.visitId === null ? undefined : siblings.get(n.visitId)) ?? emptySiblings() }));
  }
}

// The summary's own row only: a sibling changed later is picked up by the next full pass.
export const visitSummaryReader = sourceReader({ tables: ['visit_notes'], changedAt: [updatedAt('visit_notes')], read: readVisitSummaries });
