// One item: Request and Response as JSON, the HTTP code with its plain-language hint, the
// OperationOutcome messages and rule numbers, attempt history, why it is blocked or invalid.
// What the keys do is tui/state/item-panel-state.ts; this component shows the state and runs
// its effects against the services.
import { Box, Text } from 'ink';
import { useEffect, useRef } from 'react';
import { TextArea } from '../components/text-area.js';
import { Txt } from '../components/txt.js';
import { errorMessage, useOperator, useTui } from '../context.js';
import { usePoll } from '../hooks/use-poll.js';
import { runShellEffect, useScreenKeys, useScreenState } from '../hooks/use-screen-state.js';
import { useSpinner } from '../hooks/use-spinner.js';
import type { ControlState } from '../services.js';
import { useShell } from '../shell.js';
import { initialItemPanelState, itemPanelReducer, type ItemPanelContext, type ItemPanelEffect, type ItemPanelEvent, type ItemPanelState } from '../state/item-panel-state.js';
import { stay } from '../state/shared-keys.js';
import { statusBadge } from '../view-models/badges.js';
import { itemsShowCommand } from '../view-models/cli-hints.js';
import { itemPanelView, PANEL_TABS } from '../view-models/item-panel-view.js';
import { scrollLabel, visibleLines } from '../view-models/json-view.js';
import { fit } from '../view-models/text.js';

/** While waiting for a resend's result, look more often than the normal refresh. */
const WAIT_POLL_MS = 1000;
const TAB_LABEL = { request: 'Request', response: 'Response', history: 'History' } as const;

export interface ItemPanelProps {
  id: number;
  active: boolean;
  width: number;
  height: number;
  control: ControlState | null;
  onClose(): void;
}

export function ItemPanel({ id, active, width, height, control, onClose }: ItemPanelProps) {
  const { services, pollMs, readOnly, editor, now, noColor } = useTui();
  const operator = useOperator();
  const shell = useShell();
  // What the reducer reads besides its state: set on every render, read when an event comes.
  const ctx = useRef<ItemPanelContext | null>(null);
  const { state, dispatch } = useScreenState<ItemPanelState, ItemPanelEvent, ItemPanelEffect>(
    initialItemPanelState,
    (s, ev) => (ctx.current ? itemPanelReducer(s, ev, ctx.current) : stay(s)),
    (effect, send) => {
      if (runShellEffect(shell, effect, send)) return;
      switch (effect.kind) {
        case 'refresh':
          return poll.refresh();
        case 'back':
          return onClose();
        case 'save':
          services.saveRevision(effect.id, effect.text, operator).then(
            (result) => send({ type: 'saved', result }),
            (err: unknown) => send({ type: 'saveFailed', message: errorMessage(err) }),
          );
          return;
        case 'resend':
          services.resend(effect.ids, operator, effect.force ? { force: true } : undefined).then(
            (result) => send({ type: 'resent', result, sinceAttemptId: effect.sinceAttemptId }),
            (err: unknown) => send({ type: 'resendFailed', message: errorMessage(err) }),
          );
          return;
        case 'externalEdit': {
          if (!editor) return;
          const result = editor.edit(effect.text, effect.fileName);
          shell.redraw();
          return send({ type: 'externalEdited', original: effect.text, result });
        }
      }
    },
  );
  const { inline, waiting, saving, showDiff, tab } = state;
  const spin = useSpinner(waiting !== null || saving);
  const poll = usePoll(() => services.showItem(id), { intervalMs: waiting ? WAIT_POLL_MS : pollMs, key: `item:${id}:${waiting ? 'w' : ''}` });
  const detail = poll.data ?? null;
  const view = itemPanelView(state, detail, { width, height, now: now(), spin });
  ctx.current = { id, detail, readOnly, editorName: editor?.name ?? null, control, view, editorHeight: Math.max(1, height - 6) };

  useEffect(() => {
    if (inline === null) return undefined;
    shell.setKeys('Ctrl-S save · Esc leave (text kept) · arrows/PgUp/PgDn move · Enter new line · Backspace · Ctrl-D delete');
    return () => shell.setKeys(null);
  }, [inline !== null]);

  useEffect(() => {
    shell.setCli(itemsShowCommand(id));
  }, [id]);

  useEffect(() => dispatch({ type: 'detail', detail }), [waiting, detail]);
  const markedKey = [...view.marked].join(',');
  useEffect(() => dispatch({ type: 'shown' }), [markedKey, tab, view.contentHeight]);

  useScreenKeys(shell, dispatch, active && inline === null && !saving);

  const inner = Math.max(10, width - 2);
  const { lines, offset, contentHeight } = view;
  const item = detail?.item;
  const badge = item ? statusBadge(item.status, item.httpCode, item.errorClass) : null;
  const keyText = item ? item.summary[Object.keys(item.summary)[0] ?? ''] ?? item.sourceKey : '';
  const headerRight = item ? ` attempts ${item.attemptCount} · rev ${item.currentRevision}${item.satusehatId ? ` · id ${item.satusehatId}` : ''}` : '';

  return (
    <Box flexDirection="column" width={width} height={height} borderStyle={active ? 'single' : 'classic'} borderColor={noColor ? undefined : active ? 'cyan' : 'gray'} overflow="hidden">
      {!detail ? (
        <Txt dim>{poll.error ? `✘ ${poll.error.message}` : poll.data === null ? `Item ${id} not found` : `Loading item ${id}…`}</Txt>
      ) : (
        <>
          <Text wrap="truncate-end">
            <Txt bold>{`#${id} ${detail.item.type} ${keyText ?? ''} `}</Txt>
            {badge ? <Txt tone={badge.tone} bold>{badge.text}</Txt> : null}
            <Txt dim>{headerRight}</Txt>
          </Text>
          {view.notes.slice(0, view.maxNotes).map((n, i) => (
            <Txt key={i} tone={n.tone} dim={n.dim}>
              {n.text}
            </Txt>
          ))}
          <Text wrap="truncate-end">
            {PANEL_TABS.map((t) => (
              <Txt key={t} inverse={!showDiff && tab === t} bold={!showDiff && tab === t}>{` ${TAB_LABEL[t]} `}</Txt>
            ))}
            <Txt inverse={showDiff} bold={showDiff}>{' Diff (v) '}</Txt>
            <Txt dim>{inline ? ` editing · line ${inline.row + 1} col ${inline.col + 1} of ${inline.lines.length}` : ` ${scrollLabel(offset, contentHeight, lines.length)} · ${view.title}`}</Txt>
          </Text>
          {inline ? (
            <TextArea
              buffer={inline}
              onChange={(buffer) => dispatch({ type: 'editorChanged', buffer })}
              focus={active}
              width={inner}
              height={contentHeight}
              marked={view.editorMarks}
              onSave={(buffer) => dispatch({ type: 'editorSaved', buffer })}
              onCancel={(buffer) => dispatch({ type: 'editorLeft', buffer })}
            />
          ) : (
            visibleLines(lines.map((l) => l.text), offset, contentHeight, inner - 2).map((text, i) => {
              const line = lines[offset + i];
              return (
                <Text key={offset + i} wrap="truncate-end">
                  <Txt tone="red" bold>{line?.mark ? '› ' : '  '}</Txt>
                  <Txt tone={line?.tone} dim={line?.dim && !line.mark}>{fit(text, inner - 2)}</Txt>
                </Text>
              );
            })
          )}
        </>
      )}
    </Box>
  );
}
