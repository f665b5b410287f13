// Dekacare lab result → SATUSEHAT Observation (category laboratory, LOINC, value in UCUM), based
// on its order's ServiceRequest and taken from its Specimen. Registry name ObservationLab, FHIR
// type Observation; identifier observation/{org}|lab-{id} keeps it apart from vital signs.
import type { Observation, ObservationReferenceRange } from '@medplum/fhirtypes';
import { localBusinessDate, localMinute } from '../datetime.js';
import { sysIdSystem } from '../identifiers.js';
import { toUcum, ucumQuantity } from '../terminology/ucum.js';
import type { MapContext, MapIssue, MapResult } from '../types.js';
import type { LabResultRow } from '../../types/source-rows.js';
import { ParentRefs, clean, contextIssues, convertTime, formatNumber, hasId, invalid, ok } from './common.js';
import { labTestCoding } from './lab-common.js';
import { OBSERVATION_CATEGORY_SYSTEM } from './vital-signs.js';

export const INTERPRETATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const INTERPRETATION = { L: 'Low', N: 'Normal', H: 'High' } as const;

export function mapObservationLab(row: LabResultRow, ctx: MapContext): MapResult {
  const orderNo = clean(row.orderNo);
  const patientName = clean(row.patientName);
  const testName = clean(row.testName);
  const resultedRaw = clean(row.resultedAt);
  const unitRaw = clean(row.unit);
  const ucum = toUcum(unitRaw);
  const common = {
    sourceKey: String(row.id),
    businessDate: resultedRaw === null ? null : localBusinessDate(resultedRaw),
    summary: {
      orderNo,
      patient: patientName,
      test: testName,
      value: row.value === null ? null : `${formatNumber(row.value)}${unitRaw ? ` ${unitRaw}` : ''}`,
      date: resultedRaw === null ? null : (localMinute(resultedRaw) ?? resultedRaw),
    },
  };
  const label = `Lab result #${row.id}${orderNo ? ` of order ${orderNo}` : ''}${testName ? ` (${testName})` : ''}`;
  const issues: MapIssue[] = contextIssues(ctx, 'Observation');

  if (!hasId(row.visitId)) issues.push({ path: 'Observation.encounter', rule: '10130', message: `${label} belongs to no visit: an Observation needs its Encounter` });
  if (!hasId(row.patientId)) issues.push({ path: 'Observation.subject', message: `${label} has no patient (the visit's patient_id is empty)` });
  const coding = labTestCoding(row.loincCode, testName, 'Observation.code.coding[0].code', label, issues);
  if (row.value === null) issues.push({ path: 'Observation.valueQuantity.value', message: `${label} has no value` });
  if (unitRaw === null) {
    issues.push({ path: 'Observation.valueQuantity.code', rule: '10012', message: `${label} has no unit: SATUSEHAT needs Observation.valueQuantity in UCUM (RuleNumber: 10012). Enter the unit in the lab result (e.g. g/dL, mg/dL, 10^3/uL)` });
  } else if (ucum === null) {
    issues.push({ path: 'Observation.valueQuantity.code', rule: '10012', message: `${label} has unit '${unitRaw}', which is not a known UCUM unit (RuleNumber: 10012). Use e.g. g/dL, mg/dL, 10^3/uL, % or add the spelling to the UCUM table` });
  }
  const resulted = convertTime(row.resultedAt, ctx, 'Observation.issued', 'resultedAt', issues, `${label} has no result time (resultedAt)`);
  const collected = convertTime(row.collectedAt, ctx, 'Observation.effectiveDateTime', 'collectedAt', issues);

  if (issues.length > 0 || coding === null || resulted === null || ucum === null || row.value === null || !hasId(row.visitId) || !hasId(row.patientId)) return invalid(common, issues);

  const quantity = (value: number) => ucumQuantity(value, ucum);
  const range: ObservationReferenceRange = {
    ...(row.referenceLow !== null && { low: quantity(row.referenceLow) }),
    ...(row.referenceHigh !== null && { high: quantity(row.referenceHigh) }),
  };
  const flag = row.referenceLow !== null && row.value < row.referenceLow ? 'L' : row.referenceHigh !== null && row.value > row.referenceHigh ? 'H' : row.referenceLow !== null || row.referenceHigh !== null ? 'N' : null;

  const refs = new ParentRefs();
  const body: Observation = {
    resourceType: 'Observation',
    identifier: [{ system: sysIdSystem('observation', ctx.orgId), value: `lab-${row.id}` }],
    status: 'final',
    category: [{ coding: [{ system: OBSERVATION_CATEGORY_SYSTEM, code: 'laboratory', display: 'Laboratory' }] }],
    code: { coding: [coding] },
    subject: refs.person('Patient', row.patientId),
    encounter: refs.ref('Encounter', row.visitId),
    effectiveDateTime: (collected ?? resulted).utc,
    issued: resulted.utc,
    // As the IG's lab results: the responsible practitioner and the facility.
    performer: [...(hasId(row.practitionerId) ? [refs.ref('Practitioner', row.practitionerId, clean(row.practitionerName))] : []), { reference: `Organization/${ctx.orgId}` }],
    valueQuantity: quantity(row.value),
    ...(flag !== null && { interpretation: [{ coding: [{ system: INTERPRETATION_SYSTEM, code: flag, display: INTERPRETATION[flag] }] }] }),
    ...(range.low !== undefined || range.high !== undefined ? { referenceRange: [range] } : {}),
    basedOn: [refs.ref('ServiceRequest', row.orderId)],
    ...(collected !== null && { specimen: refs.ref('Specimen', row.orderId) }),
  };
  return ok(common, { method: 'POST', path: 'Observation', body }, refs.list);
}
