// The dashboard: one card per resource type, in a grid that fills the width and reflows on
// resize; `/` filters the cards, Enter opens a type, `g` regenerates a foundation type.
import { Box, Text, useInput } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import { getResourceType } from '../../shared/fhir/registry.js';
import { Card } from '../components/card.js';
import { TextInput } from '../components/text-input.js';
import { Txt } from '../components/txt.js';
import { errorMessage, useOperator, useTui } from '../context.js';
import { usePoll } from '../hooks/use-poll.js';
import { useSpinner } from '../hooks/use-spinner.js';
import { resolveKey, splitKeys, typedAfter } from '../keys.js';
import type { ControlState, TypeStatus } from '../services.js';
import { useShell } from '../shell.js';
import { regenerateCommand, statusCommand } from '../view-models/cli-hints.js';
import { CARD_GAP, cardHeightFor, cardModel, cardWidths, filterStatuses, gridColumns, moveSelection, scrollRowFor, visibleGridRows } from '../view-models/cards.js';

export interface DashboardProps {
  active: boolean;
  width: number;
  height: number;
  control: ControlState | null;
  refreshControl(): void;
  /** Remembered across visits to the detail screen. */
  selectedType: string | null;
  onSelectType(type: string): void;
  onOpen(type: string): void;
}

