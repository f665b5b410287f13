// Every key of the TUI, per screen, in one table: the screens resolve keys through it and the
// help overlay (`?`) prints it, so the help can never drift from the behaviour. Pure.
import type { Key } from 'ink';

export type Screen = 'dashboard' | 'detail' | 'item';

export type Action =
  | { type: 'quit' }
  | { type: 'help' }
  | { type: 'refresh' }
  | { type: 'back' }
  | { type: 'move'; direction: 'left' | 'right' | 'up' | 'down' | 'first' | 'last' }
  | { type: 'open' }
  | { type: 'search' }
  | { type: 'regenerate' }
  | { type: 'day'; delta: -1 | 1 }
  | { type: 'editDate' }
  | { type: 'cycleStatus'; delta: -1 | 1 }
  | { type: 'page'; delta: -1 | 1 }
  | { type: 'resendMatching' }
  | { type: 'edit' }
  | { type: 'resend' }
  | { type: 'toggleDiff' }
  | { type: 'nextTab'; delta: -1 | 1 }
  | { type: 'scroll'; delta: number | 'page-up' | 'page-down' | 'top' | 'bottom' };

/** The subset of Ink's Key we read; tests build it with `key({...})`. */
export type KeyInfo = Pick<Key, 'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'return' | 'escape' | 'ctrl' | 'shift' | 'tab' | 'backspace' | 'delete' | 'meta'>;

export const NO_KEY: KeyInfo = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageUp: false, pageDown: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
};

export const key = (partial: Partial<KeyInfo> = {}): KeyInfo => ({ ...NO_KEY, ...partial });

export interface Binding {
  /** How the help overlay writes the keys, e.g. '↑ ↓ j k'. */
  keys: string;
  help: string;
  /** A write action: hidden in --read-only sessions. */
  write?: boolean;
  match(input: string, key: KeyInfo): boolean;
  action: Action;
}

const ch = (...chars: string[]) => (input: string, k: KeyInfo) => !k.ctrl && !k.meta && chars.includes(input);

const GLOBAL: Binding[] = [
  { keys: '?', help: 'this help', match: ch('?'), action: { type: 'help' } },
  { keys: 'r', help: 'refresh now (figures also refresh every 2 s)', match: ch('r'), action: { type: 'refresh' } },
  { keys: 'q  Ctrl-C', help: 'quit', match: (i, k) => ch('q')(i, k) || (k.ctrl && i === 'c'), action: { type: 'quit' } },
];

const DATE: Binding[] = [
  { keys: '[  ]', help: 'date filter: previous / next day (from "all dates": today)', match: ch('['), action: { type: 'day', delta: -1 } },
  { keys: '', help: '', match: ch(']'), action: { type: 'day', delta: 1 } },
  { keys: 't', help: 'type a date (tanggal); ← → step a day, empty = all dates, Enter applies', match: ch('t'), action: { type: 'editDate' } },
];

