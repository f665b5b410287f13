// The dashboard grid: how many cards per row for a width, each card's lines, keyboard movement.
// Pure: everything comes in as arguments (figures, width, now).
import type { TypeStatus } from '../../shared/services/status-service.js';
import type { Tone } from './badges.js';
import { displayWidth, formatCount, shortTime } from './text.js';

/** Narrowest card that still shows "sent 123,456 / 123,456" and a useful bar. */
export const CARD_MIN_WIDTH = 26;
export const CARD_GAP = 1;
/** Border (2) + name, bar, sent/total, in process, problems, last success. */
export const CARD_HEIGHT = 8;
/** Border (2) + name, bar, one line of figures: when the full cards would not all fit. */
export const COMPACT_CARD_HEIGHT = 5;

/** Full cards when every row of the grid fits in the height, else compact ones. */
export function cardHeightFor(gridRows: number, height: number): number {
  return gridRows * CARD_HEIGHT <= height ? CARD_HEIGHT : COMPACT_CARD_HEIGHT;
}

export function gridColumns(width: number, count: number): number {
  const fit = Math.floor((width + CARD_GAP) / (CARD_MIN_WIDTH + CARD_GAP));
  return Math.max(1, Math.min(Math.max(count, 1), fit));
}

/** Widths of the cards of one row: the width is shared out, the first cards take the remainder. */
export function cardWidths(width: number, columns: number): number[] {
  const usable = Math.max(columns, width - CARD_GAP * (columns - 1));
  const base = Math.floor(usable / columns);
  const extra = usable - base * columns;
  return Array.from({ length: columns }, (_, i) => base + (i < extra ? 1 : 0));
}

/** Card rows that fit in a height (at least one: a tiny terminal still shows something). */
export function visibleGridRows(height: number, cardHeight = CARD_HEIGHT): number {
  return Math.max(1, Math.floor(height / cardHeight));
}

/** First grid row to draw so the selected card is visible, keeping the previous offset when possible. */
export function scrollRowFor(selected: number, columns: number, visibleRows: number, previousTop: number): number {
  const row = Math.floor(selected / columns);
  if (row < previousTop) return row;
  if (row >= previousTop + visibleRows) return row - visibleRows + 1;
  return previousTop;
}

export type Direction = 'left' | 'right' | 'up' | 'down' | 'next' | 'prev' | 'first' | 'last';

/** Moves the selection in a grid of `count` cards, `columns` per row; never leaves the grid. */
export function moveSelection(index: number, count: number, columns: number, direction: Direction): number {
  if (count === 0) return 0;
  const clamp = (i: number) => Math.max(0, Math.min(count - 1, i));
  switch (direction) {
    case 'left':
      return index % columns === 0 ? index : index - 1;
    case 'right':
      return index % columns === columns - 1 ? index : clamp(index + 1);
    case 'up':
      return index - columns >= 0 ? index - columns : index;
    case 'down':
      return index + columns < count ? index + columns : index;
    case 'next':
      return clamp(index + 1);
    case 'prev':
      return clamp(index - 1);
    case 'first':
      return 0;
    case 'last':
      return count - 1;
  }
}

/** Cards whose type name contains the search text (case-insensitive); empty = all. */
export function filterStatuses(rows: TypeStatus[], search: string): TypeStatus[] {
  const q = search.trim().toLowerCase();
  return q === '' ? rows : rows.filter((r) => r.type.toLowerCase().includes(q));
}

/** Filled cells of a bar `width` wide at `percent` (0 only at 0 %, full only at 100 %). */
export function barCells(percent: number, width: number): number {
  const p = Math.max(0, Math.min(100, percent));
  if (p === 0 || width <= 0) return 0;
  if (p >= 100) return width;
  return Math.max(1, Math.min(width - 1, Math.round((p / 100) * width)));
}

export function barTone(row: Pick<TypeStatus, 'percent' | 'failed' | 'invalid' | 'total'>): Tone {
  if (row.total === 0) return 'gray';
  if (row.percent >= 100) return 'green';
  if (row.failed + row.invalid > 0) return 'red';
  return 'yellow';
}

export interface CardRegen {
  /** A regeneration of this type is running. */
  running: boolean;
  done: number;
  total: number | null;
  /** Queued, and no daemon is live to take it: say so instead of spinning. */
  waiting?: boolean;
}

export interface CardLine {
  text: string;
  tone?: Tone;
  dim?: boolean;
  bold?: boolean;
}

export interface CardModel {
  type: string;
  /** Inner width (inside the border). */
  inner: number;
  barWidth: number;
  barFilled: number;
  barTone: Tone;
  percentText: string;
  lines: CardLine[];
  regen: CardRegen | null;
  /** Why `g` does nothing here, or null when it can regenerate. */
  regenDisabledReason: string | null;
  /** Short label for the top-right corner ('g regenerate', 'no regenerate'), fitted to the room left by the name. */
  corner: string;
}

