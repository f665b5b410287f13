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
  | { type: 'jumpPage'; to: 'first' | 'last' | 'ask' }
  | { type: 'resendMatching' }
  | { type: 'edit' }
  | { type: 'resend' }
  | { type: 'forceResend' }
  | { type: 'pauseResume' }
  | { type: 'toggleDiff' }
  | { type: 'discardDraft' }
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
  // Ctrl-C is handled once, at the root, so it also works inside text fields.
  { keys: 'q  Ctrl-C', help: 'quit', match: ch('q'), action: { type: 'quit' } },
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
    { keys: 'P', help: 'pause sending on every daemon (type a reason, Enter), or resume it (asks first)', write: true, match: ch('P'), action: { type: 'pauseResume' } },
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
    { keys: 'g  G', help: 'first page / last page', match: ch('g'), action: { type: 'jumpPage', to: 'first' } },
    { keys: '', help: '', match: ch('G'), action: { type: 'jumpPage', to: 'last' } },
    { keys: ':', help: 'go to a page: type its number, Enter', match: ch(':'), action: { type: 'jumpPage', to: 'ask' } },
    { keys: 'Enter  d', help: 'open the item: request, response, history (and its actions)', match: (i, k) => k.return || ch('d')(i, k), action: { type: 'open' } },
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
    { keys: 'F', help: 'force: send a sent item again as an update (PUT by its SATUSEHAT id); asks first', write: true, match: ch('F'), action: { type: 'forceResend' } },
    { keys: 'v', help: 'diff of the current revision against the previous one', match: ch('v'), action: { type: 'toggleDiff' } },
    { keys: 'x', help: 'discard a refused edit kept for the next try (the next e starts from the saved revision)', write: true, match: ch('x'), action: { type: 'discardDraft' } },
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

/**
 * The key line at the bottom of each screen, most useful first; items that do not fit the width
 * are dropped, but '? help' and 'q quit' always stay (help lists everything).
 */
export function footerKeys(screen: Screen, options: { readOnly: boolean; width?: number }): string {
  const w = !options.readOnly;
  const items: Array<string | null> =
    screen === 'dashboard'
      ? ['Enter open', '/ search', w ? 'g regenerate' : null, w ? 'P pause' : null, '[ ] day', 't date', 'arrows move', 'r refresh']
      : screen === 'detail'
        ? ['Enter open', 'f status', '/ search', w ? 'R resend failed' : null, 'n/p page', 'g/G/: jump', '[ ] day', 't date', 'Esc back']
        : [w ? 'e edit' : null, w ? 's Kirim Ulang' : null, 'Tab view', 'v diff', 'j/k scroll', w ? 'x drop edit' : null, 'Esc close'];
  const tail = ['? help', 'q quit'];
  const kept = items.filter((i): i is string => i !== null);
  const width = options.width ?? Number.MAX_SAFE_INTEGER;
  while (kept.length > 0 && [...kept, ...tail].join(' · ').length > width) kept.pop();
  return [...kept, ...tail].join(' · ');
}

/**
 * Ink hands over one chunk of typed text at a time: fast typing, a paste or a busy moment can
 * deliver "jj" or "admin\r" at once. Split such chunks into single keys, Enter and Backspace
 * included, so each one acts as if typed alone.
 */
export function splitKeys<K extends KeyInfo>(input: string, k: K): Array<[string, K]> {
  const chars = [...input];
  if (chars.length <= 1 || k.ctrl || k.meta) return [[input, k]];
  return chars.map((c): [string, K] => {
    if (c === '\r' || c === '\n') return ['', { ...k, return: true }];
    if (c === '\u007f' || c === '\b') return ['', { ...k, delete: true }];
    if (c === '\t') return ['', { ...k, tab: true }];
    return [c, { ...k, shift: c !== c.toLowerCase() }];
  });
}

/**
 * The text typed after a key that opens a text field ('/' then "Encounter" in the same chunk):
 * the characters up to an Enter, and whether that Enter came (the field is then submitted).
 */
export function typedAfter(keys: Array<[string, KeyInfo]>, from: number): { text: string; submitted: boolean } {
  let text = '';
  for (let i = from; i < keys.length; i++) {
    const [input, k] = keys[i]!;
    if (k.return) return { text, submitted: true };
    if (k.delete || k.backspace) text = text.slice(0, -1);
    else if (!k.ctrl && !k.meta && !k.escape && input) text += input;
  }
  return { text, submitted: false };
}
