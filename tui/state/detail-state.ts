// The detail list's behaviour (the items of one type) as a pure reducer: keys move, page, filter
// and search through the list state (view-models/list-state.ts); Enter opens an item; R counts
// the failed items matching the filter, asks, then resends them. Effects are data.
import { resolveKey, typedAfter } from '../keys.js';
import type { ItemListQuery, ResendMatchingResult } from '../services.js';
import { resendMatchingCommand } from '../view-models/cli-hints.js';
import { initialListState, listReducer, type ListState, type StatusFilter } from '../view-models/list-state.js';
import { pageKeepingRow } from '../view-models/table.js';
import { formatCount } from '../view-models/text.js';
import { notify, sharedKeyEffects, stay, type KeysEvent, type ScreenEffect, type ShellEffect, type Step } from './shared-keys.js';

export interface DetailState {
  list: ListState;
  /** The search field has the keys. */
  searching: boolean;
  /** What is typed in the search field; the list follows it once typing pauses (searchSettled). */
  searchText: string;
  /** `:` was pressed: the page number typed so far (null: not asking). */
  jumpText: string | null;
}

export const initialDetailState = (status: StatusFilter = null): DetailState => ({ list: initialListState(status), searching: false, searchText: '', jumpText: null });

export type DetailEvent =
  | KeysEvent
  | { type: 'searchTyped'; text: string }
  | { type: 'searchSubmitted' }
  | { type: 'searchCancelled' }
  /** Typing paused: the list's search follows the text. */
  | { type: 'searchSettled' }
  /** The terminal changed size: stay on the page that holds the same first row. */
  | { type: 'pageSizeChanged'; from: number; to: number }
  /** The page came back. */
  | { type: 'loaded'; rowCount: number; pageCount: number }
  | { type: 'failedCounted'; matched: number; query: ItemListQuery; where: string }
  | { type: 'resendConfirmed'; matched: number; query: ItemListQuery }
  | { type: 'resentMatching'; result: ResendMatchingResult }
  | { type: 'failed'; what: 'count' | 'resend'; message: string };

export type DetailEffect =
  | ShellEffect<DetailEvent>
  | ScreenEffect
  | { kind: 'open'; id: number }
  /** A dry run of resendMatching: how many would go; the answer comes back as 'failedCounted'. */
  | { kind: 'countFailed'; query: ItemListQuery; where: string }
  | { kind: 'resendMatching'; query: ItemListQuery };

export interface DetailContext {
  type: string;
  date: string | null;
  readOnly: boolean;
  /** The ids of the rows on the page as shown. */
  rowIds: number[];
  pageCount: number;
}

type DetailStep = Step<DetailState, DetailEffect>;

const withSearch = (state: DetailState, search: string): DetailState => ({ ...state, list: listReducer(state.list, { type: 'setSearch', search }) });

export function detailReducer(state: DetailState, event: DetailEvent, ctx: DetailContext): DetailStep {
  switch (event.type) {
    case 'keys':
      return onKeys(state, event.keys, ctx);
    case 'searchTyped':
      return stay({ ...state, searchText: event.text });
    case 'searchSubmitted':
      return stay({ ...withSearch(state, state.searchText), searching: false });
    case 'searchCancelled':
      return stay({ ...withSearch(state, ''), searchText: '', searching: false });
    case 'searchSettled':
      return stay(withSearch(state, state.searchText));
    case 'pageSizeChanged':
      return stay({ ...state, list: listReducer(state.list, { type: 'setPage', page: pageKeepingRow(state.list.page, event.from, event.to) }) });
    case 'loaded': {
      const list = listReducer(state.list, { type: 'loaded', rowCount: event.rowCount, pageCount: event.pageCount });
      return stay(list === state.list ? state : { ...state, list });
    }
    case 'failedCounted':
      if (event.matched === 0) return stay(state, notify(`No failed ${ctx.type} items match (${event.where})`, 'yellow'));
      return stay(state, {
        kind: 'ask',
        text: `Resend ${formatCount(event.matched)} failed ${ctx.type} item${event.matched === 1 ? '' : 's'}?`,
        detail: `matching ${event.where}; each goes back on the queue and is sent again`,
        yes: { type: 'resendConfirmed', matched: event.matched, query: event.query },
      });
    case 'resendConfirmed':
      return stay(state, notify(`Resending ${formatCount(event.matched)} items…`, 'cyan'), { kind: 'resendMatching', query: event.query });
    case 'resentMatching': {
      const { matched, queued } = event.result;
      const skipped = Math.max(0, matched - queued);
      return stay(state, notify(`✔ ${formatCount(queued)} queued for resend${skipped ? `, ${formatCount(skipped)} skipped (changed meanwhile)` : ''}; the list follows their progress`, 'green'), { kind: 'refresh' });
    }
    case 'failed':
      return stay(state, notify(event.what === 'count' ? `✘ Cannot count failed items: ${event.message}` : `✘ Resend refused: ${event.message}`, 'red'));
  }
}

