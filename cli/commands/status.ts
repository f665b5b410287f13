import { redactUrl } from '../../shared/config/load-config.js';
import type { ControlState } from '../../shared/services/api.js';
import { totals } from '../../shared/services/status-service.js';
import { statusTable, red } from '../output.js';
import { withServices } from './common.js';
import { shortTime } from './format.js';

/** One line an on-call engineer needs first: is sending running, and if not, why. */
function controlLine(c: ControlState): string {
  const parts = [c.paused ? red(`sending PAUSED by ${c.pausedBy ?? '?'} since ${shortTime(c.pausedAt)}${c.pausedReason ? ` (${c.pausedReason})` : ''}`) : 'sending running'];
  if (c.circuit !== 'closed') parts.push(red(`circuit ${c.circuit}${c.circuitReason ? ` (${c.circuitReason})` : ''}`));
  if (c.lastRun) parts.push(`last run ${c.lastRun.id} ${c.lastRun.trigger} ${c.lastRun.status} ${shortTime(c.lastRun.finishedAt ?? c.lastRun.startedAt)}`);
  if (c.nextRunAt) parts.push(`next ${shortTime(c.nextRunAt)}`);
  parts.push(`${c.requestsLastMinute}/${c.rateLimitPerMinute} requests in the last minute`);
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
      process.stdout.write(statusTable(rows) + '\n');
    }
    return 0;
  });
}
