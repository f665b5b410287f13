// The dashboard figures (COUNT and MAX(sent_at) per type and status) read only these indexes,
// never the rows: a full scan of a narrow index instead of a million wide rows.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('items', (t) => {
    t.index(['resource_type', 'status', 'sent_at'], 'items_type_status_sent_idx');
    t.index(['business_date', 'resource_type', 'status', 'sent_at'], 'items_date_type_status_sent_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('items', (t) => {
    t.dropIndex(['business_date', 'resource_type', 'status', 'sent_at'], 'items_date_type_status_sent_idx');
    t.dropIndex(['resource_type', 'status', 'sent_at'], 'items_type_status_sent_idx');
  });
}
