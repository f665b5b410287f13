// Multi-row INSERT: one statement per few thousand rows is what makes a million visits seed in
// minutes instead of hours. Values are always bound, never spliced into the SQL.
import type { Knex } from 'knex';

export async function insertRows(db: Knex | Knex.Transaction, table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<void> {
  if (rows.length === 0) return;
  const tuple = `(${columns.map(() => '?').join(',')})`;
  const bindings: unknown[] = [table, ...columns];
  for (const row of rows) {
    if (row.length !== columns.length) throw new Error(`insertRows(${table}): row has ${row.length} values for ${columns.length} columns`);
    for (const value of row) bindings.push(value);
  }
  const sql = `INSERT INTO ?? (${columns.map(() => '??').join(',')}) VALUES ${new Array<string>(rows.length).fill(tuple).join(',')}`;
  await db.raw(sql, bindings as Knex.RawBinding[]);
}
