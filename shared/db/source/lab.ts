// ServiceRequest, Specimen and DiagnosticReport ← Dekacare `lab_orders`; laboratory Observations
// ← `lab_results`. Both with the visit's number and patient (visit-child-query.ts). An order
// carries the ids of its results (one correlated GROUP_CONCAT on the indexed lab_order_id), which
// its DiagnosticReport lists and waits for.
import type { LabOrderRow, LabResultRow } from '../../types/source-rows.js';
import type { Db } from '../connect.js';
import type { ReadOptions } from './keyset.js';
import { sourceReader } from './source-reader.js';
import { readVisitChildren, visitChildChangedAt, type RawVisitChildBy } from './visit-child-query.js';
import { toDateTime, toDateTimeOrNull, toIdList, toInt, toNumberOrNull, toRefIdOrNull, toText, toTextOrNull } from './values.js';

interface RawLabOrder extends RawVisitChildBy {
  order_no: unknown;
  loinc_code: unknown;
  test_name: unknown;
  specimen_code: unknown;
  specimen_name: unknown;
  ordered_at: unknown;
  collected_at: unknown;
  transported_at: unknown;
  reported_at: unknown;
  conclusion: unknown;
  result_ids: unknown;
}

export function toLabOrderRow(raw: RawLabOrder): LabOrderRow {
  return {
    id: toInt(raw.id),
    orderNo: toText(raw.order_no),
    visitId: toRefIdOrNull(raw.visit_id),
    visitNo: toText(raw.visit_no),
    patientId: toRefIdOrNull(raw.patient_id),
    patientName: toText(raw.patient_name),
    practitionerId: toRefIdOrNull(raw.practitioner_id),
    practitionerName: toText(raw.practitioner_name),
    loincCode: toText(raw.loinc_code),
    testName: toText(raw.test_name),
    specimenCode: toTextOrNull(raw.specimen_code),
    specimenName: toTextOrNull(raw.specimen_name),
    orderedAt: toDateTime(raw.ordered_at),
    collectedAt: toDateTimeOrNull(raw.collected_at),
    transportedAt: toDateTimeOrNull(raw.transported_at),
    reportedAt: toDateTimeOrNull(raw.reported_at),
    conclusion: toTextOrNull(raw.conclusion),
    resultIds: toIdList(raw.result_ids),
    updatedAt: toDateTime(raw.updated_at),
  };
}

export function readLabOrders(db: Db, options?: ReadOptions): AsyncGenerator<LabOrderRow[]> {
  return readVisitChildren(
    db,
    options,
    { table: 'lab_orders', alias: 'o', visitId: 'o.visit_id', practitionerId: 'o.practitioner_id' },
    [
      'o.order_no',
      'o.loinc_code',
      'o.test_name',
      'o.specimen_code',
      'o.specimen_name',
      'o.ordered_at',
      'o.collected_at',
      'o.transported_at',
      'o.reported_at',
      'o.conclusion',
      db.raw("(SELECT GROUP_CONCAT(r.id ORDER BY r.id SEPARATOR ',') FROM lab_results r WHERE r.lab_order_id = o.id) AS result_ids"),
    ],
    toLabOrderRow,
  );
}

export const labOrderReader = sourceReader({ tables: ['lab_orders'], changedAt: visitChildChangedAt('lab_orders'), read: readLabOrders });

interface RawLabResult extends RawVisitChildBy {
  lab_order_id: unknown;
  order_no: unknown;
  loinc_code: unknown;
  test_name: unknown;
  value: unknown;
  unit: unknown;
  reference_low: unknown;
  reference_high: unknown;
  collected_at: unknown;
  resulted_at: unknown;
}

export function toLabResultRow(raw: RawLabResult): LabResultRow {
  return {
    id: toInt(raw.id),
    orderId: toInt(raw.lab_order_id),
    orderNo: toText(raw.order_no),
    visitId: toRefIdOrNull(raw.visit_id),
    visitNo: toText(raw.visit_no),
    patientId: toRefIdOrNull(raw.patient_id),
    patientName: toText(raw.patient_name),
    practitionerId: toRefIdOrNull(raw.practitioner_id),
    practitionerName: toText(raw.practitioner_name),
    loincCode: toText(raw.loinc_code),
    testName: toText(raw.test_name),
    value: toNumberOrNull(raw.value),
    unit: toTextOrNull(raw.unit),
    referenceLow: toNumberOrNull(raw.reference_low),
    referenceHigh: toNumberOrNull(raw.reference_high),
    collectedAt: toDateTimeOrNull(raw.collected_at),
    resultedAt: toDateTime(raw.resulted_at),
    updatedAt: toDateTime(raw.updated_at),
  };
}

export function readLabResults(db: Db, options?: ReadOptions): AsyncGenerator<LabResultRow[]> {
  return readVisitChildren(
    db,
    options,
    { table: 'lab_results', alias: 'r', through: { table: 'lab_orders as o', on: ['o.id', 'r.lab_order_id'] }, visitId: 'o.visit_id', practitionerId: 'o.practitioner_id' },
    ['r.lab_order_id', 'o.order_no', 'r.loinc_code', 'r.test_name', 'r.value', 'r.unit', 'r.reference_low', 'r.reference_high', 'o.collected_at', 'r.resulted_at'],
    toLabResultRow,
  );
}

export const labResultReader = sourceReader({ tables: ['lab_results'], changedAt: visitChildChangedAt('lab_results'), read: readLabResults });
