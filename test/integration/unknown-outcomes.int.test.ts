// A send whose answer never came, on its LAST allowed attempt (issue 13): SATUSEHAT may hold the
// resource, so the item is never left as plain failed. It is looked up by identifier at once;
// when the look-up fails too it waits as `checking` and the reconciler asks again until it knows.
// After each: 0 orphans (every resource on the simulator has exactly one sent item with its id,
// every sent item's id is on the simulator), 0 duplicates, the Bundles' children released.
import { afterEach, describe, expect, it } from 'vitest';
import { syncOnce } from '../../daemon/sync-once.js';
import { registry, resourceTypeNames } from '../../shared/fhir/registry.js';
import { getStatus, totals } from '../../shared/services/status-service.js';
import type { SimulatorOptions } from '../../simulator/index.js';
import { allItems, createHarness, orphanReport, type Harness } from '../support/pipeline-harness.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const SIZE = { patients: 12, visits: 24, seed: 3 };
/** One attempt only: every fault below strikes the last attempt. */
const LAST_ATTEMPT = { MAX_ATTEMPTS: '1', CIRCUIT_THRESHOLD: '100000' };

async function expectAgreement(harness: Harness) {
  const report = await orphanReport(harness);
  expect(report.checked, 'the simulator holds what we created').toBeGreaterThan(30);
  expect(report).toMatchObject({ orphans: [], shared: [], ghosts: [] });
  expect(harness.simulator.stats().duplicateIdentifiersStored).toBe(0);
}

/** Items that are not sent for a reason other than the fault: the deliberate bad rows only. */
async function notSentByFault(harness: Harness) {
  return (await allItems(harness))
    .filter((i) => i.status !== 'sent' && i.status !== 'invalid' && !/NIK not found|Patient \d+ (is )?failed|Practitioner \d+ (is )?failed/.test(`${i.last_error ?? ''} ${i.blocked_by ?? ''}`))
    .map((i) => `${i.resource_type} ${i.source_key}: ${i.status} ${i.last_error ?? i.blocked_by ?? ''}`);
}

async function sentChildren(harness: Harness): Promise<number> {
  const rows = await harness.state.db('items').whereIn('resource_type', ['Condition', 'Observation']).andWhere('status', 'sent').count({ n: '*' });
  return Number(rows[0]!.n);
}

async function run(simulator: SimulatorOptions, env: Record<string, string>) {
  h = await createHarness({ ...SIZE, simulator, env: { ...LAST_ATTEMPT, ...env } });
  await syncOnce(await h.openRuntime(), { pollMs: 100 });
  return h;
}

