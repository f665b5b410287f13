import { describe, expect, it } from 'vitest';
import { prettyJson, unifiedDiff } from '../../shared/services/line-diff.js';

const labels = { from: 'revision 1', to: 'revision 2' };

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb', 'a\nb', labels)).toBe('');
  });

  it('shows a changed line with three lines of context', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].join('\n');
    const after = ['1', '2', '3', '4', 'five', '6', '7', '8', '9'].join('\n');
    expect(unifiedDiff(before, after, labels)).toBe(
      ['--- revision 1', '+++ revision 2', '@@ -2,7 +2,7 @@', ' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8', ''].join('\n'),
    );
  });

  it('splits distant changes into hunks and merges close ones', () => {
    const before = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const after = [...before];
    after[1] = 'changed 2';
    after[3] = 'changed 4';
    after[25] = 'changed 26';
    const diff = unifiedDiff(before.join('\n'), after.join('\n'), labels);
    expect(diff.match(/^@@ .* @@$/gm)).toEqual(['@@ -1,7 +1,7 @@', '@@ -23,7 +23,7 @@']);
  });

  it('handles pure insertions and deletions', () => {
    expect(unifiedDiff('a\nc', 'a\nb\nc', labels)).toContain('@@ -1,2 +1,3 @@\n a\n+b\n c\n');
    expect(unifiedDiff('a\nb\nc', 'a\nc', labels)).toContain('@@ -1,3 +1,2 @@\n a\n-b\n c\n');
    expect(unifiedDiff('', 'x', { from: 'none', to: 'new' })).toContain('-\n+x');
  });

  it('diffs pretty JSON line by line', () => {
    const diff = unifiedDiff(prettyJson({ a: 1, b: { c: 2 } }), prettyJson({ a: 1, b: { c: 3 } }), labels);
    expect(diff).toContain('-    "c": 2\n+    "c": 3');
  });

  it('stays fast on large bodies that differ everywhere', () => {
    const big = (tag: string) => Array.from({ length: 5000 }, (_, i) => `${tag} ${i}`).join('\n');
    const started = Date.now();
    const diff = unifiedDiff(big('a'), big('b'), labels);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(diff.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++'))).toHaveLength(5000);
  });
});
