// `satusehat daemon` as a real child process, for tests of shutdown, crashes and liveness.
import { spawn } from 'node:child_process';

/** `satusehat daemon` as a child process, its JSON log lines collected from stdout. */
export function spawnDaemon(env: Record<string, string>) {
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
    exited,
    /** SIGKILL: no shutdown, no last heartbeat; what a crash or the OOM killer does. */
    async kill() {
      child.kill('SIGKILL');
      return exited;
    },
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

export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, detail: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${detail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
