// Dekacare diagnosis → SATUSEHAT Condition (encounter diagnosis, ICD-10). The code is checked
// locally so a typo ('J06,9', 'ZZZ') becomes an invalid item with a clear message instead of a
// 400 from SATUSEHAT (RuleNumber 10001). Travels in its visit's Bundle.
import type { Condition } from '@medplum/fhirtypes';
import { localBusinessDate, localMinute } from '../datetime.js';
import { sysIdSystem } from '../identifiers.js';
import { ICD10_SYSTEM, checkIcd10 } from '../terminology/icd10.js';
import type { MapContext, MapIssue, MapResult } from '../types.js';
import type { DiagnosisRow } from '../../types/source-rows.js';
import { ParentRefs, clean, contextIssues, convertTime, hasId, invalid, ok } from './common.js';

export const CONDITION_CLINICAL_SYSTEM = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
export const CONDITION_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/condition-category';

/** SATUSEHAT rule numbers (Kamus Validasi): Condition.encounter mandatory, code not found. */
const RULE = { encounter: '10126', codeNotFound: '10001' } as const;

export function mapCondition(row: DiagnosisRow, ctx: MapContext): MapResult {
  const visitNo = clean(row.visitNo);
  const patientName = clean(row.patientName);
  const recordedRaw = clean(row.recordedAt);
  const code = checkIcd10(row.icd10Code);
  const display = (code.ok ? code.display : null) ?? clean(row.icd10Display);
  const common = {
    sourceKey: String(row.id),
    businessDate: recordedRaw === null ? null : localBusinessDate(recordedRaw),
    summary: {
      visitNo,
      patient: patientName,
      code: code.ok ? code.code : clean(row.icd10Code),
      display,
      date: recordedRaw === null ? null : (localMinute(recordedRaw) ?? recordedRaw),
    },
  };
  const label = `Diagnosis #${row.id}${visitNo ? ` of visit ${visitNo}` : ''}`;
  const issues: MapIssue[] = contextIssues(ctx, 'Condition');

  if (!hasId(row.visitId)) issues.push({ path: 'Condition.encounter', rule: RULE.encounter, message: `${label} belongs to no visit: a Condition needs its Encounter` });
  if (!hasId(row.patientId)) issues.push({ path: 'Condition.subject', message: `${label} has no patient (the visit's patient_id is empty)` });
  if (!code.ok) {
    const raw = row.icd10Code.trim();
    issues.push({
      path: 'Condition.code.coding[0].code',
      rule: RULE.codeNotFound,
      message: `Code not found: '${raw}' in system: ${ICD10_SYSTEM} (RuleNumber: ${RULE.codeNotFound}). ${label} has ICD-10 code '${raw}'${row.icd10Display ? ` (${row.icd10Display.trim()})` : ''}, which ${code.reason}. Correct the diagnosis code in Dekacare`,
    });
  }
  const recorded = convertTime(row.recordedAt, ctx, 'Condition.recordedDate', 'recordedAt', issues, `${label} has no recording time (recordedAt)`);

  if (issues.length > 0 || !code.ok || recorded === null || !hasId(row.visitId) || !hasId(row.patientId)) return invalid(common, issues);

  const refs = new ParentRefs();
  const body: Condition = {
    resourceType: 'Condition',
    identifier: [{ system: sysIdSystem('condition', ctx.orgId), value: String(row.id) }],
    clinicalStatus: { coding: [{ system: CONDITION_CLINICAL_SYSTEM, code: 'active', display: 'Active' }] },
    category: [{ coding: [{ system: CONDITION_CATEGORY_SYSTEM, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' }] }],
    code: { coding: [{ system: ICD10_SYSTEM, code: code.code, ...(display !== null && { display }) }] },
    subject: refs.person('Patient', row.patientId),
    encounter: refs.ref('Encounter', row.visitId),
    onsetDateTime: recorded.utc,
    recordedDate: recorded.utc,
  };
  return ok(common, { method: 'POST', path: 'Condition', body }, refs.list);
}
