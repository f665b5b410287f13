import { redactUrl } from '../../shared/config/load-config.js';
import type { ControlState, Liveness, SenderInstance } from '../../shared/services/api.js';
import { START_DAEMON_HINT } from '../../shared/services/liveness.js';
import { totals } from '../../shared/services/status-service.js';
import { statusTable, red } from '../output.js';
import { withServices } from './common.js';
import { shortTime } from './format.js';

const ago = (ms: number) => (ms < 90_000 ? `${Math.round(ms / 1000)} s` : ms < 90 * 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 3_600_000)} h`);
const where = (i: SenderInstance) => `${i.host} pid ${i.pid}, ${i.version}`;

/** Which processes send, from their heartbeats: never "running" when nothing runs. */
export function livenessLine(l: Liveness): string {
  const others = l.others.map((i) => `${i.role === 'demo' ? 'demo' : 'sync --once'} sending (${where(i)}, beat ${ago(i.ageMs)} ago)`);
  if (l.state === 'running') {
    const daemons = l.daemons.map((d) => `${where(d)}, beat ${ago(d.ageMs)} ago: ${d.doing || 'idle'}`);
    return [`daemon running (${daemons.join('; ')})`, ...others].join(' · ');
  }
  const last = l.last ? ` (last: ${where(l.last)}${l.state === 'down' ? `, ${l.last.doing || 'idle'}` : ''})` : '';
  const what = l.state === 'never' ? 'no daemon has run against this state database' : l.state === 'stopped' ? `daemon stopped at ${shortTime(l.since)}${last}` : `daemon DOWN since ${shortTime(l.since)}${last}`;
  const nothing = l.sending ? '' : `; nothing is sent until one runs: ${START_DAEMON_HINT}`;
  return [red(`${what}${nothing}`), ...others].join(' · ');
}

/** The last hour in one line: requests, 429s and 5xx, sends, and how long the backlog takes at that pace. */
function activityText(c: ControlState): string {
  const a = c.activity;
  const sum = (v: number[]) => v.reduce((x, y) => x + y, 0);
  const drain = a.backlog === 0 ? 'backlog empty' : a.drainMinutes === null ? `backlog ${a.backlog} item${a.backlog === 1 ? '' : 's'}, not moving (nothing sent in the last 10 minutes)` : `backlog ${a.backlog} item${a.backlog === 1 ? '' : 's'}, ~${a.drainMinutes} min to send at the last 10 minutes' pace`;
  return `last hour: ${sum(a.requests)} requests (peak ${Math.max(...a.requests)}/min), ${sum(a.tooMany)} × 429, ${sum(a.serverErrors)} × 5xx, ${sum(a.sent)} items sent · ${drain}`;
}

/** One line an on-call engineer needs first: is sending running, and if not, why. */
function controlLine(c: ControlState): string {
  const parts = [livenessLine(c.liveness)];
  if (c.paused) parts.push(red(`sending PAUSED by ${c.pausedBy ?? '?'} since ${shortTime(c.pausedAt)}${c.pausedReason ? ` (${c.pausedReason})` : ''}`));
  if (c.circuit === 'open' || c.circuit === 'half-open') parts.push(red(`circuit ${c.circuit}${c.circuitReason ? ` (${c.circuitReason})` : ''}${c.liveness.circuitOwner ? ` on ${c.liveness.circuitOwner}` : ''}`));
  if (c.lastRun) parts.push(`last run ${c.lastRun.id} ${c.lastRun.trigger} ${c.lastRun.status} ${shortTime(c.lastRun.finishedAt ?? c.lastRun.startedAt)}`);
  if (c.nextRunAt) parts.push(`next ${shortTime(c.nextRunAt)}`);
  parts.push(c.liveness.sending ? `${c.requestsLastMinute}/${c.rateLimitPerMinute} requests in the last minute` : `${c.requestsLastMinute} requests in the last minute`);
  if (c.verification) {
    const v = c.verification;
    const what = `${v.checked} checked${v.sample ? ' (sample)' : ''}, ${v.disagreements} disagree${v.unchecked > 0 ? `, ${v.unchecked} not checked` : ''}`;
    parts.push(v.disagreements > 0 ? red(`verified ${shortTime(v.at)}: ${what} (satusehat verify --repair)`) : `verified ${shortTime(v.at)}: ${what}`);
  } else {
    parts.push('never verified (satusehat verify)');
  }
  for (const r of c.regenerating) parts.push(`regenerating ${r.type} (run ${r.runId}, ${r.done}${r.total === null ? '' : `/${r.total}`})`);
  return parts.join(' · ');
}

export function statusCommand(options: { date?: string; json?: boolean }): Promise<number> {
  return withServices(async (services) => {
    const { config } = services;
    const [rows, control] = await Promise.all([services.status(options.date), services.control()]);
    if (options.json) {
      process.stdout.write(JSON.stringify({ date: options.date ?? null, environment: config.satusehat.env, types: rows, totals: totals(rows), control }, null, 2) + '\n');
    } else {
      process.stdout.write(`SATUSEHAT ${config.satusehat.env} · state ${redactUrl(config.stateDatabaseUrl)}${options.date ? ` · date ${options.date}` : ''}\n`);
      process.stdout.write(controlLine(control) + '\n');
      process.stdout.write(activityText(control) + '\n');
      process.stdout.write(statusTable(rows) + '\n');
    }
    return 0;
  });
}
