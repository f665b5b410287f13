// Dekacare lab order → SATUSEHAT ServiceRequest (laboratory, LOINC). As in every IG example: status
// `active` and intent `original-order` (the order as placed; its outcome is the DiagnosticReport),
// and a performer: the facility, whose laboratory carries the test out (Dekacare records no
// analyst per order).
import type { ServiceRequest } from '@medplum/fhirtypes';
import { localBusinessDate, localMinute } from '../datetime.js';
import { sysIdSystem } from '../identifiers.js';
import { LABORATORY_PROCEDURE, SNOMED_SYSTEM } from '../terminology/snomed.js';
import type { MapContext, MapIssue, MapResult } from '../types.js';
import type { LabOrderRow } from '../../types/source-rows.js';
import { ParentRefs, clean, contextIssues, convertTime, hasId, invalid, ok } from './common.js';
import { labTestCoding } from './lab-common.js';

export function mapServiceRequest(row: LabOrderRow, ctx: MapContext): MapResult {
  const orderNo = clean(row.orderNo);
  const patientName = clean(row.patientName);
  const testName = clean(row.testName);
  const orderedRaw = clean(row.orderedAt);
  const reported = clean(row.reportedAt) !== null;
  const common = {
    sourceKey: String(row.id),
    businessDate: orderedRaw === null ? null : localBusinessDate(orderedRaw),
    summary: { orderNo, patient: patientName, test: testName, status: reported ? 'reported' : clean(row.collectedAt) ? 'collected' : 'ordered', date: orderedRaw === null ? null : (localMinute(orderedRaw) ?? orderedRaw) },
  };
  const label = `Lab order ${orderNo ?? `#${row.id}`}`;
  const issues: MapIssue[] = contextIssues(ctx, 'ServiceRequest');

  if (orderNo === null) issues.push({ path: 'ServiceRequest.identifier[0].value', message: `${label} has no order number: it is the identifier (${sysIdSystem('servicerequest', ctx.orgId)}) that prevents duplicates` });
  if (!hasId(row.visitId)) issues.push({ path: 'ServiceRequest.encounter', message: `${label} belongs to no visit: a ServiceRequest needs its Encounter` });
  if (!hasId(row.patientId)) issues.push({ path: 'ServiceRequest.subject', message: `${label} has no patient (the visit's patient_id is empty)` });
  if (!hasId(row.practitionerId)) issues.push({ path: 'ServiceRequest.requester', message: `${label} does not say who ordered it (practitioner_id is empty)` });
  const coding = labTestCoding(row.loincCode, testName, 'ServiceRequest.code.coding[0].code', label, issues);
  const ordered = convertTime(row.orderedAt, ctx, 'ServiceRequest.authoredOn', 'orderedAt', issues, `${label} has no order time (orderedAt)`);

  if (issues.length > 0 || coding === null || ordered === null || orderNo === null || !hasId(row.visitId) || !hasId(row.patientId) || !hasId(row.practitionerId)) return invalid(common, issues);

  const refs = new ParentRefs();
  const body: ServiceRequest = {
    resourceType: 'ServiceRequest',
    identifier: [{ system: sysIdSystem('servicerequest', ctx.orgId), value: orderNo }],
    status: 'active',
    intent: 'original-order',
    priority: 'routine',
    category: [{ coding: [{ system: SNOMED_SYSTEM, code: LABORATORY_PROCEDURE.code, display: LABORATORY_PROCEDURE.display }] }],
    code: { coding: [coding], ...(testName !== null && { text: testName }) },
    subject: refs.person('Patient', row.patientId),
    encounter: refs.ref('Encounter', row.visitId),
    occurrenceDateTime: ordered.utc,
    authoredOn: ordered.utc,
    requester: refs.person('Practitioner', row.practitionerId),
    performer: [{ reference: `Organization/${ctx.orgId}` }],
  };
  return ok(common, { method: 'POST', path: 'ServiceRequest', body }, refs.list);
}
