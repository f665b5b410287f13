// A line diff between two request revisions (what an edit changed). Pure; LCS, capped in size.

export interface DiffLine {
  /** '@' marks a header line ('--- revision 2', '@@ -71,6 +71,6 @@'), kept when context is cut. */
  op: ' ' | '+' | '-' | '@';
  text: string;
}

/** Above this many line pairs the LCS table is too big for a keypress; show both bodies' sizes instead. */
const MAX_CELLS = 4_000_000;

export function diffLines(before: string[], after: string[]): DiffLine[] {
  // Trim the common head and tail first: edits are usually small.
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  const a = before.slice(head, before.length - tail);
  const b = after.slice(head, after.length - tail);
  const out: DiffLine[] = before.slice(0, head).map((text) => ({ op: ' ', text }));
  if (a.length * b.length > MAX_CELLS) {
    out.push(...a.map((text) => ({ op: '-' as const, text })), ...b.map((text) => ({ op: '+' as const, text })));
  } else {
    // lcs[i][j] = length of the LCS of a[i..] and b[j..]
    const lcs: Uint32Array[] = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
    for (let i = a.length - 1; i >= 0; i--) {
      for (let j = b.length - 1; j >= 0; j--) {
        lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) {
        out.push({ op: ' ', text: a[i]! });
        i++;
        j++;
      } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) {
        out.push({ op: '-', text: a[i++]! });
      } else {
        out.push({ op: '+', text: b[j++]! });
      }
    }
    while (i < a.length) out.push({ op: '-', text: a[i++]! });
    while (j < b.length) out.push({ op: '+', text: b[j++]! });
  }
  out.push(...before.slice(before.length - tail).map((text) => ({ op: ' ' as const, text })));
  return out;
}

/** Keeps `context` unchanged lines around each change, with '…' markers for what is skipped. */
export function compactDiff(lines: DiffLine[], context = 3): DiffLine[] {
  const keep = new Array<boolean>(lines.length).fill(false);
  lines.forEach((l, i) => {
    if (l.op === ' ') return;
    if (l.op === '@') {
      keep[i] = true;
      return;
    }
    for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) keep[k] = true;
  });
  const out: DiffLine[] = [];
  let skipped = 0;
  lines.forEach((l, i) => {
    if (keep[i]) {
      if (skipped > 0) out.push({ op: ' ', text: `… ${skipped} unchanged line${skipped === 1 ? '' : 's'}` });
      skipped = 0;
      out.push(l);
    } else skipped++;
  });
  if (skipped > 0 && out.length > 0) out.push({ op: ' ', text: `… ${skipped} unchanged line${skipped === 1 ? '' : 's'}` });
  return out;
}

/** Parses a unified-diff-like text (as saveRevision returns it) into lines with their op. */
export function parseDiffText(text: string): DiffLine[] {
  return text
    .split('\n')
    .filter((l, i, all) => !(i === all.length - 1 && l === ''))
    .map((l): DiffLine => {
      if (l.startsWith('+++') || l.startsWith('---') || l.startsWith('@@')) return { op: '@', text: l };
      if (l.startsWith('+')) return { op: '+', text: l.slice(1) };
      if (l.startsWith('-')) return { op: '-', text: l.slice(1) };
      return { op: ' ', text: l.startsWith(' ') ? l.slice(1) : l };
    });
}
