// A unified-style line diff for showing what an edit changed. Request bodies are a few hundred
// lines at most, so a plain LCS table is fast enough; above a size cap the whole middle is shown
// as replaced rather than spending seconds on it.

type Op = { kind: ' ' | '-' | '+'; text: string; a: number; b: number };

/** Cells of the LCS table above which the diff falls back to "all removed, all added". */
const MAX_CELLS = 4_000_000;

function diffOps(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const ops: Op[] = [];
  for (let i = 0; i < start; i += 1) ops.push({ kind: ' ', text: a[i]!, a: i, b: i });
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const n = midA.length;
  const m = midB.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    midA.forEach((text, i) => ops.push({ kind: '-', text, a: start + i, b: start }));
    midB.forEach((text, j) => ops.push({ kind: '+', text, a: endA, b: start + j }));
  } else {
    // lcs[i][j] = LCS length of midA[i..] and midB[j..], in one flat array.
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i -= 1) {
      for (let j = m - 1; j >= 0; j -= 1) {
        lcs[i * w + j] = midA[i] === midB[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        ops.push({ kind: ' ', text: midA[i]!, a: start + i, b: start + j });
        i += 1;
        j += 1;
      } else if (i < n && (j >= m || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
        // Removals before additions on a tie, as diff(1) prints them.
        ops.push({ kind: '-', text: midA[i]!, a: start + i, b: start + j });
        i += 1;
      } else {
        ops.push({ kind: '+', text: midB[j]!, a: start + i, b: start + j });
        j += 1;
      }
    }
  }
  for (let k = 0; k < a.length - endA; k += 1) ops.push({ kind: ' ', text: a[endA + k]!, a: endA + k, b: endB + k });
  return ops;
}

const range = (start: number, count: number) => (count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`);

/**
 * `--- from` / `+++ to` headers and `@@ -a,b +c,d @@` hunks with `context` unchanged lines around
 * each change. Empty string when the texts are equal.
 */
export function unifiedDiff(before: string, after: string, labels: { from: string; to: string }, context = 3): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  const ops = diffOps(a, b);
  const changed = ops.map((op, i) => (op.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) return '';
  const out = [`--- ${labels.from}`, `+++ ${labels.to}`];
  let k = 0;
  while (k < changed.length) {
    let first = Math.max(0, changed[k]! - context);
    let last = Math.min(ops.length - 1, changed[k]! + context);
    // Merge changes whose context windows touch.
    while (k + 1 < changed.length && changed[k + 1]! - context <= last + 1) {
      k += 1;
      last = Math.min(ops.length - 1, changed[k]! + context);
    }
    first = Math.max(0, first);
    const hunk = ops.slice(first, last + 1);
    const aCount = hunk.filter((o) => o.kind !== '+').length;
    const bCount = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${range(hunk[0]!.a + 1, aCount)} +${range(hunk[0]!.b + 1, bCount)} @@`);
    for (const op of hunk) out.push(`${op.kind}${op.text}`);
    k += 1;
  }
  return out.join('\n') + '\n';
}

/** The form bodies are shown and diffed in: JSON, 2-space indent. */
export const prettyJson = (value: unknown) => JSON.stringify(value, null, 2);
