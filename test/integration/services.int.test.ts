// The application services on real MariaDB + Redis + the simulator: a small pipeline run where
// SATUSEHAT answered every Encounter with a 5xx, then list, show, edit, resend, login, control.
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncOnce } from '../../daemon/sync-once.js';
import { openRuntime, type Runtime } from '../../daemon/runtime.js';
import { migrationSource } from '../../migrations/index.js';
import { loadConfig } from '../../shared/config/load-config.js';
import { connectMysql } from '../../shared/db/connect.js';
import { migrateLatest, migrateRollbackAll } from '../../shared/db/state/migrate.js';
import { ExitError } from '../../shared/errors.js';
import { createLogger } from '../../shared/log/create-logger.js';
import { CONTROL_QUEUE, regenerateJobId, type ControlJobData } from '../../shared/queue/control-queue.js';
import { sendJobId } from '../../shared/queue/send-queue.js';
import { registry } from '../../shared/fhir/registry.js';
import type { Operator, Services } from '../../shared/services/api.js';
import { openServices } from '../../shared/services/index.js';
import { FREE_TRIES } from '../../shared/services/login-throttle.js';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { createTestDatabase, TEST_MYSQL_URL, TEST_REDIS_URL } from '../support/test-db.js';
import { moveItemsTo } from '../support/item-status.js';

const alice: Operator = { username: 'test:alice', name: 'Alice', role: 'admin' };
const FOUNDATION = ['Organization', 'Location', 'Practitioner', 'Patient'] as const;

async function count(h: Harness, table: string, where: Record<string, unknown> = {}): Promise<number> {
  const rows = (await h.state.db(table).where(where).count({ n: '*' })) as Array<{ n: number | string }>;
  return Number(rows[0]!.n);
}

async function idsWhere(h: Harness, where: Record<string, unknown>): Promise<number[]> {
  return (await h.state.db('items').select('id').where(where).orderBy('id')).map((r) => Number(r.id));
}

async function expectUsageError(p: Promise<unknown>, message: RegExp): Promise<void> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ExitError);
  expect((err as ExitError).exitCode).toBe(2);
  expect((err as ExitError).message).toMatch(message);
}

