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
import { resolveKey } from '../keys.js';
import type { ControlState, TypeStatus } from '../services.js';
import { useShell } from '../shell.js';
import { regenerateCommand, statusCommand } from '../view-models/cli-hints.js';
import { CARD_GAP, cardModel, cardWidths, filterStatuses, gridColumns, moveSelection, scrollRowFor, visibleGridRows } from '../view-models/cards.js';

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
  const [searching, setSearching] = useState(false);
  const [top, setTop] = useState(0);
  const status = usePoll(() => services.status(date ?? undefined), { intervalMs: pollMs, key: `status:${date ?? ''}` });

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

  useEffect(() => {
    if (active) shell.setCli(statusCommand(date));

  }, [active, date]);

  const rows = useMemo(() => filterStatuses(status.data ?? [], search), [status.data, search]);
  const selectedIndex = Math.max(0, rows.findIndex((r) => r.type === selectedType));
  const selected: TypeStatus | undefined = rows[selectedIndex];
  const columns = gridColumns(width, rows.length);
  const widths = cardWidths(width, columns);
  const searchLine = searching || search !== '' ? 1 : 0;
  const gridHeight = Math.max(1, height - searchLine - 1);
  const visibleRows = visibleGridRows(gridHeight);
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
      text: `Regenerate ${type}? Rebuilds every ${type} item from Dekacare master data and resends what changed`,
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
    (input, key) => {
      const action = resolveKey('dashboard', input, key, { readOnly });
      if (!action) return;
      switch (action.type) {
        case 'quit':
          return shell.quit();
        case 'help':
          return shell.openHelp();
        case 'refresh':
          status.refresh();
          refreshControl();
          return shell.notify('Refreshed');
        case 'move': {
          const next = moveSelection(selectedIndex, rows.length, columns, action.direction);
          const row = rows[next];
          if (row) onSelectType(row.type);
          return;
        }
        case 'open':
          if (selected) onOpen(selected.type);
          return;
        case 'search':
          return setSearching(true);
        case 'back':
          if (search !== '') setSearch('');
          return;
        case 'regenerate':
          if (selected) regenerate(selected.type);
          return;
        case 'day':
          return shell.stepDay(action.delta);
        case 'editDate':
          return shell.editDate();
        default:
          return;
      }
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
          <Txt bold>Search types: </Txt>
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
        <Txt dim>Loading figures…</Txt>
      ) : rows.length === 0 ? (
        <Txt dim>{`No resource type matches "${search}". Esc clears the search.`}</Txt>
      ) : (
        shownRows.map((row, r) => (
          <Box key={r} flexDirection="row" height={8} columnGap={CARD_GAP}>
            {row.map((s, c) => {
              const def = getResourceType(s.type);
              const index = (firstRow + r) * columns + c;
              return (
                <Card
                  key={s.type}
                  width={widths[c] ?? 20}
                  selected={index === selectedIndex}
                  model={cardModel(s, { width: widths[c] ?? 20, foundation: def?.foundation ?? false, readOnly, regen: regenOf(s.type), now: nowDate })}
                />
              );
            })}
          </Box>
        ))
      )}
      {gridRows.length > visibleRows ? (
        <Text wrap="truncate-end">
          <Txt dim>{`cards rows ${firstRow + 1}–${Math.min(gridRows.length, firstRow + visibleRows)} of ${gridRows.length} · ↑ ↓ scroll`}</Txt>
        </Text>
      ) : null}
      {status.error && status.data ? <Txt tone="red">{`✘ refresh failed: ${status.error.message} (showing the last figures)`}</Txt> : null}
    </Box>
  );
}
