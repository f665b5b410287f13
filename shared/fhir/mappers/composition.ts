// Dekacare visit note (diet advice or patient education) → SATUSEHAT Composition: a final
// discharge-summary document whose one section holds the note as XHTML narrative.
// Composition.identifier is a single Identifier in FHIR R4, not a list.
import type { Composition } from '@medplum/fhirtypes';
import { localBusinessDate, localMinute } from '../datetime.js';
import { sysIdSystem } from '../identifiers.js';
import { LOINC_DOCS, LOINC_SYSTEM } from '../terminology/loinc.js';
import type { MapContext, MapIssue, MapResult } from '../types.js';
import type { VisitNoteRow } from '../../types/source-rows.js';
import { ParentRefs, clean, contextIssues, convertTime, escapeXhtml, hasId, invalid, ok } from './common.js';

const SECTIONS = { diet: LOINC_DOCS.dietSection, education: LOINC_DOCS.educationSection } as const;
const TYPE_LABEL = { diet: 'Diet', education: 'Edukasi' } as const;

export function mapComposition(row: VisitNoteRow, ctx: MapContext): MapResult {
  const visitNo = clean(row.visitNo);
  const patientName = clean(row.patientName);
  const practitionerName = clean(row.practitionerName);
  const writtenRaw = clean(row.writtenAt);
  const text = clean(row.text);
  const section = SECTIONS[row.noteType];
  const common = {
    sourceKey: String(row.id),
    businessDate: writtenRaw === null ? null : localBusinessDate(writtenRaw),
    summary: { visitNo, patient: patientName, type: TYPE_LABEL[row.noteType] ?? String(row.noteType), author: practitionerName, date: writtenRaw === null ? null : (localMinute(writtenRaw) ?? writtenRaw) },
  };
  const label = `Visit note #${row.id}${visitNo ? ` of visit ${visitNo}` : ''}`;
  const issues: MapIssue[] = contextIssues(ctx, 'Composition');

  if (!hasId(row.visitId)) issues.push({ path: 'Composition.encounter', message: `${label} belongs to no visit: a Composition needs its Encounter` });
  if (!hasId(row.patientId)) issues.push({ path: 'Composition.subject', message: `${label} has no patient (the visit's patient_id is empty)` });
  if (!hasId(row.practitionerId)) issues.push({ path: 'Composition.author', message: `${label} has no author (practitioner_id is empty)` });
  if (section === undefined) issues.push({ path: 'Composition.section[0].code', message: `${label} has note type '${String(row.noteType)}' (expected diet or education)` });
  if (text === null) issues.push({ path: 'Composition.section[0].text', rule: '10134', message: `Text is empty: '' (RuleNumber: 10134). ${label} has no text` });
  const written = convertTime(row.writtenAt, ctx, 'Composition.date', 'writtenAt', issues, `${label} has no time (writtenAt)`);

  if (issues.length > 0 || written === null || text === null || section === undefined || !hasId(row.visitId) || !hasId(row.patientId) || !hasId(row.practitionerId)) return invalid(common, issues);

  const refs = new ParentRefs();
  const title = clean(row.title) ?? `${TYPE_LABEL[row.noteType]} ${visitNo ?? ''}`.trim();
  const paragraphs = text.split(/\r?\n+/).map((p) => `<p>${escapeXhtml(p.trim())}</p>`).join('');
  const body: Composition = {
    resourceType: 'Composition',
    identifier: { system: sysIdSystem('composition', ctx.orgId), value: String(row.id) },
    status: 'final',
    type: { coding: [{ system: LOINC_SYSTEM, code: LOINC_DOCS.dischargeSummary.code, display: LOINC_DOCS.dischargeSummary.display }] },
    category: [{ coding: [{ system: LOINC_SYSTEM, code: LOINC_DOCS.report.code, display: LOINC_DOCS.report.display }] }],
    subject: refs.person('Patient', row.patientId),
    encounter: refs.ref('Encounter', row.visitId),
    date: written.utc,
    author: [refs.person('Practitioner', row.practitionerId)],
    title,
    custodian: { reference: `Organization/${ctx.orgId}` },
    section: [
      {
        title: TYPE_LABEL[row.noteType],
        code: { coding: [{ system: LOINC_SYSTEM, code: section.code, display: section.display }] },
        text: { status: 'additional', div: `<div xmlns="http://www.w3.org/1999/xhtml">${paragraphs}</div>` },
      },
    ],
  };
  return ok(common, { method: 'POST', path: 'Composition', body }, refs.list);
}
