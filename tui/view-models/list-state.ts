// State of the detail list (filters, page, selected row) as a pure reducer.
import type { ItemStatus } from '../../shared/types/items.js';

export type StatusFilter = ItemStatus | 'problem' | null;

/** The order `f` walks through: problems first, because that is what an on-call engineer wants. */
export const STATUS_CYCLE: readonly StatusFilter[] = [null, 'problem', 'failed', 'invalid', 'blocked', 'not_sent', 'queued', 'sending', 'sent'];

export interface ListState {
  status: StatusFilter;
  search: string;
  /** 1-based. */
  page: number;
  /** Row index on the page. */
  selected: number;
}

export const initialListState = (status: StatusFilter = null): ListState => ({ status, search: '', page: 1, selected: 0 });

export type ListAction =
  | { type: 'move'; direction: 'up' | 'down' | 'first' | 'last'; rowCount: number; pageCount: number }
  | { type: 'page'; delta: -1 | 1; pageCount: number }
  | { type: 'cycleStatus'; delta: -1 | 1 }
  | { type: 'setStatus'; status: StatusFilter }
  | { type: 'setSearch'; search: string }
  | { type: 'setPage'; page: number }
  /** The page came back: keep the selection on a row that exists. */
  | { type: 'loaded'; rowCount: number; pageCount: number };

export function listReducer(state: ListState, action: ListAction): ListState {
  switch (action.type) {
    case 'move': {
      const last = Math.max(0, action.rowCount - 1);
      if (action.direction === 'first') return { ...state, selected: 0 };
      if (action.direction === 'last') return { ...state, selected: last };
      if (action.direction === 'up') {
        if (state.selected > 0) return { ...state, selected: state.selected - 1 };
        // From the top row, continue on the previous page's last row.
        return state.page > 1 ? { ...state, page: state.page - 1, selected: Number.MAX_SAFE_INTEGER } : state;
      }
      if (state.selected < last) return { ...state, selected: state.selected + 1 };
      return state.page < action.pageCount ? { ...state, page: state.page + 1, selected: 0 } : state;
    }
    case 'page': {
      const page = Math.max(1, Math.min(Math.max(1, action.pageCount), state.page + action.delta));
      return page === state.page ? state : { ...state, page, selected: 0 };
    }
    case 'cycleStatus': {
      const i = STATUS_CYCLE.indexOf(state.status);
      const next = STATUS_CYCLE[(i + action.delta + STATUS_CYCLE.length) % STATUS_CYCLE.length] ?? null;
      return { ...state, status: next, page: 1, selected: 0 };
    }
    case 'setStatus':
      return { ...state, status: action.status, page: 1, selected: 0 };
    case 'setSearch':
      return action.search === state.search ? state : { ...state, search: action.search, page: 1, selected: 0 };
    case 'setPage':
      return { ...state, page: Math.max(1, action.page), selected: 0 };
    case 'loaded': {
      const page = action.pageCount > 0 && state.page > action.pageCount ? action.pageCount : state.page;
      const selected = Math.max(0, Math.min(state.selected, action.rowCount - 1));
      return page === state.page && selected === state.selected ? state : { ...state, page, selected };
    }
  }
}
