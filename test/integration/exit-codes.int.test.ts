// Every exit code in the README's table, produced by the real CLI (`node bin/satusehat.js`) in a
// child process without a terminal, as cron and scripts run it; and `sync --once --quiet`, which
// is for cron: silent and 0 unless items became failed or invalid in that run.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractLockKey } from '../../daemon/sync-once.js';
import { createRedis } from '../../shared/queue/redis.js';
import { createTestDatabase, TEST_REDIS_URL } from '../support/test-db.js';
import { migrateLatest } from '../../shared/db/state/migrate.js';
import { createHarness, type Harness } from '../support/pipeline-harness.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A port nothing listens on. */
const CLOSED = 'http://127.0.0.1:9/';

describe('exit codes (README table) and sync --once --quiet', () => {
  let h: Harness;
  const cli = (args: string[], env: Record<string, string> = {}, onStart?: (kill: (signal: NodeJS.Signals) => void, out: () => string) => void): Promise<Run> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, ['bin/satusehat.js', ...args], { env: { ...process.env, ...h.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += String(d)));
      child.stderr.on('data', (d) => (stderr += String(d)));
      onStart?.((signal) => child.kill(signal), () => stdout + stderr);
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
  const count = async (statuses: string[]) => Number((await h.state.db('items').whereIn('status', statuses).count({ n: '*' }))[0]!.n);

  beforeAll(async () => {
    h = await createHarness({ patients: 20, visits: 60, seed: 8, simulator: { unknownNikPercent: 0 }, env: { MAX_ATTEMPTS: '2' } });
  });
  afterAll(async () => h?.close());

  it('sync --once --quiet: a summary and 3 for what went wrong in this run, then silence and 0 while only known bad rows remain', async () => {
    const first = await cli(['sync', '--once', '--quiet']);
    // The demo data's deliberate bad rows (a future visit, an unknown ICD-10 code…) become invalid in this first run.
    const invalid = await count(['invalid']);
    expect(invalid).toBeGreaterThan(0);
    expect(first.code, first.stderr).toBe(3);
    expect(first.stdout).toMatch(new RegExp(`^sync run \\d+: ${invalid + (await count(['failed']))} items? became failed or invalid in this run`));
    expect(first.stdout).toMatch(/invalid \(/);
    expect(first.stdout.split('\n').length).toBeLessThan(30);

    const again = await cli(['sync', '--once', '--quiet']);
    expect(again).toEqual({ code: 0, stdout: '', stderr: '' });
    // Without --quiet the known bad rows still make it 3, with the table and the reasons.
    const loud = await cli(['sync', '--once']);
    expect(loud.code).toBe(3);
    expect(loud.stdout).toMatch(/Not sent, and why/);

    // A new bad row in Dekacare: this run's mail says exactly that one.
    const visit = await h.source.db('visits').where('status', 'finished').orderBy('id', 'desc').first('id');
    await h.source.db('visits').where('id', visit.id).update({ arrived_at: '2099-01-01 08:00:00', started_at: '2099-01-01 08:10:00', finished_at: '2099-01-01 08:30:00', updated_at: h.source.db.fn.now() });
    const fresh = await cli(['sync', '--once', '--quiet']);
    expect(fresh.code, fresh.stderr).toBe(3);
    expect(fresh.stdout).toMatch(/^sync run \d+: 1 item became failed or invalid in this run/);
    expect(fresh.stdout).toMatch(/Encounter invalid/);
    expect((await cli(['sync', '--once', '--quiet'])).code).toBe(0);
  });

  it('0: success; 2: usage (unknown option, a missing id, config problems one per line)', async () => {
    expect((await cli(['status'])).code).toBe(0);
    const unknown = await cli(['status', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--bogus'/);

    const before = await count(['queued', 'not_sent']);
    const missing = await cli(['resend', '987654321']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^satusehat: no item with id 987654321: nothing was queued/);
    // A missing id among real ones: still nothing is queued.
    const sent = Number((await h.state.db('items').where('status', 'sent').first('id')).id);
    expect((await cli(['resend', String(sent), '987654321', '--force'])).code).toBe(2);
    expect(await count(['queued', 'not_sent'])).toBe(before);

    const config = await cli(['status'], { SATUSEHAT_ENV: 'production', SATUSEHAT_CLIENT_ID: '', SATUSEHAT_CLIENT_SECRET: '', SATUSEHAT_ORG_ID: '' });
    expect(config.code).toBe(2);
    const lines = config.stderr.trim().split('\n');
    expect(lines[0]).toBe('satusehat: invalid configuration (3 problems):');
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^ {2}- SATUSEHAT_CLIENT_ID is required for production$/),
      expect.stringMatching(/^ {2}- SATUSEHAT_CLIENT_SECRET .*is required for production$/),
      expect.stringMatching(/^ {2}- SATUSEHAT_ORG_ID is required for production$/),
    ]);
  });

  it('3: a run that leaves failed or invalid items exits 3 even when sending is paused', async () => {
    expect((await cli(['pause', '--reason', 'exit-code test'])).code).toBe(0);
    try {
      expect(await count(['invalid'])).toBeGreaterThan(0);
      const paused = await cli(['sync', '--once']);
      expect(paused.code).toBe(3);
      expect(paused.stdout).toMatch(/dispatching is paused by an operator/);
    } finally {
      expect((await cli(['resume'])).code).toBe(0);
    }
  });

  it('4: SATUSEHAT unreachable, with a cached token (FHIR down) and without (token endpoint down)', async () => {
    // Work to send: one sent item again as an update. The token from the runs above is cached in Redis.
    const sent = Number((await h.state.db('items').where({ resource_type: 'Encounter', status: 'sent' }).first('id')).id);
    expect((await cli(['resend', String(sent), '--force'])).code).toBe(0);
    const attempts = async () => Number((await h.state.db('attempts').where('item_id', sent).count({ n: '*' }))[0]!.n);
    const attemptsBefore = await attempts();
    const fhirDown = await cli(['sync', '--once'], { SATUSEHAT_FHIR_URL: `${CLOSED}fhir-r4/v1` });
    expect(fhirDown.code, fhirDown.stderr).toBe(4);
    expect(fhirDown.stderr).toMatch(/^satusehat: SATUSEHAT unavailable at http:\/\/127\.0\.0\.1:9\/fhir-r4\/v1: .*nothing was sent/m);
    expect(await attempts(), 'the item spent no attempt').toBe(attemptsBefore);
    expect(await h.state.db('items').where('id', sent).first('status')).toMatchObject({ status: expect.stringMatching(/^(queued|not_sent)$/) });

    const authDown = await cli(['sync', '--once'], { SATUSEHAT_AUTH_URL: `${CLOSED}oauth2/v1` });
    expect(authDown.code).toBe(4);
    expect(authDown.stderr).toMatch(/^satusehat: SATUSEHAT unavailable at http:\/\/127\.0\.0\.1:9\/oauth2\/v1/m);
    // Reachable again: the waiting item goes.
    expect((await cli(['sync', '--once', '--quiet'])).code).toBe(0);
    expect((await h.state.db('items').where('id', sent).first('status')).status).toBe('sent');
  });

  it('5: MySQL or Redis unavailable', async () => {
    const mysql = await cli(['status'], { STATE_DATABASE_URL: 'mysql://satusehat:satusehat@127.0.0.1:9/nothing' });
    expect(mysql.code).toBe(5);
    expect(mysql.stderr).toMatch(/MySQL\/MariaDB not reachable at/);
    // Reads need no Redis; a write does.
    const sent = Number((await h.state.db('items').where('status', 'sent').first('id')).id);
    const redis = await cli(['resend', String(sent), '--force'], { REDIS_URL: 'redis://127.0.0.1:9' });
    expect(redis.code).toBe(5);
    expect(redis.stderr).toMatch(/Redis not reachable at redis:\/\/127\.0\.0\.1:9/);
    expect((await h.state.db('items').where('id', sent).first('status')).status, 'nothing half-written').toBe('sent');
  });

  it('6: another sync holds the lock', async () => {
    const redis = createRedis(TEST_REDIS_URL);
    const key = extractLockKey(h.config.queuePrefix);
    try {
      await redis.set(key, 'another-host:4242:token', 'PX', 60_000);
      const locked = await cli(['sync', '--once']);
      expect(locked.code).toBe(6);
      expect(locked.stderr).toMatch(/another sync is running \(lock held by another-host:4242\)/);
    } finally {
      await redis.del(key);
      redis.disconnect();
    }
  });

  it('130: interrupted with Ctrl-C (SIGINT) mid-run; the next run finishes the work', async () => {
    h.simulator.setFaults({ latencyMs: 300 });
    try {
      await h.state.db('items').where({ resource_type: 'Encounter', status: 'sent' }).limit(40).update({ source_hash: null });
      await h.source.db('visits').update({ updated_at: h.source.db.fn.now() });
      const interrupted = await cli(['sync', '--once', '--full'], {}, (kill) => {
        const timer = setInterval(async () => {
          if ((await count(['sending', 'queued'])) > 0) {
            clearInterval(timer);
            kill('SIGINT');
          }
        }, 100);
      });
      expect(interrupted.code, `${interrupted.stdout}\n${interrupted.stderr}`).toBe(130);
      expect(interrupted.stdout).toMatch(/sync run \d+ interrupted/);
    } finally {
      h.simulator.setFaults({ latencyMs: 0 });
    }
    expect((await cli(['sync', '--once', '--quiet'])).code).toBe(0);
    expect(await count(['sending', 'queued', 'not_sent'])).toBe(0);
  });

  it('1: an internal error (a table missing under a migrated state database) prints its stack trace', async () => {
    const broken = await createTestDatabase('broken');
    try {
      await migrateLatest(broken.db);
      await broken.db.schema.dropTable('item_counts');
      const r = await cli(['status'], { STATE_DATABASE_URL: broken.url });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^satusehat: internal error: .*item_counts/m);
      expect(r.stderr).toMatch(/\n\s+at /);
    } finally {
      await broken.drop();
    }
  });
});
