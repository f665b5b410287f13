// Text for the operator commands. Badges carry a glyph and a word, never colour alone, so they
// read the same with NO_COLOR, on a serial console or in a cron mail.
import type { ItemRow } from '../../shared/services/api.js';
import { STATUS_LABELS } from '../../shared/types/items.js';
import { dim, green, red, yellow } from '../output.js';

export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > width ? `${oneLine.slice(0, Math.max(0, width - 1))}…` : oneLine;
}

export const fit = (text: string, width: number) => truncate(text, width).padEnd(width);

/** Cuts a whole line (spacing kept) to the terminal width. */
export const clipLine = (line: string, width: number) => (line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line);

/** Terminal width for tables; a pipe gets COLUMNS or a wide default. */
export function terminalWidth(stream: NodeJS.WriteStream = process.stdout): number {
  if (stream.isTTY && stream.columns) return stream.columns;
  const fromEnv = Number(process.env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv > 20 ? fromEnv : 160;
}

/** Plain badge text (no colour), e.g. '✗ 400', '✓ SENT', '○ NOT SENT'. */
export function badgeText(row: Pick<ItemRow, 'status' | 'httpCode' | 'errorClass'>): string {
  switch (row.status) {
    case 'sent':
      return '✓ SENT';
    case 'failed':
      if (row.errorClass === 'not_found') return '✗ NOT FOUND';
      return row.httpCode ? `✗ ${row.httpCode}` : '✗ FAILED';
    case 'invalid':
      return '! INVALID';
    case 'not_sent':
      return '○ NOT SENT';
    case 'queued':
      return '… QUEUED';
    case 'sending':
      return '» SENDING';
    case 'blocked':
      return '⏸ BLOCKED';
    case 'checking':
      return '? CHECKING';
  }
}

export const BADGE_WIDTH = 12;

export function badge(row: Pick<ItemRow, 'status' | 'httpCode' | 'errorClass'>, width = BADGE_WIDTH): string {
  const text = fit(badgeText(row), width);
  if (row.status === 'sent') return green(text);
  if (row.status === 'failed' || row.status === 'invalid' || row.status === 'not_sent') return red(text);
  return yellow(text);
}

/** Badge and Dekacare's own word, e.g. '✗ 400 Tidak Terkirim'. */
export const badgeLong = (row: Pick<ItemRow, 'status' | 'httpCode' | 'errorClass'>) => `${badge(row, badgeText(row).length)} ${dim(STATUS_LABELS[row.status])}`;

/** '2026-11-20T03:04:05.678Z' → '2026-11-20 03:04:05Z'. */
export const shortTime = (iso: string | null) => (iso ? `${iso.replace('T', ' ').slice(0, 19)}Z` : '-');

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