describe('application services', () => {
  let h: Harness;
  let rt: Runtime;
  let services: Services;

  beforeAll(async () => {
    // One patient in ten unknown to SATUSEHAT (the default 3 % leaves none of these 40): a failed lookup to show.
    h = await createHarness({ patients: 40, visits: 120, seed: 3, simulator: { unknownNikPercent: 10 }, env: { MAX_ATTEMPTS: '1', CIRCUIT_THRESHOLD: '1000000' } });
    rt = await h.openRuntime();
    await syncOnce(rt, { types: [...FOUNDATION], pollMs: 50 });
    // Every Encounter create gets a gateway error before anything is stored; with MAX_ATTEMPTS=1
    // its look-up (answered: faults on writes only) finds nothing, and it ends failed.
    h.simulator.setFaults({ errorRate5xx: 1, faultScope: 'writes' });
    await syncOnce(rt, { types: ['Encounter'], pollMs: 50 });
    h.simulator.setFaults({ errorRate5xx: 0, faultScope: 'all' });
    services = await openServices(h.config);
  });
  afterAll(async () => {
    await services?.close();
    await h?.close();
  });

  describe('listItems', () => {
    it('pages through one type in id order, every item exactly once', async () => {
      const all = await idsWhere(h, { resource_type: 'Encounter' });
      expect(all.length).toBeGreaterThan(50);
      const first = await services.listItems({ type: 'Encounter', pageSize: 20 });
      expect(first.total).toBe(all.length);
      expect(first.pageCount).toBe(Math.ceil(all.length / 20));
      expect(first.columns).toEqual(registry.Encounter.columns);
      const seen: number[] = [];
      for (let page = 1; page <= first.pageCount; page += 1) {
        const p = await services.listItems({ type: 'Encounter', pageSize: 20, page });
        expect(p.page).toBe(page);
        seen.push(...p.rows.map((r) => r.id));
      }
      expect(seen).toEqual(all);
      // Past the end: the last page, not an empty screen.
      const beyond = await services.listItems({ type: 'Encounter', pageSize: 20, page: 999 });
      expect(beyond.page).toBe(first.pageCount);
      expect(beyond.rows.at(-1)?.id).toBe(all.at(-1));
    });

    it('filters by status, problem, date and search with the same totals as SQL', async () => {
      const failed = await services.listItems({ type: 'Encounter', status: 'failed', pageSize: 500 });
      expect(failed.total).toBe(await count(h, 'items', { resource_type: 'Encounter', status: 'failed' }));
      expect(failed.total).toBeGreaterThan(20);
      expect(failed.rows.every((r) => r.status === 'failed' && r.httpCode !== null && r.httpCode >= 500)).toBe(true);

      const problem = await services.listItems({ type: 'Encounter', status: 'problem', pageSize: 500 });
      const problemSql = (await h.state.db('items').where('resource_type', 'Encounter').whereIn('status', ['failed', 'invalid', 'blocked']).count({ n: '*' })) as Array<{ n: number }>;
      expect(problem.total).toBe(Number(problemSql[0]!.n));
      expect(new Set(problem.rows.map((r) => r.status))).toEqual(new Set(['failed', 'invalid', 'blocked'].filter((s) => problem.rows.some((r) => r.status === s))));

      const dated = (await h.state.db('items').select('business_date').where('resource_type', 'Encounter').whereNotNull('business_date').first()) as { business_date: Date };
      const date = dated.business_date.toISOString().slice(0, 10);
      const byDate = await services.listItems({ type: 'Encounter', date, pageSize: 500 });
      expect(byDate.total).toBe(await count(h, 'items', { resource_type: 'Encounter', business_date: date }));
      expect(byDate.rows.every((r) => r.businessDate === date)).toBe(true);

      // A patient name fragment, case-insensitive, finds exactly the items whose search text has it.
      const sample = failed.rows[0]!;
      const fragment = String(sample.summary.patient).split(' ')[0]!.toUpperCase();
      const found = await services.listItems({ type: 'Encounter', search: fragment, pageSize: 500 });
      const expected = await h.state.db('items').where('resource_type', 'Encounter').andWhere('search_text', 'like', `%${fragment.toLowerCase()}%`).count({ n: '*' });
      expect(found.total).toBe(Number((expected[0] as { n: number }).n));
      expect(found.rows.map((r) => r.id)).toContain(sample.id);

      // Exact ids are found although they are not in the search text.
      const patient = (await h.state.db('items').select('id', 'satusehat_id').where({ resource_type: 'Patient', status: 'sent' }).first()) as { id: number; satusehat_id: string };
      const byId = await services.listItems({ type: 'Patient', search: patient.satusehat_id });
      expect(byId.rows.map((r) => r.id)).toEqual([patient.id]);
      const byKey = await services.listItems({ type: 'Encounter', search: sample.sourceKey });
      expect(byKey.rows.map((r) => r.id)).toContain(sample.id);
      // Past the end of a search: the last page, with the same total.
      const last = await services.listItems({ type: 'Encounter', search: fragment, pageSize: 1, page: 999 });
      expect(last).toMatchObject({ page: found.total, pageCount: found.total, total: found.total });
      expect(last.rows.map((r) => r.id)).toEqual([found.rows.at(-1)!.id]);
      // LIKE wildcards typed by the operator are taken literally.
      expect((await services.listItems({ type: 'Encounter', search: '%' })).total).toBe(0);
    });

    it('refuses bad input with a usage error', async () => {
      await expectUsageError(services.listItems({ type: 'Nope' }), /unknown resource type "Nope"/);
      await expectUsageError(services.listItems({ type: 'Encounter', date: '20-11-2026' }), /invalid date/);
      await expectUsageError(services.listItems({ type: 'Encounter', pageSize: 0 }), /page size/);
    });
  });

  describe('showItem', () => {
    it('shows request, revisions, attempts newest first and a hint from the failure', async () => {
      const [id] = await idsWhere(h, { resource_type: 'Encounter', status: 'failed' });
      const d = (await services.showItem(id!))!;
      expect(d.item.id).toBe(id);
      expect(d.current?.revision).toBe(1);
      expect((d.current?.body as { resourceType: string }).resourceType).toBe('Encounter');
      expect(d.revisions.map((r) => r.revision)).toEqual([1]);
      expect(d.attempts.length).toBeGreaterThanOrEqual(2);
      expect(d.attempts.map((a) => a.id)).toEqual([...d.attempts.map((a) => a.id)].sort((a, b) => b - a));
      // Newest: the look-up by identifier after the last attempt went unanswered (it found nothing);
      // before it, the gateway error itself.
      expect(d.attempts[0]).toMatchObject({ method: 'GET', httpCode: 200 });
      expect(d.attempts[0]!.url).toMatch(/Encounter\?identifier=/);
      expect(d.attempts[1]!.httpCode).toBeGreaterThanOrEqual(500);
      expect(typeof d.attempts[1]!.responseBody).toBe('string');
      expect(d.outcome?.hint).toMatch(/SATUSEHAT problem/);
      expect(d.outcome?.messages.join(' ')).toMatch(/\w{4,}/);
      expect(await services.showItem(999_999)).toBeNull();
    });

    it('shows local issues of an invalid item and the reason of a failed lookup', async () => {
      const [invalid] = await idsWhere(h, { resource_type: 'Patient', status: 'invalid' });
      const d = (await services.showItem(invalid!))!;
      expect(d.current).toBeNull();
      expect(d.issues.length).toBeGreaterThan(0);
      expect(d.issues[0]!.message).toMatch(/NIK/);
      const [unknown] = await idsWhere(h, { resource_type: 'Patient', status: 'failed' });
      expect(unknown, 'the seed has a patient SATUSEHAT does not know').toBeDefined();
      const f = (await services.showItem(unknown!))!;
      expect(f.outcome?.hint).toMatch(/NIK not found/);
    });
  });

  describe('saveRevision', () => {
    let id: number;
    let text: string;
    beforeAll(async () => {
      [id] = (await idsWhere(h, { resource_type: 'Encounter', status: 'failed' })).slice(-1) as [number];
      text = JSON.stringify((await services.showItem(id))!.current!.body, null, 2);
    });

    it('reports a JSON syntax error with its line and column and writes nothing', async () => {
      const lines = text.split('\n');
      lines[2] = `${lines[2]} x`;
      const result = await services.saveRevision(id, lines.join('\n'), alice);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.errors[0]).toMatchObject({ line: 3, column: lines[2]!.length });
      expect(result.errors[0]!.message).toMatch(/unexpected 'x'/);
      expect(await count(h, 'request_revisions', { item_id: id })).toBe(1);
    });

    it('refuses invalid FHIR, another resource type, and a removed identifier', async () => {
      const body = JSON.parse(text) as Record<string, unknown>;
      const noClass = { ...body };
      delete noClass.class;
      const r1 = await services.saveRevision(id, JSON.stringify(noClass), alice);
      expect(r1.ok).toBe(false);
      if (!r1.ok) expect(r1.errors).toContainEqual(expect.objectContaining({ path: 'Encounter.class', message: expect.stringMatching(/Missing required property/) }));

      const r2 = await services.saveRevision(id, JSON.stringify({ ...body, resourceType: 'Patient' }), alice);
      expect(r2.ok).toBe(false);
      if (!r2.ok) expect(r2.errors[0]).toMatchObject({ path: 'resourceType' });

      const r3 = await services.saveRevision(id, JSON.stringify({ ...body, identifier: [] }), alice);
      expect(r3.ok).toBe(false);
      if (!r3.ok) {
        expect(r3.errors[0]!.message).toMatch(/identifier .* was removed/);
        // Errors point into the text the operator wrote: here the "identifier" property on line 1.
        expect(r3.errors[0]).toMatchObject({ path: 'identifier', line: 1 });
      }
      const pretty = JSON.stringify({ ...body, period: { start: 'yesterday' } }, null, 2);
      const r5 = await services.saveRevision(id, pretty, alice);
      expect(r5.ok).toBe(false);
      if (!r5.ok) {
        const error = r5.errors.find((e) => e.path === 'Encounter.period.start');
        expect(error?.line).toBe(pretty.split('\n').findIndex((l) => l.includes('"start": "yesterday"')) + 1);
      }

      const r4 = await services.saveRevision(id, JSON.stringify(body).replace(/(\{\{(?:name:)?Patient:)[^}]+\}\}/g, '$1no-such-key}}'), alice);
      expect(r4.ok).toBe(false);
      if (!r4.ok) expect(r4.errors[0]!.message).toMatch(/no Patient item with source key no-such-key/);

      const item = await h.state.db('items').where('id', id).first();
      expect(item.current_revision).toBe(1);
      expect(item.status).toBe('failed');
      expect(await count(h, 'audit_log', { action: 'edit' })).toBe(0);
    });

    it('refuses while the item is being sent', async () => {
      const [other] = await idsWhere(h, { resource_type: 'Encounter', status: 'failed' });
      await moveItemsTo(h.state.db, [other!], 'sending');
      try {
        const body = (await services.showItem(other!))!.current!.body as Record<string, unknown>;
        const result = await services.saveRevision(other!, JSON.stringify({ ...body, language: 'id-ID' }), alice);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.errors[0]!.message).toMatch(/being sent/);
      } finally {
        await moveItemsTo(h.state.db, [other!], 'failed');
      }
    });

    it('saves a good edit as a new revision with a diff and an audit row, atomically', async () => {
      const { resourceType, ...rest } = JSON.parse(text) as Record<string, unknown>;
      const result = await services.saveRevision(id, JSON.stringify({ resourceType, language: 'id-ID', ...rest }), alice);
      expect(result).toMatchObject({ ok: true, revision: 2 });
      if (!result.ok) return;
      expect(result.diff).toMatch(/^--- revision 1\n\+\+\+ revision 2/);
      expect(result.diff).toContain('+  "language": "id-ID",');
      expect(result.diff).toMatch(/^@@ -1,5 \+1,6 @@$/m);
      expect(result.diff.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'))).toEqual([]);

      const item = await h.state.db('items').where('id', id).first();
      expect(item).toMatchObject({ current_revision: 2, status: 'not_sent', last_error: null });
      const rev = await h.state.db('request_revisions').where({ item_id: id, revision: 2 }).first();
      expect(rev).toMatchObject({ created_by: 'test:alice', edited: 1 });
      const links = await h.state.db('item_links').where('item_id', id);
      expect(links.length).toBeGreaterThan(0);
      const audit = await h.state.db('audit_log').where({ action: 'edit', target: `item:${id}` });
      expect(audit).toHaveLength(1);
      expect(audit[0].actor).toBe('test:alice');

      const detail = (await services.showItem(id))!;
      expect(detail.revisions.map((r) => r.revision)).toEqual([2, 1]);
      expect(detail.current).toMatchObject({ revision: 2, edited: true, createdBy: 'test:alice' });
    });
  });

  describe('resend', () => {
    it('queues a failed item: job in Redis, status queued, audited; refuses sent and blocked items', async () => {
      const failed = await idsWhere(h, { resource_type: 'Encounter', status: 'failed' });
      const target = failed[0]!;
      const result = await services.resend([target], alice);
      // No process sends in this suite: the write is recorded and says so.
      expect(result).toEqual({ queued: [target], skipped: [], waiting: expect.stringMatching(/^resend of 1 item recorded, but .*nothing is sent until one runs/) });
      const job = await rt.queue.getJob(sendJobId({ itemId: target, revision: 1 }));
      expect(job?.data).toEqual({ itemId: target, revision: 1 });
      expect((await h.state.db('items').where('id', target).first()).status).toBe('queued');
      expect(await count(h, 'audit_log', { action: 'resend', target: `item:${target}` })).toBe(1);

      const [sent] = await idsWhere(h, { resource_type: 'Location', status: 'sent' });
      const [blocked] = await idsWhere(h, { resource_type: 'Encounter', status: 'blocked' });
      expect(blocked, 'the seed has an Encounter waiting for its patient').toBeDefined();
      const refused = await services.resend([sent!, blocked!, 999_999], alice);
      expect(refused.queued).toEqual([]);
      expect(refused.skipped.find((s) => s.id === sent)?.reason).toMatch(/already sent/);
      expect(refused.skipped.find((s) => s.id === blocked)?.reason).toMatch(/blocked/);
      expect(refused.skipped.find((s) => s.id === 999_999)?.reason).toBe('not found');
      expect((await h.state.db('items').where('id', sent!).first()).status).toBe('sent');
    });

    it('a dry run of a bulk resend counts and changes nothing', async () => {
      const before = await h.state.db('items').select('status').count({ n: '*' }).groupBy('status');
      const auditBefore = await count(h, 'audit_log');
      const failedCount = await count(h, 'items', { resource_type: 'Encounter', status: 'failed' });
      const dry = await services.resendMatching({ type: 'Encounter', status: 'failed' }, alice, { dryRun: true });
      expect(dry.matched).toBe(failedCount);
      expect(dry.queued).toBe(0);
      expect(dry.sampleIds.length).toBe(Math.min(10, failedCount));
      expect(await h.state.db('items').select('status').count({ n: '*' }).groupBy('status')).toEqual(before);
      expect(await count(h, 'audit_log')).toBe(auditBefore);
    });

    it('the next sync sends the resent and the edited item: one create each, nothing else', async () => {
      const queued = await idsWhere(h, { resource_type: 'Encounter', status: 'queued' });
      const edited = await idsWhere(h, { resource_type: 'Encounter', status: 'not_sent' });
      expect(queued).toHaveLength(1);
      expect(edited).toHaveLength(1);
      const before = h.simulator.stats();
      const failedBefore = await count(h, 'items', { resource_type: 'Encounter', status: 'failed' });
      await syncOnce(rt, { types: ['Encounter'], pollMs: 50 });
      const after = h.simulator.stats();
      expect((after.created.Encounter ?? 0) - (before.created.Encounter ?? 0)).toBe(2);
      expect(after.duplicateIdentifiersStored).toBe(0);
      for (const id of [...queued, ...edited]) {
        const item = await h.state.db('items').where('id', id).first();
        expect(item.status).toBe('sent');
        expect(item.satusehat_id).toBeTruthy();
      }
      expect(await count(h, 'items', { resource_type: 'Encounter', status: 'failed' })).toBe(failedBefore);
      const stored = h.simulator.resources('Encounter');
      const editedId = (await h.state.db('items').where('id', edited[0]!).first()).satusehat_id;
      expect(stored.find((r) => r.id === editedId)?.language).toBe('id-ID');
    });

    it('a bulk resend queues every failed item and writes one bulk audit row', async () => {
      const failedCount = await count(h, 'items', { resource_type: 'Encounter', status: 'failed' });
      const result = await services.resendMatching({ type: 'Encounter', status: 'failed' }, alice, { dryRun: false });
      expect(result).toMatchObject({ matched: failedCount, queued: failedCount });
      expect(await count(h, 'items', { resource_type: 'Encounter', status: 'failed' })).toBe(0);
      expect(await count(h, 'audit_log', { action: 'resend_bulk' })).toBe(1);
      expect(await rt.queue.getJobCountByTypes('waiting', 'prioritized', 'delayed')).toBeGreaterThanOrEqual(failedCount);
    });
  });

  describe('login and users check', () => {
    it('lets in admins with the permission, refuses everyone else with a clear reason, audits all', async () => {
      const ok = await services.login('admin', 'admin123');
      expect(ok).toEqual({ ok: true, operator: { username: 'admin', name: 'Rudi Hartono', role: 'admin' } });

      const dokter = await services.login('dokter', 'dokter123');
      expect(dokter).toMatchObject({ ok: false, reason: 'no_role' });
      if (!dokter.ok) expect(dokter.message).toMatch(/role is "dokter".*admin or superadmin/);
      const admin2 = await services.login('admin2', 'admin123');
      expect(admin2).toMatchObject({ ok: false, reason: 'no_permission' });
      if (!admin2.ok) expect(admin2.message).toMatch(/permission "satusehat" is missing/);
      const inactive = await services.login('nonaktif', 'nonaktif123');
      expect(inactive).toMatchObject({ ok: false, reason: 'inactive' });
      if (!inactive.ok) expect(inactive.message).toMatch(/deactivated/);

      // Wrong password and unknown user: the same message, and nothing about the account.
      const wrong = await services.login('admin', 'admin124');
      const unknown = await services.login('nobody', 'admin123');
      const inactiveWrong = await services.login('nonaktif', 'wrong');
      expect(wrong.ok || unknown.ok || inactiveWrong.ok).toBe(false);
      if (!wrong.ok && !unknown.ok && !inactiveWrong.ok) {
        expect(wrong.message).toBe(unknown.message);
        expect(inactiveWrong.message).toBe(unknown.message);
      }

      const rows = await h.state.db('audit_log').whereIn('action', ['login', 'login_refused']).orderBy('id');
      expect(rows.map((r) => [r.actor, r.action])).toEqual([
        ['admin', 'login'], ['dokter', 'login_refused'], ['admin2', 'login_refused'], ['nonaktif', 'login_refused'],
        ['admin', 'login_refused'], ['nobody', 'login_refused'], ['nonaktif', 'login_refused'],
      ]);
      const details = typeof rows[5].details === 'string' ? JSON.parse(rows[5].details) : rows[5].details;
      expect(details).toMatchObject({ reason: 'unknown_user', terminal: expect.stringContaining(`pid ${process.pid}`) });
    });

    it('users check says what is missing', async () => {
      expect(await services.checkUser('superadmin')).toMatchObject({ exists: true, allowed: true, role: 'superadmin', reasons: [] });
      const admin2 = await services.checkUser('admin2');
      expect(admin2).toMatchObject({ exists: true, active: true, allowed: false });
      expect(admin2.reasons).toEqual(['the permission "satusehat" is missing']);
      expect(await services.checkUser('ghost')).toMatchObject({ exists: false, allowed: false });
    });

    it('repeated wrong logins are throttled per account and per terminal, and every refusal is audited by the name tried', async () => {
      const terminal = () => openServices(h.config);
      const [first, second, third, fourth] = await Promise.all([terminal(), terminal(), terminal(), terminal()]);
      try {
        for (let i = 0; i < FREE_TRIES; i += 1) expect(await first.login('superadmin', `wrong-${i}`)).toMatchObject({ ok: false, reason: 'wrong_password' });
        // The next try waits, even with the right password, and the password is not even compared.
        const throttled = await first.login('superadmin', 'superadmin123');
        expect(throttled).toMatchObject({ ok: false, reason: 'throttled', message: 'Too many failed logins: wait 1 s before trying again' });
        // Per account: another terminal is held back for that account too…
        expect(await second.login('superadmin', 'superadmin123')).toMatchObject({ ok: false, reason: 'throttled' });
        // …and after the wait the right password gets in, which ends the run of wrong tries.
        await new Promise((r) => setTimeout(r, 1100));
        expect(await second.login('superadmin', 'superadmin123')).toMatchObject({ ok: true });
        expect(await first.login('superadmin', 'superadmin123')).toMatchObject({ ok: true });

        // Per terminal: wrong tries on names that do not exist hold back this terminal only.
        for (const name of ['tebak1', 'tebak2', 'tebak3']) expect(await third.login(name, 'x')).toMatchObject({ ok: false, reason: 'unknown_user' });
        expect(await third.login('superadmin', 'superadmin123')).toMatchObject({ ok: false, reason: 'throttled' });
        expect(await fourth.login('superadmin', 'superadmin123')).toMatchObject({ ok: true });

        const refused = await h.state.db('audit_log').where('action', 'login_refused').whereIn('actor', ['superadmin', 'tebak1', 'tebak2', 'tebak3']).orderBy('id');
        const reasons = refused.map((r) => [r.actor, (typeof r.details === 'string' ? JSON.parse(r.details) : r.details).reason]);
        expect(reasons).toEqual([
          ['superadmin', 'wrong_password'], ['superadmin', 'wrong_password'], ['superadmin', 'wrong_password'], ['superadmin', 'throttled'], ['superadmin', 'throttled'],
          ['tebak1', 'unknown_user'], ['tebak2', 'unknown_user'], ['tebak3', 'unknown_user'], ['superadmin', 'throttled'],
        ]);
        for (const r of refused) expect(r.target).toBe(`user:${r.actor}`);
      } finally {
        await Promise.all([first, second, third, fourth].map((s) => s.close()));
      }
    });
  });

  describe('control', () => {
    it('pause and resume are shared, shown and audited', async () => {
      const initial = await services.control();
      // The syncs above have ended: nothing sends, so no circuit state is claimed.
      expect(initial).toMatchObject({ paused: false, circuit: 'unknown', environment: 'simulator', rateLimitPerMinute: 100000 });
      expect(initial.liveness).toMatchObject({ state: 'never', sending: false });
      // The last hour per minute: the syncs above, 60 values each, summing to what the attempts table holds.
      const sum = (v: number[]) => v.reduce((x, y) => x + y, 0);
      expect(initial.activity.requests).toHaveLength(60);
      const [[{ requests, sent }]] = (await h.state.db.raw("SELECT SUM(url NOT LIKE '%(transaction Bundle)') AS requests, SUM(http_code BETWEEN 200 AND 299 AND method <> 'GET') AS sent FROM attempts WHERE started_at > NOW(3) - INTERVAL 60 MINUTE")) as unknown as [[{ requests: string; sent: string }]];
      expect(sum(initial.activity.requests)).toBe(Number(requests));
      expect(sum(initial.activity.sent)).toBe(Number(sent));
      expect(Number(sent)).toBeGreaterThan(0);
      const backlog = Number((await h.state.db('items').whereIn('status', ['not_sent', 'queued', 'sending', 'checking']).count({ n: '*' }))[0]!.n);
      expect(initial.activity.backlog).toBe(backlog);
      expect(initial.lastRun?.status).toBe('ok');
      expect(initial.requestsLastMinute).toBeGreaterThan(0);

      const paused = await services.pause(alice, 'SATUSEHAT maintenance');
      expect(paused).toMatchObject({ paused: true, pausedBy: 'test:alice', pausedReason: 'SATUSEHAT maintenance' });
      expect(Date.parse(paused.pausedAt!)).toBeGreaterThan(Date.now() - 60_000);
      const resumed = await services.resume(alice);
      expect(resumed).toMatchObject({ paused: false, pausedBy: null });
      const audit = await services.audit(2);
      expect(audit.map((a) => a.action)).toEqual(['resume', 'pause']);
      expect(audit[1]!.details).toEqual({ reason: 'SATUSEHAT maintenance' });
    });

    it('shows the circuit and next run from a live daemon\'s heartbeat, and neither once its beats stop', async () => {
      const beat = {
        instance: 'host-a:4242:daemon', role: 'daemon', host: 'host-a', pid: 4242, version: '0.1.0', started_at: new Date(Date.now() - 60_000), beat_at: h.state.db.fn.now(3),
        interval_ms: 5_000, doing: 'idle', paused: false, circuit: 'open', circuit_reason: '5 consecutive failures (last: HTTP 503)', circuit_since: new Date(), next_run_at: new Date('2026-11-20T03:05:00.000Z'), rate_limit_per_minute: 90,
      };
      await h.state.db('daemon_heartbeats').insert(beat);
      const live = await services.control();
      expect(live).toMatchObject({ circuit: 'open', circuitReason: '5 consecutive failures (last: HTTP 503)', nextRunAt: '2026-11-20T03:05:00.000Z', rateLimitPerMinute: 90 });
      expect(live.liveness).toMatchObject({ state: 'running', sending: true, circuitOwner: 'host-a:4242:daemon' });
      // Twelve seconds without a beat (more than two of its 5 s intervals): down, and its circuit and schedule are not claimed.
      await h.state.db('daemon_heartbeats').where('instance', beat.instance).update({ beat_at: h.state.db.raw('NOW(3) - INTERVAL 12 SECOND') });
      const down = await services.control();
      expect(down).toMatchObject({ circuit: 'unknown', circuitReason: null, nextRunAt: null, rateLimitPerMinute: h.config.rateLimitPerMinute });
      expect(down.liveness).toMatchObject({ state: 'down', sending: false, last: expect.objectContaining({ instance: beat.instance }) });
      await h.state.db('daemon_heartbeats').del();
    });

    it('regenerate queues one run and one control job per foundation type, and refuses other types', async () => {
      await expectUsageError(services.regenerate('Encounter', alice), /only for foundation types/);
      const { runId, alreadyQueued } = await services.regenerate('Patient', alice);
      expect(alreadyQueued).toBe(false);
      const run = await h.state.db('sync_runs').where('id', runId).first();
      expect(run).toMatchObject({ trigger: 'regenerate', status: 'queued', resource_type: 'Patient', requested_by: 'test:alice' });
      const queue = new Queue<ControlJobData>(CONTROL_QUEUE, { connection: { url: TEST_REDIS_URL }, prefix: h.config.queuePrefix });
      try {
        const job = await queue.getJob(regenerateJobId(runId));
        expect(job?.data).toEqual({ kind: 'regenerate', type: 'Patient', runId, operator: 'test:alice' });
        // Asking again returns the same run, and puts its job back if Redis lost it.
        await queue.remove(regenerateJobId(runId));
        expect(await services.regenerate('Patient', alice)).toMatchObject({ runId, alreadyQueued: true });
        expect((await queue.getJob(regenerateJobId(runId)))?.data.runId).toBe(runId);
      } finally {
        await queue.close();
      }
      expect((await services.control()).regenerating).toEqual([expect.objectContaining({ type: 'Patient', runId, done: 0, total: null })]);
      expect(await count(h, 'audit_log', { action: 'regenerate' })).toBe(1);
    });
  });
});

