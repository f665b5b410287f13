// The detail table: columns from the resource type (ItemPage.columns) fitted to the width,
// cells truncated with an ellipsis, one line per row. Pure.
import type { DetailColumn } from '../../shared/fhir/types.js';
import type { ItemRow } from '../../shared/services/api.js';
import { BADGE_WIDTH, MAX_BADGE_WIDTH, statusBadge, type Badge } from './badges.js';
import { displayWidth, fit, oneLine } from './text.js';

export interface FittedColumn {
  key: string;
  label: string;
  width: number;
}

/** The narrowest a data column gets before columns are dropped from the right. */
export const MIN_COLUMN_WIDTH = 6;
export const COLUMN_GAP = 1;
/** The widest '#id' column (ids up to 9,999,999). */
export const ID_WIDTH = 7;

/**
 * Widths that fit `available` cells. Each column wants its preferred width, or less when the
 * values on screen are shorter (`contentWidths`), never less than its label. When that does not
 * fit, the rightmost columns are dropped (down to two) rather than cut; when two still do not
 * fit, the first (the business key the operator scans for) keeps its width and the other shrinks
 * down to MIN_COLUMN_WIDTH. Space left over goes to the last column, so the table uses the whole width.
 */
export function fitColumns(columns: DetailColumn[], available: number, contentWidths: Record<string, number> = {}): FittedColumn[] {
  let cols = [...columns];
  const gaps = (n: number) => COLUMN_GAP * Math.max(0, n - 1);
  while (cols.length > 1 && cols.length * MIN_COLUMN_WIDTH + gaps(cols.length) > available) cols = cols.slice(0, -1);
  if (cols.length === 0) return [];
  const wantOf = (c: DetailColumn) => {
    const content = contentWidths[c.key];
    const preferred = Math.max(1, c.width);
    const needed = content === undefined ? preferred : Math.min(preferred, Math.max(content, 1));
    return Math.max(MIN_COLUMN_WIDTH, Math.min(Math.max(needed, c.label.length), Math.max(preferred, c.label.length)));
  };
  // A column that would be cut (a date as '2026-11-…') says less than none: drop from the right
  // while the rest do not fit whole, keeping the business key and one more; the item panel shows
  // every value. Only what is left after that shrinks.
  const roomFor = (n: number) => Math.max(n, available - gaps(n));
  while (cols.length > 2 && cols.reduce((sum, c) => sum + wantOf(c), 0) > roomFor(cols.length)) cols = cols.slice(0, -1);
  const room = roomFor(cols.length);
  const want = cols.map(wantOf);
  let widths: number[];
  if (want.reduce((a, b) => a + b, 0) <= room) {
    // Room to spare: let columns whose values are longer than their preferred width grow.
    widths = [...want];
    let spare = room - want.reduce((a, b) => a + b, 0);
    cols.forEach((c, i) => {
      const grow = Math.min(spare, Math.max(0, (contentWidths[c.key] ?? 0) - (widths[i] ?? 0)));
      widths[i] = (widths[i] ?? 0) + grow;
      spare -= grow;
    });
  } else {
    const first = Math.min(want[0] ?? MIN_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, Math.floor(room * 0.4)), room - (cols.length - 1) * MIN_COLUMN_WIDTH);
    const rest = want.slice(1);
    const spare = Math.max(0, room - first - rest.length * MIN_COLUMN_WIDTH);
    const above = rest.map((w) => Math.max(0, w - MIN_COLUMN_WIDTH));
    const totalAbove = above.reduce((a, b) => a + b, 0);
    widths = [first, ...rest.map((_, i) => MIN_COLUMN_WIDTH + (totalAbove === 0 ? 0 : Math.floor(((above[i] ?? 0) * Math.min(spare, totalAbove)) / totalAbove)))];
  }
  const used = widths.reduce((a, b) => a + b, 0);
  widths[widths.length - 1] = (widths[widths.length - 1] ?? 0) + Math.max(0, room - used);
  return cols.map((c, i) => ({ key: c.key, label: c.label, width: widths[i] ?? MIN_COLUMN_WIDTH }));
}

/** The widest value per column among the rows on screen. */
export function contentWidths(rows: Array<Pick<ItemRow, 'summary'>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) {
    for (const [k, v] of Object.entries(r.summary)) out[k] = Math.max(out[k] ?? 0, displayWidth(oneLine(v ?? '—')));
  }
  return out;
}

export interface TableLayout {
  badgeWidth: number;
  idWidth: number;
  columns: FittedColumn[];
}

/** Status badge first (it is what the operator scans), then the id, then the type's own columns. */
export function tableLayout(columns: DetailColumn[], width: number, rows: Array<Pick<ItemRow, 'id' | 'summary' | 'status' | 'httpCode' | 'errorClass'>> = []): TableLayout {
  const widest = rows.reduce((m, r) => Math.max(m, displayWidth(statusBadge(r.status, r.httpCode, r.errorClass).text)), BADGE_WIDTH);
  const badgeWidth = Math.min(widest, MAX_BADGE_WIDTH, Math.max(8, Math.floor(width / 3)));
  const maxId = rows.reduce((m, r) => Math.max(m, r.id), 0);
  const idWidth = width >= 60 ? Math.min(ID_WIDTH, Math.max(2, String(maxId).length)) : 0;
  const rest = width - badgeWidth - COLUMN_GAP - (idWidth > 0 ? idWidth + COLUMN_GAP : 0);
  return { badgeWidth, idWidth, columns: fitColumns(columns, rest, contentWidths(rows)) };
}

export function headerLine(layout: TableLayout): string {
  const parts = [fit('STATUS', layout.badgeWidth)];
  if (layout.idWidth > 0) parts.push(fit('ID', layout.idWidth, 'right'));
  for (const c of layout.columns) parts.push(fit(c.label.toUpperCase(), c.width));
  return parts.join(' ');
}

export interface RowCells {
  badge: Badge;
  /** The badge cell, fitted. */
  badgeText: string;
  /** The rest of the line after the badge, fitted. */
  rest: string;
}

export function rowCells(row: ItemRow, layout: TableLayout): RowCells {
  const badge = statusBadge(row.status, row.httpCode, row.errorClass);
  const parts: string[] = [];
  if (layout.idWidth > 0) parts.push(fit(String(row.id), layout.idWidth, 'right'));
  for (const c of layout.columns) {
    const value = row.summary[c.key];
    parts.push(fit(value === null || value === undefined || value === '' ? '—' : String(value), c.width));
  }
  return { badge, badgeText: fit(badge.text, layout.badgeWidth), rest: parts.join(' ') };
}

/** "page 2 of 14 · rows 21–40 of 271" */
export function pageSummary(page: number, pageCount: number, pageSize: number, total: number): string {
  if (total === 0) return 'no items';
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const fmt = (n: number) => n.toLocaleString('en-US');
  return `page ${fmt(page)} of ${fmt(Math.max(1, pageCount))} · rows ${fmt(first)}–${fmt(last)} of ${fmt(total)}`;
}

/** The page that shows the same first row after the page size changed (terminal resized). */
export function pageKeepingRow(page: number, oldSize: number, newSize: number): number {
  if (oldSize === newSize || newSize <= 0) return page;
  const firstRow = (page - 1) * oldSize;
  return Math.floor(firstRow / newSize) + 1;
}
