// What a source reader is: the query that streams a resource type's rows, and the tables behind
// them. The reader is the only place that names its tables: the watermark of an incremental pass
// (watermarks.ts) and the row counts of `status` (counts.ts) are read off it.
import type { Db } from '../connect.js';
import type { ReadOptions } from './keyset.js';

/** A column whose newest value says when the reader's rows last changed. */
export interface ChangeColumn {
  table: string;
  column: string;
}

export interface SourceReader<Row, Table extends string = string> {
  /** The tables the rows are made of, the reader's own first; `status` counts each. */
  tables: readonly [Table, ...Table[]];
  /**
   * Where a change to a row shows: the newest value over these columns, taken before a pass, is
   * where the next incremental pass starts. A row is read again when any of them moves.
   */
  changedAt: readonly ChangeColumn[];
  /**
   * The qualified id column of its own table (e.g. 'd.id'), when a source key is that id: the
   * deletion sweep reads given rows only through it, and a row not returned is gone.
   */
  idColumn?: string;
  read: (db: Db, options?: ReadOptions) => AsyncGenerator<Row[]>;
}

/** Keeps the table names literal, so the row counts know them by name. */
export function sourceReader<Row, const Table extends string>(reader: SourceReader<Row, Table>): SourceReader<Row, Table> {
  return reader;
}

/** Laravel's `updated_at` of a table. */
export const updatedAt = (table: string): ChangeColumn => ({ table, column: 'updated_at' });
