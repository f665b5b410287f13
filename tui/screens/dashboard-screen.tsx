// The dashboard: one card per resource type, in a grid that fills the width and reflows on
// resize; `/` filters the cards, Enter opens a type, `g` regenerates a foundation type.
// What the keys do is tui/state/dashboard-state.ts; this component lays out the cards and runs effects.
import { Box, Text } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import { getResourceType } from '../../shared/fhir/registry.js';
import { Card } from '../components/card.js';
import { TextInput } from '../components/text-input.js';
import { Txt } from '../components/txt.js';
import { errorMessage, useOperator, useTui } from '../context.js';
import { usePoll } from '../hooks/use-poll.js';
import { runShellEffect, useScreenKeys, useScreenState } from '../hooks/use-screen-state.js';
import { useSpinner } from '../hooks/use-spinner.js';
import type { ControlState, TypeStatus } from '../services.js';
import { useShell } from '../shell.js';
import { dashboardReducer, initialDashboardState, type DashboardContext, type DashboardEffect, type DashboardEvent, type DashboardState } from '../state/dashboard-state.js';
import { stay } from '../state/shared-keys.js';
import { CARD_GAP, cardHeightFor, cardModel, cardWidths, filterStatuses, gridColumns, scrollRowFor, visibleGridRows } from '../view-models/cards.js';
import { statusCommand } from '../view-models/cli-hints.js';
import { complianceLine } from '../view-models/compliance.js';
import { activityLine } from '../view-models/sparkline.js';

const COMPLIANCE_POLL_MS = 30_000;

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
  // What the reducer reads besides its state: set on every render, read when an event comes.
  const ctx = useRef<DashboardContext | null>(null);
  const { state, dispatch } = useScreenState<DashboardState, DashboardEvent, DashboardEffect>(
    initialDashboardState,
    (s, ev) => (ctx.current ? dashboardReducer(s, ev, ctx.current) : stay(s)),
    (effect, send) => {
      if (runShellEffect(shell, effect, send)) return;
      switch (effect.kind) {
        case 'refresh':
          status.refresh();
          return refreshControl();
        case 'refreshControl':
          return refreshControl();
        case 'back':
          return;
        case 'select':
          return onSelectType(effect.resourceType);
        case 'open':
          return onOpen(effect.resourceType);
        case 'pause':
        case 'resume':
          (effect.kind === 'pause' ? services.pause(operator, effect.reason) : services.resume(operator)).then(
            (c) => send({ type: 'pauseDone', paused: c.paused }),
            (err: unknown) => send({ type: 'pauseFailed', message: errorMessage(err) }),
          );
          return;
        case 'regenerate':
          services.regenerate(effect.resourceType, operator).then(
            (result) => send({ type: 'regenerated', resourceType: effect.resourceType, waiting: result.waiting ?? null }),
            (err: unknown) => send({ type: 'regenerateFailed', resourceType: effect.resourceType, message: errorMessage(err) }),
          );
          return;
      }
    },
  );
  const { search, searching, pauseReason } = state;
  const [top, setTop] = useState(0);
  const status = usePoll(() => services.status(date ?? undefined), { intervalMs: pollMs, key: `status:${date ?? ''}` });
  const spin = useSpinner(status.loading);
  // The share of visits sent (the figure management reports): the selected day and the week to it.
  // A heavier query than the cards: every 30 s, and its age is shown.
  const compliance = usePoll(() => services.compliance({ to: date ?? undefined }, { unsentLimit: 0 }), { intervalMs: Math.max(pollMs, COMPLIANCE_POLL_MS), key: `compliance:${date ?? ''}` });
  const complianceReadAt = useRef<{ key: unknown; at: Date } | null>(null);
  if (compliance.data && complianceReadAt.current?.key !== compliance.data) complianceReadAt.current = { key: compliance.data, at: now() };

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
  const searchLine = searching || search !== '' || pauseReason !== null ? 1 : 0;
  const loadingLine = status.loading && status.data ? 1 : 0;
  const complianceHeight = height >= 12 ? 1 : 0;
  // The last hour's sparklines: on a taller terminal only; at 80×24 the cards need the room.
  const activityHeight = height >= 26 ? 1 : 0;
  const gridHeight = Math.max(1, height - searchLine - loadingLine - complianceHeight - activityHeight);
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

  ctx.current = { readOnly, types: rows.map((r) => r.type), columns, selectedIndex, regenerating: regenerating.map((r) => r.type), paused: control ? control.paused : null };
  useScreenKeys(shell, dispatch, active && !searching);

  const gridRows: TypeStatus[][] = [];
  for (let i = 0; i < rows.length; i += columns) gridRows.push(rows.slice(i, i + columns));
  const shownRows = gridRows.slice(firstRow, firstRow + visibleRows);
  const nowDate = now();
  const regenOf = (type: string) => {
    const r = regenerating.find((g) => g.type === type);
    return r ? { running: !r.waiting, done: r.done, total: r.total, waiting: r.waiting } : null;
  };

  const activity = activityLine(control, width);
  const share = complianceLine(compliance.data ?? null, complianceReadAt.current?.at ?? null, nowDate, width);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {complianceHeight ? (
        <Text wrap="truncate-end">
          <Txt tone={compliance.error ? 'red' : share.tone} bold>{compliance.error && !compliance.data ? `✘ compliance: ${compliance.error.message}` : share.text}</Txt>
        </Text>
      ) : null}
      {activityHeight ? (
        <Text wrap="truncate-end">
          <Txt tone={activity.tone} dim={!activity.tone}>{activity.text}</Txt>
        </Text>
      ) : null}
      {pauseReason !== null ? (
        <Text wrap="truncate-end">
          <Txt bold tone="yellow">{'Pause sending, reason: '}</Txt>
          <Txt inverse>{`${pauseReason} `}</Txt>
          <Txt dim>{'  Enter pause · Esc cancel'}</Txt>
        </Text>
      ) : searchLine ? (
        <Box height={1}>
          <Box flexShrink={0}>
            <Txt bold>Search types: </Txt>
          </Box>
          <TextInput
            value={search}
            onChange={(text) => dispatch({ type: 'searchTyped', text })}
            focus={active && searching}
            width={Math.max(10, width - 40)}
            placeholder="type a name, e.g. enc"
            onSubmit={() => dispatch({ type: 'searchSubmitted' })}
            onCancel={() => dispatch({ type: 'searchCancelled' })}
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
