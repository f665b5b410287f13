// Several statements in one round trip. On this kind of host a round trip to MariaDB costs more
// CPU on both sides than most of the statements it carries, so the send path's fixed sequences
// (claim and read; lock, update and record) go as one multi-statement query. Values are still
// bound (`?`), never spliced. A pool without multipleStatements runs the same statements one by
// one on one connection, with the same transaction and the same results.
import type { Knex } from 'knex';
import type { Db } from './connect.js';

export type Statement = { sql: string; bindings: readonly unknown[] };

/** Round trips and statements made here (the benchmarks report them). */
export const tripStats = { trips: 0, statements: 0 };

interface RawConnection {
  query(options: { sql: string; values?: readonly unknown[] }, callback: (err: Error | null, result: unknown) => void): void;
}

const run = (conn: RawConnection, sql: string, values?: readonly unknown[]) =>
  new Promise<unknown>((resolve, reject) => conn.query({ sql, values }, (err, result) => (err ? reject(err) : resolve(result))));

export const statementOf = (query: Knex.QueryBuilder | Knex.Raw): Statement => {
  const native = query.toSQL().toNative();
  return { sql: native.sql, bindings: native.bindings };
};

function allowsMultipleStatements(db: Db): boolean {
  const connection = (db.client as { config?: { connection?: { multipleStatements?: boolean } } }).config?.connection;
  return connection?.multipleStatements === true;
}

/**
 * Runs the statements in order on one connection, in one transaction when asked, and returns one
 * result per statement (rows for a SELECT, a header with affectedRows for a write). A failure
 * rolls the transaction back on that connection before it returns to the pool.
 */
export async function runStatements(db: Db, statements: Statement[], options: { transaction: boolean }): Promise<unknown[]> {
  const conn = (await db.client.acquireConnection()) as RawConnection;
  tripStats.statements += statements.length;
  try {
    if (allowsMultipleStatements(db)) {
      tripStats.trips += 1;
      const parts = statements.map((s) => s.sql.replace(/;\s*$/, ''));
      const sql = options.transaction ? ['START TRANSACTION', ...parts, 'COMMIT'].join(';\n') : parts.join(';\n');
      const results = (await run(conn, sql, statements.flatMap((s) => s.bindings))) as unknown[];
      const list = statements.length === 1 && !options.transaction ? [results] : results;
      return options.transaction ? list.slice(1, -1) : list;
    }
    tripStats.trips += statements.length + (options.transaction ? 2 : 0);
    if (options.transaction) await run(conn, 'START TRANSACTION');
    const results: unknown[] = [];
    for (const s of statements) results.push(await run(conn, s.sql, s.bindings));
    if (options.transaction) await run(conn, 'COMMIT');
    return results;
  } catch (err) {
    if (options.transaction) await run(conn, 'ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await db.client.releaseConnection(conn);
  }
}

export const affectedRows = (result: unknown): number => (result as { affectedRows?: number }).affectedRows ?? 0;
export const rowsOf = <T>(result: unknown): T[] => result as T[];
