// Dekacare lab order, once reported → SATUSEHAT DiagnosticReport (category LAB): the order's code,
// its results (the ObservationLab items, which it waits for), specimen and ServiceRequest.
// Orders not reported yet, or reported without results, produce no item.
import type { DiagnosticReport } from '@medplum/fhirtypes';
import { localBusinessDate, localMinute } from '../datetime.js';
import { SYS_IDS_BASE } from '../identifiers.js';
import type { MapContext, MapIssue, MapResult } from '../types.js';
import type { LabOrderRow } from '../../types/source-rows.js';
import { ParentRefs, clean, contextIssues, convertTime, hasId, invalid, ok } from './common.js';
import { labTestCoding } from './lab-common.js';

export const DIAGNOSTIC_SERVICE_SECTION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v2-0074';

/** `http://sys-ids.kemkes.go.id/diagnostic/{org}/lab` (reference A7). */
export const labReportSystem = (orgId: string): string => `${SYS_IDS_BASE}/diagnostic/${orgId}/lab`;

export function mapDiagnosticReport(row: LabOrderRow, ctx: MapContext): MapResult[] {
  const reportedRaw = clean(row.reportedAt);
  if (reportedRaw === null || row.resultIds.length === 0) return [];
  const orderNo = clean(row.orderNo);
  const patientName = clean(row.patientName);
  const testName = clean(row.testName);
  const common = {
    sourceKey: String(row.id),
    businessDate: localBusinessDate(reportedRaw),
    summary: { orderNo, patient: patientName, test: testName, results: String(row.resultIds.length), date: localMinute(reportedRaw) ?? reportedRaw },
  };
  const label = `Lab report of order ${orderNo ?? `#${row.id}`}`;
  const issues: MapIssue[] = contextIssues(ctx, 'DiagnosticReport');

  if (orderNo === null) issues.push({ path: 'DiagnosticReport.identifier[0].value', message: `${label}: the order has no number, which is the report's identifier (${labReportSystem(ctx.orgId)})` });
  if (!hasId(row.visitId)) issues.push({ path: 'DiagnosticReport.encounter', message: `${label} belongs to no visit: a DiagnosticReport needs its Encounter` });
  if (!hasId(row.patientId)) issues.push({ path: 'DiagnosticReport.subject', message: `${label} has no patient (the visit's patient_id is empty)` });
  const coding = labTestCoding(row.loincCode, testName, 'DiagnosticReport.code.coding[0].code', label, issues);
  const reported = convertTime(reportedRaw, ctx, 'DiagnosticReport.issued', 'reportedAt', issues);
  const collected = convertTime(row.collectedAt, ctx, 'DiagnosticReport.effectiveDateTime', 'collectedAt', issues);

  if (issues.length > 0 || coding === null || reported === null || orderNo === null || !hasId(row.visitId) || !hasId(row.patientId)) return [invalid(common, issues)];

  const refs = new ParentRefs();
  const conclusion = clean(row.conclusion);
  const body: DiagnosticReport = {
    resourceType: 'DiagnosticReport',
    identifier: [{ system: labReportSystem(ctx.orgId), use: 'official', value: orderNo }],
    basedOn: [refs.ref('ServiceRequest', row.id)],
    status: 'final',
    category: [{ coding: [{ system: DIAGNOSTIC_SERVICE_SECTION_SYSTEM, code: 'LAB', display: 'Laboratory' }] }],
    code: { coding: [coding], ...(testName !== null && { text: testName }) },
    subject: refs.person('Patient', row.patientId),
    encounter: refs.ref('Encounter', row.visitId),
    effectiveDateTime: (collected ?? reported).utc,
    issued: reported.utc,
    // As the IG's lab reports: the responsible practitioner (who ordered it) and the facility.
    performer: [...(hasId(row.practitionerId) ? [refs.ref('Practitioner', row.practitionerId, clean(row.practitionerName))] : []), { reference: `Organization/${ctx.orgId}` }],
    ...(collected !== null && { specimen: [refs.ref('Specimen', row.id)] }),
    result: row.resultIds.map((id) => refs.ref('ObservationLab', id, undefined, 'Observation')),
    ...(conclusion !== null && { conclusion }),
  };
  return [ok(common, { method: 'POST', path: 'DiagnosticReport', body }, refs.list)];
}
