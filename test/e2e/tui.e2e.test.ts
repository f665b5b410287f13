// The real TUI (`node bin/satusehat.js tui`) in a real pseudo-terminal (tmux, 100×30), against a
// seeded demo database, the simulator and a finished sync. The operator's 3 a.m. story:
// a refused login, then admin logs in, opens Encounter, filters to failed, opens the failed item,
// fixes its body in $EDITOR, resends it (Kirim Ulang) and sees Terkirim.
//
// The failed Encounter is made deterministically (test/support/refused-encounter.ts: a revision
// with serviceProvider `Organization/999`, refused by rule 10124 with a 400). The "editor" in the
// TUI is a small node script that puts the right organization id back.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDispatcher, type Dispatcher } from '../../daemon/dispatcher.js';
import type { Runtime } from '../../daemon/runtime.js';
import { syncOnce } from '../../daemon/sync-once.js';
import { openServices, type ItemDetail, type Operator, type Services } from '../../shared/services/index.js';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { refuseOneEncounter } from '../support/refused-encounter.js';

const ROOT = join(import.meta.dirname, '..', '..');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SETUP: Operator = { username: 'e2e-setup', name: 'e2e setup', role: 'admin' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!hasTmux)('satusehat tui in a real terminal', () => {
  let h: Harness;
  let rt: Runtime;
  let dispatcher: Dispatcher;
  let services: Services;
  let failedId: number;
  let visitNo: string;
  let failed: ItemDetail | null;
  let dir: string;
  const socket = `satusehat-e2e-${process.pid}`;
  const session = 'tui';

  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const screen = () => tmux('capture-pane', '-p', '-t', session);
  const keys = (...k: string[]) => tmux('send-keys', '-t', session, ...k);
  const text = (s: string) => tmux('send-keys', '-t', session, '-l', s);

  async function waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < until) {
      last = screen();
      if (pattern.test(last)) return last;
      await sleep(100);
    }
    throw new Error(`timed out waiting for ${pattern} on screen:\n${last}`);
  }

  beforeAll(async () => {
    // The reconciler would also send a saved edit by itself; slow it down so the operator's
    // Kirim Ulang is what delivers the fix.
    h = await createHarness({ env: { RECONCILE_INTERVAL_MS: '3600000' } });
    rt = await h.openRuntime();
    await syncOnce(rt, { types: ['Organization', 'Location', 'Practitioner', 'Patient', 'Encounter'] });
    dispatcher = startDispatcher(rt, 'e2e');
    services = await openServices(h.config);

    ({ id: failedId, visitNo, detail: failed } = await refuseOneEncounter(services, SETUP));
    expect(failed?.item).toMatchObject({ status: 'failed', httpCode: 400 });
    expect(failed?.outcome?.ruleNumbers).toContain('10124');

    dir = mkdtempSync(join(tmpdir(), 'satusehat-tui-e2e-'));
    const editor = join(dir, 'fix-service-provider.cjs');
    writeFileSync(editor, `const fs = require('fs');\nconst f = process.argv[2];\nfs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('Organization/999', 'Organization/${h.config.satusehat.orgId}'));\n`);
    const env = { ...h.env, EDITOR: `node ${editor}`, VISUAL: '', TUI_LOG_FILE: join(dir, 'tui.log'), TERM: 'xterm-256color' };
    const script = join(dir, 'run.sh');
    const exports = Object.entries(env).map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'`).join('\n');
    writeFileSync(script, `#!/bin/sh\n${exports}\ncd '${ROOT}'\nnode bin/satusehat.js tui\necho "TUI EXIT=$?"\nsleep 60\n`, { mode: 0o755 });
    tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', script);
  }, 180_000);

  afterAll(async () => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    await services?.close();
    await dispatcher?.close();
    await h?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('refuses dokter with the reason, lets admin fix a failed Encounter in $EDITOR and resend it until Terkirim', async () => {
    await waitFor(/Username/);
    await sleep(300);
    // 1. A doctor may not open it, and is told why.
    text('dokter');
    keys('Enter');
    await sleep(300);
    text('dokter123');
    keys('Enter');
    const refused = await waitFor(/may not open SATUSEHAT/);
    expect(refused).toMatch(/role is "dokter"/);
    expect(refused).not.toContain('dokter123');

    // 2. Admin logs in; the dashboard shows a card per type.
    keys('C-u');
    text('admin');
    keys('Enter');
    await sleep(300);
    text('admin123');
    keys('Enter');
    const dashboard = await waitFor(/sent \d+ \/ \d+|\d+\/\d+ sent/);
    expect(dashboard).toContain('Organization');
    expect(dashboard).toContain('SATUSEHAT simulator');
    expect(dashboard).toContain('$ satusehat status');

    // 3. Find Encounter with the type search, open it, filter to failed.
    keys('/');
    text('Encounter');
    keys('Enter');
    await waitFor(/Search types: Encounter/);
    keys('Enter');
    await waitFor(/VISIT NO\./);
    keys('f');
    await waitFor(/--status problem/);
    keys('f');
    const list = await waitFor(/--status failed[\s\S]*$/);
    await waitFor(/✘ Tidak Terkirim 400/);
    expect(list).toContain('satusehat items list --type Encounter --status failed');

    // 4. Open the failed item: the rule, the hint and the offending line.
    keys('Enter');
    const panel = await waitFor(/rule 10124/);
    expect(panel).toContain(`#${failedId} Encounter`);
    expect(panel).toContain('data invalid: fix the request and resend');
    // The request scrolls to the line SATUSEHAT complained about, marked with ›.
    await waitFor(/›\s+"reference": "Organization\/999"/);

    // 5. Fix it in $EDITOR (the script), saved as a new revision with its diff.
    keys('e');
    const saved = await waitFor(/Saved as revision/, 30_000);
    expect(saved).toMatch(/\+\s+"reference": "Organization\/\d+"/);
    expect(saved).toContain(`$ satusehat edit ${failedId} --no-send`);

    // 6. Kirim Ulang: the dispatcher sends it, the panel shows the result when it arrives.
    keys('s');
    const done = await waitFor(/Kirim Ulang: Terkirim/, 30_000);
    expect(done).toContain('✔ Terkirim');
    expect(done).toContain(`$ satusehat resend ${failedId}`);
    const after = await services.showItem(failedId);
    expect(after?.item.status).toBe('sent');
    expect(after?.attempts[0]?.httpCode).toBeGreaterThanOrEqual(200);
    expect(after?.revisions[0]?.createdBy).toBe('admin');

    // 7. The search on business keys finds the item; q quits and gives the terminal back.
    keys('Escape');
    await waitFor(/VISIT NO\./);
    keys('/');
    text(visitNo);
    keys('Enter');
    await waitFor(new RegExp(`search: ${visitNo} ·`));
    await waitFor(/rows 1–1 of 1|no items/);
    // Esc leaves the search field (or clears the search) whatever state it is in; then q quits.
    await sleep(300);
    keys('Escape');
    await sleep(300);
    keys('q');
    const exited = await waitFor(/TUI EXIT=0/);
    expect(exited).not.toContain('VISIT NO.');
  }, 180_000);

  it('without a terminal it refuses with one line and exit code 2', () => {
    const r = spawnSync(process.execPath, ['bin/satusehat.js', 'tui'], { cwd: ROOT, env: { ...process.env, ...h.env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('satusehat tui needs an interactive terminal; use the CLI instead: satusehat status / items list ...');
    expect(r.stdout).toBe('');
  }, 30_000);
});
