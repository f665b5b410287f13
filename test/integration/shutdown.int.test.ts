// SIGTERM while the daemon is sending (200 ms per SATUSEHAT request): it stops taking jobs, lets the
// in-flight sends finish and exits 0 well within PM2's kill_timeout; the next start finishes the
// backlog without sending anything twice.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allItems, createHarness, sentByType, sentPerFhirType, type Harness } from '../support/pipeline-harness.js';

/** `satusehat daemon` as a child process, its JSON log lines collected from stdout. */
function spawnDaemon(env: Record<string, string>) {
  const child = spawn(process.execPath, ['bin/satusehat.js', 'daemon'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Array<Record<string, unknown>> = [];
  let partial = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    const parts = (partial + String(d)).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts.filter(Boolean)) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ msg: line });
      }
    }
  });
  child.stderr.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<{ code: number | null; signal: string | null; at: number }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  return {
    pid: child.pid,
    lines,
    stderr: () => stderr,
    count: (msg: string | RegExp) => lines.filter((l) => (typeof msg === 'string' ? l.msg === msg : msg.test(String(l.msg)))).length,
    async stop(timeoutMs = 30_000) {
      const started = Date.now();
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const result = await exited;
      clearTimeout(killer);
      return { ...result, ms: result.at - started };
    },
  };
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, detail: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${detail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

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
