// What the three kinds of visit notes (diet → NutritionOrder, education → Procedure, summary →
// Composition) check alike: the visit, the patient, the author, the text and the time written.
import { localBusinessDate, localMinute } from '../datetime.js';
import type { MapContext, MapIssue, MapResult } from '../types.js';
import type { VisitNoteRow } from '../../types/source-rows.js';
import { clean, contextIssues, convertTime, escapeXhtml, hasId, type SourceDateTimeCheckOk } from './common.js';

/** Where each kind sends the note's text. */
const TEXT_PATH = { NutritionOrder: 'NutritionOrder.oralDiet.instruction', Procedure: 'Procedure.note', Composition: 'Composition.section.text' } as const;

export interface NoteBasics {
  label: string;
  common: Omit<MapResult, 'ok' | 'issues' | 'request' | 'parents'>;
  issues: MapIssue[];
  /** Set only when every basic check passed. */
  valid: { visitId: number; patientId: number; practitionerId: number; text: string; written: SourceDateTimeCheckOk } | null;
}

/** `summary` adds the type's own columns to visit no., patient, author and date. */
export function noteBasics(row: VisitNoteRow, ctx: MapContext, fhirType: 'NutritionOrder' | 'Procedure' | 'Composition', kind: string, summary: Record<string, string | null> = {}): NoteBasics {
  const visitNo = clean(row.visitNo);
  const writtenRaw = clean(row.writtenAt);
  const label = `${kind} note #${row.id}${visitNo ? ` of visit ${visitNo}` : ''}`;
  const common = {
    sourceKey: String(row.id),
    businessDate: writtenRaw === null ? null : localBusinessDate(writtenRaw),
    summary: { visitNo, patient: clean(row.patientName), ...summary, author: clean(row.practitionerName), date: writtenRaw === null ? null : (localMinute(writtenRaw) ?? writtenRaw) },
  };
  const issues = contextIssues(ctx, fhirType);
  if (!hasId(row.visitId)) issues.push({ path: `${fhirType}.encounter`, message: `${label} belongs to no visit: a ${fhirType} needs its Encounter` });
  if (!hasId(row.patientId)) issues.push({ path: fhirType === 'NutritionOrder' ? 'NutritionOrder.patient' : `${fhirType}.subject`, message: `${label} has no patient (the visit's patient_id is empty)` });
  if (!hasId(row.practitionerId)) issues.push({ path: `${fhirType}.${fhirType === 'NutritionOrder' ? 'orderer' : fhirType === 'Procedure' ? 'performer' : 'author'}`, message: `${label} has no author (practitioner_id is empty)` });
  const text = clean(row.text);
  if (text === null) issues.push({ path: TEXT_PATH[fhirType], rule: '10134', message: `Text is empty: '' (RuleNumber: 10134). ${label} has no text` });
  const written = convertTime(row.writtenAt, ctx, fhirType === 'Composition' ? 'Composition.date' : fhirType === 'NutritionOrder' ? 'NutritionOrder.dateTime' : 'Procedure.performedPeriod.start', 'writtenAt', issues, `${label} has no time (writtenAt)`);
  const valid = issues.length === 0 && written && text !== null && hasId(row.visitId) && hasId(row.patientId) && hasId(row.practitionerId)
    ? { visitId: row.visitId, patientId: row.patientId, practitionerId: row.practitionerId, text, written }
    : null;
  return { label, common, issues, valid };
}

/** The note as XHTML narrative: each line a paragraph, escaped. */
export function noteXhtml(text: string): string {
  const paragraphs = text.split(/\r?\n+/).map((p) => p.trim()).filter((p) => p !== '').map((p) => `<p>${escapeXhtml(p)}</p>`).join('');
  return `<div xmlns="http://www.w3.org/1999/xhtml">${paragraphs}</div>`;
}
