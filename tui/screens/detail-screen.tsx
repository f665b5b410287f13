// The items of one resource type: a table with the type's own columns and a status badge per
// row, filtered by date, status and text, one page at a time (only the visible rows are fetched).
// What the keys do is tui/state/detail-state.ts; this component shows the list and runs effects.
import { Box, Text } from 'ink';
import { useEffect, useRef } from 'react';
import { TextInput } from '../components/text-input.js';
import { Txt } from '../components/txt.js';
import { errorMessage, useOperator, useTui } from '../context.js';
import { usePoll } from '../hooks/use-poll.js';
import { runShellEffect, useScreenKeys, useScreenState } from '../hooks/use-screen-state.js';
import type { ItemListQuery, ItemRow } from '../services.js';
import { useShell } from '../shell.js';
import { detailReducer, initialDetailState, type DetailContext, type DetailEffect, type DetailEvent, type DetailState } from '../state/detail-state.js';
import { stay } from '../state/shared-keys.js';
import { statusFilterLabel } from '../view-models/badges.js';
import { itemsListCommand } from '../view-models/cli-hints.js';
import type { StatusFilter } from '../view-models/list-state.js';
import { headerLine, pageSummary, rowCells, tableLayout } from '../view-models/table.js';
import { fit } from '../view-models/text.js';

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
  // What the reducer reads besides its state: set on every render, read when an event comes.
  const ctx = useRef<DetailContext | null>(null);
  const { state: screen, dispatch } = useScreenState<DetailState, DetailEvent, DetailEffect>(
    () => initialDetailState(initialStatus),
    (s, ev) => (ctx.current ? detailReducer(s, ev, ctx.current) : stay(s)),
    (effect, send) => {
      if (runShellEffect(shell, effect, send)) return;
      switch (effect.kind) {
        case 'refresh':
          return list.refresh();
        case 'back':
          return onBack();
        case 'open':
          return onOpenItem(effect.id);
        case 'countFailed':
          services.resendMatching(effect.query, operator, { dryRun: true }).then(
            (dry) => send({ type: 'failedCounted', matched: dry.matched, query: effect.query, where: effect.where }),
            (err: unknown) => send({ type: 'failed', what: 'count', message: errorMessage(err) }),
          );
          return;
        case 'resendMatching':
          services.resendMatching(effect.query, operator, { dryRun: false }).then(
            (result) => send({ type: 'resentMatching', result }),
            (err: unknown) => send({ type: 'failed', what: 'resend', message: errorMessage(err) }),
          );
          return;
      }
    },
  );
  const { list: state, searching, searchText, jumpText } = screen;
  const pageSize = Math.max(1, height - DETAIL_CHROME);
  const lastPageSize = useRef(pageSize);

  // A resize changes the page size: stay on the page that holds the same first row.
  useEffect(() => {
    if (lastPageSize.current !== pageSize) {
      dispatch({ type: 'pageSizeChanged', from: lastPageSize.current, to: pageSize });
      lastPageSize.current = pageSize;
    }
  }, [pageSize, state.page]);

  // Debounced search: the query follows the text once typing pauses.
  useEffect(() => {
    if (searchText === state.search) return undefined;
    const t = setTimeout(() => dispatch({ type: 'searchSettled' }), SEARCH_DEBOUNCE_MS);
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
  ctx.current = { type, date, readOnly, rowIds: rows.map((r) => r.id), pageCount: page?.pageCount ?? 1 };

  useEffect(() => {
    if (page && !list.stale) dispatch({ type: 'loaded', rowCount: page.rows.length, pageCount: page.pageCount });
  }, [page, list.stale]);

  const cli = itemsListCommand({ type, status: state.status, date, search: state.search, page: state.page });
  useEffect(() => {
    if (visible) shell.setCli(cli);
  }, [cli, visible]);

  useScreenKeys(shell, dispatch, active && !searching);

  if (!visible) return null;

  const layout = tableLayout(page?.columns ?? [], width, rows);
  const summary = page ? pageSummary(page.page, page.pageCount, page.pageSize, page.total) : 'loading…';
  const titleLeft = `${type} · ${statusFilterLabel(state.status)}${date ? ` · ${date}` : ''}`;
  const busy = list.loading ? ' · loading…' : '';
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Box height={1}>
        {jumpText !== null ? (
          <Text wrap="truncate-end">
            <Txt bold>{`${type} · go to page: `}</Txt>
            <Txt inverse>{`${jumpText} `}</Txt>
            <Txt dim>{` of ${page?.pageCount ?? '?'} · Enter go · Esc cancel`}</Txt>
          </Text>
        ) : searching || state.search !== '' || searchText !== '' ? (
          <>
            <Box flexShrink={0}>
              <Txt bold>{`${type} · search: `}</Txt>
            </Box>
            <TextInput
              value={searchText}
              onChange={(text) => dispatch({ type: 'searchTyped', text })}
              focus={active && searching}
              width={Math.max(8, Math.min(30, width - type.length - 40))}
              placeholder="visit no., NIK, name, id"
              onSubmit={() => dispatch({ type: 'searchSubmitted' })}
              onCancel={() => dispatch({ type: 'searchCancelled' })}
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
