// The database refuses a change of items.status that shared/db/state/items/transitions.ts does not
// declare. The pairs are frozen here as they were when this migration was written (a deployed
// database keeps this trigger until a later migration replaces it); test/unit/item-transitions.test.ts
// fails when the table and the newest such migration differ.
import type { Knex } from 'knex';
import { itemStatusTriggerSql } from '../shared/db/state/items/transitions.js';

export const ALLOWED_STATUS_CHANGES = [
  'blocked>invalid', 'blocked>not_sent', 'blocked>sending',
  'failed>blocked', 'failed>invalid', 'failed>not_sent',
  'invalid>blocked', 'invalid>not_sent',
  'not_sent>blocked', 'not_sent>invalid', 'not_sent>queued', 'not_sent>sending',
  'queued>blocked', 'queued>invalid', 'queued>not_sent', 'queued>sending',
  'sending>blocked', 'sending>failed', 'sending>invalid', 'sending>not_sent', 'sending>queued', 'sending>sent',
  'sent>blocked', 'sent>invalid', 'sent>not_sent',
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of itemStatusTriggerSql(ALLOWED_STATUS_CHANGES)) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS items_status_transition');
}
