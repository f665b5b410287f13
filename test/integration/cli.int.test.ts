// The operator commands as an on-call engineer runs them: `node bin/satusehat.js ...` in a child
// process without a terminal, against real MariaDB + Redis and the simulator. Checks exit codes,
// --json shapes, and that refused or dry-run commands change nothing.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncOnce } from '../../daemon/sync-once.js';
import { dropDatabase, withDatabase } from '../../shared/db/connect.js';
import { migrationSource } from '../../migrations/index.js';
import { createTestDatabase, TEST_MYSQL_URL } from '../support/test-db.js';
import { createHarness, type Harness } from '../support/pipeline-harness.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const OPERATOR = `cli:${userInfo().username}`;

describe('satusehat operator commands', () => {
  let h: Harness;
  let scratch: string;
  /** Temp dirs the CLI kept on purpose (an edit that did not validate). */
  const kept: string[] = [];

  const cli = (args: string[], env: Record<string, string> = {}): Promise<Run> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, ['bin/satusehat.js', ...args], {
        env: { ...process.env, ...h.env, NO_COLOR: '1', COLUMNS: '140', VISUAL: '', EDITOR: '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += String(d)));
      child.stderr.on('data', (d) => (stderr += String(d)));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });

  const statusCounts = async () => h.state.db('items').select('status').count({ n: '*' }).groupBy('status').orderBy('status');
  const itemStatus = async (id: number) => (await h.state.db('items').where('id', id).first()).status as string;
  const idsWhere = async (where: Record<string, unknown>) => (await h.state.db('items').select('id').where(where).orderBy('id')).map((r) => Number(r.id));
  const auditCount = async (where: Record<string, unknown> = {}) => Number(((await h.state.db('audit_log').where(where).count({ n: '*' })) as Array<{ n: number }>)[0]!.n);

  /** An $EDITOR: a shell script that edits the file it is given. */
  const editor = (name: string, script: string) => {
    const path = join(scratch, name);
    writeFileSync(path, `#!/bin/sh\n${script}\n`);
    chmodSync(path, 0o755);
    return path;
  };

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'satusehat-cli-test-'));
    h = await createHarness({ patients: 30, visits: 80, seed: 4, env: { MAX_ATTEMPTS: '1', CIRCUIT_THRESHOLD: '1000000' } });
    const rt = await h.openRuntime();
    await syncOnce(rt, { types: ['Organization', 'Location', 'Practitioner', 'Patient'], pollMs: 50 });
    // SATUSEHAT refuses the Encounters' writes (its look-ups answer, and find nothing): they end
    // failed, ready to be resent.
    h.simulator.setFaults({ errorRate5xx: 1, faultScope: 'writes' });
    await syncOnce(rt, { types: ['Encounter'], pollMs: 50 });
    h.simulator.setFaults({ errorRate5xx: 0, faultScope: 'all' });
    await rt.close();
  });
  afterAll(async () => {
    for (const dir of [scratch, ...kept]) if (dir) rmSync(dir, { recursive: true, force: true });
    await h?.close();
  });

  it('prints help for every command', async () => {
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['items', 'resend', 'edit', 'regenerate', 'pause', 'resume', 'users', 'audit', 'tui', 'status', 'sync', 'verify']) expect(top.stdout).toContain(command);
    const list = await cli(['items', 'list', '--help']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/--page-size/);
    expect((await cli(['resend', '--help'])).stdout).toMatch(/--dry-run[\s\S]*--json/);
  });

  describe('items', () => {
    it('list --json has the documented keys and the same total as SQL', async () => {
      const r = await cli(['items', 'list', '--type', 'Encounter', '--status', 'failed', '--page-size', '5', '--json']);
      expect(r.code).toBe(0);
      const page = JSON.parse(r.stdout);
      expect(Object.keys(page).sort()).toEqual(['columns', 'page', 'pageCount', 'pageSize', 'query', 'rows', 'total']);
      expect(page.total).toBe((await idsWhere({ resource_type: 'Encounter', status: 'failed' })).length);
      expect(page.rows).toHaveLength(5);
      expect(Object.keys(page.rows[0]).sort()).toEqual(
        ['attemptCount', 'blockedBy', 'businessDate', 'currentRevision', 'errorClass', 'httpCode', 'id', 'lastError', 'satusehatId', 'sentAt', 'sourceKey', 'status', 'summary', 'type', 'updatedAt'].sort(),
      );
    });

    it('list prints a table with badges and page x of y, without colour codes', async () => {
      const r = await cli(['items', 'list', '--type', 'Encounter', '--status', 'problem', '--page-size', '4']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^ID\s+STATUS\s+VISIT NO\./);
      expect(r.stdout).toMatch(/✗ 5\d\d/);
      expect(r.stdout).toMatch(/page 1 of \d+ · \d+ items/);
      expect(r.stdout).not.toContain('\u001b[');
      for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(140);
    });

    it('refuses bad input with one line on stderr and exit 2', async () => {
      for (const args of [
        ['items', 'list', '--type', 'Nope'],
        ['items', 'list', '--type', 'Encounter', '--date', '2026-13-01'],
        ['items', 'list', '--type', 'Encounter', '--status', 'weird'],
        ['items', 'list', '--type', 'Encounter', '--page', 'x'],
        ['items', 'show', 'abc'],
      ]) {
        const r = await cli(args);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
        expect(r.stdout).toBe('');
      }
      expect((await cli(['items', 'list', '--type', 'Nope'])).stderr).toMatch(/unknown resource type "Nope": choose from Organization/);
    });

    it('show: not found is exit 2; --json and --request have the documented shape', async () => {
      const missing = await cli(['items', 'show', '999999']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/item 999999 not found/);

      const [id] = await idsWhere({ resource_type: 'Encounter', status: 'failed' });
      const r = await cli(['items', 'show', String(id), '--json']);
      expect(r.code).toBe(0);
      const d = JSON.parse(r.stdout);
      expect(Object.keys(d).sort()).toEqual(['attempts', 'current', 'issues', 'item', 'nextSend', 'outcome', 'revisions']);
      expect(d.nextSend).toEqual({ method: 'POST', url: `${h.env.SATUSEHAT_FHIR_URL}/Encounter`, why: expect.stringMatching(/^a new resource/) });
      expect(d.outcome.hint).toMatch(/SATUSEHAT problem/);
      const request = await cli(['items', 'show', String(id), '--request']);
      expect(JSON.parse(request.stdout).resourceType).toBe('Encounter');
      const human = await cli(['items', 'show', String(id)]);
      expect(human.stdout).toMatch(/Hint: SATUSEHAT problem/);
      expect(human.stdout).toMatch(/Request \(revision 1, POST Encounter\)/);
      expect(human.stdout).toMatch(/next send: POST http:\/\/\S+\/fhir-r4\/v1\/Encounter \(a new resource/);
      expect(human.stdout).toMatch(/Attempts \(newest first\)/);
    });
  });

  describe('resend', () => {
    it('bulk without a terminal and without --yes: exit 2 with a hint, nothing changed', async () => {
      const before = await statusCounts();
      const r = await cli(['resend', '--type', 'Encounter', '--status', 'failed']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/needs confirmation: add --yes/);
      const [a, b] = await idsWhere({ resource_type: 'Encounter', status: 'failed' });
      const two = await cli(['resend', String(a), String(b)]);
      expect(two.code).toBe(2);
      expect(await statusCounts()).toEqual(before);
      expect(await auditCount({ action: 'resend' })).toBe(0);
    });

    it('--dry-run counts and changes nothing', async () => {
      const before = await statusCounts();
      const failed = await idsWhere({ resource_type: 'Encounter', status: 'failed' });
      const r = await cli(['resend', '--type', 'Encounter', '--status', 'failed', '--dry-run', '--json']);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out).toMatchObject({ dryRun: true, matched: failed.length, queued: 0 });
      expect(out.sampleIds).toEqual(failed.slice(0, 10));
      expect(await statusCounts()).toEqual(before);
      expect(await auditCount()).toBe(0);
    });

    it('bad combinations are usage errors', async () => {
      expect((await cli(['resend'])).code).toBe(2);
      expect((await cli(['resend', '--type', 'Encounter'])).stderr).toMatch(/needs --status/);
      expect((await cli(['resend', '--type', 'Encounter', '--status', 'failed', '--force'])).code).toBe(2);
      expect((await cli(['resend', '1', '--type', 'Encounter'])).code).toBe(2);
    });

    it('one failed item is queued and audited; a sent item is skipped with exit 3', async () => {
      const [id] = await idsWhere({ resource_type: 'Encounter', status: 'failed' });
      const r = await cli(['resend', String(id), '--json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ dryRun: false, queued: [id], skipped: [], waiting: expect.stringMatching(/nothing is sent until one runs/) });
      expect(r.stderr).toMatch(/note: resend of 1 item recorded, but no daemon has run/);
      expect(await itemStatus(id!)).toBe('queued');
      const audit = await h.state.db('audit_log').where({ action: 'resend', target: `item:${id}` }).first();
      expect(audit.actor).toBe(OPERATOR);

      const [sent] = await idsWhere({ resource_type: 'Organization', status: 'sent' });
      const skipped = await cli(['resend', String(sent)]);
      expect(skipped.code).toBe(3);
      expect(skipped.stdout).toMatch(/skipped \d+: already sent/);
      expect(await itemStatus(sent!)).toBe('sent');
    });

    it('Redis down: exit 5 and the item is untouched; reads still work', async () => {
      const [id] = await idsWhere({ resource_type: 'Encounter', status: 'failed' });
      const down = { REDIS_URL: 'redis://127.0.0.1:1' };
      const r = await cli(['resend', String(id)], down);
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(/Redis not reachable at redis:\/\/127\.0\.0\.1:1/);
      expect(await itemStatus(id!)).toBe('failed');
      expect((await cli(['items', 'list', '--type', 'Location', '--json'], down)).code).toBe(0);
    });
  });

  describe('edit', () => {
    it('a syntax error names file:line:column, keeps the text and exits 2 without a terminal', async () => {
      const [id] = (await idsWhere({ resource_type: 'Encounter', status: 'failed' })).slice(-1);
      const r = await cli(['edit', String(id)], { EDITOR: editor('break.sh', `sed -i '3s/$/ oops/' "$1"`) });
      expect(r.code).toBe(2);
      const match = /error: (\S+\.json):3:(\d+): invalid JSON: unexpected 'o'/.exec(r.stderr);
      expect(match, r.stderr).not.toBeNull();
      kept.push(dirname(match![1]!));
      expect(r.stderr).toContain(`your edit is kept in ${match![1]}`);
      expect(readFileSync(match![1]!, 'utf8')).toContain('oops');
      expect((await h.state.db('items').where('id', id!).first()).current_revision).toBe(1);

      // The kept file, fixed, is saved with --file.
      const fixed = readFileSync(match![1]!, 'utf8').replace(' oops', '').replace('{\n', '{\n  "language": "id-ID",\n');
      writeFileSync(match![1]!, fixed);
      const saved = await cli(['edit', String(id), '--file', match![1]!, '--no-send']);
      expect(saved.code, saved.stderr).toBe(0);
      expect(saved.stdout).toContain('+  "language": "id-ID",');
      expect(saved.stdout).toMatch(/saved item \d+ revision 2/);
      expect(existsSync(match![1]!)).toBe(true);
      const item = await h.state.db('items').where('id', id!).first();
      expect(item).toMatchObject({ current_revision: 2, status: 'not_sent' });
    });

    it('an unchanged file is "edit cancelled, no changes"', async () => {
      const [id] = await idsWhere({ resource_type: 'Encounter', status: 'failed' });
      const r = await cli(['edit', String(id)], { EDITOR: 'true' });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/edit cancelled, no changes/);
      expect((await h.state.db('items').where('id', id!).first()).current_revision).toBe(1);
    });

    it('a good edit is saved, diffed, audited and queued', async () => {
      const [id] = await idsWhere({ resource_type: 'Encounter', status: 'failed' });
      const r = await cli(['edit', String(id), '--json'], { EDITOR: editor('good.sh', `sed -i '2s/^/  "language": "id-ID",\\n/' "$1"`) });
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out).toMatchObject({ id, revision: 2, queued: true });
      expect(out.diff).toContain('+  "language": "id-ID",');
      expect(await itemStatus(id!)).toBe('queued');
      expect(await auditCount({ action: 'edit', target: `item:${id}`, actor: OPERATOR })).toBe(1);
    });

    it('lookups have nothing to edit', async () => {
      const [patient] = await idsWhere({ resource_type: 'Patient', status: 'sent' });
      const r = await cli(['edit', String(patient)], { EDITOR: 'true' });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/NIK lookup/);
    });
  });

  it('regenerate: foundation types only', async () => {
    const bad = await cli(['regenerate', 'Encounter']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/regenerate is only for foundation types/);
    const r = await cli(['regenerate', 'Location', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ type: 'Location', alreadyQueued: false });
    expect((await h.state.db('sync_runs').where('id', out.runId).first()).requested_by).toBe(OPERATOR);
    // No daemon runs here: the request is recorded, and both forms say nothing happens until one does.
    expect(out.waiting).toMatch(/^regeneration of Location \(run \d+\) recorded, but no daemon has run/);
    const again = await cli(['regenerate', 'Location']);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/note: regeneration of Location .* nothing is sent until one runs; start one with `satusehat daemon`/);
  });

  it('demo seed takes its own options after the subcommand (--reset, --visits)', async () => {
    const source = await createTestDatabase('seedcli');
    try {
      const env = { SOURCE_DATABASE_URL: source.url };
      const first = await cli(['demo', 'seed', '--visits', '7', '--patients', '4', '--json'], env);
      expect(first.code, first.stderr).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({ patients: 4, visits: 7 });
      const again = await cli(['demo', 'seed', '--visits', '9', '--patients', '4'], env);
      expect(again.code).not.toBe(0);
      expect(again.stderr).toMatch(/not empty/);
      const reset = await cli(['demo', 'seed', '--reset', '--visits', '9', '--patients', '4', '--json'], env);
      expect(reset.code, reset.stderr).toBe(0);
      expect(JSON.parse(reset.stdout)).toMatchObject({ patients: 4, visits: 9 });
    } finally {
      await source.drop();
    }
  });

  it('migrate creates a missing state database, then applies every migration', async () => {
    const url = withDatabase(TEST_MYSQL_URL, `satusehat_t_migcli_${process.pid}`);
    await dropDatabase(url);
    try {
      const run = await cli(['migrate', '--json'], { STATE_DATABASE_URL: url });
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).migrations).toEqual(await migrationSource.getMigrations([]));
      const again = await cli(['migrate'], { STATE_DATABASE_URL: url });
      expect(again.stdout).toMatch(/up to date/);
    } finally {
      await dropDatabase(url);
    }
  });

  it('status refuses a state DB one migration behind with exit 5 and names the migration', async () => {
    const behind = await createTestDatabase('behindcli');
    try {
      await behind.db.migrate.latest({ migrationSource, tableName: 'knex_migrations' });
      await behind.db.migrate.down({ migrationSource, tableName: 'knex_migrations' });
      const latest = (await migrationSource.getMigrations([])).at(-1)!;
      const r = await cli(['status'], { STATE_DATABASE_URL: behind.url });
      expect(r.code).toBe(5);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`is not migrated (1 pending, from ${latest}): run \`satusehat migrate\``);
      expect(r.stdout).toBe('');
    } finally {
      await behind.drop();
    }
  });

  it('verify: exit 0 when SATUSEHAT holds what we sent, 3 with the disagreement, 2 for bad arguments', async () => {
    const agree = await cli(['verify', '--type', 'Location']);
    expect(agree.code, agree.stderr).toBe(0);
    expect(agree.stdout).toMatch(/^verify: [1-9]\d* checked, [1-9]\d* agree, 0 missing, 0 changed, 0 duplicated, 0 unknown\n$/);
    const location = await h.state.db('items').where({ resource_type: 'Location', status: 'sent' }).first();
    expect(h.simulator.remove('Location', location.satusehat_id)).toBe(true);
    const missing = await cli(['verify', '--type', 'Location', '--json', '--rate-share', '0.5']);
    expect(missing.code).toBe(3);
    const report = JSON.parse(missing.stdout);
    expect(report.disagreements).toEqual([expect.objectContaining({ kind: 'missing', itemId: Number(location.id), satusehatId: location.satusehat_id })]);
    const text = await cli(['verify', '--type', 'Location']);
    expect(text.stdout).toMatch(/^missing\s+Location .*item \d+, sent.*HTTP 404/m);
    expect(text.stdout).toMatch(/satusehat verify --repair/);
    for (const args of [['verify', '--rate-share', '2'], ['verify', '--type', 'Patient'], ['verify', '--sample', '0'], ['verify', '--bogus']]) {
      const bad = await cli(args);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stderr.trim().split('\n')[0]).toMatch(/rate-share|looked up, not created|--sample|unknown option/);
    }
  });

  it('users check: exit 0 when allowed, 3 with reasons when not', async () => {
    const ok = await cli(['users', 'check', 'admin', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ username: 'admin', exists: true, active: true, role: 'admin', allowed: true, reasons: [] });
    const dokter = await cli(['users', 'check', 'dokter']);
    expect(dokter.code).toBe(3);
    expect(dokter.stdout).toMatch(/not allowed: dokter[\s\S]*role is "dokter"/);
  });

  it('pause, resume, status and audit', async () => {
    const paused = await cli(['pause', '--reason', 'SATUSEHAT maintenance', '--json']);
    expect(paused.code).toBe(0);
    expect(JSON.parse(paused.stdout)).toMatchObject({ paused: true, pausedBy: OPERATOR, pausedReason: 'SATUSEHAT maintenance' });
    const status = await cli(['status']);
    expect(status.stdout).toMatch(/sending PAUSED by cli:\S+ since .* \(SATUSEHAT maintenance\)/);
    // No daemon has run in this suite: status says so, with the command to start one, and claims no schedule.
    expect(status.stdout).toMatch(/no daemon has run against this state database; nothing is sent until one runs: start one with `satusehat daemon`/);
    expect(status.stdout).not.toMatch(/daemon running|next \d/);
    const resumed = await cli(['resume', '--json']);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ paused: false });
    const statusJson = JSON.parse((await cli(['status', '--json'])).stdout);
    expect(statusJson.control).toMatchObject({ paused: false, circuit: 'unknown', nextRunAt: null, liveness: { state: 'never', sending: false } });

    const audit = await cli(['audit', '--limit', '3', '--json']);
    expect(audit.code).toBe(0);
    const entries = JSON.parse(audit.stdout);
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['resume', 'pause', 'regenerate']);
    expect(Object.keys(entries[0]).sort()).toEqual(['action', 'actor', 'at', 'details', 'id', 'target']);
    const table = await cli(['audit']);
    expect(table.stdout).toMatch(/^AT\s+ACTOR\s+ACTION/);
    expect(table.stdout).toMatch(/pause\s+sending\s+\{"reason":"SATUSEHAT maintenance"\}/);
  });
});
