// Terminal text helpers: display width, truncation with an ellipsis, padding. Pure.
// Long values are cut, never wrapped, so one value can never break the layout.

/** Wide (two-cell) code points: CJK, Hangul, full-width forms and emoji pictographs. */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Zero-width: combining marks, variation selectors, zero-width joiners, control characters. */
function isZeroWidth(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f);
}

function charWidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (isZeroWidth(cp)) return 0;
  return isWide(cp) ? 2 : 1;
}

/** Cells a string occupies in a terminal (no ANSI codes expected). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch);
  return width;
}

/** One line, control characters (tabs, newlines) turned into spaces. */
export function oneLine(text: string): string {
  return text.replace(/[\t\r\n\v\f]+/g, ' ');
}

/** Cuts to at most `width` cells, ending with '…' when something was cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(text) <= width) return text;
  if (width === 1) return '…';
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = charWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}

/** Truncates, then pads with spaces to exactly `width` cells. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(oneLine(text), width);
  const pad = ' '.repeat(Math.max(0, width - displayWidth(cut)));
  return align === 'left' ? cut + pad : pad + cut;
}

/** 1234567 → '1,234,567'. */
export function formatCount(n: number): string {
  return Math.trunc(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A timestamp for a narrow column, in the machine's local time: 'HH:MM:SS' when it is today,
 * else '27 Nov HH:MM'. '—' for null or an unreadable value.
 */
export function shortTime(iso: string | null | undefined, now: Date): string {
  if (!iso) return '—';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return '—';
  const sameDay = t.getFullYear() === now.getFullYear() && t.getMonth() === now.getMonth() && t.getDate() === now.getDate();
  const hm = `${pad2(t.getHours())}:${pad2(t.getMinutes())}`;
  return sameDay ? `${hm}:${pad2(t.getSeconds())}` : `${t.getDate()} ${MONTHS[t.getMonth()]} ${hm}`;
}

/** '5s', '3m', '2h', '4d' between two instants (absolute). */
export function shortDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.round(s / 60)}m`;
  if (s < 86_400) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}

/**
 * Wraps text into at most `maxLines` lines of `width` cells, breaking at spaces where it can;
 * the last line ends with '…' when text is left over. For messages that must stay readable.
 */
export function wrapLines(text: string, width: number, maxLines: number): string[] {
  if (width <= 0 || maxLines <= 0) return [];
  const words = oneLine(text).split(' ');
  const lines: string[] = [];
  let line = '';
  const push = () => {
    lines.push(line);
    line = '';
  };
  for (let w of words) {
    while (displayWidth(w) > width) {
      // A word longer than a line: cut it.
      const room = line === '' ? width : width - displayWidth(line) - 1;
      if (room <= 0) {
        push();
        continue;
      }
      const head = [...w].slice(0, room).join('');
      line = line === '' ? head : `${line} ${head}`;
      w = [...w].slice(room).join('');
      push();
    }
    if (w === '') continue;
    const candidate = line === '' ? w : `${line} ${w}`;
    if (displayWidth(candidate) <= width) line = candidate;
    else {
      push();
      line = w;
    }
  }
  if (line !== '') push();
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = truncate(`${kept[maxLines - 1]} ${lines[maxLines] ?? ''}`, width);
  if (!kept[maxLines - 1]!.endsWith('…')) kept[maxLines - 1] = truncate(`${kept[maxLines - 1]}…`, width);
  return kept;
}
