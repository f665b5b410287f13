// The TUI's screen tests run against an in-memory fake (test/unit/tui-fake-services.ts). This
// ties the fake to the real application services: the same calls the TUI makes go to both, and
// the answers must have the same shape (every key, every type) and, where the data is the same
// (the demo's users, the registry's columns, paging rules, the diff header), the same values.
// Real side: a seeded demo database, the simulator, a finished sync and one Encounter that
// SATUSEHAT refused with a 400 (as in the e2e test), so showItem has attempts and an outcome.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDispatcher, type Dispatcher } from '../../daemon/dispatcher.js';
import type { Runtime } from '../../daemon/runtime.js';
import { syncOnce } from '../../daemon/sync-once.js';
import { openServices, type Operator, type Services } from '../../shared/services/index.js';
import type { TuiServices } from '../../tui/services.js';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { refuseOneEncounter } from '../support/refused-encounter.js';
import { ADMIN, fakeServices, type FakeServices } from '../unit/tui-fake-services.js';

const SETUP: Operator = { username: 'contract-setup', name: 'contract setup', role: 'admin' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Fields typed `unknown` in shared/services/api.ts: FHIR JSON, any shape. */
const OPAQUE = new Set(['body', 'requestBody', 'responseBody']);
/** Fields typed as records: the keys are data (a row's summary has one per column), the values have one type. */
const RECORDS = new Set(['summary']);

/**
 * Where two answers differ in shape: a missing or extra key, or another type. null on either
 * side matches anything (the contract's nullable fields); arrays compare every element of each
 * side with the other side's first one.
 */
function shapeDiff(fake: unknown, real: unknown, path = '$'): string[] {
  const field = path.split('.').at(-1) ?? '';
  if (fake === null || real === null || OPAQUE.has(field)) return [];
  if (Array.isArray(fake) || Array.isArray(real)) {
    if (!Array.isArray(fake) || !Array.isArray(real)) return [`${path}: array on one side only`];
    return unique([...fake.flatMap((f, i) => (real.length ? shapeDiff(f, real[0], `${path}[${i}]`) : [])), ...real.flatMap((r, i) => (fake.length ? shapeDiff(fake[0], r, `${path}[${i}]`) : []))]);
  }
  if (typeof fake !== typeof real) return [`${path}: ${typeof fake} in the fake, ${typeof real} for real`];
  if (typeof fake !== 'object') return [];
  const f = fake as Record<string, unknown>;
  const r = real as Record<string, unknown>;
  if (RECORDS.has(field)) return shapeDiff(Object.values(f), Object.values(r), `${path}.*`);
  const keys = [...new Set([...Object.keys(f), ...Object.keys(r)])].filter((k) => f[k] !== undefined || r[k] !== undefined);
  return keys.flatMap((k) => (f[k] === undefined ? [`${path}.${k}: missing in the fake`] : r[k] === undefined ? [`${path}.${k}: not in the real answer`] : shapeDiff(f[k], r[k], `${path}.${k}`)));
}

const unique = (xs: string[]) => [...new Set(xs)];

describe('the TUI fake services keep the contract of the real services', () => {
  let h: Harness;
  let rt: Runtime;
  let dispatcher: Dispatcher;
  let services: Services;
  let fake: FakeServices;
  /** Both sides under the TUI's own type: only the calls the TUI can make. */
  let real: TuiServices;
  let failedId: number;

  beforeAll(async () => {
    // The reconciler would send a saved edit by itself; only our resend should.
    h = await createHarness({ env: { RECONCILE_INTERVAL_MS: '3600000' } });
    rt = await h.openRuntime();
    await syncOnce(rt, { types: ['Organization', 'Location', 'Practitioner', 'Patient', 'Encounter'] });
    dispatcher = startDispatcher(rt, 'contract');
    services = await openServices(h.config);
    real = services;
    fake = fakeServices();

    // One Encounter refused by SATUSEHAT rule 10124 (serviceProvider must be our Organization).
    ({ id: failedId } = await refuseOneEncounter(services, SETUP));
    expect((await services.showItem(failedId))?.item).toMatchObject({ status: 'failed', httpCode: 400 });
  }, 180_000);

  afterAll(async () => {
    await services?.close();
    await dispatcher?.close();
    await h?.close();
  }, 60_000);

  it('the shape check itself finds a missing key, another type and a drifted array element; nulls and FHIR bodies are free', () => {
    expect(shapeDiff({ a: 1, b: 'x' }, { a: 2, b: 'y' })).toEqual([]);
    expect(shapeDiff({ a: 1 }, { a: 1, b: 2 })).toEqual(['$.b: missing in the fake']);
    expect(shapeDiff({ a: 1, c: 2 }, { a: 1 })).toEqual(['$.c: not in the real answer']);
    expect(shapeDiff({ a: '1' }, { a: 1 })).toEqual(['$.a: string in the fake, number for real']);
    expect(shapeDiff({ rows: [{ id: 1 }, { id: '2' }] }, { rows: [{ id: 3 }] })).toEqual(['$.rows[1].id: string in the fake, number for real']);
    expect(shapeDiff({ a: null, body: { x: 1 }, summary: { visitNo: 'RJ1' } }, { a: { deep: 1 }, body: [1], summary: { unit: 'UMUM', date: null } })).toEqual([]);
    expect(shapeDiff({ summary: { visitNo: 1 } }, { summary: { unit: 'UMUM' } })).toEqual(['$.summary.*[0]: number in the fake, string for real']);
  });

  it('login: the demo users get the same answers, word for word', async () => {
    for (const [username, password] of [['admin', 'admin123'], ['dokter', 'dokter123'], ['admin', 'nope']] as const) {
      const [f, r] = await Promise.all([fake.login(username, password), real.login(username, password)]);
      expect(f, `${username}/${password}`).toEqual(r);
    }
    expect(await real.login('admin', 'admin123')).toEqual({ ok: true, operator: ADMIN });
  });

  it('status: one TypeStatus per type, with and without a date, counted the same way', async () => {
    for (const date of [undefined, '2026-11-20']) {
      const [f, r] = await Promise.all([fake.status(date), real.status(date)]);
      expect(f.length).toBeGreaterThan(0);
      expect(r.length).toBeGreaterThan(0);
      expect(shapeDiff(f, r)).toEqual([]);
      // The fake's types are real types, and its figures add up as the real ones do.
      expect(r.map((s) => s.type)).toEqual(expect.arrayContaining(f.map((s) => s.type)));
      const rule = (s: (typeof r)[number]) => ({ percent: s.total === 0 ? 0 : Math.floor((s.sent * 100) / s.total), inProcess: s.queued + s.sending });
      expect(f.map((s) => ({ percent: s.percent, inProcess: s.inProcess }))).toEqual(f.map(rule));
      expect(r.map((s) => ({ percent: s.percent, inProcess: s.inProcess }))).toEqual(r.map(rule));
    }
    const realEncounter = (await real.status()).find((s) => s.type === 'Encounter')!;
    expect(realEncounter.failed).toBeGreaterThanOrEqual(1);
  });

  it('control: the same daemon-state fields; the simulator environment on both', async () => {
    const [f, r] = await Promise.all([fake.control(), real.control()]);
    expect(shapeDiff(f, r)).toEqual([]);
    expect(r.environment).toBe(f.environment);
  });

  it("listItems: a page of rows with the type's columns, the same paging rules at the ends", async () => {
    const q = { type: 'Encounter', pageSize: 20 };
    const [f, r] = await Promise.all([fake.listItems(q), real.listItems(q)]);
    expect(f.rows.length).toBeGreaterThan(0);
    expect(r.rows.length).toBeGreaterThan(0);
    expect(shapeDiff(f, r)).toEqual([]);
    // The fake shows three of Encounter's columns (the screen tests' layout), each as the registry has it.
    expect(f.columns.length).toBeGreaterThan(0);
    expect(r.columns).toEqual(expect.arrayContaining(f.columns));
    expect(f.columns.map((c) => r.columns.findIndex((x) => x.key === c.key))).toEqual([...f.columns.map((c) => r.columns.findIndex((x) => x.key === c.key))].sort((x, y) => x - y));
    // A row's summary has one entry per column, on both sides.
    for (const page of [f, r]) expect(page.rows.map((row) => Object.keys(row.summary).sort())).toEqual(page.rows.map(() => page.columns.map((c) => c.key).sort()));
    expect({ page: f.page, pageSize: f.pageSize }).toEqual({ page: r.page, pageSize: r.pageSize });
    // Past the end: the last page on both, not an empty screen.
    const [fEnd, rEnd] = await Promise.all([fake.listItems({ ...q, page: 999 }), real.listItems({ ...q, page: 999 })]);
    expect(fEnd.page).toBe(fEnd.pageCount);
    expect(rEnd.page).toBe(rEnd.pageCount);
    expect(rEnd.rows.length).toBeGreaterThan(0);
    // Nothing matches: the same empty page on both.
    const none = { type: 'Encounter', search: 'no such patient anywhere', pageSize: 20 };
    const [fNone, rNone] = await Promise.all([fake.listItems(none), real.listItems(none)]);
    expect({ ...fNone, columns: undefined }).toEqual({ ...rNone, columns: undefined });
    expect(rNone.total).toBe(0);
    // 'problem' means failed, invalid and blocked on both.
    const problems = { type: 'Encounter', status: 'problem' as const, pageSize: 200 };
    const [fProblem, rProblem] = await Promise.all([fake.listItems(problems), real.listItems(problems)]);
    expect(rProblem.rows.map((x) => x.id)).toContain(failedId);
    for (const page of [fProblem, rProblem]) expect(page.rows.filter((x) => !['failed', 'invalid', 'blocked'].includes(x.status))).toEqual([]);
  });

  it('showItem: a refused item has the same detail shape (item, revisions, attempts, outcome); an unknown id is null on both', async () => {
    const [f, r] = await Promise.all([fake.showItem(fake.detail.item.id), real.showItem(failedId)]);
    expect(f).not.toBeNull();
    expect(r).not.toBeNull();
    expect(r!.attempts.length).toBeGreaterThan(0);
    expect(r!.revisions.length).toBeGreaterThan(1);
    expect(r!.outcome).not.toBeNull();
    expect(shapeDiff(f, r)).toEqual([]);
    // What the panel reads from it means the same: newest attempt first, the rule, a hint.
    for (const d of [f!, r!]) {
      expect(d.attempts.map((a) => a.id)).toEqual([...d.attempts.map((a) => a.id)].sort((a, b) => b - a));
      expect(d.item).toMatchObject({ status: 'failed', httpCode: 400 });
      expect(d.outcome?.ruleNumbers).toEqual(expect.arrayContaining([expect.any(String)]));
      expect(d.outcome?.hint).toBe(f!.outcome?.hint);
    }
    expect(r!.outcome!.ruleNumbers).toContain('10124');
    const [fMissing, rMissing] = await Promise.all([fake.showItem(987_654_321), real.showItem(987_654_321)]);
    expect(fMissing).toBeNull();
    expect(rMissing).toBeNull();
  });

  it('resendMatching, a dry run: counts the refused item, queues nothing', async () => {
    // The refused Encounter is still failed (its fix is not saved yet): the dry run counts it.
    const failedQuery = { type: 'Encounter', status: 'failed' as const };
    const [fDry, rDry] = await Promise.all([fake.resendMatching(failedQuery, ADMIN, { dryRun: true }), real.resendMatching(failedQuery, ADMIN, { dryRun: true })]);
    expect(fDry.matched).toBeGreaterThan(0);
    expect(rDry.matched).toBeGreaterThan(0);
    expect(shapeDiff(fDry, rDry)).toEqual([]);
    expect({ fake: fDry.queued, real: rDry.queued }).toEqual({ fake: 0, real: 0 });
    expect(rDry.sampleIds).toContain(failedId);
  });

  it('saveRevision: a refused body names the line and column; a saved one answers with its revision and diff', async () => {
    const [f, r] = await Promise.all([fake.saveRevision(fake.detail.item.id, '{\n  oops }', ADMIN), real.saveRevision(failedId, '{\n  oops }', ADMIN)]);
    expect(f.ok).toBe(false);
    expect(r.ok).toBe(false);
    expect(shapeDiff(f, r)).toEqual([]);
    const place = (x: typeof f) => (x.ok ? null : { line: x.errors[0]?.line, column: x.errors[0]?.column });
    expect(place(r)).toEqual({ line: 2, column: 3 });
    expect(place(f)).toEqual(place(r));

    const fixed = structuredClone((await real.showItem(failedId))!.current!.body) as { serviceProvider: { reference: string } };
    fixed.serviceProvider.reference = `Organization/${h.config.satusehat.orgId}`;
    const fakeFixed = { ...fake.detail.current!.body as object, serviceProvider: { reference: 'Organization/100011961' } };
    const [fSaved, rSaved] = await Promise.all([fake.saveRevision(fake.detail.item.id, JSON.stringify(fakeFixed, null, 2), ADMIN), real.saveRevision(failedId, JSON.stringify(fixed, null, 2), ADMIN)]);
    expect(fSaved.ok).toBe(true);
    expect(rSaved.ok).toBe(true);
    expect(shapeDiff(fSaved, rSaved)).toEqual([]);
    // The diff header the panel shows reads the same.
    for (const saved of [fSaved, rSaved]) expect(saved.ok && saved.diff).toMatch(/^--- revision (\d+)\n\+\+\+ revision \d+ \(edited by admin\)\n@@ /);
  });

  it('resend: the fixed item goes back on the queue and is sent', async () => {
    const [f, r] = await Promise.all([fake.resend([fake.detail.item.id], ADMIN), real.resend([failedId], ADMIN)]);
    // A dispatcher runs here (its heartbeat is live): nothing to warn about.
    expect(f).toEqual({ queued: [fake.detail.item.id], skipped: [], waiting: null });
    expect(r).toEqual({ queued: [failedId], skipped: [], waiting: null });
    for (let i = 0; i < 100 && (await real.showItem(failedId))?.item.status !== 'sent'; i++) await sleep(100);
    expect((await real.showItem(failedId))?.item.status).toBe('sent');
  });

  it('regenerate: a run id and whether it was already queued', async () => {
    const [f, r] = await Promise.all([fake.regenerate('Organization', ADMIN), real.regenerate('Organization', ADMIN)]);
    expect(shapeDiff(f, r)).toEqual([]);
    expect(f.alreadyQueued).toBe(false);
    expect(r.alreadyQueued).toBe(false);
  });
});
