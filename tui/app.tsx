// The whole TUI: login, then the frame (header, date filter, screen, footer) around the
// dashboard, the detail list of a type and the item panel.
import { Box, Text, useApp, useInput } from 'ink';
import { useCallback, useMemo, useRef, useState } from 'react';
import { Footer, type Question, type StatusMessage } from './components/footer.js';
import { Header } from './components/header.js';
import { TextInput } from './components/text-input.js';
import { Txt } from './components/txt.js';
import { OperatorProvider, TuiProvider, useOperator, useTui, type TuiEnvironment } from './context.js';
import { usePoll } from './hooks/use-poll.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { footerKeys, type Screen } from './keys.js';
import { DashboardScreen } from './screens/dashboard-screen.js';
import { DetailScreen } from './screens/detail-screen.js';
import { HelpOverlay } from './screens/help-overlay.js';
import { ItemPanel } from './screens/item-panel.js';
import { LoginScreen } from './screens/login-screen.js';
import type { Operator } from './services.js';
import { ShellProvider, type Ask, type Shell } from './shell.js';
import type { Tone } from './view-models/badges.js';
import { parseDateInput, stepDate, todayAt } from './view-models/date.js';
import type { StatusFilter } from './view-models/list-state.js';

/** Header (1) + filter bar (1) above the screen, footer (2) below. */
export const FRAME_CHROME = 4;
/** Side panel next to the list from this width; below it the panel takes the whole screen. */
export const SIDE_PANEL_MIN_WIDTH = 120;

export interface AppProps {
  env: TuiEnvironment;
  /** Skip the login (tests of the main screens). */
  operator?: Operator;
  /** Called once when the operator quits; the caller unmounts and restores the terminal. */
  onExit?(): void;
}

export function App({ env, operator, onExit }: AppProps) {
  return (
    <TuiProvider value={env}>
      <Root initialOperator={operator ?? null} onExit={onExit} />
    </TuiProvider>
  );
}

function Root({ initialOperator, onExit }: { initialOperator: Operator | null; onExit?(): void }) {
  const { exit } = useApp();
  const { columns } = useTerminalSize();
  const [operator, setOperator] = useState<Operator | null>(initialOperator);
  const quit = useCallback(() => {
    onExit?.();
    exit();
  }, [exit, onExit]);
  // Ctrl-C quits from anywhere, text fields included (Ink's own handler is off: we restore the terminal).
  useInput((input, key) => {
    if (key.ctrl && input === 'c') quit();
  });
  if (!operator) return <LoginScreen onLogin={setOperator} onQuit={quit} width={columns} />;
  return (
    <OperatorProvider value={operator}>
      <Main quit={quit} />
    </OperatorProvider>
  );
}

type Route = { screen: 'dashboard' } | { screen: 'detail'; type: string; status: StatusFilter };

interface Pending extends Question {
  ask: Ask;
}

