// Row counts of the source tables, for `status`, the demo and sanity checks after an import: every
// table a reader names (source-reader.ts), plus the operators'.
import type { ResourceTypeName } from '../../fhir/types.js';
import type { Db } from '../connect.js';
import { sourceReaders } from './readers.js';
import { OPERATOR_TABLE } from './users.js';
import { toInt } from './values.js';

type CountedTable = (typeof sourceReaders)[ResourceTypeName]['tables'][number] | typeof OPERATOR_TABLE;
/** 'vital_signs' → 'vitalSigns'. */
type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

export type SourceRowCounts = { [T in CountedTable as CamelCase<T>]: number } & {
  /** Visits the Encounter reader returns: all but the cancelled ones. */
  encounterVisits: number;
};

const camelCase = (table: string) => table.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

const COUNTED: readonly CountedTable[] = [...new Set<CountedTable>([...Object.values(sourceReaders).flatMap((r): readonly CountedTable[] => r.tables), OPERATOR_TABLE])];

/** One round trip; whole tables (all statuses), plus the visits the Encounter reader returns. */
export async function countSourceRows(db: Db): Promise<SourceRowCounts> {
  const parts = COUNTED.map((table) => `(SELECT COUNT(*) FROM \`${table}\`) AS \`${camelCase(table)}\``);
  const [rows] = (await db.raw(`SELECT ${parts.join(',\n    ')},
    (SELECT COUNT(*) FROM visits WHERE status <> 'cancelled') AS encounterVisits`)) as [Record<string, unknown>[]];
  const r = rows[0] ?? {};
  const out: Record<string, number> = { encounterVisits: toInt(r.encounterVisits) };
  for (const table of COUNTED) out[camelCase(table)] = toInt(r[camelCase(table)]);
  return out as SourceRowCounts;
}

/** The count of the table a type's items come from (its reader's own), e.g. `units` for Organization. */
export function rowCountOf(counts: SourceRowCounts, type: ResourceTypeName): number {
  return (counts as unknown as Record<string, number>)[camelCase(sourceReaders[type].tables[0])] ?? 0;
}
