// Dashboard figures without scanning a million items: triggers on `items` append +1/-1 rows to
// `item_count_deltas` (insert-only, so concurrent workers never wait on a shared counter row),
// and a fold (shared/db/state/item-counts-repo.ts) moves them into `item_counts` every few
// seconds. Readers add both tables in one statement, so figures are exact whether folded or not.
// The two covering indexes of migration 4 served the old GROUP BY scan; they only slowed writes.
import type { Knex } from 'knex';

/** `item_counts.date_key` for master data (no business date): a primary key cannot hold NULL. */
export const NO_BUSINESS_DATE = '1000-01-01';

const DELTA_COLUMNS = '(resource_type, business_date, status, n, last_sent_at)';
const SENT_AT = (row: 'NEW' | 'OLD') => `IF(${row}.status = 'sent', ${row}.sent_at, NULL)`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('item_count_deltas', (t) => {
    t.comment('Pending +1/-1 changes to item_counts, written by triggers on items; folded away by the daemon');
    t.bigIncrements('id').primary('item_count_deltas_pk');
    t.string('resource_type', 40).notNullable();
    t.date('business_date').nullable();
    t.string('status', 16).notNullable();
    t.integer('n').notNullable();
    t.datetime('last_sent_at', { precision: 3 }).nullable();
  });
  await knex.schema.createTable('item_counts', (t) => {
    t.comment('Items per type, business date and status (folded from item_count_deltas)');
    t.string('resource_type', 40).notNullable();
    t.date('date_key').notNullable().comment(`Business date; ${NO_BUSINESS_DATE} for master data`);
    t.string('status', 16).notNullable();
    t.bigInteger('n').notNullable();
    t.datetime('last_sent_at', { precision: 3 }).nullable().comment('Newest sent_at ever counted here (status sent only)');
    t.primary(['resource_type', 'date_key', 'status'], 'item_counts_pk');
  });

  await knex.raw(`
    CREATE TRIGGER items_count_insert AFTER INSERT ON items FOR EACH ROW
      INSERT INTO item_count_deltas ${DELTA_COLUMNS} VALUES (NEW.resource_type, NEW.business_date, NEW.status, 1, ${SENT_AT('NEW')})`);
  // A resend that is sent again moves sent → sent with a new sent_at: -1 and +1, so only the time changes.
  await knex.raw(`
    CREATE TRIGGER items_count_update AFTER UPDATE ON items FOR EACH ROW
      IF NOT (OLD.status <=> NEW.status AND OLD.resource_type <=> NEW.resource_type AND OLD.business_date <=> NEW.business_date)
         OR (NEW.status = 'sent' AND NOT (OLD.sent_at <=> NEW.sent_at)) THEN
        INSERT INTO item_count_deltas ${DELTA_COLUMNS} VALUES
          (OLD.resource_type, OLD.business_date, OLD.status, -1, NULL),
          (NEW.resource_type, NEW.business_date, NEW.status, 1, ${SENT_AT('NEW')});
      END IF`);
  await knex.raw(`
    CREATE TRIGGER items_count_delete AFTER DELETE ON items FOR EACH ROW
      INSERT INTO item_count_deltas ${DELTA_COLUMNS} VALUES (OLD.resource_type, OLD.business_date, OLD.status, -1, NULL)`);

  // Items that exist already (migrations run with the daemon stopped).
  await knex.raw(`
    INSERT INTO item_counts (resource_type, date_key, status, n, last_sent_at)
    SELECT resource_type, COALESCE(business_date, ?), status, COUNT(*), MAX(IF(status = 'sent', sent_at, NULL))
    FROM items GROUP BY resource_type, COALESCE(business_date, ?), status`, [NO_BUSINESS_DATE, NO_BUSINESS_DATE]);

  await knex.schema.alterTable('items', (t) => {
    t.dropIndex(['business_date', 'resource_type', 'status', 'sent_at'], 'items_date_type_status_sent_idx');
    t.dropIndex(['resource_type', 'status', 'sent_at'], 'items_type_status_sent_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('items', (t) => {
    t.index(['resource_type', 'status', 'sent_at'], 'items_type_status_sent_idx');
    t.index(['business_date', 'resource_type', 'status', 'sent_at'], 'items_date_type_status_sent_idx');
  });
  for (const name of ['items_count_insert', 'items_count_update', 'items_count_delete']) await knex.raw(`DROP TRIGGER IF EXISTS ${name}`);
  await knex.schema.dropTableIfExists('item_counts');
  await knex.schema.dropTableIfExists('item_count_deltas');
}
