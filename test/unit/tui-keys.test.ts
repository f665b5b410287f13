// The key table: what each key does per screen, read-only filtering, help and footer text.
import { describe, expect, it } from 'vitest';
import { footerKeys, helpRows, key, KEYMAP, resolveKey, splitKeys, typedAfter } from '../../tui/keys.js';

const rw = { readOnly: false };
const ro = { readOnly: true };

describe('resolveKey', () => {
  it('maps arrows and j/k alike, Enter opens, Esc goes back, / searches, ? helps, q quits, r refreshes', () => {
    expect(resolveKey('dashboard', '', key({ downArrow: true }), rw)).toEqual({ type: 'move', direction: 'down' });
    expect(resolveKey('dashboard', 'j', key(), rw)).toEqual({ type: 'move', direction: 'down' });
    expect(resolveKey('detail', 'k', key(), rw)).toEqual({ type: 'move', direction: 'up' });
    expect(resolveKey('dashboard', '', key({ return: true }), rw)).toEqual({ type: 'open' });
    expect(resolveKey('detail', 'd', key(), rw)).toEqual({ type: 'open' });
    expect(resolveKey('item', '', key({ escape: true }), rw)).toEqual({ type: 'back' });
    for (const screen of ['dashboard', 'detail', 'item'] as const) {
      expect(resolveKey(screen, '?', key(), rw)).toEqual({ type: 'help' });
      expect(resolveKey(screen, 'q', key(), rw)).toEqual({ type: 'quit' });
      expect(resolveKey(screen, 'r', key(), rw)).toEqual({ type: 'refresh' });
    }
    expect(resolveKey('dashboard', '/', key(), rw)).toEqual({ type: 'search' });
    expect(resolveKey('detail', '/', key(), rw)).toEqual({ type: 'search' });
  });

  it('date filter keys: [ ] step a day, t types a date', () => {
    expect(resolveKey('dashboard', '[', key(), rw)).toEqual({ type: 'day', delta: -1 });
    expect(resolveKey('detail', ']', key(), rw)).toEqual({ type: 'day', delta: 1 });
    expect(resolveKey('dashboard', 't', key(), rw)).toEqual({ type: 'editDate' });
  });

  it('detail: pages, status filter, resend matching', () => {
    expect(resolveKey('detail', '', key({ pageDown: true }), rw)).toEqual({ type: 'page', delta: 1 });
    expect(resolveKey('detail', 'n', key(), rw)).toEqual({ type: 'page', delta: 1 });
    expect(resolveKey('detail', 'p', key(), rw)).toEqual({ type: 'page', delta: -1 });
    expect(resolveKey('detail', '', key({ pageUp: true }), rw)).toEqual({ type: 'page', delta: -1 });
    expect(resolveKey('detail', 'f', key(), rw)).toEqual({ type: 'cycleStatus', delta: 1 });
    expect(resolveKey('detail', 'F', key({ shift: true }), rw)).toEqual({ type: 'cycleStatus', delta: -1 });
    expect(resolveKey('detail', 'R', key({ shift: true }), rw)).toEqual({ type: 'resendMatching' });
  });

  it('item panel: edit, resend, diff, tabs, scrolling', () => {
    expect(resolveKey('item', 'e', key(), rw)).toEqual({ type: 'edit' });
    expect(resolveKey('item', 's', key(), rw)).toEqual({ type: 'resend' });
    expect(resolveKey('item', 'v', key(), rw)).toEqual({ type: 'toggleDiff' });
    expect(resolveKey('item', '', key({ tab: true }), rw)).toEqual({ type: 'nextTab', delta: 1 });
    expect(resolveKey('item', '', key({ tab: true, shift: true }), rw)).toEqual({ type: 'nextTab', delta: -1 });
    expect(resolveKey('item', '', key({ pageDown: true }), rw)).toEqual({ type: 'scroll', delta: 'page-down' });
    expect(resolveKey('item', 'j', key(), rw)).toEqual({ type: 'scroll', delta: 1 });
  });

  it('read-only: every write key does nothing', () => {
    expect(resolveKey('dashboard', 'g', key(), ro)).toBeNull();
    expect(resolveKey('detail', 'R', key(), ro)).toBeNull();
    expect(resolveKey('item', 'e', key(), ro)).toBeNull();
    expect(resolveKey('item', 's', key(), ro)).toBeNull();
    expect(resolveKey('item', 'x', key(), ro)).toBeNull();
    expect(resolveKey('item', 'v', key(), ro)).toEqual({ type: 'toggleDiff' });
  });

  it('ignores ctrl/meta chords that look like letters', () => {
    expect(resolveKey('dashboard', 'g', key({ ctrl: true }), rw)).toBeNull();
  });
});

describe('help and footer', () => {
  it('help lists every labelled binding, without writes when read-only', () => {
    for (const screen of ['dashboard', 'detail', 'item'] as const) {
      const rows = helpRows(screen, rw);
      expect(rows.length).toBe(KEYMAP[screen].filter((b) => b.keys !== '').length);
      expect(rows.map((r) => r.keys)).toContain('?');
      expect(helpRows(screen, ro).some((r) => /regenerate|Kirim Ulang|resend all|edit the request/.test(r.help))).toBe(false);
    }
  });

  it('the footer fits the width and always keeps help and quit', () => {
    for (const width of [40, 80, 160]) {
      const text = footerKeys('detail', { readOnly: false, width });
      expect(text.length).toBeLessThanOrEqual(Math.max(width, '? help · q quit'.length));
      expect(text).toMatch(/\? help · q quit$/);
    }
    expect(footerKeys('item', { readOnly: true })).not.toMatch(/edit|Kirim/);
    expect(footerKeys('item', { readOnly: false })).toMatch(/s Kirim Ulang/);
  });
});

describe('splitKeys', () => {
  it('splits a chunk of fast typing into keys, Enter and Backspace included', () => {
    const keys = splitKeys('ab\r\u007f', key());
    expect(keys.map(([i]) => i)).toEqual(['a', 'b', '', '']);
    expect(keys[2]![1].return).toBe(true);
    expect(keys[3]![1].delete).toBe(true);
    expect(splitKeys('j', key())).toHaveLength(1);
    expect(splitKeys('ab', key({ ctrl: true }))).toHaveLength(1);
  });

  it('takes the text typed after a key that opens a field', () => {
    expect(typedAfter(splitKeys('/Encounter\r', key()), 1)).toEqual({ text: 'Encounter', submitted: true });
    expect(typedAfter(splitKeys('/enx\u007fc', key()), 1)).toEqual({ text: 'enc', submitted: false });
  });
});
