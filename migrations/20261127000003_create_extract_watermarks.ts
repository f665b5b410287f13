// Incremental extraction: per resource type, the source's newest updated_at already extracted.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('extract_watermarks', (t) => {
    t.comment('Per type: the next incremental pass reads source rows with updated_at >= watermark');
    t.string('resource_type', 40).primary('extract_watermarks_pk');
    t.string('watermark', 19).notNullable().comment("Source local time 'YYYY-MM-DD HH:mm:ss' (inclusive)");
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('extract_watermarks');
}
