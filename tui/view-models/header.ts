// The header line: SATUSEHAT environment, daemon state, rate-limit use. Pure.
import type { ControlState } from '../../shared/services/api.js';
import type { Tone } from './badges.js';
import { shortDuration, shortTime } from './text.js';

export interface HeaderPart {
  text: string;
  tone?: Tone;
  inverse?: boolean;
  bold?: boolean;
  dim?: boolean;
}

export function environmentPart(env: ControlState['environment'] | string): HeaderPart {
  if (env === 'production') return { text: ' PRODUCTION ', tone: 'red', inverse: true, bold: true };
  if (env === 'sandbox') return { text: 'sandbox', tone: 'yellow', bold: true };
  return { text: env, tone: 'cyan' };
}

/** A live daemon's next run this far in the past: its tick is stuck (a long extraction). */
export const OVERDUE_MS = 120_000;

/** Whether anything sends, from the heartbeats, never from the schedule: a dead daemon's schedule is not shown. */
function downPart(control: ControlState, now: Date): HeaderPart | null {
  const l = control.liveness;
  if (l.state === 'running') return null;
  const paused = control.paused ? ` · ⏸ paused by ${control.pausedBy ?? 'unknown'}` : '';
  const once = l.others[0];
  if (once) return { text: `▶ sync --once sending (pid ${once.pid}) · no daemon${paused}`, tone: 'yellow', bold: true };
  if (l.state === 'never') return { text: `✘ no daemon running (never started)${paused}`, tone: 'red', bold: true };
  const at = l.since ? `${shortTime(l.since, now)}, ${shortDuration(Math.max(0, now.getTime() - Date.parse(l.since)))} ago` : '?';
  return { text: `${l.state === 'stopped' ? '■ daemon stopped' : '✘ daemon down'} since ${at}${paused}`, tone: 'red', bold: true };
}

/** Daemon state, most urgent first: no daemon, circuit open, paused, a stuck tick, then running. */
export function daemonPart(control: ControlState | null, now: Date): HeaderPart {
  if (!control) return { text: 'daemon …', dim: true };
  const down = downPart(control, now);
  if (down) return down;
  if (control.circuit === 'open') return { text: `✘ circuit open: SATUSEHAT outage${control.circuitReason ? ` (${control.circuitReason})` : ''}`, tone: 'red', bold: true };
  if (control.paused) {
    const reason = control.pausedReason ? `: ${control.pausedReason}` : '';
    return { text: `⏸ PAUSED by ${control.pausedBy ?? 'unknown'}${control.pausedAt ? ` at ${shortTime(control.pausedAt, now)}` : ''}${reason}`, tone: 'yellow', bold: true };
  }
  const daemons = control.liveness.daemons.length > 1 ? ` (${control.liveness.daemons.length} daemons)` : '';
  if (control.nextRunAt) {
    const next = new Date(control.nextRunAt).getTime();
    if (now.getTime() - next > OVERDUE_MS) return { text: `⚠ running, but the tick due ${shortDuration(now.getTime() - next)} ago has not started${daemons}`, tone: 'yellow' };
    return { text: `▶ running${daemons} · next run ${shortTime(control.nextRunAt, now)}`, tone: 'green' };
  }
  return { text: `▶ running${daemons}`, tone: 'green' };
}

export function ratePart(control: ControlState | null): HeaderPart {
  if (!control) return { text: 'rate …', dim: true };
  const { requestsLastMinute: used, rateLimitPerMinute: limit } = control;
  // No live sender: its cap is not known, and the requests were made by a process now gone.
  if (!control.liveness.sending) return { text: `rate ${used}/min (none sending)`, dim: true };
  const ratio = limit > 0 ? used / limit : 0;
  return { text: `rate ${used}/${limit}/min`, tone: ratio >= 0.9 ? 'red' : ratio >= 0.7 ? 'yellow' : undefined, dim: used === 0 };
}

/** The last verification against SATUSEHAT, with its age: disagreements in red, never-run dim. */
export function verificationPart(control: ControlState | null, now: Date): HeaderPart | null {
  if (!control) return null;
  const v = control.verification;
  if (!v) return { text: 'never verified', dim: true };
  const age = shortDuration(Math.max(0, now.getTime() - Date.parse(v.at)));
  if (v.disagreements > 0) return { text: `✘ verify ${age} ago: ${v.disagreements} disagree`, tone: 'red', bold: true };
  return { text: `✔ verified ${age} ago${v.unchecked > 0 ? ` (${v.unchecked} not checked)` : ''}`, tone: v.unchecked > 0 ? 'yellow' : undefined, dim: v.unchecked === 0 };
}
