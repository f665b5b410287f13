// Dekacare education note → SATUSEHAT Procedure (Playbook v6.3 §21): category SNOMED 409073007
// "Education", and two codings in one code, the KPTL 10913 "Edukasi Kesehatan Individu" and the
// SNOMED topic. Its own registry type (ProcedureEducation, like ObservationLab for Observation):
// it comes from another table than `procedures`, so its source keys and identifier values
// (`edu-<note id>`) must never meet those of a procedure. Travels in its visit's Bundle.
import type { Procedure } from '@medplum/fhirtypes';
import { sysIdSystem } from '../identifiers.js';
import { EDUCATION_CATEGORY, EDUCATION_TOPIC_BY_CODE, KPTL_INDIVIDUAL_EDUCATION, KPTL_SYSTEM } from '../terminology/notes.js';
import { SNOMED_SYSTEM, isSnomedId } from '../terminology/snomed.js';
import type { MapContext, MapResult } from '../types.js';
import type { VisitNoteRow } from '../../types/source-rows.js';
import { ParentRefs, clean, invalid, ok } from './common.js';
import { noteBasics } from './visit-note-common.js';

/** Identifier value of an education Procedure: never equal to a `procedures.id`. */
export const educationIdentifierValue = (noteId: number): string => `edu-${noteId}`;

export function mapProcedureEducation(row: VisitNoteRow, ctx: MapContext): MapResult {
  const code = clean(row.snomedCode);
  const display = (code === null ? undefined : EDUCATION_TOPIC_BY_CODE.get(code)?.display) ?? clean(row.snomedDisplay);
  const { label, common, issues, valid } = noteBasics(row, ctx, 'Procedure', 'Education', { topic: display ?? code });

  if (row.noteType !== 'education') issues.push({ path: 'Procedure', message: `${label} is a '${row.noteType}' note, not an education note` });
  if (code === null) {
    issues.push({ path: 'Procedure.code.coding[1]', message: `${label} has no education topic: the Playbook (v6.3 §21) sends the KPTL code and a SNOMED CT topic (< 409073007 Education, e.g. 84635008 disease process) together. Record the topic in Dekacare` });
  } else if (!isSnomedId(code)) {
    issues.push({ path: 'Procedure.code.coding[1].code', rule: '10001', message: `Code not found: '${code}' in system: ${SNOMED_SYSTEM} (RuleNumber: 10001). ${label} has topic '${code}', which is not a SNOMED CT concept id` });
  }
  if (issues.length > 0 || valid === null || code === null) return invalid(common, issues);

  const refs = new ParentRefs();
  const practitioner = refs.person('Practitioner', valid.practitionerId);
  const body: Procedure = {
    resourceType: 'Procedure',
    identifier: [{ system: sysIdSystem('procedure', ctx.orgId), value: educationIdentifierValue(row.id) }],
    status: 'completed',
    category: { coding: [{ system: SNOMED_SYSTEM, code: EDUCATION_CATEGORY.code, display: EDUCATION_CATEGORY.display }], text: EDUCATION_CATEGORY.display },
    code: {
      coding: [
        { system: KPTL_SYSTEM, code: KPTL_INDIVIDUAL_EDUCATION.code, display: KPTL_INDIVIDUAL_EDUCATION.display },
        { system: SNOMED_SYSTEM, code, ...(display !== null && { display }) },
      ],
      ...(clean(row.title) !== null && { text: clean(row.title) as string }),
    },
    subject: refs.person('Patient', valid.patientId),
    encounter: refs.ref('Encounter', valid.visitId),
    performedPeriod: { start: valid.written.utc, end: valid.written.utc },
    performer: [{ actor: practitioner }],
    note: [{ text: valid.text }],
  };
  return ok(common, { method: 'POST', path: 'Procedure', body }, refs.list);
}
