import type { Db } from '../connect.js';
import { migrationSource } from '../../../migrations/index.js';

const CONFIG = { migrationSource, tableName: 'knex_migrations' };

/** Applies pending migrations; returns the names applied. */
export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(CONFIG)) as [number, string[]];
  return applied;
}

export async function migrateRollbackAll(db: Db): Promise<string[]> {
  const [, rolledBack] = (await db.migrate.rollback(CONFIG, true)) as [number, string[]];
  return rolledBack;
}

/**
 * The migrations this code knows that the state DB has not applied, oldest first. Read-only: knex's
 * own `migrate.list` creates its bookkeeping tables, which a check must not do.
 */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const known = await migrationSource.getMigrations([]);
  if (!(await db.schema.hasTable(CONFIG.tableName))) return known;
  const applied = new Set((await db(CONFIG.tableName).select<Array<{ name: string }>>('name')).map((r) => r.name));
  return known.filter((name) => !applied.has(migrationSource.getMigrationName(name)));
}
