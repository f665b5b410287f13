// The only place knex instances are made. Source and state use separate pools: the source may be a
// read-only user on another server, and its DATETIMEs are local wall-clock strings, not instants.
import knexFactory, { type Knex } from 'knex';
import mysql2 from 'mysql2';

export type Db = Knex;

export interface ConnectOptions {
  /** Keep DATE/DATETIME as strings ('YYYY-MM-DD HH:mm:ss'), as the source contract requires. */
  dateStrings?: boolean;
  poolMax?: number;
  /**
   * Lets one query carry several statements (shared/db/statement-batch.ts). Only for the state DB, whose
   * every value is bound; never for the clinic's source DB.
   */
  multipleStatements?: boolean;
}

const TIMEZONE = 'Z';

export function connectMysql(url: string, options: ConnectOptions = {}): Db {
  const parsed = new URL(url);
  const socketPath = parsed.searchParams.get('socket') ?? undefined;
  return knexFactory({
    client: 'mysql2',
    // Connection errors reach the caller as rejected queries; knex's own console output would
    // add a stack trace to what must stay a one-line message.
    log: { warn: () => undefined, error: () => undefined, deprecate: () => undefined, debug: () => undefined },
    connection: {
      host: socketPath ? undefined : parsed.hostname,
      port: socketPath ? undefined : Number(parsed.port || 3306),
      socketPath,
      user: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
      database: parsed.pathname.replace(/^\//, '') || undefined,
      timezone: TIMEZONE,
      dateStrings: options.dateStrings ?? false,
      supportBigNumbers: true,
      bigNumberStrings: false,
      charset: 'utf8mb4',
      connectTimeout: 5_000,
      multipleStatements: options.multipleStatements ?? false,
      // mysql2 scans every statement for placeholders, even without values: a bulk INSERT built
      // as one string (extraction) is scanned for nothing. Same formatting otherwise.
      queryFormat: (sql: string, values: unknown) => (Array.isArray(values) && values.length === 0 ? sql : mysql2.format(sql, values as never, false, TIMEZONE)),
    },
    pool: {
      min: 0,
      max: options.poolMax ?? 10,
      // Server-side NOW() and DATETIME columns are UTC on every host, whatever the OS zone.
      afterCreate(conn: { query(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) {
        conn.query("SET time_zone = '+00:00'", (err) => done(err, conn));
      },
    },
  });
}

/** The database name in a mysql:// URL. */
export function databaseName(url: string): string {
  return new URL(url).pathname.replace(/^\//, '');
}

/** The same URL pointing at another database (or none). */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = database ? `/${database}` : '/';
  return parsed.toString();
}

/** Creates the database if it is missing (utf8mb4). Needs a user allowed to create it. */
export async function ensureDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`unsafe database name: ${name}`);
  const server = connectMysql(withDatabase(url, ''), { poolMax: 1 });
  try {
    await server.raw(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await server.destroy();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`unsafe database name: ${name}`);
  const server = connectMysql(withDatabase(url, ''), { poolMax: 1 });
  try {
    await server.raw(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await server.destroy();
  }
}
