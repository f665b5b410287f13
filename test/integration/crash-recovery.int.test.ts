// A sync process killed with SIGKILL mid-dispatch: the next run finishes the work, and items
// that were in flight are looked up by identifier instead of being created a second time.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncOnce } from '../../daemon/sync-once.js';
import { allItems, createHarness, sentByType, sentPerFhirType, type Harness } from '../support/pipeline-harness.js';

describe('worker killed mid-sync', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ patients: 60, visits: 220, seed: 9, simulator: { faults: { latencyMs: 40 } } });
  });
  afterAll(async () => h?.close());

  it('a restart completes the sync with nothing lost and nothing duplicated', async () => {
    const child = spawn(process.execPath, ['bin/satusehat.js', 'sync', '--once', '--quiet'], { env: { ...process.env, ...h.env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ? null : code)));

    const deadline = Date.now() + 45_000;
    while ((h.simulator.stats().created.Encounter ?? 0) < 25) {
      if (Date.now() > deadline) throw new Error(`child made no progress: ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    expect(await exited).toBeNull();

    const midway = await allItems(h);
    const unfinished = midway.filter((i) => ['queued', 'sending', 'not_sent', 'blocked'].includes(i.status));
    expect(unfinished.length).toBeGreaterThan(0);

    const rt = await h.openRuntime();
    const result = await syncOnce(rt, { pollMs: 100 });
    expect(result.interrupted).toBe(false);

    const items = await allItems(h);
    for (const item of items) expect(['sent', 'failed', 'invalid', 'blocked'], `${item.resource_type} ${item.source_key}`).toContain(item.status);
    const sent = sentByType(items);
    const stats = h.simulator.stats();
    expect(sentPerFhirType(items)).toEqual(stats.created);
    expect(stats.duplicateIdentifiersStored).toBe(0);
    expect(sent.Encounter).toBeGreaterThan(150);
  });
});
