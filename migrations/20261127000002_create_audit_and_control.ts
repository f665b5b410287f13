// Operator actions (audit), shared control switches (pause, circuit, schedule), regeneration
// runs, and the two indexes the item list needs to stay fast at a million items.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    t.comment('Append-only: who did what (login, resend, edit, regenerate, pause, resume)');
    t.bigIncrements('id').primary();
    t.datetime('at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    t.string('actor', 100).notNullable().comment("Dekacare username, or 'cli:<os user>'");
    t.string('action', 20).notNullable().comment('login | login_refused | resend | edit | regenerate | pause | resume | resend_bulk');
    t.string('target', 200).nullable().comment("e.g. 'item:42', 'type:Patient'");
    t.json('details').nullable();
    t.index(['at'], 'audit_log_at_idx');
    t.index(['actor', 'at'], 'audit_log_actor_idx');
  });

  await knex.schema.createTable('control_state', (t) => {
    t.comment('One row per switch: paused (operators), circuit and schedule (written by the daemon)');
    t.string('key', 50).primary('control_state_pk');
    t.json('value').notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    t.string('updated_by', 100).nullable();
  });

  await knex.schema.alterTable('sync_runs', (t) => {
    t.string('resource_type', 40).nullable().comment('regenerate: the type being rebuilt');
    t.string('requested_by', 100).nullable().comment('operator who asked for the run');
    t.json('progress').nullable().comment('{done, total} while running');
    t.index(['trigger', 'status'], 'sync_runs_trigger_status_idx');
  });

  await knex.schema.alterTable('items', (t) => {
    // The item list: one type in id order, index-only, at any page (OFFSET walks this index only).
    t.index(['resource_type', 'id'], 'items_type_id_idx');
    // Text search is LIKE '%q%': no B-tree can seek it, but scanning this narrow index is far
    // cheaper than scanning the rows. search_text only changes on re-extraction, not on sends.
    t.index(['resource_type', 'search_text'], 'items_type_search_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('items', (t) => {
    t.dropIndex(['resource_type', 'search_text'], 'items_type_search_idx');
    t.dropIndex(['resource_type', 'id'], 'items_type_id_idx');
  });
  await knex.schema.alterTable('sync_runs', (t) => {
    t.dropIndex(['trigger', 'status'], 'sync_runs_trigger_status_idx');
    t.dropColumn('progress');
    t.dropColumn('requested_by');
    t.dropColumn('resource_type');
  });
  await knex.schema.dropTableIfExists('control_state');
  await knex.schema.dropTableIfExists('audit_log');
}
