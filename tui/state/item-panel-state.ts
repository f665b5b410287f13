// The item panel's behaviour as a pure reducer: keys and the answers of the services come in as
// events, the new state and the effects to run (save, resend, open $EDITOR, notify …) go out.
// `e` edits the request body (a new revision; refused text is kept), `s` resends (Kirim Ulang)
// and waits for the new attempt's result, `v` shows what the last edit changed.
import { resolveKey } from '../keys.js';
import type { ControlState, ItemDetail, ResendResult, SaveRevisionResult } from '../services.js';
import { statusBadge } from '../view-models/badges.js';
import { editCommand, resendCommand } from '../view-models/cli-hints.js';
import { bufferFromText, bufferText, scrollToCursor, type EditorBuffer } from '../view-models/editor-buffer.js';
import { PANEL_TABS, saveErrorText, type ItemPanelView, type PanelShown, type PanelTab } from '../view-models/item-panel-view.js';
import { clampScroll, maxScroll } from '../view-models/json-view.js';
import { notify, sharedKeyEffects, stay, type KeysEvent, type ScreenEffect, type ShellEffect, type Step } from './shared-keys.js';

export type { PanelTab };

/** What decides the view (PanelShown: tab, diff, scroll, kept text, save and resend in flight), and: */
export interface ItemPanelState extends PanelShown {
  /** The built-in editor's buffer while it is open. */
  inline: EditorBuffer | null;
  /** The request has been scrolled to its first marked line once. */
  jumped: boolean;
}

export const initialItemPanelState = (): ItemPanelState => ({ tab: 'request', showDiff: false, scroll: {}, draft: null, errors: [], lastDiff: null, saving: false, inline: null, waiting: null, jumped: false });

export type EditorResult = { ok: true; text: string } | { ok: false; error: string };

export type ItemPanelEvent =
  | KeysEvent
  /** The item as last read (the poll); ends a wait for a resend's result. */
  | { type: 'detail'; detail: ItemDetail | null }
  /** The request is on screen with its marks: scroll to the first one, once. */
  | { type: 'shown' }
  | { type: 'externalEdited'; original: string; result: EditorResult }
  | { type: 'saved'; result: SaveRevisionResult }
  | { type: 'saveFailed'; message: string }
  | { type: 'resent'; result: ResendResult; sinceAttemptId: number }
  /** 'y' to the force question. */
  | { type: 'forceConfirmed' }
  | { type: 'resendFailed'; message: string }
  | { type: 'editorChanged'; buffer: EditorBuffer }
  | { type: 'editorSaved'; buffer: EditorBuffer }
  | { type: 'editorLeft'; buffer: EditorBuffer };

export type ItemPanelEffect =
  | ShellEffect<ItemPanelEvent>
  | ScreenEffect
  | { kind: 'save'; id: number; text: string }
  /** Hand the text to $VISUAL/$EDITOR; the answer comes back as 'externalEdited'. */
  | { kind: 'externalEdit'; text: string; fileName: string }
  | { kind: 'resend'; ids: number[]; sinceAttemptId: number; force?: boolean };

/** What the reducer reads but does not own: the item, the session, what is on screen. */
export interface ItemPanelContext {
  id: number;
  detail: ItemDetail | null;
  readOnly: boolean;
  /** $VISUAL/$EDITOR's name; null: the built-in editor. */
  editorName: string | null;
  control: Pick<ControlState, 'paused' | 'pausedBy'> | null;
  view: Pick<ItemPanelView, 'lines' | 'contentHeight' | 'offset' | 'viewKey' | 'requestText' | 'marked'>;
  /** Rows of the built-in editor's window. */
  editorHeight: number;
}

type ItemStep = Step<ItemPanelState, ItemPanelEffect>;

