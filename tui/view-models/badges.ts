// Status badges: every badge has a glyph AND a word, so it reads without colour (NO_COLOR,
// colour-blind operators, a monochrome terminal). Pure.
import { STATUS_LABELS, type ItemStatus } from '../../shared/types/items.js';

export type Tone = 'green' | 'red' | 'yellow' | 'cyan' | 'blue' | 'magenta' | 'gray';

export interface Badge {
  glyph: string;
  word: string;
  /** HTTP code, or the error class when there is no code (network error, timeout, lookup miss). */
  detail: string | null;
  tone: Tone;
  /** glyph + word (+ detail), what the table cell shows. */
  text: string;
}

const GLYPHS: Record<ItemStatus, string> = {
  sent: '✔',
  failed: '✘',
  not_sent: '○',
  queued: '◔',
  sending: '◑',
  blocked: '⏸',
  invalid: '⚠',
  checking: '?',
};

const TONES: Record<ItemStatus, Tone> = {
  sent: 'green',
  failed: 'red',
  not_sent: 'red',
  queued: 'cyan',
  sending: 'blue',
  blocked: 'yellow',
  invalid: 'magenta',
  checking: 'yellow',
};

/** The usual widest badge, '✘ Tidak Terkirim 400'; the column grows for longer ones on screen. */
export const BADGE_WIDTH = 20;
/** The status column never takes more than this. */
export const MAX_BADGE_WIDTH = 28;

function failureDetail(httpCode: number | null, errorClass: string | null): string | null {
  if (httpCode !== null && httpCode > 0 && (httpCode < 200 || httpCode >= 300)) return String(httpCode);
  // No HTTP code (network error, timeout) or a 200 that still failed (NIK lookup found nothing).
  if (errorClass) return errorClass === 'timeout' || errorClass === 'network' ? `ERR ${errorClass}` : errorClass.replace(/_/g, ' ');
  return httpCode !== null && httpCode > 0 ? String(httpCode) : null;
}

export function statusBadge(status: ItemStatus, httpCode: number | null = null, errorClass: string | null = null): Badge {
  const glyph = GLYPHS[status];
  const word = STATUS_LABELS[status];
  const detail = status === 'failed' ? failureDetail(httpCode, errorClass) : null;
  return { glyph, word, detail, tone: TONES[status], text: `${glyph} ${word}${detail ? ` ${detail}` : ''}` };
}

/** Glyph + label of a status filter value, for the filter line and the picker. */
export function statusFilterLabel(status: ItemStatus | 'problem' | null): string {
  if (status === null) return 'all statuses';
  if (status === 'problem') return '✘⚠⏸ problems (failed + invalid + blocked)';
  return `${GLYPHS[status]} ${STATUS_LABELS[status]} (${status})`;
}