function Main({ quit }: { quit(): void }) {
  const env = useTui();
  const { services, pollMs, readOnly, now, sourceUtcOffset } = env;
  const operator = useOperator();
  const { columns, rows } = useTerminalSize();
  // One line short of the terminal: a frame as tall as the terminal makes Ink clear the screen on
  // every render (flicker).
  const height = Math.max(8, rows - 1);
  const bodyHeight = height - FRAME_CHROME;

  const [route, setRoute] = useState<Route>({ screen: 'dashboard' });
  const [itemId, setItemId] = useState<number | null>(null);
  const [selectedType, setSelectedType] = useState<string | null>(null);
  const [date, setDate] = useState<string | null>(null);
  const [dateText, setDateText] = useState<string | null>(null);
  const [help, setHelp] = useState(false);
  const [message, setMessage] = useState<StatusMessage | null>(null);
  const [cli, setCli] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [epoch, setEpoch] = useState(0);
  const [modeKeys, setModeKeys] = useState<string | null>(null);
  const typingDate = useRef(false);
  const control = usePoll(() => services.control(), { intervalMs: pollMs, key: 'control' });

  const today = useCallback(() => todayAt(sourceUtcOffset, now()), [sourceUtcOffset, now]);
  const shell: Shell = useMemo(
    () => ({
      notify: (text: string, tone?: Tone) => setMessage({ text, tone }),
      setCli,
      ask: (ask: Ask) => setPending({ ask, text: ask.text, detail: ask.detail, keys: '[y/N]' }),
      openHelp: () => setHelp(true),
      quit,
      date,
      stepDay: (delta: -1 | 1) => setDate((d) => stepDate(d, delta, today())),
      editDate: () => {
        typingDate.current = true;
        setDateText(date ?? '');
      },
      typing: () => typingDate.current,
      redraw: () => setEpoch((e) => e + 1),
      setKeys: setModeKeys,
    }),
    [date, quit, today],
  );

  // The y/n question in the footer.
  useInput(
    (input, key) => {
      if (!pending) return;
      if (input === 'y' || input === 'Y') {
        setPending(null);
        pending.ask.onYes();
      } else if (input === 'n' || input === 'N' || key.escape || (key.ctrl && input === 'c')) {
        setPending(null);
        pending.ask.onNo?.();
        setMessage({ text: 'Cancelled' });
      }
    },
    { isActive: pending !== null },
  );

  const editingDate = dateText !== null;
  const screen: Screen = itemId !== null ? 'item' : route.screen;
  const blocked = help || pending !== null || editingDate;
  const wide = columns >= SIDE_PANEL_MIN_WIDTH;
  const listWidth = itemId !== null && wide ? Math.floor(columns * 0.42) : columns;
  const panelWidth = itemId !== null ? (wide ? columns - listWidth - 1 : columns) : 0;

  // The help is drawn over the screens, which stay mounted (hidden) under it: their filters,
  // page, tab and unsaved text are all still there when it closes.
  const body = (() => {
    if (route.screen === 'dashboard') {
      return (
        <DashboardScreen
          active={!blocked}
          width={columns}
          height={bodyHeight}
          control={control.data ?? null}
          refreshControl={control.refresh}
          selectedType={selectedType}
          onSelectType={setSelectedType}
          onOpen={(type) => {
            setRoute({ screen: 'detail', type, status: null });
            setMessage(null);
          }}
        />
      );
    }
    return (
      <Box flexDirection="row" width={columns} height={bodyHeight} columnGap={itemId !== null && wide ? 1 : 0}>
        <DetailScreen
          key={route.type}
          type={route.type}
          active={!blocked && itemId === null}
          visible={itemId === null || wide}
          width={listWidth}
          height={bodyHeight}
          initialStatus={route.status}
          openId={itemId}
          onOpenItem={(id) => setItemId(id)}
          onBack={() => {
            setRoute({ screen: 'dashboard' });
            setMessage(null);
          }}
        />
        {itemId !== null ? <ItemPanel key={itemId} id={itemId} active={!blocked} width={panelWidth} height={bodyHeight} control={control.data ?? null} onClose={() => setItemId(null)} /> : null}
      </Box>
    );
  })();

  return (
    <ShellProvider value={shell}>
      <Box flexDirection="column" width={columns} height={height} overflow="hidden">
        <Header epoch={epoch} control={control.data ?? null} environment={env.environment} operator={operator} readOnly={readOnly} width={columns} now={now()} error={control.error ? `daemon state: ${control.error.message}` : null} />
        <FilterBar
          date={date}
          dateText={dateText}
          width={columns}
          onDateText={setDateText}
          onStep={(delta) =>
            setDateText((t) => {
              const typed = parseDateInput(t ?? '');
              return stepDate(typed.ok ? typed.date : date, delta, today());
            })
          }
          onApply={(text) => {
            const parsed = parseDateInput(text);
            if (!parsed.ok) {
              setMessage({ text: `✘ ${parsed.error}`, tone: 'red' });
              return;
            }
            setDate(parsed.date);
            typingDate.current = false;
            setDateText(null);
            setMessage({ text: parsed.date ? `Date filter: ${parsed.date}` : 'Date filter cleared: all dates' });
          }}
          onCancel={() => {
            typingDate.current = false;
            setDateText(null);
          }}
        />
        <Box height={bodyHeight} overflow="hidden">
          {help ? <HelpOverlay screen={screen} readOnly={readOnly} width={columns} height={bodyHeight} onClose={() => setHelp(false)} /> : null}
          <Box display={help ? 'none' : 'flex'}>{body}</Box>
        </Box>
        <Footer
          keys={editingDate ? 'type YYYY-MM-DD · ← → a day earlier / later · Enter apply (empty = all dates) · Esc cancel' : help ? 'any key closes the help' : (modeKeys ?? footerKeys(screen, { readOnly, width: columns }))}
          message={message}
          cli={cli}
          question={pending}
          width={columns}
        />
      </Box>
    </ShellProvider>
  );
}

function FilterBar({ date, dateText, width, onDateText, onStep, onApply, onCancel }: {
  date: string | null;
  dateText: string | null;
  width: number;
  onDateText(text: string): void;
  onStep(delta: -1 | 1): void;
  onApply(text: string): void;
  onCancel(): void;
}) {
  const editing = dateText !== null;
  return (
    <Box height={1} width={width} overflow="hidden">
      {editing ? (
        <>
          <Txt bold>Date</Txt>
          <Txt dim> ◀ </Txt>
          <Box width={12}>
            <TextInput
              value={dateText}
              onChange={onDateText}
              focus
              width={12}
              maxLength={10}
              placeholder="YYYY-MM-DD"
              onSubmit={onApply}
              onCancel={onCancel}
              onKey={(_input, key) => {
                if (key.leftArrow || key.rightArrow) {
                  onStep(key.leftArrow ? -1 : 1);
                  return true;
                }
                return false;
              }}
            />
          </Box>
          <Txt dim> ▶</Txt>
        </>
      ) : (
        <Text wrap="truncate-end">
          <Txt bold>Date</Txt>
          <Txt dim> ◀ </Txt>
          <Txt tone={date ? 'cyan' : undefined} bold={date !== null}>
            {date ?? 'all dates'}
          </Txt>
          <Txt dim> ▶</Txt>
          <Txt dim>{'   [ ] previous/next day · t type a date (empty = all) · master data is always counted in full'}</Txt>
        </Text>
      )}
    </Box>
  );
}
