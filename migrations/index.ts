// A static list, so migrations run the same under tsx, vitest and compiled JS (knex's directory
// loader cannot import .ts files). Append new migrations here; never rename an existing one.
import type { Knex } from 'knex';
import * as createStateTables from './20261127000001_create_state_tables.js';

const MIGRATIONS: Record<string, Knex.Migration> = {
  '20261127000001_create_state_tables': createStateTables,
  '20261127000002_create_audit_and_control': await import('./20261127000002_create_audit_and_control.js'),
  '20261127000003_create_extract_watermarks': await import('./20261127000003_create_extract_watermarks.js'),
  '20261127000004_add_status_covering_indexes': await import('./20261127000004_add_status_covering_indexes.js'),
  '20261127000005_create_item_counts': await import('./20261127000005_create_item_counts.js'),
  '20261127000006_batch_counted_inserts': await import('./20261127000006_batch_counted_inserts.js'),
  '20261127000007_single_row_status_deltas': await import('./20261127000007_single_row_status_deltas.js'),
  '20261202000001_item_status_transitions': await import('./20261202000001_item_status_transitions.js'),
  '20261202000002_outcome_checks': await import('./20261202000002_outcome_checks.js'),
  '20261202000003_daemon_heartbeats': await import('./20261202000003_daemon_heartbeats.js'),
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(MIGRATIONS),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const migration = MIGRATIONS[name];
    if (!migration) throw new Error(`unknown migration ${name}`);
    return migration;
  },
};
