// Request / response bodies as pretty-printed JSON lines, scrolled and cut to the panel. Pure.
import { oneLine, truncate } from './text.js';

/** Bodies larger than this many lines are cut (a Bundle can be huge; the panel is for reading). */
export const MAX_JSON_LINES = 5_000;

/** Pretty-prints a body. Strings that hold JSON are parsed first; other strings are shown as text. */
export function jsonLines(value: unknown): string[] {
  if (value === undefined || value === null) return ['(none)'];
  let text: string;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    try {
      text = trimmed.startsWith('{') || trimmed.startsWith('[') ? JSON.stringify(JSON.parse(trimmed), null, 2) : value;
    } catch {
      text = value;
    }
  } else {
    text = JSON.stringify(value, null, 2) ?? String(value);
  }
  const lines = text.split('\n');
  if (lines.length <= MAX_JSON_LINES) return lines;
  return [...lines.slice(0, MAX_JSON_LINES), `… ${lines.length - MAX_JSON_LINES} more lines (use \`satusehat items show <id> --json\`)`];
}

/** The highest useful scroll offset: the last page still fills the view. */
export function maxScroll(total: number, height: number): number {
  return Math.max(0, total - Math.max(1, height));
}

export function clampScroll(offset: number, total: number, height: number): number {
  return Math.max(0, Math.min(maxScroll(total, height), offset));
}

/** The visible slice, each line cut to the width with '…'. */
export function visibleLines(lines: string[], offset: number, height: number, width: number): string[] {
  const start = clampScroll(offset, lines.length, height);
  return lines.slice(start, start + Math.max(0, height)).map((l) => truncate(oneLine(l.replace(/\t/g, '  ')), width));
}

/** '12–30 of 88' for the scroll position. */
export function scrollLabel(offset: number, height: number, total: number): string {
  if (total <= height) return `${total} lines`;
  const start = clampScroll(offset, total, height);
  return `lines ${start + 1}–${Math.min(total, start + height)} of ${total}`;
}

/** The first line index whose text mentions a JSON key, for jumping to an error's field. */
export function lineOfPath(lines: string[], path: string | undefined): number | null {
  if (!path) return null;
  // 'Encounter.serviceProvider.reference' → look for the last named segment, e.g. "reference".
  const segments = path.split('.').map((s) => s.replace(/\[\d+\]$/, '')).filter((s) => /^[A-Za-z_][\w-]*$/.test(s));
  for (let i = segments.length - 1; i >= 1; i--) {
    // Prefer the parent segment when the leaf is generic (reference, system, value, code).
    const key = segments[i];
    const idx = lines.findIndex((l) => l.trimStart().startsWith(`"${key}":`));
    if (idx >= 0) {
      const parent = segments[i - 1];
      if (i >= 2 && parent) {
        const p = lines.findIndex((l) => l.trimStart().startsWith(`"${parent}":`));
        if (p >= 0) {
          const after = lines.findIndex((l, j) => j > p && l.trimStart().startsWith(`"${key}":`));
          if (after >= 0) return after;
        }
      }
      return idx;
    }
  }
  return null;
}
