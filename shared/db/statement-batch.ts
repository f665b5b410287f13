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
 * result per statement (rows for a SELECT, a header with affectedRows for a write), then one per
 * `afterCommit` statement. A failure rolls the transaction back on that connection before it
 * returns to the pool; a failure after the commit leaves the committed work as it is.
 */
export async function runStatements(db: Db, statements: Statement[], options: { transaction: boolean; afterCommit?: Statement[] }): Promise<unknown[]> {
  if (options.afterCommit?.length && !options.transaction) throw new Error('afterCommit needs a transaction');
  const conn = (await db.client.acquireConnection()) as RawConnection;
  // Statements that read what the transaction committed ride along after its COMMIT.
  const after = options.afterCommit ?? [];
  tripStats.statements += statements.length + after.length;
  try {
    if (allowsMultipleStatements(db)) {
      tripStats.trips += 1;
      const sqlOf = (list: Statement[]) => list.map((s) => s.sql.replace(/;\s*$/, ''));
      const sql = options.transaction ? ['START TRANSACTION', ...sqlOf(statements), 'COMMIT', ...sqlOf(after)].join(';\n') : sqlOf(statements).join(';\n');
      const results = (await run(conn, sql, [...statements, ...after].flatMap((s) => s.bindings))) as unknown[];
      const list = statements.length === 1 && !options.transaction ? [results] : results;
      return options.transaction ? [...list.slice(1, statements.length + 1), ...list.slice(statements.length + 2)] : list;
    }
    tripStats.trips += statements.length + after.length + (options.transaction ? 2 : 0);
    if (options.transaction) await run(conn, 'START TRANSACTION');
    const results: unknown[] = [];
    for (const s of statements) results.push(await run(conn, s.sql, s.bindings));
    if (options.transaction) await run(conn, 'COMMIT');
    for (const s of after) results.push(await run(conn, s.sql, s.bindings));
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
