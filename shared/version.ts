// The version a heartbeat and `--version` report: package.json's, plus the git commit when the
// checkout has one (a server deployed by `git pull` then says exactly what runs).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);

function computeVersion(): string {
  let version = '0.0.0';
  try {
    version = String((JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version?: string }).version ?? version);
  } catch {
    // a copy without package.json still runs
  }
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], timeout: 2_000 }).toString().trim();
    if (/^[0-9a-f]{4,40}$/.test(commit)) return `${version}+${commit}`;
  } catch {
    // not a git checkout, or no git on the host
  }
  return version;
}

let cached: string | null = null;
export function appVersion(): string {
  cached ??= computeVersion();
  return cached;
}