export function itemPanelReducer(state: ItemPanelState, event: ItemPanelEvent, ctx: ItemPanelContext): ItemStep {
  switch (event.type) {
    case 'keys':
      return onKeys(state, event.keys, ctx);
    case 'detail':
      return resendSettled(state, event.detail);
    case 'shown': {
      const { marked, contentHeight } = ctx.view;
      if (state.jumped || state.tab !== 'request' || marked.size === 0) return stay(state);
      const first = Math.min(...marked);
      return stay({ ...state, jumped: true, scroll: first >= contentHeight ? { ...state.scroll, request: Math.max(0, first - 2) } : state.scroll });
    }
    case 'externalEdited': {
      if (!event.result.ok) return stay(state, notify(`✘ ${ctx.editorName ?? 'editor'}: ${event.result.error}. Nothing changed`, 'red'));
      if (event.result.text.trim() === event.original.trim() && state.draft === null) return stay(state, notify('No change: nothing saved', 'yellow'));
      return save(state, event.result.text, ctx);
    }
    case 'saved': {
      const res = event.result;
      if (res.ok) {
        return stay(
          { ...state, saving: false, draft: null, errors: [], lastDiff: res.diff, showDiff: true, tab: 'request' },
          notify(`✔ Saved as revision ${res.revision}. s Kirim Ulang sends it now (else the daemon does on its next pass) · v diff`, 'green'),
          { kind: 'refresh' },
        );
      }
      const first = res.errors[0];
      return stay(
        { ...state, saving: false, errors: res.errors },
        notify(`✘ Not saved: ${first ? saveErrorText(first) : 'refused'}${res.errors.length > 1 ? ` (+${res.errors.length - 1} more)` : ''}. Your text is kept: e continues, x discards`, 'red'),
      );
    }
    case 'saveFailed':
      return stay({ ...state, saving: false }, notify(`✘ Not saved: ${event.message}. Your text is kept: e continues`, 'red'));
    case 'forceConfirmed': {
      if (!ctx.detail) return stay(state);
      return stay(state, { kind: 'cli', command: `${resendCommand([ctx.id])} --force` }, { kind: 'resend', ids: [ctx.id], sinceAttemptId: ctx.detail.attempts[0]?.id ?? 0, force: true });
    }
    case 'resent': {
      if (event.result.queued.includes(ctx.id)) {
        // No live sender: nothing will answer, so do not wait with a spinner; say what would.
        // Short enough for an 80-column footer; the header says since when no daemon runs.
        if (event.result.waiting) return stay(state, notify('⏸ Kirim Ulang queued, but no daemon runs: start one (satusehat daemon)', 'yellow'), { kind: 'refresh' });
        const paused = ctx.control?.paused ? ` (the daemon is PAUSED by ${ctx.control.pausedBy ?? '?'}: it waits until resumed)` : '';
        return stay({ ...state, waiting: { sinceAttemptId: event.sinceAttemptId } }, notify(`Kirim Ulang: item ${ctx.id} queued; waiting for the result…${paused}`, 'cyan'), { kind: 'refresh' });
      }
      const reason = event.result.skipped.find((s) => s.id === ctx.id)?.reason ?? 'not resendable';
      return stay(state, notify(`✘ Not resent: ${reason}`, 'red'));
    }
    case 'resendFailed':
      return stay(state, notify(`✘ Kirim Ulang refused: ${event.message}`, 'red'));
    case 'editorChanged':
      return stay({ ...state, inline: event.buffer });
    case 'editorSaved':
      return save({ ...state, inline: null }, bufferText(event.buffer), ctx);
    case 'editorLeft': {
      const text = bufferText(event.buffer);
      const changed = text !== ctx.view.requestText;
      return stay(
        { ...state, inline: null, draft: changed ? text : state.draft },
        notify(changed ? 'Left the editor without saving; your text is kept for the next e (x discards it)' : 'Left the editor; nothing changed'),
      );
    }
  }
}

function onKeys(state: ItemPanelState, keys: KeysEvent['keys'], ctx: ItemPanelContext): ItemStep {
  // Keys typed right after 'e' belong to the editor, never to the panel's commands.
  if (state.inline !== null || state.saving) return stay(state);
  const actions = keys.map(([i, k]) => resolveKey('item', i, k, { readOnly: ctx.readOnly }));
  // Several keys in one chunk (key repeat while scrolling): add the line scrolls up.
  if (actions.length > 1 && actions.every((a) => a?.type === 'scroll' && typeof a.delta === 'number')) {
    const total = actions.reduce((sum, a) => sum + (a?.type === 'scroll' && typeof a.delta === 'number' ? a.delta : 0), 0);
    return stay(scrollTo(state, ctx.view.offset + total, ctx));
  }
  const action = actions[0];
  if (!action) return stay(state);
  const { offset, contentHeight, lines } = ctx.view;
  switch (action.type) {
    case 'scroll': {
      const d = action.delta;
      const page = Math.max(1, contentHeight - 1);
      const to = d === 'top' ? 0 : d === 'bottom' ? maxScroll(lines.length, contentHeight) : d === 'page-up' ? offset - page : d === 'page-down' ? offset + page : offset + d;
      return stay(scrollTo(state, to, ctx));
    }
    case 'nextTab': {
      const i = PANEL_TABS.indexOf(state.tab);
      return stay({ ...state, showDiff: false, tab: PANEL_TABS[(i + action.delta + PANEL_TABS.length) % PANEL_TABS.length] ?? 'request' });
    }
    case 'toggleDiff':
      return stay({ ...state, showDiff: !state.showDiff });
    case 'edit':
      return startEdit(state, ctx);
    case 'resend':
      return resend(state, ctx);
    case 'forceResend':
      return forceResend(state, ctx);
    case 'discardDraft':
      if (state.draft === null) return stay(state, notify('No kept edit to discard'));
      return stay({ ...state, draft: null, errors: [] }, notify('Discarded the refused edit; e starts from the saved revision'));
    default:
      return { state, effects: sharedKeyEffects<ItemPanelEvent>(action) ?? [] };
  }
}

function scrollTo(state: ItemPanelState, value: number, ctx: ItemPanelContext): ItemPanelState {
  return { ...state, scroll: { ...state.scroll, [ctx.view.viewKey]: clampScroll(value, ctx.view.lines.length, ctx.view.contentHeight) } };
}

