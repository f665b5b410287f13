// An item whose last send had an unknown outcome, and whose look-up by identifier failed too,
// waits as `checking` until SATUSEHAT answers the look-up (issue 13): when it is asked next, how
// often it was asked, and which revision a queued check is for. The status trigger is rebuilt with
// the two new ways of moving (finish → checking, check → queued) and checking among the rest.
import type { Knex } from 'knex';
import { itemStatusTriggerSql } from '../shared/db/state/items/transitions.js';
import { ALLOWED_STATUS_CHANGES as BEFORE } from './20261202000001_item_status_transitions.js';

export const ALLOWED_STATUS_CHANGES = [
  'blocked>invalid', 'blocked>not_sent', 'blocked>sending',
  'checking>blocked', 'checking>invalid', 'checking>not_sent', 'checking>queued',
  'failed>blocked', 'failed>invalid', 'failed>not_sent',
  'invalid>blocked', 'invalid>not_sent',
  'not_sent>blocked', 'not_sent>invalid', 'not_sent>queued', 'not_sent>sending',
  'queued>blocked', 'queued>invalid', 'queued>not_sent', 'queued>sending',
  'sending>blocked', 'sending>checking', 'sending>failed', 'sending>invalid', 'sending>not_sent', 'sending>queued', 'sending>sent',
  'sent>blocked', 'sent>invalid', 'sent>not_sent',
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('items', (t) => {
    t.datetime('check_after', { precision: 3 }).nullable().comment('checking: when SATUSEHAT is asked again whether the lost send was stored');
    t.smallint('check_count').unsigned().notNullable().defaultTo(0).comment('Look-ups of an unknown outcome that failed in a row');
    t.integer('check_revision').unsigned().nullable().comment('A queued look-up only (no send) is for this revision');
  });
  for (const sql of itemStatusTriggerSql(ALLOWED_STATUS_CHANGES)) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  for (const sql of itemStatusTriggerSql(BEFORE)) await knex.raw(sql);
  await knex.schema.alterTable('items', (t) => {
    t.dropColumn('check_after');
    t.dropColumn('check_count');
    t.dropColumn('check_revision');
  });
}
