// The detail table: columns from the resource type (ItemPage.columns) fitted to the width,
// cells truncated with an ellipsis, one line per row. Pure.
import type { DetailColumn } from '../../shared/fhir/types.js';
import type { ItemRow } from '../../shared/services/api.js';
import { BADGE_WIDTH, statusBadge, type Badge } from './badges.js';
import { fit } from './text.js';

export interface FittedColumn {
  key: string;
  label: string;
  width: number;
}

/** The narrowest a data column gets before columns are dropped from the right. */
export const MIN_COLUMN_WIDTH = 6;
export const COLUMN_GAP = 1;
/** The '#id' column. */
export const ID_WIDTH = 7;

/**
 * Widths that fit `available` cells: preferred widths when they fit; otherwise shrunk
 * proportionally down to MIN_COLUMN_WIDTH, dropping the rightmost columns when even that does
 * not fit. Space left over goes to the last column, so the table uses the whole width.
 */
export function fitColumns(columns: DetailColumn[], available: number): FittedColumn[] {
  let cols = [...columns];
  const gaps = (n: number) => COLUMN_GAP * Math.max(0, n - 1);
  while (cols.length > 1 && cols.length * MIN_COLUMN_WIDTH + gaps(cols.length) > available) cols = cols.slice(0, -1);
  if (cols.length === 0) return [];
  const room = Math.max(cols.length, available - gaps(cols.length));
  const preferred = cols.reduce((sum, c) => sum + Math.max(1, c.width), 0);
  let widths: number[];
  if (preferred <= room) {
    widths = cols.map((c) => Math.max(1, c.width));
  } else {
    // Shrink wide columns first: scale the part above the minimum.
    const above = cols.map((c) => Math.max(0, c.width - MIN_COLUMN_WIDTH));
    const totalAbove = above.reduce((a, b) => a + b, 0);
    const spare = Math.max(0, room - cols.length * MIN_COLUMN_WIDTH);
    widths = cols.map((_, i) => MIN_COLUMN_WIDTH + (totalAbove === 0 ? 0 : Math.floor(((above[i] ?? 0) * spare) / totalAbove)));
  }
  const used = widths.reduce((a, b) => a + b, 0);
  widths[widths.length - 1] = (widths[widths.length - 1] ?? 0) + Math.max(0, room - used);
  return cols.map((c, i) => ({ key: c.key, label: c.label, width: widths[i] ?? MIN_COLUMN_WIDTH }));
}

export interface TableLayout {
  badgeWidth: number;
  idWidth: number;
  columns: FittedColumn[];
}

/** Status badge first (it is what the operator scans), then the id, then the type's own columns. */
export function tableLayout(columns: DetailColumn[], width: number): TableLayout {
  const badgeWidth = Math.min(BADGE_WIDTH, Math.max(8, Math.floor(width / 3)));
  const idWidth = width >= 60 ? ID_WIDTH : 0;
  const rest = width - badgeWidth - COLUMN_GAP - (idWidth > 0 ? idWidth + COLUMN_GAP : 0);
  return { badgeWidth, idWidth, columns: fitColumns(columns, rest) };
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