describe('migration 20261127000002', () => {
  it('creates its tables, columns and named indexes, and rolls back cleanly', async () => {
    const t = await createTestDatabase('mig');
    try {
      await migrateLatest(t.db);
      const indexes = (await t.db.raw('SHOW INDEX FROM items'))[0].map((r: { Key_name: string }) => r.Key_name);
      expect(indexes).toEqual(expect.arrayContaining(['items_type_id_idx', 'items_type_search_idx']));
      const auditIdx = (await t.db.raw('SHOW INDEX FROM audit_log'))[0].map((r: { Key_name: string }) => r.Key_name);
      expect(auditIdx).toEqual(expect.arrayContaining(['audit_log_at_idx', 'audit_log_actor_idx']));
      expect(await t.db.schema.hasColumn('sync_runs', 'progress')).toBe(true);
      await migrateRollbackAll(t.db);
      expect(await t.db.schema.hasTable('audit_log')).toBe(false);
      expect(await t.db.schema.hasTable('control_state')).toBe(false);
      await migrateLatest(t.db);
      expect(await t.db.schema.hasTable('control_state')).toBe(true);
    } finally {
      await t.drop();
    }
  });

  it('openServices tells a refused login from a database the user may not use', async () => {
    const server = new URL(TEST_MYSQL_URL);
    const at = (user: string, password: string, database: string) => `mysql://${user}:${password}@${server.host}/${database}`;
    const failure = (url: string) => openServices(loadConfig({ STATE_DATABASE_URL: url })).then(() => null, (e: unknown) => e as ExitError);

    const wrongPassword = await failure(at(server.username, 'not-the-password', 'satusehat_state'));
    expect(wrongPassword?.exitCode).toBe(5);
    expect(wrongPassword?.message).toMatch(/MySQL refused the login for STATE_DATABASE_URL at mysql:\/\/\w+:\*\*\*@/);

    // The test user's grants cover satusehat_% only (.ci/run): it logs in, but not into this one.
    const notGranted = await failure(at(server.username, decodeURIComponent(server.password), 'clinic_not_granted'));
    expect(notGranted?.exitCode).toBe(5);
    expect(notGranted?.message).toContain(`MySQL user '${server.username}' may not use database 'clinic_not_granted'`);
    expect(notGranted?.message).toContain('GRANT ALL PRIVILEGES ON `clinic_not_granted`.*');
    expect(notGranted?.message).toContain(`mysql://${server.username}:***@`);
    expect(notGranted?.message).not.toContain(`:${decodeURIComponent(server.password)}@`);
  });

  it('openServices says to migrate when the state DB is behind', async () => {
    const t = await createTestDatabase('old');
    try {
      const db = connectMysql(t.url);
      await db.schema.createTable('items', (tb) => tb.increments('id'));
      await db.destroy();
      const err = await openServices(loadConfig({ STATE_DATABASE_URL: t.url })).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(ExitError);
      expect((err as ExitError).exitCode).toBe(5);
      expect((err as ExitError).message).toMatch(/not migrated .*satusehat migrate/);
    } finally {
      await t.drop();
    }
  });

  it('the daemon and the services refuse a state DB one migration behind, and open it once migrated', async () => {
    const t = await createTestDatabase('behind');
    try {
      await migrateLatest(t.db);
      await t.db.migrate.down({ migrationSource, tableName: 'knex_migrations' });
      const latest = (await migrationSource.getMigrations([])).at(-1)!;
      const config = loadConfig({ STATE_DATABASE_URL: t.url, REDIS_URL: TEST_REDIS_URL });
      const opens = { services: () => openServices(config), daemon: () => openRuntime(config, createLogger({ level: 'silent' })) };
      for (const [kind, open] of Object.entries(opens)) {
        const err = await open().then(async (opened) => {
          await opened.close();
          return null;
        }, (e: unknown) => e);
        expect(err, kind).toBeInstanceOf(ExitError);
        expect((err as ExitError).exitCode, kind).toBe(5);
        expect((err as ExitError).message, kind).toContain(`not migrated (1 pending, from ${latest})`);
      }
      // The check reads knex's table and leaves it as it was.
      expect(await t.db('knex_migrations').pluck('name')).not.toContain(latest);
      await migrateLatest(t.db);
      const services = await openServices(config);
      expect((await services.control()).paused).toBe(false);
      await services.close();
    } finally {
      await t.drop();
    }
  });
});
