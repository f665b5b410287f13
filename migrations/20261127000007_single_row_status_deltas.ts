// A status change was counted with two delta rows (-1 old, +1 new). Sending moves every item
// twice (claimed, then sent): four rows per item, plus deleting them when folded. Now a status
// change within one type and date is ONE row, +n for `status` and -n for `from_status`; the
// fold and the readers count both sides (shared/db/state/item-counts-repo.ts). Other changes
// (a new business date after a source edit) keep the two-row form.
import type { Knex } from 'knex';

const DELTA_COLUMNS = '(resource_type, business_date, status, n, last_sent_at)';
const SENT_AT = (row: 'NEW' | 'OLD') => `IF(${row}.status = 'sent', ${row}.sent_at, NULL)`;
const CHANGED = `NOT (OLD.status <=> NEW.status AND OLD.resource_type <=> NEW.resource_type AND OLD.business_date <=> NEW.business_date)
         OR (NEW.status = 'sent' AND NOT (OLD.sent_at <=> NEW.sent_at))`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('item_count_deltas', (t) => {
    t.string('from_status', 16).nullable().comment('Set: this row also counts -n for this status (one row per status change)');
  });
  await knex.raw('DROP TRIGGER IF EXISTS items_count_update');
  await knex.raw(`
    CREATE TRIGGER items_count_update AFTER UPDATE ON items FOR EACH ROW
      IF ${CHANGED} THEN
        IF OLD.resource_type <=> NEW.resource_type AND OLD.business_date <=> NEW.business_date THEN
          INSERT INTO item_count_deltas (resource_type, business_date, status, n, last_sent_at, from_status)
            VALUES (NEW.resource_type, NEW.business_date, NEW.status, 1, ${SENT_AT('NEW')}, OLD.status);
        ELSE
          INSERT INTO item_count_deltas ${DELTA_COLUMNS} VALUES
            (OLD.resource_type, OLD.business_date, OLD.status, -1, NULL),
            (NEW.resource_type, NEW.business_date, NEW.status, 1, ${SENT_AT('NEW')});
        END IF;
      END IF`);
}

export async function down(knex: Knex): Promise<void> {
  // Split pending single-row changes back into -1/+1 pairs before the column goes.
  await knex.raw(`
    INSERT INTO item_count_deltas ${DELTA_COLUMNS}
    SELECT resource_type, business_date, from_status, -n, NULL FROM item_count_deltas WHERE from_status IS NOT NULL`);
  await knex.raw('DROP TRIGGER IF EXISTS items_count_update');
  await knex.raw(`
    CREATE TRIGGER items_count_update AFTER UPDATE ON items FOR EACH ROW
      IF ${CHANGED} THEN
        INSERT INTO item_count_deltas ${DELTA_COLUMNS} VALUES
          (OLD.resource_type, OLD.business_date, OLD.status, -1, NULL),
          (NEW.resource_type, NEW.business_date, NEW.status, 1, ${SENT_AT('NEW')});
      END IF`);
  await knex.schema.alterTable('item_count_deltas', (t) => t.dropColumn('from_status'));
}
