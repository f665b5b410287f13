// The query every reader of a visit's rows starts from: the rows joined to their visit
// (STRAIGHT_JOIN, so MySQL walks the child table in id order instead of sorting every page), the
// visit's patient and, when the row names one, its practitioner. Rows of cancelled visits are not
// read, as their Encounter is never sent; nor are orphans whose visit row is gone.
import type { Knex } from 'knex';
import type { Db } from '../connect.js';
import { keysetPages, type ChangedSince, type ReadOptions } from './keyset.js';
import { updatedAt, type ChangeColumn } from './source-reader.js';

export interface VisitChildSource {
  /** The child table, e.g. 'diagnoses'. */
  table: string;
  /** Its alias in the query, e.g. 'd': the reader's own columns are qualified with it. */
  alias: string;
  /** A table between the row and its visit, e.g. a lab result's order: `{ table: 'lab_orders as o', on: ['o.id', 'r.lab_order_id'] }`. */
  through?: { table: string; on: readonly [string, string] };
  /** The column holding the visit id, e.g. 'd.visit_id'. */
  visitId: string;
  /** The column holding the practitioner id, when the row names one. */
  practitionerId?: string;
}

/**
 * Selects `id`, `visit_id`, `visit_no`, `patient_id`, `patient_name`, `updated_at` (falling back to
 * `created_at`) and, with `practitionerId`, `practitioner_id` and `practitioner_name`; the caller
 * adds its own columns with `.select(...)`.
 */
export function visitChildQuery(db: Db, source: VisitChildSource): Knex.QueryBuilder {
  const { alias } = source;
  const query = db(`${source.table} as ${alias}`);
  if (source.through) query.joinRaw('STRAIGHT_JOIN ?? ON ?? = ??', [source.through.table, ...source.through.on]);
  query
    .joinRaw('STRAIGHT_JOIN ?? ON ?? = ??', ['visits as v', 'v.id', source.visitId])
    .leftJoin('patients as p', 'p.id', 'v.patient_id')
    .whereNot('v.status', 'cancelled')
    .select(`${alias}.id`, `${source.visitId} as visit_id`, 'v.visit_no', 'v.patient_id', 'p.name as patient_name', db.raw('COALESCE(??, ??) AS updated_at', [`${alias}.updated_at`, `${alias}.created_at`]));
  if (source.practitionerId) query.leftJoin('practitioners as pr', 'pr.id', source.practitionerId).select(`${source.practitionerId} as practitioner_id`, 'pr.name as practitioner_name');
  return query;
}

/** The columns visitChildQuery selects, as mysql2 returns them. */
export interface RawVisitChild {
  id: unknown;
  visit_id: unknown;
  visit_no: unknown;
  patient_id: unknown;
  patient_name: unknown;
  updated_at: unknown;
}

/** …and with a practitioner. */
export interface RawVisitChildBy extends RawVisitChild {
  practitioner_id: unknown;
  practitioner_name: unknown;
}

/** Streams a visit's rows of one table: visitChildQuery plus `columns`, in keyset pages. */
export function readVisitChildren<Raw extends RawVisitChild, Row>(
  db: Db,
  options: ReadOptions | undefined,
  source: VisitChildSource,
  columns: readonly (string | Knex.Raw)[],
  toRow: (raw: Raw) => Row,
): AsyncGenerator<Row[]> {
  return keysetPages<Raw, Row>(options, `${source.alias}.id`, visitChildChangedSince(db, source), () => visitChildQuery(db, source).select(...columns), toRow);
}

/**
 * A visit's row changed, or its visit did: the row carries the visit's number and patient, so a
 * visit corrected in Dekacare (another patient, a new number) makes every row of it a new revision.
 */
function visitChildChangedSince(db: Db, source: VisitChildSource): ChangedSince {
  return (query, since) =>
    query.where((q) => q.where(`${source.alias}.updated_at`, '>=', since).orWhereIn(source.visitId, db('visits').select('id').where('updated_at', '>=', since)));
}

/** Where a visit child's change shows: its own table and its visit (the watermark of its reader). */
export const visitChildChangedAt = (table: string): ChangeColumn[] => [updatedAt(table), updatedAt('visits')];
