// Liveness from heartbeats (issue 14, part 1): a real `satusehat daemon` process, started, killed
// with SIGKILL, stopped with SIGTERM and restarted during an outage. status (services.control()),
// /healthz and the writes from the TUI and CLI must say what is true at each step.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncOnce } from '../../daemon/sync-once.js';
import { openServices } from '../../shared/services/index.js';
import type { Operator, Services } from '../../shared/services/api.js';
import { spawnDaemon, until } from '../support/daemon-process.js';
import { createHarness, type Harness } from '../support/pipeline-harness.js';

const alice: Operator = { username: 'test:alice', name: 'Alice', role: 'admin' };
const BEAT_MS = 500;
/** A reader calls a process down after two missed beats plus a second (shared/services/liveness.ts). */
const DOWN_AFTER_MS = 2 * BEAT_MS + 1_000;

const freePort = () => new Promise<number>((resolve, reject) => {
  const server = createServer();
  server.once('error', reject);
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    server.close(() => resolve(port));
  });
});

describe('liveness from heartbeats', () => {
  let h: Harness;
  let services: Services;
  let env: Record<string, string>;
  beforeAll(async () => {
    h = await createHarness({ patients: 10, visits: 20, seed: 6, simulator: { unknownNikPercent: 0 } });
    const rt = await h.openRuntime();
    await syncOnce(rt, { pollMs: 100 });
    await rt.close();
    // A far-off schedule: the daemon's only extraction is its first tick.
    env = { ...h.env, LOG_LEVEL: 'info', HEARTBEAT_INTERVAL_MS: String(BEAT_MS), HEALTH_PORT: String(await freePort()), SYNC_CRON: '0 0 1 1 *', CIRCUIT_THRESHOLD: '3', CIRCUIT_PROBE_MS: '300' };
    services = await openServices(h.config);
  });
  afterAll(async () => {
    await services?.close();
    await h?.close();
  });

  const sentItem = async () => Number((await h.state.db('items').where({ resource_type: 'Encounter', status: 'sent' }).first('id')).id);

  it('before any daemon: never started, no circuit and no schedule claimed; a resend and a regenerate say nothing will happen', async () => {
    // The sync --once above sent through a dispatcher of its own, and said so when it stopped.
    const control = await services.control();
    expect(control.liveness).toMatchObject({ state: 'never', sending: false, daemons: [], others: [] });
    expect(control).toMatchObject({ circuit: 'unknown', nextRunAt: null });
    const once = await h.state.db('daemon_heartbeats').where('role', 'once').first('stopped_at', 'doing');
    expect(once, 'the sync --once process wrote a heartbeat and marked it stopped').toMatchObject({ doing: 'stopped' });
    expect(once.stopped_at).not.toBeNull();

    const resent = await services.resend([await sentItem()], alice, { force: true });
    expect(resent.queued).toHaveLength(1);
    expect(resent.waiting).toMatch(/^resend of 1 item recorded, but no daemon has run against this state database: nothing is sent until one runs; start one with `satusehat daemon`/);
    const regen = await services.regenerate('Location', alice);
    expect(regen.waiting).toMatch(/^regeneration of Location \(run \d+\) recorded, but no daemon has run/);
    expect((await services.control()).regenerating).toEqual([expect.objectContaining({ type: 'Location', waiting: true })]);
    // A dry run records nothing, so it has nothing to warn about.
    expect((await services.resend([await sentItem()], alice, { force: true, dryRun: true })).waiting).toBeNull();
  });

  it('a running daemon is running with its host, pid and version; SIGKILL makes it down within two beats; SIGTERM says stopped at once', async () => {
    const first = spawnDaemon(env);
    try {
      await until('the daemon heartbeat', async () => (await services.control()).liveness.state === 'running', 30_000, () => first.stderr());
      const control = await services.control();
      expect(control.liveness.daemons).toHaveLength(1);
      expect(control.liveness.daemons[0]).toMatchObject({ role: 'daemon', pid: first.pid, circuit: 'closed' });
      expect(control.liveness.daemons[0]!.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(control.circuit).toBe('closed');
      expect(Date.parse(control.nextRunAt!)).toBeGreaterThan(Date.now());
      // The regeneration queued while nothing ran is taken now, and no longer waits.
      await until('the queued regeneration to run', async () => (await services.control()).regenerating.length === 0, 30_000, () => first.stderr());
      expect((await services.resend([await sentItem()], alice, { force: true })).waiting).toBeNull();
    } finally {
      await first.kill();
    }
    const killedAt = Date.now();
    await until('status to call the daemon down', async () => (await services.control()).liveness.state === 'down', 10_000);
    const downAfter = Date.now() - killedAt;
    expect(downAfter).toBeLessThanOrEqual(DOWN_AFTER_MS + 500);
    const down = await services.control();
    expect(down).toMatchObject({ circuit: 'unknown', nextRunAt: null });
    expect(down.liveness.last).toMatchObject({ pid: first.pid });
    expect((await services.resend([await sentItem()], alice, { force: true })).waiting).toMatch(/no daemon is running \(last heard of /);

    const second = spawnDaemon(env);
    await until('the second daemon', async () => (await services.control()).liveness.state === 'running', 30_000, () => second.stderr());
    const exit = await second.stop();
    expect(exit.code, second.stderr()).toBe(0);
    const stopped = await services.control();
    expect(stopped.liveness).toMatchObject({ state: 'stopped', sending: false });
    expect(stopped.liveness.last).toMatchObject({ pid: second.pid });
  });

  it('a restart during an outage: the dead daemon\'s open circuit is not shown; the new one\'s is, and clears with a successful probe', async () => {
    h.simulator.setFaults({ errorRate5xx: 1 });
    const first = spawnDaemon(env);
    try {
      await until('the daemon to be live', async () => (await services.control()).liveness.state === 'running', 30_000, () => first.stderr());
      await services.resend([await sentItem(), (await h.state.db('items').where({ resource_type: 'Encounter', status: 'sent' }).orderBy('id', 'desc').first('id')).id], alice, { force: true });
      await services.resend([(await h.state.db('items').where({ resource_type: 'Location', status: 'sent' }).first('id')).id], alice, { force: true });
      await until('the circuit to open', async () => (await services.control()).circuit === 'open', 30_000, () => first.stderr());
      const open = await services.control();
      expect(open.liveness.circuitOwner).toContain(`:${first.pid}:daemon`);
      expect(open.circuitReason).toMatch(/consecutive failures/);
    } finally {
      await first.kill();
    }
    await until('the dead daemon to be down', async () => (await services.control()).liveness.state === 'down', 10_000);
    expect((await services.control()).circuit, 'a dead process\'s circuit is not shown').toBe('unknown');

    const second = spawnDaemon(env);
    try {
      await until('the new daemon', async () => (await services.control()).liveness.state === 'running', 30_000, () => second.stderr());
      // Its own circuit starts closed, and opens again from its own failures (the outage goes on).
      await until('the new daemon\'s circuit to open', async () => (await services.control()).circuit === 'open', 30_000, () => second.stderr());
      expect((await services.control()).liveness.circuitOwner).toContain(`:${second.pid}:daemon`);
      h.simulator.setFaults({ errorRate5xx: 0 });
      const fixedAt = Date.now();
      await until('a probe to close it', async () => (await services.control()).circuit === 'closed', 10_000, () => second.stderr());
      // Within a probe interval and a beat (plus the poll above), not minutes.
      expect(Date.now() - fixedAt).toBeLessThan(300 + BEAT_MS + 1_500);
      const port = Number(String(second.lines.find((l) => l.msg === 'daemon ready')?.health ?? '').split(':').pop());
      expect(port).toBeGreaterThan(0);
      const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { circuit: string; heartbeat: { instance: string; stale: boolean }; senders: Array<{ instance: string }> };
      expect(health.circuit).toBe('closed');
      expect(health.heartbeat).toMatchObject({ stale: false });
      expect(health.heartbeat.instance).toContain(`:${second.pid}:daemon`);
      expect(health.senders.map((s) => s.instance)).toEqual([health.heartbeat.instance]);
    } finally {
      await second.stop();
    }
  });
});
