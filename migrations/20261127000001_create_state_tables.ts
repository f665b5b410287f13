// Our own state tables: the system of record for what was sent. Redis only carries work.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('items', (t) => {
    t.comment('One row per source record x SATUSEHAT resource type');
    t.bigIncrements('id').primary();
    t.string('resource_type', 40).notNullable();
    t.string('source_key', 100).notNullable().comment('Dekacare primary key of the source row');
    t.date('business_date').nullable().comment('Local date the date filter uses; null for master data');
    t.string('status', 16).notNullable().comment('not_sent | queued | sending | sent | failed | invalid | blocked');
    t.smallint('last_http_code').nullable();
    t.string('satusehat_id', 64).nullable();
    t.string('satusehat_display', 200).nullable().comment('Name as SATUSEHAT returned it (lookups)');
    t.integer('current_revision').unsigned().notNullable().defaultTo(0);
    t.integer('attempt_count').unsigned().notNullable().defaultTo(0);
    t.string('error_class', 32).nullable();
    t.text('last_error').nullable();
    t.json('issues').nullable().comment('Local validation issues of an invalid item');
    t.string('blocked_by', 300).nullable().comment('Which parent a blocked item waits for, and why');
    t.specificType('source_hash', 'CHAR(40)').nullable().comment('Hash of the mapped output; unchanged output is not resent');
    t.json('summary').nullable().comment('Detail-table values keyed by the registry columns');
    t.string('search_text', 400).nullable().comment('Lower-case business keys for text search');
    t.string('locked_by', 100).nullable().comment('Worker that claimed the item for sending');
    t.datetime('sending_since', { precision: 3 }).nullable();
    t.boolean('lookup_first').notNullable().defaultTo(false).comment('Outcome of a previous send unknown: look up by identifier before sending');
    t.datetime('sent_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    t.unique(['resource_type', 'source_key'], { indexName: 'items_type_source_key_uq' });
    t.index(['resource_type', 'status', 'id'], 'items_type_status_idx');
    t.index(['resource_type', 'business_date', 'status'], 'items_type_date_status_idx');
    t.index(['status', 'updated_at'], 'items_status_updated_idx');
    t.index(['satusehat_id'], 'items_satusehat_id_idx');
  });

  await knex.schema.createTable('item_links', (t) => {
    t.comment('Child item -> parent (type, source key) whose SATUSEHAT id the child references');
    t.bigInteger('item_id').unsigned().notNullable().references('id').inTable('items').onDelete('CASCADE').withKeyName('item_links_item_fk');
    t.string('parent_type', 40).notNullable();
    t.string('parent_key', 100).notNullable();
    t.primary(['item_id', 'parent_type', 'parent_key'], 'item_links_pk');
    t.index(['parent_type', 'parent_key'], 'item_links_parent_idx');
  });

  await knex.schema.createTable('request_revisions', (t) => {
    t.comment('Every version of the request body of an item: mapped, or edited by an operator');
    t.bigIncrements('id').primary();
    t.bigInteger('item_id').unsigned().notNullable().references('id').inTable('items').onDelete('CASCADE').withKeyName('request_revisions_item_fk');
    t.integer('revision').unsigned().notNullable();
    t.string('method', 8).notNullable();
    t.string('path', 500).notNullable();
    t.json('body').nullable();
    t.string('created_by', 100).notNullable().comment("'extractor' or the operator's username");
    t.boolean('edited').notNullable().defaultTo(false);
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    t.unique(['item_id', 'revision'], { indexName: 'request_revisions_item_revision_uq' });
  });

  await knex.schema.createTable('attempts', (t) => {
    t.comment('Append-only: one row per request sent to SATUSEHAT for an item');
    t.bigIncrements('id').primary();
    t.bigInteger('item_id').unsigned().notNullable().references('id').inTable('items').onDelete('CASCADE').withKeyName('attempts_item_fk');
    t.integer('revision').unsigned().notNullable();
    t.string('method', 8).notNullable();
    t.string('url', 1000).notNullable();
    t.json('request_body').nullable();
    t.specificType('response_body', 'MEDIUMTEXT').nullable();
    t.smallint('http_code').nullable();
    t.integer('duration_ms').unsigned().notNullable();
    t.string('error_class', 32).nullable().comment('null = success; http_4xx, http_5xx, rate_limited, timeout, network, duplicate, not_found');
    t.text('error_message').nullable();
    t.string('rule_numbers', 200).nullable();
    t.string('worker', 100).nullable();
    t.datetime('started_at', { precision: 3 }).notNullable();
    t.datetime('finished_at', { precision: 3 }).notNullable();
    t.index(['item_id', 'id'], 'attempts_item_idx');
    t.index(['started_at'], 'attempts_started_idx');
  });

  await knex.schema.createTable('sync_runs', (t) => {
    t.comment('One row per extraction run (scheduled tick, sync --once, regenerate)');
    t.bigIncrements('id').primary();
    t.string('trigger', 20).notNullable().comment('schedule | once | regenerate | demo');
    t.string('host', 100).notNullable();
    t.string('status', 12).notNullable().comment('running | ok | failed');
    t.json('counts').nullable();
    t.text('error').nullable();
    t.datetime('started_at', { precision: 3 }).notNullable();
    t.datetime('finished_at', { precision: 3 }).nullable();
    t.index(['started_at'], 'sync_runs_started_idx');
  });

  await knex.schema.createTable('nik_ihs_cache', (t) => {
    t.comment('NIK -> SATUSEHAT id from Patient/Practitioner lookups');
    t.string('resource_type', 20).notNullable();
    t.specificType('nik', 'CHAR(16)').notNullable();
    t.string('satusehat_id', 64).nullable().comment('null = SATUSEHAT did not know the NIK');
    t.string('display', 200).nullable();
    t.datetime('looked_up_at', { precision: 3 }).notNullable();
    t.primary(['resource_type', 'nik'], 'nik_ihs_cache_pk');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['nik_ihs_cache', 'sync_runs', 'attempts', 'request_revisions', 'item_links', 'items']) {
    await knex.schema.dropTableIfExists(table);
  }
}
