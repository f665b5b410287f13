// Dekacare visit summary note → SATUSEHAT Composition, the Resume Medis (Playbook v6.3 §28): type
// LOINC 88645-7, category LP173421-1, the DocumentStatus extension the IG profile requires, and
// the Playbook's sections, each referring to the visit's own resources (Conditions, vital signs,
// laboratory, procedures, prescriptions, diet, education); the note's text is the visit's course.
// Siblings that can never be sent are left out and named in the item's summary (visit-siblings.ts).
// The Composition waits for every sibling it refers to: in a visit Bundle they are entries before
// it (urn:uuid), alone it is sent once they have ids. Composition.identifier is a single Identifier.
import type { Composition, CompositionSection, Reference } from '@medplum/fhirtypes';
import { sysIdSystem } from '../identifiers.js';
import { LOINC_DOCS, LOINC_SYSTEM, type LoincEntry } from '../terminology/loinc.js';
import { KEMKES_TERMINOLOGY_SYSTEM, RESUME_SECTIONS } from '../terminology/notes.js';
import type { MapContext, MapResult, ResourceTypeName } from '../types.js';
import type { VisitSiblings, Sibling } from '../visit-siblings.js';
import type { VisitSummaryRow } from '../../types/source-rows.js';
import { ParentRefs, clean, invalid, ok } from './common.js';
import { noteBasics, noteXhtml } from './visit-note-common.js';

/** The URL of the IG's DocumentStatus extension (id-fhir Extension-Composition-DocumentStatus). */
export const DOCUMENT_STATUS_URL = 'https://fhir.kemkes.go.id/r4/StructureDefinition/DocumentStatus';

const loinc = (e: LoincEntry) => ({ coding: [{ system: LOINC_SYSTEM, code: e.code, display: e.display }] });
const kemkes = (e: { code: string; display: string }) => ({ coding: [{ system: KEMKES_TERMINOLOGY_SYSTEM, code: e.code, display: e.display }] });

/** A section or sub-section listing the kept siblings of some types; null when it would be empty. */
type Pick = (s: Sibling) => boolean;
const ofType = (...types: ResourceTypeName[]): Pick => (s) => types.includes(s.type);
const dietWith = (intent: string): Pick => (s) => s.type === 'NutritionOrder' && s.result.ok && (s.result.request.body as { intent?: string } | null)?.intent === intent;

interface SectionPlan {
  title: string;
  code?: ReturnType<typeof loinc>;
  pick?: Pick;
  sub?: Array<{ title: string; code: ReturnType<typeof loinc>; pick: Pick }>;
}

/** The Playbook's sections, in its order, as far as Dekacare has data for them. */
const PLAN: readonly SectionPlan[] = [
  { title: 'Anamnesis', code: kemkes(RESUME_SECTIONS.anamnesis), sub: [{ title: 'Riwayat Alergi', code: loinc(LOINC_DOCS.allergies), pick: ofType('AllergyIntolerance') }] },
  { title: 'Pemeriksaan Fisik', code: kemkes(RESUME_SECTIONS.physicalExamination), sub: [{ title: 'Tanda Vital', code: loinc(LOINC_DOCS.vitalSigns), pick: ofType('Observation') }] },
  {
    title: 'Pemeriksaan Penunjang',
    code: kemkes(RESUME_SECTIONS.supportingExamination),
    sub: [{ title: 'Hasil Pemeriksaan Laboratorium', code: loinc(LOINC_DOCS.laboratory), pick: ofType('ServiceRequest', 'Specimen', 'ObservationLab', 'DiagnosticReport') }],
  },
  { title: 'Diagnosis', code: kemkes(RESUME_SECTIONS.diagnosis), sub: [{ title: 'Diagnosis Akhir', code: loinc(LOINC_DOCS.dischargeDiagnosis), pick: ofType('Condition') }] },
  { title: 'Tindakan/Prosedur Medis', code: kemkes(RESUME_SECTIONS.procedures), pick: ofType('Procedure') },
  { title: 'Farmasi', code: kemkes(RESUME_SECTIONS.pharmacy), sub: [{ title: 'Obat Saat Kunjungan', code: loinc(LOINC_DOCS.medicationsOnAdmission), pick: ofType('MedicationRequest') }] },
  {
    title: 'Diet',
    sub: [
      { title: 'Rekomendasi Diet', code: loinc(LOINC_DOCS.dischargeDiet), pick: dietWith('proposal') },
      { title: 'Diet yang Diberikan', code: loinc(LOINC_DOCS.dietAndNutrition), pick: dietWith('order') },
    ],
  },
  { title: 'Edukasi', code: loinc(LOINC_DOCS.education), pick: ofType('ProcedureEducation') },
];

