// Two daemons against one state DB and one Redis, with a tick every second: every item is sent
// exactly once, and every scheduled extraction runs in one process only (never two at a time).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnDaemon, until } from '../support/daemon-process.js';
import { allItems, createHarness, sentByType, sentPerFhirType, type Harness } from '../support/pipeline-harness.js';

interface RunRow {
  id: number;
  status: string;
  started_at: Date;
  finished_at: Date | null;
}

describe('two daemons on one database and Redis', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ patients: 40, visits: 100, seed: 21, simulator: { faults: { latencyMs: 10 } } });
  });
  afterAll(async () => h?.close());

  it('send every item exactly once, and run each scheduled tick in one process at a time', async () => {
    const env = { ...h.env, SYNC_CRON: '* * * * * *', LOG_LEVEL: 'info', WORKER_CONCURRENCY: '4' };
    const daemons = [spawnDaemon(env), spawnDaemon(env)];
    const logs = () => daemons.map((d, i) => `daemon ${i}: ${d.stderr().slice(-1000)} ${JSON.stringify(d.lines.slice(-5))}`).join('\n');
    try {
      const db = h.state.db;
      const pending = async () => Number((await db('items').count({ n: '*' }).whereIn('status', ['not_sent', 'queued', 'sending']))[0]!.n);
      await until('the backlog to be sent', async () => Number((await db('items').count({ n: '*' }))[0]!.n) > 0 && (await pending()) === 0, 150_000, logs);
      // Keep ticking for a few more seconds: both processes compete for every tick.
      const runsNow = Number((await db('sync_runs').count({ n: '*' }).where({ trigger: 'schedule' }))[0]!.n);
      await until('more scheduled ticks', async () => Number((await db('sync_runs').count({ n: '*' }).where({ trigger: 'schedule', status: 'ok' }))[0]!.n) >= runsNow + 4, 30_000, logs);
    } finally {
      const exits = await Promise.all(daemons.map((d) => d.stop()));
      for (const [i, e] of exits.entries()) {
        expect(e, `daemon ${i} exit: ${daemons[i]!.stderr()}`).toMatchObject({ code: 0, signal: null });
        expect(e.ms).toBeLessThan(20_000);
      }
    }

    // Both processes tried the ticks; the lock let one of them run each.
    const attempted = daemons.map((d) => d.count('extraction finished') + d.count('extraction failed') + d.count(/^extraction skipped/));
    const ran = daemons.map((d) => d.count('extraction finished'));
    for (const [i, n] of attempted.entries()) expect(n, `daemon ${i} attempted ticks`).toBeGreaterThan(2);
    expect(daemons.reduce((sum, d) => sum + d.count(/^extraction skipped/), 0)).toBeGreaterThan(0);

    const runs = (await h.state.db('sync_runs').select('id', 'status', 'started_at', 'finished_at').where({ trigger: 'schedule' }).orderBy('started_at').orderBy('id')) as RunRow[];
    expect(runs.length).toBeGreaterThanOrEqual(5);
    expect(runs.filter((r) => r.status === 'ok').length).toBe(ran[0]! + ran[1]!);
    for (let i = 1; i < runs.length; i += 1) {
      const prev = runs[i - 1]!;
      const next = runs[i]!;
      expect(prev.finished_at, `run ${prev.id} never finished but run ${next.id} started`).not.toBeNull();
      expect(prev.finished_at!.getTime(), `run ${prev.id} overlaps run ${next.id}`).toBeLessThanOrEqual(next.started_at.getTime());
    }

    // Every item sent exactly once: what SATUSEHAT created per type is what we marked sent.
    const items = await allItems(h);
    for (const item of items) expect(['sent', 'failed', 'invalid', 'blocked'], `${item.resource_type} ${item.source_key}`).toContain(item.status);
    const sent = sentByType(items);
    const stats = h.simulator.stats();
    // Per FHIR type (ObservationLab items are Observations), what SATUSEHAT created is what we marked sent.
    expect(sentPerFhirType(items)).toEqual(stats.created);
    expect(stats.duplicateIdentifiersStored).toBe(0);
    expect(sent.Encounter).toBeGreaterThan(60);
  }, 240_000);
});
