// The items of one resource type: a table with the type's own columns and a status badge per
// row, filtered by date, status and text, one page at a time (only the visible rows are fetched).
import { Box, Text, useInput } from 'ink';
import { useEffect, useReducer, useRef, useState } from 'react';
import { TextInput } from '../components/text-input.js';
import { Txt } from '../components/txt.js';
import { errorMessage, useOperator, useTui } from '../context.js';
import { usePoll } from '../hooks/use-poll.js';
import { resolveKey, splitKeys, typedAfter } from '../keys.js';
import type { ItemListQuery, ItemRow } from '../services.js';
import { useShell } from '../shell.js';
import { statusFilterLabel } from '../view-models/badges.js';
import { itemsListCommand, resendMatchingCommand } from '../view-models/cli-hints.js';
import { initialListState, listReducer, type StatusFilter } from '../view-models/list-state.js';
import { headerLine, pageKeepingRow, pageSummary, rowCells, tableLayout } from '../view-models/table.js';
import { fit, formatCount } from '../view-models/text.js';

/** Lines above the rows: the title line and the column header. */
export const DETAIL_CHROME = 2;
/** Typing in the search box queries after this pause. */
const SEARCH_DEBOUNCE_MS = 300;

export interface DetailProps {
  type: string;
  active: boolean;
  /** Hidden (a full-screen item panel covers it) but kept, so filters and page survive. */
  visible: boolean;
  width: number;
  height: number;
  initialStatus?: StatusFilter;
  /** The id of the open item, highlighted in the list. */
  openId: number | null;
  onOpenItem(id: number): void;
  onBack(): void;
}

