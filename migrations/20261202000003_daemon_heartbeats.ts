// Liveness (issue 14): every process that sends writes a heartbeat row; status, the TUI header and
// /healthz say "running", "paused" or "daemon down since …" from these rows, never from the schedule.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('daemon_heartbeats', (t) => {
    t.comment('One row per sending process (daemon, sync --once, demo): what it is doing and when it last said so');
    t.string('instance', 100).primary('daemon_heartbeats_pk').comment('host:pid:role, the dispatcher worker id');
    t.string('role', 20).notNullable();
    t.string('host', 100).notNullable();
    t.integer('pid').notNullable();
    t.string('version', 40).notNullable();
    t.datetime('started_at', { precision: 3 }).notNullable();
    t.datetime('beat_at', { precision: 3 }).notNullable().comment('Database time of the last beat (one clock for every reader)');
    t.integer('interval_ms').notNullable().comment("The writer's beat interval: a reader calls it down after two missed beats");
    t.datetime('stopped_at', { precision: 3 }).nullable().comment('Set by an orderly shutdown');
    t.string('doing', 300).notNullable().defaultTo('');
    t.boolean('paused').notNullable().defaultTo(false).comment('Dispatching paused by an operator, as this process saw it');
    t.string('circuit', 12).notNullable().defaultTo('closed');
    t.string('circuit_reason', 300).nullable();
    t.datetime('circuit_since', { precision: 3 }).nullable();
    t.datetime('next_run_at', { precision: 3 }).nullable();
    t.integer('rate_limit_per_minute').notNullable();
    t.index(['beat_at'], 'daemon_heartbeats_beat_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('daemon_heartbeats');
}
