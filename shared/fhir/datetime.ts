// Date-times: Dekacare stores the clinic's local wall-clock time ('YYYY-MM-DD HH:mm:ss', WIB/WITA/WIT);
// SATUSEHAT wants UTC written as 'YYYY-MM-DDThh:mm:ss+00:00' and rejects values in the future or
// before its date floor (RuleNumber 10132). Everything here is explicit UTC arithmetic: it never
// reads the clock and never depends on the host's time zone.
import type { MapContext, MapIssue } from './types.js';

/**
 * The default date floor (setting MIN_RESOURCE_DATE): Kamus Validasi's 10132 text, "Past Date older
 * than 31st August 2022". The Playbook says 03 Juni 2014; see docs/date-floor.md for the choice.
 */
export const DEFAULT_MIN_RESOURCE_DATE = '2022-08-31';
/** The default floor as a SATUSEHAT date-time. */
export const EARLIEST_ALLOWED_UTC = '2022-08-31T00:00:00+00:00';

/** Epoch ms of a 'YYYY-MM-DD' floor (00:00 UTC), or null when it is not a real calendar date. */
export function parseDateFloor(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return Date.UTC(year, month - 1, day);
}

/** The floor that applied, named in every 10132 message, e.g. "the date floor 2022-08-31 (MIN_RESOURCE_DATE)". */
export const dateFloorLabel = (date: string): string => `the date floor ${date} (MIN_RESOURCE_DATE)`;

/** The date floor of a mapping context ('YYYY-MM-DD' and its epoch ms); the default when unset. */
export function dateFloorOf(ctx: Pick<MapContext, 'minResourceDate'>): { date: string; ms: number } {
  const date = ctx.minResourceDate ?? DEFAULT_MIN_RESOURCE_DATE;
  return { date, ms: parseDateFloor(date) ?? (parseDateFloor(DEFAULT_MIN_RESOURCE_DATE) as number) };
}

/** The RuleNumber SATUSEHAT uses for both date-time format and date-time value errors. */
export const RULE_DATETIME = '10132';

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// 'YYYY-MM-DD HH:mm:ss'. A 'T' separator, missing seconds and fractional seconds are tolerated
// because drivers and hand-written fixtures produce them; anything else is rejected.
const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?$/;
const OFFSET_RE = /^([+-])(\d{2}):?(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Parses a local wall-clock value; null when it is not a real calendar date and time (e.g. MySQL '0000-00-00'). */
export function parseLocalDateTime(value: string): LocalDateTime | null {
  const m = LOCAL_RE.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return { year, month, day, hour, minute, second };
}

/** '+07:00' → 420 minutes east of UTC. Accepts '+0700' and 'Z'. Null when malformed or beyond ±14:00. */
export function parseUtcOffset(offset: string): number | null {
  const trimmed = offset.trim();
  if (trimmed === 'Z') return 0;
  const m = OFFSET_RE.exec(trimmed);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if (minutes > 59 || hours * 60 + minutes > 14 * 60) return null;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** Epoch milliseconds of a local wall-clock time at a fixed offset (minutes east of UTC). */
export function localToEpochMs(local: LocalDateTime, offsetMinutes: number): number {
  // Date.UTC maps years 0–99 to 1900–1999, so set the full year explicitly.
  const d = new Date(Date.UTC(2000, 0, 1, local.hour, local.minute, local.second));
  d.setUTCFullYear(local.year, local.month - 1, local.day);
  return d.getTime() - offsetMinutes * 60_000;
}

/** Formats an instant the way SATUSEHAT wants it: 'YYYY-MM-DDThh:mm:ss+00:00' (seconds precision). */
export function formatSatusehatUtc(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19) + '+00:00';
}

/** Local wall-clock + offset → SATUSEHAT UTC string, or null when either input is malformed. */
export function toSatusehatUtc(local: string, offset: string): string | null {
  const parsed = parseLocalDateTime(local);
  const minutes = parseUtcOffset(offset);
  if (!parsed || minutes === null) return null;
  return formatSatusehatUtc(localToEpochMs(parsed, minutes));
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The local business date 'YYYY-MM-DD' of a local wall-clock value (no time-zone shift), or null. */
export function localBusinessDate(local: string): string | null {
  const p = parseLocalDateTime(local);
  return p ? `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}` : null;
}

/** 'YYYY-MM-DD HH:mm' in local time, for tables; null when unparseable. */
export function localMinute(local: string): string | null {
  const p = parseLocalDateTime(local);
  return p ? `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}` : null;
}

export type SourceDateTimeCheck =
  | { ok: true; utc: string; epochMs: number; businessDate: string }
  | { ok: false; issue: MapIssue };

/**
 * Converts and validates one source date-time for SATUSEHAT. `field` names the source column in
 * the message (e.g. 'arrivedAt'); `path` is where the value lands in the FHIR resource.
 * Problems come back as issues with RuleNumber 10132, worded like SATUSEHAT's own messages.
 */
export function checkSourceDateTime(value: string, ctx: MapContext, path: string, field: string): SourceDateTimeCheck {
  const offsetMinutes = parseUtcOffset(ctx.sourceUtcOffset);
  if (offsetMinutes === null) {
    return { ok: false, issue: { path, message: `Cannot convert ${field} to UTC: the configured source UTC offset '${ctx.sourceUtcOffset}' is not like '+07:00'` } };
  }
  const parsed = parseLocalDateTime(value);
  if (!parsed) {
    return {
      ok: false,
      issue: {
        path,
        rule: RULE_DATETIME,
        message: `Invalid date time format : '${value}' in ${field} (RuleNumber: ${RULE_DATETIME}). Expected a local time 'YYYY-MM-DD HH:mm:ss'`,
      },
    };
  }
  const epochMs = localToEpochMs(parsed, offsetMinutes);
  const utc = formatSatusehatUtc(epochMs);
  const where = `${field} '${value}' (local ${ctx.sourceUtcOffset})`;
  if (epochMs > ctx.now.getTime()) {
    return {
      ok: false,
      issue: {
        path,
        rule: RULE_DATETIME,
        message: `Invalid date time value : ${utc} (RuleNumber: ${RULE_DATETIME}) Not Allowed : Future Date. ${where} is in the future`,
      },
    };
  }
  const floor = dateFloorOf(ctx);
  if (epochMs < floor.ms) {
    return {
      ok: false,
      issue: {
        path,
        rule: RULE_DATETIME,
        message: `Invalid date time value : ${utc} (RuleNumber: ${RULE_DATETIME}) Not Allowed : Past Date. ${where} is before ${dateFloorLabel(floor.date)}`,
      },
    };
  }
  return { ok: true, utc, epochMs, businessDate: `${pad(parsed.year, 4)}-${pad(parsed.month)}-${pad(parsed.day)}` };
}