export function DetailScreen({ type, active, visible, width, height, initialStatus = null, openId, onOpenItem, onBack }: DetailProps) {
  const { services, pollMs, readOnly } = useTui();
  const operator = useOperator();
  const shell = useShell();
  const date = shell.date;
  const [state, dispatch] = useReducer(listReducer, initialListState(initialStatus));
  const [searching, setSearchingState] = useState(false);
  // Set at once (not at the next render): keys typed right after '/' belong to the search.
  const searchingRef = useRef(false);
  const setSearching = (on: boolean) => {
    searchingRef.current = on;
    setSearchingState(on);
  };
  const [searchText, setSearchText] = useState('');
  const pageSize = Math.max(1, height - DETAIL_CHROME);
  const lastPageSize = useRef(pageSize);

  // A resize changes the page size: stay on the page that holds the same first row.
  useEffect(() => {
    if (lastPageSize.current !== pageSize) {
      dispatch({ type: 'setPage', page: pageKeepingRow(state.page, lastPageSize.current, pageSize) });
      lastPageSize.current = pageSize;
    }
  }, [pageSize, state.page]);

  // Debounced search: the query follows the text once typing pauses.
  useEffect(() => {
    if (searchText === state.search) return undefined;
    const t = setTimeout(() => dispatch({ type: 'setSearch', search: searchText }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [searchText, state.search]);

  const query: ItemListQuery = {
    type,
    ...(state.status ? { status: state.status } : {}),
    ...(date ? { date } : {}),
    ...(state.search.trim() ? { search: state.search.trim() } : {}),
    page: state.page,
    pageSize,
  };
  const list = usePoll(() => services.listItems(query), { intervalMs: pollMs, key: JSON.stringify(query), enabled: visible });
  const page = list.data;
  const rows: ItemRow[] = page?.rows ?? [];
  const pageCount = page?.pageCount ?? 1;

  useEffect(() => {
    if (page && !list.stale) dispatch({ type: 'loaded', rowCount: page.rows.length, pageCount: page.pageCount });
  }, [page, list.stale]);

  const filter = { type, status: state.status, date, search: state.search, page: state.page };
  const cli = itemsListCommand(filter);
  useEffect(() => {
    if (visible) shell.setCli(cli);
  }, [cli, visible]);

  const resendMatching = () => {
    const status = state.status === null || state.status === 'problem' ? 'failed' : state.status;
    if (status !== 'failed') {
      shell.notify(`R resends failed items; the filter shows ${status}. Press f to choose failed or problems, or open an item and press s`, 'yellow');
      return;
    }
    const q: ItemListQuery = { type, status: 'failed', ...(date ? { date } : {}), ...(state.search.trim() ? { search: state.search.trim() } : {}) };
    const where = [date ? `date ${date}` : 'all dates', state.search.trim() ? `search "${state.search.trim()}"` : null].filter(Boolean).join(', ');
    shell.setCli(resendMatchingCommand(filter));
    shell.notify('Counting failed items…');
    services
      .resendMatching(q, operator, { dryRun: true })
      .then((dry) => {
        if (dry.matched === 0) {
          shell.notify(`No failed ${type} items match (${where})`, 'yellow');
          return;
        }
        shell.ask({
          text: `Resend ${formatCount(dry.matched)} failed ${type} item${dry.matched === 1 ? '' : 's'}?`,
          detail: `matching ${where}; each goes back on the queue and is sent again`,
          onYes: () => {
            shell.notify(`Resending ${formatCount(dry.matched)} items…`, 'cyan');
            services
              .resendMatching(q, operator, { dryRun: false })
              .then((res) => {
                const skipped = Math.max(0, res.matched - res.queued);
                shell.notify(`✔ ${formatCount(res.queued)} queued for resend${skipped ? `, ${formatCount(skipped)} skipped (changed meanwhile)` : ''}; the list follows their progress`, 'green');
                list.refresh();
              })
              .catch((err: unknown) => shell.notify(`✘ Resend refused: ${errorMessage(err)}`, 'red'));
          },
        });
      })
      .catch((err: unknown) => shell.notify(`✘ Cannot count failed items: ${errorMessage(err)}`, 'red'));
  };

  useInput(
    (chunk, rawKey) => {
      // A chunk can hold several keys (fast typing, paste): moves and pages go through the
      // reducer one by one; '/' takes the rest of the chunk as the search text.
      const keys = splitKeys(chunk, rawKey);
      if (shell.typing()) return;
      if (searchingRef.current) {
        // '/' was pressed but the search field has not taken the keys over yet.
        const typed = typedAfter(keys, 0);
        let text = searchText;
        if (typed.text) {
          text = searchText + typed.text;
          setSearchText(text);
        }
        if (typed.submitted) {
          dispatch({ type: 'setSearch', search: text });
          setSearching(false);
        }
        return;
      }
      let moved = false;
      for (let i = 0; i < keys.length; i++) {
        const [input, key] = keys[i]!;
        const action = resolveKey('detail', input, key, { readOnly });
        if (!action) continue;
        switch (action.type) {
          case 'move':
            if (action.direction === 'left' || action.direction === 'right') continue;
            dispatch({ type: 'move', direction: action.direction, rowCount: rows.length, pageCount });
            moved = true;
            continue;
          case 'page':
            dispatch({ type: 'page', delta: action.delta, pageCount });
            moved = true;
            continue;
          case 'cycleStatus':
            dispatch({ type: 'cycleStatus', delta: action.delta });
            moved = true;
            continue;
          case 'quit':
            return shell.quit();
          case 'help':
            return shell.openHelp();
          case 'refresh':
            list.refresh();
            return shell.notify('Refreshed');
          case 'open': {
            // After moves in the same chunk the selection is not rendered yet: let Enter wait for it.
            const row = moved ? undefined : rows[state.selected];
            if (row) onOpenItem(row.id);
            return;
          }
          case 'search': {
            const typed = typedAfter(keys, i + 1);
            const text = typed.text ? typed.text : searchText;
            if (typed.text) setSearchText(text);
            if (typed.submitted) dispatch({ type: 'setSearch', search: text });
            setSearching(!typed.submitted);
            return;
          }
          case 'back':
            if (state.search !== '' || searchText !== '') {
              setSearchText('');
              dispatch({ type: 'setSearch', search: '' });
              return;
            }
            return onBack();
          case 'day':
            return shell.stepDay(action.delta);
          case 'editDate':
            return shell.editDate();
          case 'resendMatching':
            return resendMatching();
          default:
            return;
        }
      }
    },
    { isActive: active && !searching },
  );

  if (!visible) return null;

  const layout = tableLayout(page?.columns ?? [], width, rows);
  const summary = page ? pageSummary(page.page, page.pageCount, page.pageSize, page.total) : 'loading…';
  const titleLeft = `${type} · ${statusFilterLabel(state.status)}${date ? ` · ${date}` : ''}`;
  const busy = list.loading ? ' · loading…' : '';
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Box height={1}>
        {searching || state.search !== '' || searchText !== '' ? (
          <>
            <Box flexShrink={0}>
              <Txt bold>{`${type} · search: `}</Txt>
            </Box>
            <TextInput
              value={searchText}
              onChange={setSearchText}
              focus={active && searching}
              width={Math.max(8, Math.min(30, width - type.length - 40))}
              placeholder="visit no., NIK, name, id"
              onSubmit={() => {
                dispatch({ type: 'setSearch', search: searchText });
                setSearching(false);
              }}
              onCancel={() => {
                setSearchText('');
                dispatch({ type: 'setSearch', search: '' });
                setSearching(false);
              }}
            />
            <Txt dim>{` · ${summary}${busy}`}</Txt>
          </>
        ) : (
          <Text wrap="truncate-end">
            <Txt bold>{titleLeft}</Txt>
            <Txt dim>{` · ${summary}${busy}`}</Txt>
          </Text>
        )}
      </Box>
      <Txt bold underline>{fit(headerLine(layout), width)}</Txt>
      {list.error && !page ? <Txt tone="red">{`✘ Cannot list items: ${list.error.message}`}</Txt> : null}
      {page && rows.length === 0 ? (
        <Txt dim>{state.status || state.search || date ? 'No items match this filter. f changes the status, Esc clears the search, t or [ ] change the date.' : 'No items of this type yet.'}</Txt>
      ) : null}
      {rows.map((row, i) => {
        const cells = rowCells(row, layout);
        const isSelected = i === state.selected;
        const isOpen = row.id === openId;
        return (
          <Text key={row.id} wrap="truncate-end" inverse={isSelected && (active || isOpen)} bold={isOpen}>
            <Txt tone={isSelected && active ? undefined : cells.badge.tone}>{cells.badgeText}</Txt>
            {' '}
            {cells.rest}
          </Text>
        );
      })}
      {list.error && page ? <Txt tone="red">{`✘ refresh failed: ${list.error.message}`}</Txt> : null}
    </Box>
  );
}
