// Dekacare lab order, once its sample is taken → SATUSEHAT Specimen. Orders whose sample has not
// been collected yet produce no item (it appears on the first run after collection). SATUSEHAT's
// Specimen profile requires the TransportedTime extension (when the sample left for the
// laboratory): from `transported_at`; a collected sample without it is invalid, saying so.
import type { Specimen } from '@medplum/fhirtypes';
import { localBusinessDate, localMinute } from '../datetime.js';
import { sysIdSystem } from '../identifiers.js';
import { BLOOD_SPECIMENS, SNOMED_SYSTEM, SPECIMEN_BY_CODE, VENIPUNCTURE, isSnomedId } from '../terminology/snomed.js';
import type { MapContext, MapIssue, MapResult } from '../types.js';
import type { LabOrderRow } from '../../types/source-rows.js';
import { ParentRefs, clean, contextIssues, convertTime, hasId, invalid, ok } from './common.js';

export const TRANSPORTED_TIME_URL = 'https://fhir.kemkes.go.id/r4/StructureDefinition/TransportedTime';

export function mapSpecimen(row: LabOrderRow, ctx: MapContext): MapResult[] {
  const collectedRaw = clean(row.collectedAt);
  if (collectedRaw === null) return [];
  const orderNo = clean(row.orderNo);
  const patientName = clean(row.patientName);
  const typeCode = clean(row.specimenCode);
  const typeName = (typeCode === null ? null : SPECIMEN_BY_CODE.get(typeCode)?.display) ?? clean(row.specimenName);
  const common = {
    sourceKey: String(row.id),
    businessDate: localBusinessDate(collectedRaw),
    summary: { orderNo, patient: patientName, type: typeName ?? typeCode, date: localMinute(collectedRaw) ?? collectedRaw },
  };
  const label = `Specimen of lab order ${orderNo ?? `#${row.id}`}`;
  const issues: MapIssue[] = contextIssues(ctx, 'Specimen');

  if (orderNo === null) issues.push({ path: 'Specimen.identifier[0].value', message: `${label}: the order has no number, which is the specimen's identifier (${sysIdSystem('specimen', ctx.orgId)})` });
  if (!hasId(row.patientId)) issues.push({ path: 'Specimen.subject', message: `${label} has no patient (the visit's patient_id is empty)` });
  if (typeCode === null) issues.push({ path: 'Specimen.type', message: `${label} has no specimen type: SATUSEHAT needs it as a SNOMED CT code (e.g. 122555007 Venous blood specimen)` });
  else if (!isSnomedId(typeCode)) issues.push({ path: 'Specimen.type.coding[0].code', rule: '10001', message: `Code not found: '${typeCode}' in system: ${SNOMED_SYSTEM} (RuleNumber: 10001). ${label}: a SNOMED CT id is 6–18 digits` });
  const collected = convertTime(collectedRaw, ctx, 'Specimen.collection.collectedDateTime', 'collectedAt', issues);
  const transported = convertTime(row.transportedAt, ctx, 'Specimen.extension[0].valueDateTime', 'transportedAt', issues, `${label}: no transport time (lab_orders.transported_at is empty); SATUSEHAT's Specimen profile requires the TransportedTime extension`);
  if (collected !== null && transported !== null && transported.utc < collected.utc) {
    issues.push({ path: 'Specimen.extension[0].valueDateTime', message: `${label}: sent to the laboratory (${localMinute(clean(row.transportedAt)!)}) before the sample was taken (${localMinute(collectedRaw)})` });
  }

  if (issues.length > 0 || collected === null || transported === null || typeCode === null || orderNo === null || !hasId(row.patientId)) return [invalid(common, issues)];

  const refs = new ParentRefs();
  const body: Specimen = {
    resourceType: 'Specimen',
    extension: [{ url: TRANSPORTED_TIME_URL, valueDateTime: transported.utc }],
    identifier: [{ system: sysIdSystem('specimen', ctx.orgId), value: orderNo, assigner: { reference: `Organization/${ctx.orgId}` } }],
    status: 'available',
    type: { coding: [{ system: SNOMED_SYSTEM, code: typeCode, ...(typeName !== null && { display: typeName }) }] },
    collection: {
      ...(BLOOD_SPECIMENS.has(typeCode) && { method: { coding: [{ system: SNOMED_SYSTEM, code: VENIPUNCTURE.code, display: VENIPUNCTURE.display }] } }),
      collectedDateTime: collected.utc,
    },
    subject: refs.person('Patient', row.patientId),
    request: [refs.ref('ServiceRequest', row.id)],
    // Dekacare records no reception time; the transport time is the latest time before it.
    receivedTime: transported.utc,
  };
  return [ok(common, { method: 'POST', path: 'Specimen', body }, refs.list)];
}