function entriesOf(kept: readonly Sibling[], pick: Pick, refs: ParentRefs): Reference[] {
  return kept.filter(pick).map((s) => {
    const fhirType = s.result.ok ? (s.result.request.body?.resourceType ?? s.type) : s.type;
    return refs.ref(s.type, s.result.sourceKey, undefined, fhirType);
  });
}

function buildSections(kept: readonly Sibling[], refs: ParentRefs): CompositionSection[] {
  const sections: CompositionSection[] = [];
  for (const plan of PLAN) {
    const entry = plan.pick ? entriesOf(kept, plan.pick, refs) : [];
    const section = (plan.sub ?? [])
      .map((sub) => ({ title: sub.title, code: sub.code, entry: entriesOf(kept, sub.pick, refs) }))
      .filter((sub) => sub.entry.length > 0);
    if (entry.length === 0 && section.length === 0) continue;
    sections.push({ title: plan.title, ...(plan.code && { code: plan.code }), ...(entry.length > 0 && { entry }), ...(section.length > 0 && { section }) });
  }
  return sections;
}

/** "2 left out: Procedure 12 (invalid: …); …", or null when every sibling is referred to. */
function leftOutText(siblings: VisitSiblings): string | null {
  if (siblings.leftOut.length === 0) return null;
  const each = siblings.leftOut.map((l) => `${l.type} ${l.sourceKey} (${l.reason.slice(0, 120)})`).join('; ');
  return `${siblings.leftOut.length} left out: ${each}`.slice(0, 500);
}

export function mapComposition(row: VisitSummaryRow, ctx: MapContext, siblings: VisitSiblings): MapResult {
  const leftOut = leftOutText(siblings);
  const { label, common, issues, valid } = noteBasics(row, ctx, 'Composition', 'Summary', { entries: String(siblings.kept.filter((s) => s.type !== 'Medication').length), leftOut });
  if (row.noteType !== 'summary') {
    issues.push({ path: 'Composition.type', message: `${label} has note type '${row.noteType}' (expected diet, education or summary); only summaries are sent as Composition` });
  }
  if (issues.length > 0 || valid === null) return invalid(common, issues);

  const refs = new ParentRefs();
  const author = refs.person('Practitioner', valid.practitionerId);
  const visitNo = clean(row.visitNo);
  const body: Composition = {
    resourceType: 'Composition',
    identifier: { system: sysIdSystem('composition', ctx.orgId), value: String(row.id) },
    extension: [
      {
        url: DOCUMENT_STATUS_URL,
        extension: [
          { url: 'statusCode', valueCode: 'final' },
          { url: 'statusTime', valueDateTime: valid.written.utc },
          { url: 'statusAssigner', valueReference: author },
        ],
      },
    ],
    status: 'final',
    type: loinc(LOINC_DOCS.outpatientDischargeSummary),
    category: [loinc(LOINC_DOCS.report)],
    subject: refs.person('Patient', valid.patientId),
    encounter: refs.ref('Encounter', valid.visitId),
    date: valid.written.utc,
    author: [author],
    title: clean(row.title) ?? `Resume Medis${visitNo ? ` ${visitNo}` : ''}`,
    custodian: { reference: `Organization/${ctx.orgId}` },
    section: [
      ...buildSections(siblings.kept, refs),
      { title: 'Perjalanan Kunjungan Pasien', code: loinc(LOINC_DOCS.hospitalCourse), text: { status: 'generated', div: noteXhtml(valid.text) } },
    ],
  };
  return ok(common, { method: 'POST', path: 'Composition', body }, refs.list);
}