describe('the last attempt of a send meets an unknown outcome', () => {
  it('its answer is lost after the write was stored: looked up at once and adopted', async () => {
    const harness = await run({ faults: { lostResponseRate: 1 } }, {});
    expect(harness.simulator.stats().injected.lost).toBeGreaterThan(20);
    expect(await notSentByFault(harness)).toEqual([]);
    expect(await sentChildren(harness)).toBeGreaterThan(20);
    await expectAgreement(harness);
  });

  it('it hangs after the write was stored: times out, looked up at once and adopted', async () => {
    const harness = await run({ faults: { hangRate: 1, afterStoreShare: 1, faultScope: 'writes', hangMs: 5000 } }, { REQUEST_TIMEOUT_MS: '300', SENDING_STALE_MS: '2000' });
    expect(harness.simulator.stats().injected.afterStore).toBeGreaterThan(20);
    expect(await notSentByFault(harness)).toEqual([]);
    expect(await sentChildren(harness)).toBeGreaterThan(20);
    await expectAgreement(harness);
  });

  it('a 5xx before anything was stored: the look-up finds nothing, so it is failed, and a resend is safe', async () => {
    h = await createHarness({ ...SIZE, env: LAST_ATTEMPT });
    const harness = h;
    const rt = await harness.openRuntime();
    await syncOnce(rt, { pollMs: 100, types: resourceTypeNames.filter((t) => registry[t].foundation) });
    harness.simulator.setFaults({ errorRate5xx: 1, faultScope: 'writes' });
    await syncOnce(rt, { pollMs: 100 });
    const encounters = (await allItems(harness)).filter((i) => i.resource_type === 'Encounter');
    const failed = encounters.filter((e) => e.status === 'failed');
    expect(failed.length).toBeGreaterThan(10);
    for (const e of failed) expect(e.last_error).toMatch(/SATUSEHAT does not hold it \(looked up by identifier\), so a resend is safe/);
    expect(encounters.filter((e) => e.status === 'checking')).toEqual([]);
    expect(harness.simulator.resources('Encounter')).toEqual([]);
    // Nothing was stored, so nothing is marked to be looked up again.
    const marked = await harness.state.db('items').whereIn('id', failed.map((e) => e.id)).andWhere('lookup_first', 1).count({ n: '*' });
    expect(Number(marked[0]!.n)).toBe(0);
  });

  it('the look-up fails too: checking (never failed), then asked again until known, with look-ups only', async () => {
    h = await createHarness({ ...SIZE, env: { ...LAST_ATTEMPT, UNKNOWN_CHECK_BASE_MS: '3600000' } });
    const harness = h;
    const rt = await harness.openRuntime();
    await syncOnce(rt, { pollMs: 100, types: resourceTypeNames.filter((t) => registry[t].foundation) });
    // Every write is stored and its answer lost; every read (the look-ups) answers 5xx.
    harness.simulator.setFaults({ lostResponseRate: 1, errorRate5xx: 1, faultScope: 'reads' });
    await syncOnce(rt, { pollMs: 100 });

    const encounters = (await allItems(harness)).filter((i) => i.resource_type === 'Encounter');
    const checking = encounters.filter((e) => e.status === 'checking');
    expect(checking.length).toBeGreaterThan(10);
    expect(encounters.filter((e) => e.status === 'failed')).toEqual([]);
    for (const e of checking) {
      expect(e.satusehat_id).toBeNull();
      expect(e.last_error).toMatch(/^outcome unknown after: .* \| look-up by identifier failed: /);
    }
    expect(harness.simulator.resources('Encounter').length).toBeGreaterThanOrEqual(checking.length);
    // Their Bundles' children wait for them, marked to look themselves up.
    const waiting = await harness.state.db('items as i').join('item_links as l', 'l.item_id', 'i.id')
      .where({ 'l.parent_type': 'Encounter', 'l.parent_key': checking[0]!.source_key }).select('i.status', 'i.lookup_first');
    expect(waiting.length).toBeGreaterThan(0);
    for (const w of waiting) expect(w).toMatchObject({ status: 'blocked', lookup_first: 1 });
    expect(totals(await getStatus(rt.state)).checking).toBeGreaterThanOrEqual(checking.length);
    const checkAfter = await harness.state.db('items').whereIn('id', checking.map((e) => e.id)).min({ at: 'check_after' }).first();
    expect(new Date(checkAfter!.at as string).getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);

    // SATUSEHAT answers again, and the backoff has passed.
    harness.simulator.setFaults({ lostResponseRate: 0, errorRate5xx: 0, faultScope: 'all' });
    await harness.state.db('items').where('status', 'checking').update({ check_after: harness.state.db.raw('NOW(3) - INTERVAL 1 SECOND') });
    const postsBefore = await postsOf(harness, checking.map((e) => e.id));
    await syncOnce(rt, { pollMs: 100 });

    const after = await harness.state.db('items').whereIn('id', checking.map((e) => e.id)).select('status', 'satusehat_id', 'check_count', 'check_after');
    for (const a of after) expect(a).toMatchObject({ status: 'sent', check_count: 0, check_after: null });
    expect(await postsOf(harness, checking.map((e) => e.id)), 'a check only looks up').toBe(postsBefore);
    expect(await notSentByFault(harness)).toEqual([]);
    expect(await sentChildren(harness)).toBeGreaterThan(20);
    await expectAgreement(harness);
  });
});

async function postsOf(harness: Harness, itemIds: number[]): Promise<number> {
  const rows = await harness.state.db('attempts').whereIn('item_id', itemIds).andWhere('method', 'POST').count({ n: '*' });
  return Number(rows[0]!.n);
}
