// Raw state-DB values → plain JS. The state connection returns DATETIME as Date (UTC session) and
// MariaDB returns JSON columns as text.

export function isoOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

/** DATE → 'YYYY-MM-DD' (the session is UTC, so the Date is midnight UTC of that day). */
export function dateOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

/** A JSON column: parsed when it is text, as is when the driver already parsed it. */
export function parseJsonColumn<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value !== 'string') return value as T;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

/** `LIKE` pattern for "contains", with the user's own % _ and \ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const ESCAPES: Record<string, string> = { '\0': '\\0', '\n': '\\n', '\r': '\\r', '\x1a': '\\Z', "'": "\\'", '\\': '\\\\' };
// eslint-disable-next-line no-control-regex -- NUL and Ctrl-Z are among what MySQL escapes
const NEEDS_ESCAPE = /[\0\n\r\x1a'\\]/g;

/**
 * A value as a SQL literal in a single-quoted string (backslash escapes, as mysql2 does; a double
 * quote needs none there, and JSON is full of them): for multi-row INSERTs built as one string,
 * where knex's per-value bindings cost more than the database's work.
 */
export function sqlLiteral(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? '1' : '0';
  NEEDS_ESCAPE.lastIndex = 0;
  return NEEDS_ESCAPE.test(value) ? `'${value.replace(NEEDS_ESCAPE, (c) => ESCAPES[c]!)}'` : `'${value}'`;
}