export function DashboardScreen({ active, width, height, control, refreshControl, selectedType, onSelectType, onOpen }: DashboardProps) {
  const { services, pollMs, readOnly, now } = useTui();
  const operator = useOperator();
  const shell = useShell();
  const date = shell.date;
  const [search, setSearch] = useState('');
  const [searching, setSearchingState] = useState(false);
  // Set at once (not at the next render): keys typed right after '/' belong to the search.
  const searchingRef = useRef(false);
  const setSearching = (on: boolean) => {
    searchingRef.current = on;
    setSearchingState(on);
  };
  const [top, setTop] = useState(0);
  const status = usePoll(() => services.status(date ?? undefined), { intervalMs: pollMs, key: `status:${date ?? ''}` });
  const spin = useSpinner(status.loading);

  // When a regeneration ends, the figures change: fetch them at once.
  const regenerating = useMemo(() => control?.regenerating ?? [], [control]);
  const regenKey = regenerating.map((r) => r.type).sort().join(',');
  const lastRegenKey = useRef(regenKey);
  useEffect(() => {
    if (lastRegenKey.current !== regenKey) {
      lastRegenKey.current = regenKey;
      status.refresh();
    }
  }, [regenKey, status]);

  // The equivalent command of what is on screen; actions replace it with their own.
  useEffect(() => {
    shell.setCli(statusCommand(date));
  }, [date]);

  const rows = useMemo(() => filterStatuses(status.data ?? [], search), [status.data, search]);
  const selectedIndex = Math.max(0, rows.findIndex((r) => r.type === selectedType));
  const selected: TypeStatus | undefined = rows[selectedIndex];
  const columns = gridColumns(width, rows.length);
  const widths = cardWidths(width, columns);
  const searchLine = searching || search !== '' ? 1 : 0;
  const loadingLine = status.loading && status.data ? 1 : 0;
  const gridHeight = Math.max(1, height - searchLine - loadingLine);
  const gridRowCount = Math.ceil(rows.length / columns);
  const cardHeight = cardHeightFor(gridRowCount, gridHeight);
  const visibleRows = visibleGridRows(gridHeight - (!loadingLine && gridRowCount * cardHeight > gridHeight ? 1 : 0), cardHeight);
  const firstRow = scrollRowFor(selectedIndex, columns, visibleRows, top);
  useEffect(() => {
    if (firstRow !== top) setTop(firstRow);
  }, [firstRow, top]);
  useEffect(() => {
    if (selected && selected.type !== selectedType) onSelectType(selected.type);
  }, [selected, selectedType, onSelectType]);

  const regenerate = (type: string) => {
    const def = getResourceType(type);
    if (!def?.foundation) {
      shell.notify(`Regenerate is not available for ${type}: only the foundation types Organization, Location, Practitioner and Patient are rebuilt from master data`, 'yellow');
      return;
    }
    if (regenerating.some((r) => r.type === type)) {
      shell.notify(`${type} is already being regenerated`, 'yellow');
      return;
    }
    shell.setCli(regenerateCommand(type));
    shell.ask({
      text: `Regenerate ${type}?`,
      detail: `rebuilds every ${type} item from Dekacare master data; what changed is sent again`,
      onYes: () => {
        shell.notify(`Regenerating ${type}…`, 'cyan');
        services
          .regenerate(type, operator)
          .then(() => {
            shell.notify(`✔ Regenerate ${type} started; the card shows its progress`, 'green');
            refreshControl();
          })
          .catch((err: unknown) => shell.notify(`✘ Regenerate ${type} refused: ${errorMessage(err)}`, 'red'));
      },
    });
  };

  useInput(
    (chunk, rawKey) => {
      // A chunk can hold several keys (fast typing, paste): moves add up, '/' takes the rest as text.
      const keys = splitKeys(chunk, rawKey);
      if (shell.typing()) return;
      if (searchingRef.current) {
        // '/' was pressed but the search field has not taken the keys over yet.
        const typed = typedAfter(keys, 0);
        if (typed.text) setSearch((s) => s + typed.text);
        if (typed.submitted) setSearching(false);
        return;
      }
      let index = selectedIndex;
      const select = () => {
        const row = rows[index];
        if (row && row.type !== selected?.type) onSelectType(row.type);
      };
      for (let i = 0; i < keys.length; i++) {
        const [input, key] = keys[i]!;
        const action = resolveKey('dashboard', input, key, { readOnly });
        if (!action) continue;
        if (action.type === 'move') {
          index = moveSelection(index, rows.length, columns, action.direction);
          continue;
        }
        select();
        const current = rows[index];
        switch (action.type) {
          case 'quit':
            return shell.quit();
          case 'help':
            return shell.openHelp();
          case 'refresh':
            status.refresh();
            refreshControl();
            return shell.notify('Refreshed');
          case 'open':
            if (current) onOpen(current.type);
            return;
          case 'search': {
            const typed = typedAfter(keys, i + 1);
            if (typed.text) setSearch(typed.text);
            setSearching(!typed.submitted);
            return;
          }
          case 'back':
            if (search !== '') setSearch('');
            return;
          case 'regenerate':
            if (current) regenerate(current.type);
            return;
          case 'day':
            return shell.stepDay(action.delta);
          case 'editDate':
            return shell.editDate();
          default:
            return;
        }
      }
      select();
    },
    { isActive: active && !searching },
  );

  const gridRows: TypeStatus[][] = [];
  for (let i = 0; i < rows.length; i += columns) gridRows.push(rows.slice(i, i + columns));
  const shownRows = gridRows.slice(firstRow, firstRow + visibleRows);
  const nowDate = now();
  const regenOf = (type: string) => {
    const r = regenerating.find((g) => g.type === type);
    return r ? { running: true, done: r.done, total: r.total } : null;
  };

  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {searchLine ? (
        <Box height={1}>
          <Box flexShrink={0}>
            <Txt bold>Search types: </Txt>
          </Box>
          <TextInput
            value={search}
            onChange={setSearch}
            focus={active && searching}
            width={Math.max(10, width - 40)}
            placeholder="type a name, e.g. enc"
            onSubmit={() => setSearching(false)}
            onCancel={() => {
              setSearch('');
              setSearching(false);
            }}
          />
          <Txt dim>{searching ? '  Enter keep · Esc clear' : '  / edit · Esc clear'}</Txt>
        </Box>
      ) : null}
      {status.error && !status.data ? (
        <Txt tone="red">{`✘ Cannot read the figures: ${status.error.message} (retrying every ${Math.round(pollMs / 1000)} s)`}</Txt>
      ) : !status.data ? (
        <Txt dim>{`${spin} Loading the figures…`}</Txt>
      ) : rows.length === 0 ? (
        <Txt dim>{`No resource type matches "${search}". Esc clears the search.`}</Txt>
      ) : (
        shownRows.map((row, r) => (
          <Box key={r} flexDirection="row" height={cardHeight} columnGap={CARD_GAP}>
            {row.map((s, c) => {
              const def = getResourceType(s.type);
              const index = (firstRow + r) * columns + c;
              return (
                <Card
                  key={s.type}
                  width={widths[c] ?? 20}
                  height={cardHeight}
                  selected={index === selectedIndex}
                  model={cardModel(s, { width: widths[c] ?? 20, compact: cardHeight !== 8, foundation: def?.foundation ?? false, readOnly, regen: regenOf(s.type), now: nowDate })}
                />
              );
            })}
          </Box>
        ))
      )}
      {status.loading && status.data ? (
        <Txt tone="cyan">{`${spin} loading the figures${date ? ` for ${date}` : ' for all dates'}…`}</Txt>
      ) : gridRows.length > visibleRows ? (
        <Text wrap="truncate-end">
          <Txt dim>{`rows ${firstRow + 1}–${Math.min(gridRows.length, firstRow + visibleRows)} of ${gridRows.length} (${rows.length} types) · ↑ ↓ scroll · / search`}</Txt>
        </Text>
      ) : null}
      {status.error && status.data ? <Txt tone="red">{`✘ refresh failed: ${status.error.message} (showing the last figures)`}</Txt> : null}
    </Box>
  );
}
