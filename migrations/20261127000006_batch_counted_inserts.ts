// Bulk extraction inserts thousands of items per statement; one delta row per item (by trigger)
// cost about a third of the insert. A writer that counts its own rows sets the session variable
// @satusehat_counted_by_caller around its INSERT and appends one delta row per (type, business
// date, status) in the same transaction (shared/db/state/items-repo.ts). Every other writer is
// still counted by the trigger.
import type { Knex } from 'knex';

const DELTA_COLUMNS = '(resource_type, business_date, status, n, last_sent_at)';
const INSERT_DELTA = `INSERT INTO item_count_deltas ${DELTA_COLUMNS} VALUES (NEW.resource_type, NEW.business_date, NEW.status, 1, IF(NEW.status = 'sent', NEW.sent_at, NULL))`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS items_count_insert');
  await knex.raw(`
    CREATE TRIGGER items_count_insert AFTER INSERT ON items FOR EACH ROW
      IF @satusehat_counted_by_caller IS NULL THEN
        ${INSERT_DELTA};
      END IF`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS items_count_insert');
  await knex.raw(`CREATE TRIGGER items_count_insert AFTER INSERT ON items FOR EACH ROW ${INSERT_DELTA}`);
}
