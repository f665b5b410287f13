// SIGTERM while the daemon is sending (200 ms per SATUSEHAT request): it stops taking jobs, lets the
// in-flight sends finish and exits 0 well within PM2's kill_timeout; the next start finishes the
// backlog without sending anything twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnDaemon, until } from '../support/daemon-process.js';
import { allItems, createHarness, sentByType, sentPerFhirType, type Harness } from '../support/pipeline-harness.js';

const countWhere = async (h: Harness, statuses: string[]) => Number((await h.state.db('items').count({ n: '*' }).whereIn('status', statuses))[0]!.n);

describe('graceful shutdown', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ patients: 40, visits: 120, seed: 5, simulator: { faults: { latencyMs: 200 } } });
  });
  afterAll(async () => h?.close());

  it('SIGTERM mid-dispatch exits 0 quickly with nothing left in flight; the next start completes the work', async () => {
    const env = { ...h.env, LOG_LEVEL: 'info', WORKER_CONCURRENCY: '8' };
    const first = spawnDaemon(env);
    let exit: Awaited<ReturnType<typeof first.stop>>;
    try {
      await until('sends to be under way', () => (h.simulator.stats().created.Encounter ?? 0) >= 20, 60_000, () => first.stderr());
    } finally {
      exit = await first.stop();
    }
    expect(exit, first.stderr()).toMatchObject({ code: 0, signal: null });
    // In-flight requests take 200 ms; the harness's request timeout is 2 s. Far below kill_timeout.
    expect(exit.ms).toBeLessThan(10_000);
    const messages = first.lines.map((l) => String(l.msg));
    const shutting = messages.findIndex((m) => m.startsWith('shutting down'));
    expect(shutting, messages.slice(-10).join(' | ')).toBeGreaterThan(-1);
    expect(messages.indexOf('stopped')).toBeGreaterThan(shutting);
    expect(first.lines.slice(shutting).filter((l) => Number(l.level) >= 50), 'no error logged while stopping').toEqual([]);

    // Stopped mid-dispatch: work is left, but nothing is stuck in `sending`.
    expect(await countWhere(h, ['sending'])).toBe(0);
    expect(await countWhere(h, ['not_sent', 'queued', 'blocked'])).toBeGreaterThan(0);
    const createdAtStop = h.simulator.stats().created.Encounter ?? 0;

    const second = spawnDaemon(env);
    let exit2: Awaited<ReturnType<typeof second.stop>>;
    try {
      await until('the backlog to be sent', async () => (await countWhere(h, ['not_sent', 'queued', 'sending'])) === 0, 150_000, () => second.stderr());
    } finally {
      exit2 = await second.stop();
    }
    expect(exit2, second.stderr()).toMatchObject({ code: 0, signal: null });

    const items = await allItems(h);
    for (const item of items) expect(['sent', 'failed', 'invalid', 'blocked'], `${item.resource_type} ${item.source_key}`).toContain(item.status);
    const sent = sentByType(items);
    const stats = h.simulator.stats();
    // Per FHIR type (ObservationLab items are Observations), what SATUSEHAT created is what we marked sent.
    expect(sentPerFhirType(items)).toEqual(stats.created);
    expect(stats.duplicateIdentifiersStored).toBe(0);
    expect(sent.Encounter).toBeGreaterThan(80);
    expect(sent.Encounter).toBeGreaterThan(createdAtStop);
  }, 180_000);
});
