// The date filter: business dates 'YYYY-MM-DD', stepped by day; empty means all dates. Pure.

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function isValidDate(value: string): boolean {
  if (!DATE_RE.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === value;
}

export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`);
  return new Date(t + days * 86_400_000).toISOString().slice(0, 10);
}

/** Today's date at a UTC offset such as '+07:00' (the clinic's zone: business dates are local). */
export function todayAt(offset: string, now: Date): string {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  return new Date(now.getTime() + minutes * 60_000).toISOString().slice(0, 10);
}

/**
 * One step of the date filter. From "all dates" the first step lands on today, so `[` and `]`
 * are useful straight away.
 */
export function stepDate(current: string | null, days: number, today: string): string {
  return current === null ? today : addDays(current, days);
}

/**
 * What the operator typed into the date field: '' = all dates, a full date, or an error.
 * Accepts 'YYYY-MM-DD' and the shorthand 'YYYYMMDD'.
 */
export function parseDateInput(text: string): { ok: true; date: string | null } | { ok: false; error: string } {
  const value = text.trim();
  if (value === '') return { ok: true, date: null };
  const normal = /^\d{8}$/.test(value) ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6)}` : value;
  if (!isValidDate(normal)) return { ok: false, error: `"${value}" is not a date: use YYYY-MM-DD, or leave empty for all dates` };
  return { ok: true, date: normal };
}
