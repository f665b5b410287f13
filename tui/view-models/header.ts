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

/** A next run this far in the past means no daemon is ticking. */
export const OVERDUE_MS = 120_000;

/** Daemon state, most urgent first: circuit open, paused, overdue schedule, then normal running. */
export function daemonPart(control: ControlState | null, now: Date): HeaderPart {
  if (!control) return { text: 'daemon …', dim: true };
  if (control.circuit === 'open') return { text: `✘ circuit open: SATUSEHAT outage${control.circuitReason ? ` (${control.circuitReason})` : ''}`, tone: 'red', bold: true };
  if (control.paused) return { text: `⏸ PAUSED by ${control.pausedBy ?? 'unknown'}${control.pausedAt ? ` at ${shortTime(control.pausedAt, now)}` : ''}`, tone: 'yellow', bold: true };
  const half = control.circuit === 'half-open' ? ' · probing SATUSEHAT' : '';
  if (control.nextRunAt) {
    const next = new Date(control.nextRunAt).getTime();
    if (now.getTime() - next > OVERDUE_MS) return { text: `⚠ schedule overdue by ${shortDuration(now.getTime() - next)} (daemon down?)${half}`, tone: 'yellow' };
    return { text: `▶ running · next run ${shortTime(control.nextRunAt, now)}${half}`, tone: 'green' };
  }
  if (control.lastRun?.status === 'running') return { text: `▶ run #${control.lastRun.id} in progress${half}`, tone: 'green' };
  return { text: `▶ no schedule${control.lastRun ? ` · last run ${shortTime(control.lastRun.finishedAt ?? control.lastRun.startedAt, now)} ${control.lastRun.status}` : ''}${half}`, dim: true };
}

export function ratePart(control: ControlState | null): HeaderPart {
  if (!control) return { text: 'rate …', dim: true };
  const { requestsLastMinute: used, rateLimitPerMinute: limit } = control;
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