/** Keys while `:` asks for a page number: digits, Backspace, Enter goes, Esc cancels. */
function onJumpKeys(state: DetailState, keys: KeysEvent['keys'], ctx: DetailContext): DetailStep {
  let text = state.jumpText ?? '';
  for (const [input, key] of keys) {
    if (key.escape) return stay({ ...state, jumpText: null });
    if (key.backspace || key.delete) text = text.slice(0, -1);
    else if (key.return) {
      const page = Number(text);
      if (!/^\d+$/.test(text) || page < 1) return stay({ ...state, jumpText: null }, notify(`✘ Not a page number: "${text}"`, 'red'));
      const to = Math.min(page, Math.max(1, ctx.pageCount));
      const note = page > to ? notify(`Page ${page} does not exist: the last is ${to}`, 'yellow') : null;
      const next = { ...state, jumpText: null, list: listReducer(state.list, { type: 'setPage', page: to }) };
      return note ? stay(next, note) : stay(next);
    } else if (/^\d$/.test(input) && text.length < 9) text += input;
  }
  return stay({ ...state, jumpText: text });
}

function onKeys(state: DetailState, keys: KeysEvent['keys'], ctx: DetailContext): DetailStep {
  if (state.jumpText !== null) return onJumpKeys(state, keys, ctx);
  if (state.searching) {
    // '/' was pressed but the search field has not taken the keys over yet.
    const typed = typedAfter(keys, 0);
    const text = state.searchText + typed.text;
    const next = { ...state, searchText: text };
    return stay(typed.submitted ? { ...withSearch(next, text), searching: false } : next);
  }
  // A chunk can hold several keys (fast typing, paste): moves and pages go through the list
  // reducer one by one; '/' takes the rest of the chunk as the search text.
  let list = state.list;
  let moved = false;
  const rowCount = ctx.rowIds.length;
  for (let i = 0; i < keys.length; i++) {
    const [input, key] = keys[i]!;
    const action = resolveKey('detail', input, key, { readOnly: ctx.readOnly });
    if (!action) continue;
    const here = list === state.list ? state : { ...state, list };
    switch (action.type) {
      case 'move':
        if (action.direction === 'left' || action.direction === 'right') continue;
        list = listReducer(list, { type: 'move', direction: action.direction, rowCount, pageCount: ctx.pageCount });
        moved = true;
        continue;
      case 'page':
        list = listReducer(list, { type: 'page', delta: action.delta, pageCount: ctx.pageCount });
        moved = true;
        continue;
      case 'cycleStatus':
        list = listReducer(list, { type: 'cycleStatus', delta: action.delta });
        moved = true;
        continue;
      case 'jumpPage':
        if (action.to === 'ask') return onJumpKeys({ ...here, jumpText: '' }, keys.slice(i + 1), ctx);
        list = listReducer(list, { type: 'setPage', page: action.to === 'first' ? 1 : Math.max(1, ctx.pageCount) });
        moved = true;
        continue;
      case 'open': {
        // After moves in the same chunk the selection is not rendered yet: let Enter wait for it.
        const id = moved ? undefined : ctx.rowIds[list.selected];
        return id !== undefined ? stay(here, { kind: 'open', id }) : stay(here);
      }
      case 'search': {
        const typed = typedAfter(keys, i + 1);
        const text = typed.text ? typed.text : here.searchText;
        const next = { ...here, searchText: text, searching: !typed.submitted };
        return stay(typed.submitted ? withSearch(next, text) : next);
      }
      case 'back':
        // Esc clears the search first; only an unfiltered list goes back.
        if (here.list.search !== '' || here.searchText !== '') return stay({ ...withSearch(here, ''), searchText: '' });
        return stay(here, { kind: 'back' });
      case 'resendMatching':
        return resendMatching(here, ctx);
      default:
        return { state: here, effects: sharedKeyEffects<DetailEvent>(action) ?? [] };
    }
  }
  return stay(list === state.list ? state : { ...state, list });
}

function resendMatching(state: DetailState, ctx: DetailContext): DetailStep {
  const { type, date } = ctx;
  const { list } = state;
  const status = list.status === null || list.status === 'problem' ? 'failed' : list.status;
  if (status !== 'failed') return stay(state, notify(`R resends failed items; the filter shows ${status}. Press f to choose failed or problems, or open an item and press s`, 'yellow'));
  const search = list.search.trim();
  const query: ItemListQuery = { type, status: 'failed', ...(date ? { date } : {}), ...(search ? { search } : {}) };
  const where = [date ? `date ${date}` : 'all dates', search ? `search "${search}"` : null].filter(Boolean).join(', ');
  return stay(state, { kind: 'cli', command: resendMatchingCommand({ type, status: list.status, date, search: list.search, page: list.page }) }, notify('Counting failed items…'), { kind: 'countFailed', query, where });
}