export const KEYMAP: Record<Screen, Binding[]> = {
  dashboard: [
    { keys: '← → ↑ ↓  h j k l', help: 'move between cards', match: (i, k) => k.upArrow || ch('k')(i, k), action: { type: 'move', direction: 'up' } },
    { keys: '', help: '', match: (i, k) => k.downArrow || ch('j')(i, k), action: { type: 'move', direction: 'down' } },
    { keys: '', help: '', match: (i, k) => k.leftArrow || ch('h')(i, k), action: { type: 'move', direction: 'left' } },
    { keys: '', help: '', match: (i, k) => k.rightArrow || ch('l')(i, k), action: { type: 'move', direction: 'right' } },
    { keys: 'Home End', help: 'first / last card', match: (_i, k) => k.home, action: { type: 'move', direction: 'first' } },
    { keys: '', help: '', match: (_i, k) => k.end, action: { type: 'move', direction: 'last' } },
    { keys: 'Enter', help: 'open the type: its items, with filters', match: (_i, k) => k.return, action: { type: 'open' } },
    { keys: '/', help: 'search resource types as you type; Esc clears', match: ch('/'), action: { type: 'search' } },
    { keys: 'g', help: 'regenerate a foundation type (Organization, Location, Practitioner, Patient)', write: true, match: ch('g'), action: { type: 'regenerate' } },
    ...DATE,
    { keys: 'Esc', help: 'clear the search', match: (_i, k) => k.escape, action: { type: 'back' } },
    ...GLOBAL,
  ],
  detail: [
    { keys: '↑ ↓  j k', help: 'move between rows', match: (i, k) => k.upArrow || ch('k')(i, k), action: { type: 'move', direction: 'up' } },
    { keys: '', help: '', match: (i, k) => k.downArrow || ch('j')(i, k), action: { type: 'move', direction: 'down' } },
    { keys: 'Home End', help: 'first / last row of the page', match: (_i, k) => k.home, action: { type: 'move', direction: 'first' } },
    { keys: '', help: '', match: (_i, k) => k.end, action: { type: 'move', direction: 'last' } },
    { keys: 'PgDn PgUp  n p  → ←', help: 'next / previous page', match: (i, k) => k.pageDown || k.rightArrow || ch('n')(i, k), action: { type: 'page', delta: 1 } },
    { keys: '', help: '', match: (i, k) => k.pageUp || k.leftArrow || ch('p')(i, k), action: { type: 'page', delta: -1 } },
    { keys: 'Enter  d', help: 'open the item: request, response, history, edit, Kirim Ulang', match: (i, k) => k.return || ch('d')(i, k), action: { type: 'open' } },
    { keys: 'f  F', help: 'status filter: next / previous (all, problems, failed, invalid, blocked, …)', match: ch('f'), action: { type: 'cycleStatus', delta: 1 } },
    { keys: '', help: '', match: ch('F'), action: { type: 'cycleStatus', delta: -1 } },
    { keys: '/', help: 'search business keys (visit no., NIK, name, SATUSEHAT id); Esc clears', match: ch('/'), action: { type: 'search' } },
    ...DATE,
    { keys: 'R', help: 'resend all failed items matching the filter (shows the count, asks first)', write: true, match: ch('R'), action: { type: 'resendMatching' } },
    { keys: 'Esc', help: 'clear the search, else back to the dashboard', match: (_i, k) => k.escape, action: { type: 'back' } },
    ...GLOBAL,
  ],
  item: [
    { keys: '↑ ↓  j k', help: 'scroll', match: (i, k) => k.upArrow || ch('k')(i, k), action: { type: 'scroll', delta: -1 } },
    { keys: '', help: '', match: (i, k) => k.downArrow || ch('j')(i, k), action: { type: 'scroll', delta: 1 } },
    { keys: 'PgUp PgDn  Home End', help: 'scroll a page / to the top / to the end', match: (_i, k) => k.pageUp, action: { type: 'scroll', delta: 'page-up' } },
    { keys: '', help: '', match: (_i, k) => k.pageDown || (!k.ctrl && _i === ' '), action: { type: 'scroll', delta: 'page-down' } },
    { keys: '', help: '', match: (_i, k) => k.home, action: { type: 'scroll', delta: 'top' } },
    { keys: '', help: '', match: (_i, k) => k.end, action: { type: 'scroll', delta: 'bottom' } },
    { keys: 'Tab  ← →', help: 'switch view: Request, Response, History', match: (_i, k) => (k.tab && !k.shift) || k.rightArrow, action: { type: 'nextTab', delta: 1 } },
    { keys: '', help: '', match: (_i, k) => (k.tab && k.shift) || k.leftArrow, action: { type: 'nextTab', delta: -1 } },
    { keys: 'e', help: 'edit the request body ($VISUAL / $EDITOR, else the built-in editor); saved as a new revision', write: true, match: ch('e'), action: { type: 'edit' } },
    { keys: 's', help: 'Kirim Ulang: resend this item, then wait for the result', write: true, match: ch('s'), action: { type: 'resend' } },
    { keys: 'v', help: 'diff of the current revision against the previous one', match: ch('v'), action: { type: 'toggleDiff' } },
    { keys: 'Esc', help: 'close the panel', match: (_i, k) => k.escape, action: { type: 'back' } },
    ...GLOBAL,
  ],
};

export function resolveKey(screen: Screen, input: string, k: KeyInfo, options: { readOnly: boolean }): Action | null {
  for (const b of KEYMAP[screen]) {
    if (b.write && options.readOnly) continue;
    if (b.match(input, k)) return b.action;
  }
  return null;
}

/** Rows for the help overlay: bindings that have a label, without write actions when read-only. */
export function helpRows(screen: Screen, options: { readOnly: boolean }): Array<{ keys: string; help: string }> {
  return KEYMAP[screen].filter((b) => b.keys !== '' && !(b.write && options.readOnly)).map((b) => ({ keys: b.keys, help: b.help }));
}

/** The short key line at the bottom of each screen. */
export function footerKeys(screen: Screen, options: { readOnly: boolean }): string {
  const w = !options.readOnly;
  switch (screen) {
    case 'dashboard':
      return ['Enter open', '/ search', w ? 'g regenerate' : null, '[ ] day', 't date', 'r refresh', '? help', 'q quit'].filter(Boolean).join(' · ');
    case 'detail':
      return ['Enter/d open', 'f status', '/ search', '[ ] day', 't date', 'n/p page', w ? 'R resend failed' : null, 'Esc back', '? help'].filter(Boolean).join(' · ');
    case 'item':
      return [w ? 'e edit' : null, w ? 's Kirim Ulang' : null, 'Tab view', 'v diff', 'j/k scroll', 'Esc close', '? help'].filter(Boolean).join(' · ');
  }
}
