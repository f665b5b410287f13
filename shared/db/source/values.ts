// Raw MySQL values → the source contract's types. The source connection uses dateStrings, but a
// reader may be handed a connection without it; then mysql2 (timezone 'Z') reads the wall-clock
// DATETIME as if it were UTC, so formatting the Date in UTC gives the stored wall-clock text back.
import type { Gender } from '../../types/source-rows.js';

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

function utcDate(d: Date): string {
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** MySQL's "zero" dates mean "no date" in legacy data. */
function isZeroDate(text: string): boolean {
  return text.startsWith('0000-00-00');
}

/** Ids and other integers: BIGINT UNSIGNED can arrive as a string. */
export function toInt(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`expected an integer from the source database, got ${String(value)}`);
  return n;
}

/**
 * A reference to another row (unit_id, patient_id…). NOT NULL in the demo schema, but a real
 * Dekacare row may lack it; null is passed on (the mappers check for it and report the row as
 * invalid) instead of throwing and stopping the whole run. The row types say `number`, hence
 * the cast.
 */
export function toRefId(value: unknown): number {
  if (value === null || value === undefined) return null as unknown as number;
  return toInt(value);
}

/** DECIMAL arrives as a string from mysql2; the contract wants numbers. */
export function toNumberOrNull(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Trimmed text; empty becomes null (legacy rows store '' for "unknown"). */
export function toTextOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = (Buffer.isBuffer(value) ? value.toString('utf8') : String(value)).trim();
  return text === '' ? null : text;
}

/** Trimmed text for NOT NULL columns; '' is kept so the mapper can call the row invalid. */
export function toText(value: unknown): string {
  return toTextOrNull(value) ?? '';
}

/** 'YYYY-MM-DD HH:mm:ss' (fractions dropped), or null for NULL and zero dates. */
export function toDateTimeOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    return `${utcDate(value)} ${pad2(value.getUTCHours())}:${pad2(value.getUTCMinutes())}:${pad2(value.getUTCSeconds())}`;
  }
  const text = String(value).trim();
  if (text === '' || isZeroDate(text)) return null;
  return text.length > 19 && text[19] === '.' ? text.slice(0, 19) : text;
}

/** As toDateTimeOrNull, for required columns: a missing value stays '' and the mapper rejects it. */
export function toDateTime(value: unknown): string {
  return toDateTimeOrNull(value) ?? '';
}

/** 'YYYY-MM-DD', or null for NULL and zero dates. */
export function toDateOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : utcDate(value);
  const text = String(value).trim();
  if (text === '' || isZeroDate(text)) return null;
  return text.slice(0, 10);
}

/** 'male'/'female'; also the Indonesian L (laki-laki) / P (perempuan) that many SIMRS store. */
export function toGender(value: unknown): Gender | null {
  const text = toTextOrNull(value)?.toLowerCase();
  if (text === 'male' || text === 'l' || text === 'm' || text === 'laki-laki') return 'male';
  if (text === 'female' || text === 'p' || text === 'f' || text === 'perempuan') return 'female';
  return null;
}

export function toBoolean(value: unknown): boolean {
  if (Buffer.isBuffer(value)) return value.length > 0 && value[0] !== 0;
  return value === true || value === 1 || value === '1' || value === 'true';
}

/** A reference to another row that may be NULL; the row types of the clinical readers say so. */
export function toRefIdOrNull(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  return toInt(value);
}

/** A comma-separated id list (GROUP_CONCAT) → ascending numbers; NULL → []. */
export function toIdList(value: unknown): number[] {
  const text = toTextOrNull(value);
  if (text === null) return [];
  return text.split(',').map((part) => toInt(part.trim())).sort((a, b) => a - b);
}
