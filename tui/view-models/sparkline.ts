// The last hour at a glance: requests per minute against the cap, 429s and 5xx, sends per minute,
// and the time to send the backlog at that pace. Pure.
import type { ControlState } from '../../shared/services/api.js';
import type { Tone } from './badges.js';
import { pickFitting } from './cards.js';

const BARS = '▁▂▃▄▅▆▇█';

/** One cell per value, scaled to `max` (the largest value when not given); 0 is a space. */
export function sparkline(values: number[], max = Math.max(0, ...values)): string {
  if (max <= 0) return ' '.repeat(values.length);
  return values.map((v) => (v <= 0 ? ' ' : BARS[Math.min(BARS.length - 1, Math.floor((Math.min(v, max) / max) * (BARS.length - 1)))])).join('');
}

/** The last `cells` minutes of a series, merged into fewer cells when the width is short. */
function squeeze(values: number[], cells: number): number[] {
  if (cells >= values.length) return values;
  const per = Math.ceil(values.length / cells);
  const out: number[] = [];
  for (let i = values.length; i > 0; i -= per) out.unshift(Math.max(...values.slice(Math.max(0, i - per), i)));
  return out;
}

const duration = (minutes: number) => (minutes < 60 ? `${minutes} min` : minutes < 48 * 60 ? `${Math.round(minutes / 60)} h` : `${Math.round(minutes / 1440)} d`);

export function activityLine(control: ControlState | null, width: number): { text: string; tone: Tone | undefined } {
  if (!control) return { text: '', tone: undefined };
  const a = control.activity;
  // Two sparklines and about 90 cells of figures: the sparklines get what is left, 10 to 60 minutes.
  const cells = Math.max(10, Math.min(60, Math.floor((width - 90) / 2)));
  const peak = Math.max(...a.requests);
  const errors = a.tooMany.reduce((x, y) => x + y, 0) + a.serverErrors.reduce((x, y) => x + y, 0);
  const drain = a.backlog === 0 ? 'backlog empty' : a.drainMinutes === null ? `backlog ${a.backlog}, not moving` : `backlog ${a.backlog}, ~${duration(a.drainMinutes)} to send`;
  const req = sparkline(squeeze(a.requests, cells), control.rateLimitPerMinute);
  const sent = sparkline(squeeze(a.sent, cells));
  const text = pickFitting([
    `last hour · requests/min ${req} peak ${peak}/${control.rateLimitPerMinute} · sent/min ${sent} · 429 ${a.tooMany.reduce((x, y) => x + y, 0)} 5xx ${a.serverErrors.reduce((x, y) => x + y, 0)} · ${drain}`,
    `req/min ${req} peak ${peak} · 429+5xx ${errors} · ${drain}`,
    `peak ${peak}/min · 429+5xx ${errors} · ${drain}`,
  ], width);
  return { text, tone: errors > 0 ? 'yellow' : undefined };
}