export interface CardOptions {
  width: number;
  /** One line of figures instead of four (small terminals, many types). */
  compact?: boolean;
  foundation: boolean;
  readOnly: boolean;
  regen: CardRegen | null;
  now: Date;
}

/** An unknown outcome being checked is shown beside what is in process, never hidden in it. */
function withChecking(variants: string[], checking: number): string[] {
  if (checking === 0) return variants;
  const c = formatCount(checking);
  return [...variants.map((v) => `${v} · ? ${c} checking`), ...variants.map((v) => `${v} ?${c}`)];
}

/** The lines of one card, each already fitted to the card's inner width by the component. */
export function cardModel(row: TypeStatus, options: CardOptions): CardModel {
  const inner = Math.max(4, options.width - 2);
  const percentText = `${String(row.percent).padStart(3)}%`;
  const barWidth = Math.max(1, inner - percentText.length - 1);
  const problems = row.failed + row.invalid + row.blocked;
  const f = formatCount;
  const full: CardLine[] = [
    { text: pickFitting([`sent ${f(row.sent)} / ${f(row.total)}`, `${f(row.sent)}/${f(row.total)}`], inner) },
    {
      text: pickFitting(withChecking(row.inProcess > 0
        ? [`in process ${f(row.inProcess)} (◔ ${f(row.queued)} queued ◑ ${f(row.sending)} sending)`, `in process ${f(row.inProcess)} (◔${f(row.queued)} ◑${f(row.sending)})`, `in process ${f(row.inProcess)}`]
        : ['in process 0'], row.checking), inner),
      tone: row.checking > 0 ? 'yellow' : row.inProcess > 0 ? 'cyan' : undefined,
      dim: row.inProcess + row.checking === 0,
    },
    {
      text: pickFitting(
        [
          `✘ ${f(row.failed)} failed  ⚠ ${f(row.invalid)} invalid  ⏸ ${f(row.blocked)} blocked`,
          `✘${f(row.failed)} failed ⚠${f(row.invalid)} invalid ⏸${f(row.blocked)} blocked`,
          `✘${f(row.failed)} failed ⚠${f(row.invalid)} invalid ⏸${f(row.blocked)} blk`,
          `✘${f(row.failed)} fail ⚠${f(row.invalid)} inv ⏸${f(row.blocked)} blk`,
        ],
        inner,
      ),
      tone: row.failed + row.invalid > 0 ? 'red' : row.blocked > 0 ? 'yellow' : undefined,
      dim: problems === 0,
    },
    { text: pickFitting([`last success ${shortTime(row.lastSuccessAt, options.now)}`, `last ok ${shortTime(row.lastSuccessAt, options.now)}`], inner), dim: true },
  ];
  const compactLine: CardLine = {
    text: pickFitting(
      [
        `${f(row.sent)}/${f(row.total)} sent · ◔${f(row.inProcess)} · ✘${f(row.failed)} ⚠${f(row.invalid)} ⏸${f(row.blocked)}`,
        `${f(row.sent)}/${f(row.total)} ◔${f(row.inProcess)} ✘${f(row.failed)} ⚠${f(row.invalid)} ⏸${f(row.blocked)}`,
      ],
      inner,
    ),
    tone: row.failed + row.invalid > 0 ? 'red' : row.blocked > 0 ? 'yellow' : row.inProcess > 0 ? 'cyan' : undefined,
  };
  const lines = options.compact ? [compactLine] : full;
  const regenDisabledReason = options.readOnly ? 'read-only session' : options.foundation ? null : 'only foundation types (Organization, Location, Practitioner, Patient) can be regenerated';
  const cornerRoom = inner - displayWidth(row.type) - 1;
  const corner = options.regen?.running
    ? ''
    : pickFitting(regenDisabledReason === null ? ['g regenerate', 'g regen', 'g', ''] : regenDisabledReason === 'read-only session' ? [''] : ['no regenerate', 'no regen', ''], Math.max(0, cornerRoom));
  return {
    corner,
    type: row.type,
    inner,
    barWidth,
    barFilled: barCells(row.percent, barWidth),
    barTone: barTone(row),
    percentText,
    lines,
    regen: options.regen,
    regenDisabledReason,
  };
}

/** 'regenerating 40/120' (or shorter forms for a narrow corner) while it runs. */
export function regenText(regen: CardRegen, width = Number.MAX_SAFE_INTEGER): string {
  if (regen.waiting) return pickFitting(['regen waits: no daemon', 'no daemon', 'waits'], width);
  const progress = regen.total !== null && regen.total > 0 ? `${formatCount(regen.done)}/${formatCount(regen.total)}` : regen.done > 0 ? formatCount(regen.done) : '';
  return pickFitting([`regenerating ${progress}`.trim(), `regen ${progress}`.trim(), progress || 'regen'], width);
}

/** The first candidate that fits the width, else the last one (the caller truncates it). */
export function pickFitting(candidates: string[], width: number): string {
  return candidates.find((c) => displayWidth(c) <= width) ?? candidates[candidates.length - 1] ?? '';
}