function save(state: ItemPanelState, text: string, ctx: ItemPanelContext): ItemStep {
  return stay({ ...state, draft: text, saving: true }, { kind: 'cli', command: editCommand(ctx.id) }, notify('Checking and saving the edited body…', 'cyan'), { kind: 'save', id: ctx.id, text });
}

function startEdit(state: ItemPanelState, ctx: ItemPanelContext): ItemStep {
  const { detail, id } = ctx;
  if (!detail) return stay(state);
  const requestText = ctx.view.requestText;
  if (requestText === null) {
    const what = detail.current ? `a lookup (${detail.nextSend?.method ?? detail.current.method} ${detail.nextSend?.url ?? detail.current.path})` : 'without a request (it is invalid: fix the data in Dekacare)';
    return stay(state, notify(`${detail.item.type} is ${what}: there is no body to edit`, 'yellow'));
  }
  if (detail.item.status === 'sending') return stay(state, notify('The item is being sent right now; edit it when the attempt has finished', 'yellow'));
  const text = state.draft ?? requestText;
  const cli: ItemPanelEffect = { kind: 'cli', command: editCommand(id) };
  if (ctx.editorName !== null) return stay(state, cli, { kind: 'externalEdit', text, fileName: `satusehat-item-${id}.json` });
  // Start at the problem: the refused edit's line, else the first line SATUSEHAT complained about.
  const buffer = bufferFromText(text);
  const markedBody = [...ctx.view.marked].filter((i) => i > 0).sort((a, b) => a - b)[0];
  const firstError = state.errors[0];
  const line = firstError?.line ?? (state.draft === null && markedBody !== undefined ? markedBody : undefined);
  const col = firstError?.line !== undefined ? Math.max(0, (firstError.column ?? 1) - 1) : Number.MAX_SAFE_INTEGER;
  const row = line !== undefined ? Math.max(0, Math.min(buffer.lines.length - 1, line - 1)) : 0;
  const positioned = { ...buffer, row, col: line !== undefined ? Math.min(col, (buffer.lines[row] ?? '').length) : 0 };
  const inline = scrollToCursor({ ...positioned, top: Math.max(0, row - 3) }, ctx.editorHeight);
  return stay({ ...state, inline }, cli, notify('Built-in editor ($VISUAL/$EDITOR not set): your changes are checked when you save', 'cyan'));
}

/** F on a sent item: ask, then send the current revision again as a PUT by its SATUSEHAT id. */
function forceResend(state: ItemPanelState, ctx: ItemPanelContext): ItemStep {
  const detail = ctx.detail;
  if (!detail) return stay(state);
  if (detail.item.status !== 'sent' || !detail.item.satusehatId) return stay(state, notify(`F is for sent items (this one is ${detail.item.status}): s resends it`, 'yellow'));
  const put = detail.nextSend ? `${detail.nextSend.method} ${detail.nextSend.url}` : `PUT ${detail.item.type}/${detail.item.satusehatId}`;
  return stay(state, { kind: 'ask', text: `Force resend item ${ctx.id} as an update?`, detail: `${put}: SATUSEHAT's copy is replaced by revision ${detail.item.currentRevision}`, yes: { type: 'forceConfirmed' } });
}

function resend(state: ItemPanelState, ctx: ItemPanelContext): ItemStep {
  if (!ctx.detail) return stay(state);
  const effects: ItemPanelEffect[] = [{ kind: 'cli', command: resendCommand([ctx.id]) }];
  if (state.draft !== null) effects.push(notify('Note: the refused edit is not part of this resend (it was not saved)', 'yellow'));
  effects.push({ kind: 'resend', ids: [ctx.id], sinceAttemptId: ctx.detail.attempts[0]?.id ?? 0 });
  return { state, effects };
}

/** The resend's result: a newer attempt has finished (or the item ended up blocked/invalid). */
function resendSettled(state: ItemPanelState, detail: ItemDetail | null): ItemStep {
  if (!state.waiting || !detail) return stay(state);
  const st = detail.item.status;
  if (st === 'queued' || st === 'sending' || st === 'not_sent') return stay(state);
  const newest = detail.attempts[0];
  const fresh = newest !== undefined && newest.id > state.waiting.sinceAttemptId;
  if (!fresh && st !== 'blocked' && st !== 'invalid') return stay(state);
  const next: ItemPanelState = { ...state, waiting: null, tab: 'response', showDiff: false };
  if (st === 'sent') return stay(next, notify(`✔ Kirim Ulang: Terkirim${newest?.httpCode ? ` (HTTP ${newest.httpCode})` : ''}${detail.item.satusehatId ? ` · SATUSEHAT id ${detail.item.satusehatId}` : ''}`, 'green'));
  if (st === 'blocked') return stay(next, notify(`⏸ Kirim Ulang: waiting for a parent: ${detail.item.blockedBy ?? ''}`, 'yellow'));
  const badge = statusBadge(st, detail.item.httpCode, detail.item.errorClass);
  return stay(next, notify(`${badge.text}: ${detail.outcome?.messages[0] ?? detail.item.lastError ?? ''}`, 'red'));
}
