// Dekacare procedure (tindakan, ICD-9-CM) → SATUSEHAT Procedure. Travels in its visit's Bundle.
import type { Procedure } from '@medplum/fhirtypes';
import { localBusinessDate, localMinute } from '../datetime.js';
import { sysIdSystem } from '../identifiers.js';
import { ICD9CM_SYSTEM, checkIcd9cm } from '../terminology/icd9cm.js';
import { PROCEDURE_CATEGORY, SNOMED_SYSTEM } from '../terminology/snomed.js';
import type { MapContext, MapIssue, MapResult } from '../types.js';
import type { ProcedureRow } from '../../types/source-rows.js';
import { ParentRefs, clean, contextIssues, convertTime, hasId, invalid, ok } from './common.js';

export function mapProcedure(row: ProcedureRow, ctx: MapContext): MapResult {
  const visitNo = clean(row.visitNo);
  const patientName = clean(row.patientName);
  const startRaw = clean(row.performedStart);
  const code = checkIcd9cm(row.icd9cmCode);
  const display = (code.ok ? code.display : null) ?? clean(row.icd9cmDisplay);
  const common = {
    sourceKey: String(row.id),
    businessDate: startRaw === null ? null : localBusinessDate(startRaw),
    summary: {
      visitNo,
      patient: patientName,
      code: code.ok ? code.code : clean(row.icd9cmCode),
      display,
      date: startRaw === null ? null : (localMinute(startRaw) ?? startRaw),
    },
  };
  const label = `Procedure #${row.id}${visitNo ? ` of visit ${visitNo}` : ''}`;
  const issues: MapIssue[] = contextIssues(ctx, 'Procedure');

  if (!hasId(row.visitId)) issues.push({ path: 'Procedure.encounter', message: `${label} belongs to no visit: a Procedure needs its Encounter` });
  if (!hasId(row.patientId)) issues.push({ path: 'Procedure.subject', message: `${label} has no patient (the visit's patient_id is empty)` });
  if (!code.ok) {
    const raw = row.icd9cmCode.trim();
    issues.push({
      path: 'Procedure.code.coding[0].code',
      rule: '10001',
      message: `Code not found: '${raw}' in system: ${ICD9CM_SYSTEM} (RuleNumber: 10001). ${label} has procedure code '${raw}'${row.icd9cmDisplay ? ` (${row.icd9cmDisplay.trim()})` : ''}, which ${code.reason}. Code the procedure with ICD-9-CM in Dekacare`,
    });
  }
  const start = convertTime(row.performedStart, ctx, 'Procedure.performedPeriod.start', 'performedStart', issues, `${label} has no time it was performed (performedStart)`);
  const end = convertTime(row.performedEnd, ctx, 'Procedure.performedPeriod.end', 'performedEnd', issues);
  if (start && end && end.epochMs < start.epochMs) {
    issues.push({ path: 'Procedure.performedPeriod.end', message: `${label} ended at '${row.performedEnd}', before it started at '${row.performedStart}'` });
  }

  if (issues.length > 0 || !code.ok || start === null || !hasId(row.visitId) || !hasId(row.patientId)) return invalid(common, issues);

  const refs = new ParentRefs();
  const category = PROCEDURE_CATEGORY[code.kind];
  const body: Procedure = {
    resourceType: 'Procedure',
    identifier: [{ system: sysIdSystem('procedure', ctx.orgId), value: String(row.id) }],
    status: 'completed',
    category: { coding: [{ system: SNOMED_SYSTEM, code: category.code, display: category.display }], text: category.display },
    code: { coding: [{ system: ICD9CM_SYSTEM, code: code.code, ...(display !== null && { display }) }] },
    subject: refs.person('Patient', row.patientId),
    encounter: refs.ref('Encounter', row.visitId),
    performedPeriod: { start: start.utc, ...(end !== null && { end: end.utc }) },
    ...(hasId(row.practitionerId) && { performer: [{ actor: refs.person('Practitioner', row.practitionerId) }] }),
  };
  return ok(common, { method: 'POST', path: 'Procedure', body }, refs.list);
}
