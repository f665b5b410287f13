// One item: Request and Response as JSON, the HTTP code with its plain-language hint, the
// OperationOutcome messages and rule numbers, attempt history, why it is blocked or invalid.
// `e` edits the request body (a new revision; refused text is kept), `s` resends (Kirim Ulang)
// and waits for the new attempt's result, `v` shows what the last edit changed.
import { Box, Text, useInput } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import { hintForStatus } from '../../shared/fhir/operation-outcome.js';
import { TextArea } from '../components/text-area.js';
import { Txt } from '../components/txt.js';
import { errorMessage, useOperator, useTui } from '../context.js';
import { usePoll } from '../hooks/use-poll.js';
import { useSpinner } from '../hooks/use-spinner.js';
import { resolveKey, splitKeys } from '../keys.js';
import type { ControlState, ItemDetail, SaveRevisionResult } from '../services.js';
import { useShell } from '../shell.js';
import { statusBadge } from '../view-models/badges.js';
import { editCommand, itemsShowCommand, resendCommand } from '../view-models/cli-hints.js';
import { compactDiff, diffLines, parseDiffText, type DiffLine } from '../view-models/diff.js';
import { bufferFromText, bufferText, scrollToCursor, type EditorBuffer } from '../view-models/editor-buffer.js';
import { clampScroll, jsonLines, lineOfPath, maxScroll, scrollLabel, visibleLines } from '../view-models/json-view.js';
import { fit, shortTime, wrapLines } from '../view-models/text.js';

export type PanelTab = 'request' | 'response' | 'history';
const TABS: PanelTab[] = ['request', 'response', 'history'];
/** While waiting for a resend's result, look more often than the normal refresh. */
const WAIT_POLL_MS = 1000;
/** At most this many lines of messages, issues or errors above the JSON. */
const MAX_NOTE_LINES = 4;

type SaveError = Extract<SaveRevisionResult, { ok: false }>['errors'][number];

export interface ItemPanelProps {
  id: number;
  active: boolean;
  width: number;
  height: number;
  control: ControlState | null;
  onClose(): void;
}

const PATH_PREFIX = /^(?:(?:warning|information): )?([A-Z][A-Za-z]+(?:\.[A-Za-z_][\w]*(?:\[\d+\])?)+)(?:, [^:]*)?: /;

/** 'Encounter.serviceProvider.reference: Invalid…' → 'Encounter.serviceProvider.reference'. */
export function messagePath(message: string): string | undefined {
  return PATH_PREFIX.exec(message)?.[1];
}

function saveErrorText(e: SaveError): string {
  const where = [e.line !== undefined ? `line ${e.line}${e.column !== undefined ? ` col ${e.column}` : ''}` : null, e.path ?? null].filter(Boolean).join(', ');
  return `${where ? `${where}: ` : ''}${e.message}${e.rule ? ` (rule ${e.rule})` : ''}`;
}

function historyLines(detail: ItemDetail, now: Date): string[] {
  const out: string[] = [];
  if (detail.attempts.length === 0) out.push('No attempt yet: this item was never sent.');
  for (const a of detail.attempts) {
    const code = a.httpCode !== null ? String(a.httpCode) : a.errorClass ? `ERR ${a.errorClass}` : '—';
    const result = a.errorClass ? `${a.errorClass}${a.ruleNumbers.length ? ` rules ${a.ruleNumbers.join(',')}` : ''}` : 'ok';
    out.push(`${shortTime(a.startedAt, now)}  rev ${a.revision}  ${a.method} ${code}  ${a.durationMs} ms  ${result}${a.worker ? `  ${a.worker}` : ''}`);
    if (a.errorMessage) out.push(`    ${a.errorMessage}`);
  }
  out.push('', 'Revisions:');
  const revs = [...detail.revisions].sort((x, y) => y.revision - x.revision);
  for (const r of revs) out.push(`  rev ${r.revision}  ${r.method} ${r.path}  ${r.edited ? `edited by ${r.createdBy}` : `built by ${r.createdBy}`}  ${shortTime(r.createdAt, now)}`);
  return out;
}

function revisionDiff(detail: ItemDetail): DiffLine[] | null {
  const revs = [...detail.revisions].sort((x, y) => y.revision - x.revision);
  const [current, previous] = revs;
  if (!current || !previous) return null;
  return compactDiff(diffLines(jsonLines(previous.body), jsonLines(current.body)));
}

export function ItemPanel({ id, active, width, height, control, onClose }: ItemPanelProps) {
  const { services, pollMs, readOnly, editor, now, noColor } = useTui();
  const operator = useOperator();
  const shell = useShell();
  const [tab, setTab] = useState<PanelTab>('request');
  const [showDiff, setShowDiff] = useState(false);
  const [scroll, setScroll] = useState<Record<string, number>>({});
  /** Text of a refused edit, kept so the next `e` continues from it. */
  const [draft, setDraft] = useState<string | null>(null);
  const [errors, setErrors] = useState<SaveError[]>([]);
  const [lastDiff, setLastDiff] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [inline, setInlineState] = useState<EditorBuffer | null>(null);
  // Set at once: keys typed right after 'e' belong to the editor, never to the panel's commands.
  const inlineRef = useRef(false);
  const setInline = (b: EditorBuffer | null) => {
    inlineRef.current = b !== null;
    setInlineState(b);
  };
  const [waiting, setWaiting] = useState<{ sinceAttemptId: number } | null>(null);
  const spin = useSpinner(waiting !== null || saving);
  const poll = usePoll(() => services.showItem(id), { intervalMs: waiting ? WAIT_POLL_MS : pollMs, key: `item:${id}:${waiting ? 'w' : ''}` });
  const detail = poll.data ?? null;

  useEffect(() => {
    if (inline === null) return undefined;
    shell.setKeys('Ctrl-S save · Esc leave (text kept) · arrows/PgUp/PgDn move · Enter new line · Backspace · Ctrl-D delete');
    return () => shell.setKeys(null);

  }, [inline !== null]);

  useEffect(() => {
    shell.setCli(itemsShowCommand(id));
  }, [id]);

  // The resend's result: a newer attempt has finished (or the item ended up blocked/invalid).
  useEffect(() => {
    if (!waiting || !detail) return;
    const st = detail.item.status;
    if (st === 'queued' || st === 'sending' || st === 'not_sent') return;
    const newest = detail.attempts[0];
    const fresh = newest !== undefined && newest.id > waiting.sinceAttemptId;
    if (!fresh && st !== 'blocked' && st !== 'invalid') return;
    setWaiting(null);
    const badge = statusBadge(st, detail.item.httpCode, detail.item.errorClass);
    if (st === 'sent') shell.notify(`✔ Kirim Ulang: Terkirim${newest?.httpCode ? ` (HTTP ${newest.httpCode})` : ''}${detail.item.satusehatId ? ` · SATUSEHAT id ${detail.item.satusehatId}` : ''}`, 'green');
    else if (st === 'blocked') shell.notify(`⏸ Kirim Ulang: waiting for a parent: ${detail.item.blockedBy ?? ''}`, 'yellow');
    else shell.notify(`${badge.text}: ${detail.outcome?.messages[0] ?? detail.item.lastError ?? ''}`, 'red');
    setTab('response');
    setShowDiff(false);
  }, [waiting, detail, shell]);

  const requestText = useMemo(() => (detail?.current?.body != null ? JSON.stringify(detail.current.body, null, 2) : null), [detail?.current]);

  const save = (text: string) => {
    setDraft(text);
    setSaving(true);
    shell.setCli(editCommand(id));
    shell.notify('Checking and saving the edited body…', 'cyan');
    services
      .saveRevision(id, text, operator)
      .then((res) => {
        setSaving(false);
        if (res.ok) {
          setDraft(null);
          setErrors([]);
          setLastDiff(res.diff);
          setShowDiff(true);
          setTab('request');
          shell.notify(`✔ Saved as revision ${res.revision}. s Kirim Ulang sends it now (else the daemon does on its next pass) · v diff`, 'green');
          poll.refresh();
        } else {
          setErrors(res.errors);
          const first = res.errors[0];
          shell.notify(`✘ Not saved: ${first ? saveErrorText(first) : 'refused'}${res.errors.length > 1 ? ` (+${res.errors.length - 1} more)` : ''}. Your text is kept: e continues, x discards`, 'red');
        }
      })
      .catch((err: unknown) => {
        setSaving(false);
        shell.notify(`✘ Not saved: ${errorMessage(err)}. Your text is kept: e continues`, 'red');
      });
  };

  const startEdit = () => {
    if (!detail) return;
    if (requestText === null) {
      shell.notify(`${detail.item.type} is a lookup (${detail.current?.method ?? 'GET'} ${detail.current?.path ?? ''}): there is no body to edit`, 'yellow');
      return;
    }
    if (detail.item.status === 'sending') {
      shell.notify('The item is being sent right now; edit it when the attempt has finished', 'yellow');
      return;
    }
    const text = draft ?? requestText;
    shell.setCli(editCommand(id));
    if (editor) {
      const result = editor.edit(text, `satusehat-item-${id}.json`);
      shell.redraw();
      if (!result.ok) {
        shell.notify(`✘ ${editor.name}: ${result.error}. Nothing changed`, 'red');
        return;
      }
      if (result.text.trim() === text.trim() && draft === null) {
        shell.notify('No change: nothing saved', 'yellow');
        return;
      }
      save(result.text);
      return;
    }
    // Start at the problem: the refused edit's line, else the first line SATUSEHAT complained about.
    const buffer = bufferFromText(text);
    const markedBody = [...marked].filter((i) => i > 0).sort((a, b) => a - b)[0];
    const line = errors[0]?.line ?? (draft === null && markedBody !== undefined ? markedBody : undefined);
    const col = errors[0]?.line !== undefined ? Math.max(0, (errors[0]?.column ?? 1) - 1) : Number.MAX_SAFE_INTEGER;
    const row = line !== undefined ? Math.max(0, Math.min(buffer.lines.length - 1, line - 1)) : 0;
    const positioned = { ...buffer, row, col: line !== undefined ? Math.min(col, (buffer.lines[row] ?? '').length) : 0 };
    setInline(scrollToCursor({ ...positioned, top: Math.max(0, row - 3) }, Math.max(1, height - 6)));
    shell.notify('Built-in editor ($VISUAL/$EDITOR not set): your changes are checked when you save', 'cyan');
  };

  const resend = () => {
    if (!detail) return;
    const since = detail.attempts[0]?.id ?? 0;
    shell.setCli(resendCommand([id]));
    if (draft !== null) shell.notify('Note: the refused edit is not part of this resend (it was not saved)', 'yellow');
    services
      .resend([id], operator)
      .then((res) => {
        if (res.queued.includes(id)) {
          setWaiting({ sinceAttemptId: since });
          shell.notify(`Kirim Ulang: item ${id} queued; waiting for the result…${control?.paused ? ` (the daemon is PAUSED by ${control.pausedBy ?? '?'}: it waits until resumed)` : ''}`, 'cyan');
          poll.refresh();
        } else {
          const reason = res.skipped.find((s) => s.id === id)?.reason ?? 'not resendable';
          shell.notify(`✘ Not resent: ${reason}`, 'red');
        }
      })
      .catch((err: unknown) => shell.notify(`✘ Kirim Ulang refused: ${errorMessage(err)}`, 'red'));
  };

  // ---- layout -------------------------------------------------------------------------------
  const nowDate = now();
  const inner = Math.max(10, width - 2);
  const notes: Array<{ text: string; tone?: 'red' | 'yellow' | 'magenta' | 'cyan' | 'green'; dim?: boolean; lines?: number }> = [];
  if (detail) {
    const item = detail.item;
    const code = item.httpCode ?? detail.attempts[0]?.httpCode ?? null;
    const rules = detail.outcome?.ruleNumbers.length ? ` · rule ${detail.outcome.ruleNumbers.join(', ')}` : '';
    if (code !== null) {
      const hint = detail.outcome?.hint ?? hintForStatus(code);
      notes.push({ text: `HTTP ${code}${rules}: ${hint}`, tone: code >= 200 && code < 300 && item.status !== 'failed' ? 'green' : code >= 500 ? 'yellow' : 'red' });
    } else if (item.status === 'failed' && item.errorClass) {
      notes.push({ text: `${item.errorClass}${rules}: ${hintForStatus(0)}`, tone: 'yellow' });
    }
    const messages = detail.outcome?.messages ?? [];
    for (const m of messages.slice(0, MAX_NOTE_LINES)) notes.push({ text: `• ${m}`, tone: 'red', lines: 3 });
    if (messages.length > MAX_NOTE_LINES) notes.push({ text: `  … ${messages.length - MAX_NOTE_LINES} more in Response`, dim: true });
    if (messages.length === 0 && item.lastError && item.status !== 'sent' && item.status !== 'invalid') notes.push({ text: `• ${item.lastError}`, tone: 'red', lines: 3 });
    if (item.blockedBy) notes.push({ text: `⏸ blocked: ${item.blockedBy}`, tone: 'yellow', lines: 2 });
    for (const issue of detail.issues.slice(0, MAX_NOTE_LINES)) notes.push({ text: `⚠ ${issue.path}: ${issue.message}${issue.rule ? ` (rule ${issue.rule})` : ''}`, tone: 'magenta', lines: 2 });
    if (detail.issues.length > MAX_NOTE_LINES) notes.push({ text: `  … ${detail.issues.length - MAX_NOTE_LINES} more issues`, dim: true });
  }
  for (const e of errors.slice(0, MAX_NOTE_LINES)) notes.push({ text: `✘ edit refused: ${saveErrorText(e)}`, tone: 'red', lines: 2 });
  if (draft !== null && errors.length > 0) notes.push({ text: '  your edited text is kept: e continues editing it, x discards it', dim: true });
  if (waiting) notes.push({ text: `${spin} Kirim Ulang: waiting for the new attempt's result (${detail?.item.status ?? '…'})…`, tone: 'cyan' });
  if (saving) notes.push({ text: `${spin} saving…`, tone: 'cyan' });
  const maxNotes = Math.max(0, height - 2 - 2 - 3);
  const noteLines = notes.flatMap((n) => wrapLines(n.text, inner, n.lines ?? 1).map((text) => ({ ...n, text })));
  const shownNotes = noteLines.length > maxNotes ? [...noteLines.slice(0, Math.max(0, maxNotes - 1)), { text: '  … more above the JSON: make the terminal taller', dim: true }] : noteLines;

  // Lines to mark in the request: error paths from SATUSEHAT and from the refused edit.
  const reqLines = useMemo(() => (detail ? (detail.current ? [`${detail.current.method} ${detail.current.path}`, ...(requestText !== null ? requestText.split('\n') : ['(no body)'])] : ['(no request yet)']) : []), [detail, requestText]);
  const marked = useMemo(() => {
    const set = new Set<number>();
    const body = reqLines.slice(1);
    const paths = [...(detail?.outcome?.messages ?? []).map(messagePath), ...errors.map((e) => e.path), ...(detail?.issues ?? []).map((i) => i.path)];
    for (const p of paths) {
      const i = lineOfPath(body, p);
      if (i !== null) set.add(i + 1);
    }
    for (const e of errors) if (e.line !== undefined && draft === null) set.add(e.line);
    return set;
  }, [detail, errors, reqLines, draft]);

  let contentLines: Array<{ text: string; tone?: 'green' | 'red' | 'cyan'; mark?: boolean; dim?: boolean }> = [];
  let title = '';
  if (detail) {
    if (showDiff) {
      const diff = lastDiff ? compactDiff(parseDiffText(lastDiff)) : revisionDiff(detail);
      title = lastDiff ? 'Diff: your edit against the previous revision' : 'Diff: current revision against the previous one';
      contentLines = diff
        ? diff.map((d) => (d.op === '@' ? { text: d.text, tone: 'cyan' as const } : { text: `${d.op} ${d.text}`, tone: d.op === '+' ? ('green' as const) : d.op === '-' ? ('red' as const) : undefined, dim: d.op === ' ' }))
        : [{ text: 'Only one revision: nothing to compare. After an edit (e), v shows what changed.', dim: true }];
    } else if (tab === 'request') {
      const rev = detail.current;
      title = rev ? `Request · revision ${rev.revision}${rev.edited ? ` edited by ${rev.createdBy}` : ''}` : 'Request';
      contentLines = reqLines.map((t, i) => ({ text: t, mark: marked.has(i), tone: marked.has(i) ? 'red' : undefined, dim: i === 0 }));
    } else if (tab === 'response') {
      const a = detail.attempts[0];
      title = a ? `Response · ${a.httpCode ?? a.errorClass ?? '—'} · ${a.durationMs} ms · ${shortTime(a.finishedAt, nowDate)}` : 'Response';
      contentLines = a ? jsonLines(a.responseBody).map((t) => ({ text: t })) : [{ text: 'No response yet: the item was never sent.', dim: true }];
    } else {
      title = `History · ${detail.attempts.length} attempt${detail.attempts.length === 1 ? '' : 's'}, ${detail.revisions.length} revision${detail.revisions.length === 1 ? '' : 's'}`;
      contentLines = historyLines(detail, nowDate).map((t) => ({ text: t }));
    }
  }
  // In the built-in editor: the refused edit's lines, else SATUSEHAT's (request line i+1 = body row i).
  const editorMarks = new Set<number>(errors.some((e) => e.line !== undefined) ? errors.filter((e) => e.line !== undefined).map((e) => (e.line ?? 1) - 1) : draft === null ? [...marked].filter((i) => i > 0).map((i) => i - 1) : []);
  const viewKey = showDiff ? 'diff' : tab;
  const contentHeight = Math.max(1, height - 2 - 1 - shownNotes.length - 1);
  const offset = clampScroll(scroll[viewKey] ?? 0, contentLines.length, contentHeight);
  const setOffset = (value: number) => setScroll((s) => ({ ...s, [viewKey]: clampScroll(value, contentLines.length, contentHeight) }));

  // Jump to the first marked line when the request opens with errors.
  const jumped = useRef(false);
  useEffect(() => {
    if (jumped.current || tab !== 'request' || marked.size === 0) return;
    jumped.current = true;
    const first = Math.min(...marked);
    if (first >= contentHeight) setScroll((s) => ({ ...s, request: Math.max(0, first - 2) }));
  }, [marked, tab, contentHeight]);

  useInput(
    (chunk, rawKey) => {
      // Several keys in one chunk (key repeat while scrolling): add the line scrolls up.
      const keys = splitKeys(chunk, rawKey);
      if (shell.typing() || inlineRef.current) return;
      const actions = keys.map(([i, k]) => resolveKey('item', i, k, { readOnly }));
      if (actions.length > 1 && actions.every((a) => a?.type === 'scroll' && typeof a.delta === 'number')) {
        const total = actions.reduce((sum, a) => sum + (a?.type === 'scroll' && typeof a.delta === 'number' ? a.delta : 0), 0);
        return setOffset(offset + total);
      }
      const action = actions[0];
      if (!action) return;
      switch (action.type) {
        case 'quit':
          return shell.quit();
        case 'help':
          return shell.openHelp();
        case 'refresh':
          poll.refresh();
          return shell.notify('Refreshed');
        case 'back':
          return onClose();
        case 'scroll': {
          const d = action.delta;
          if (d === 'top') return setOffset(0);
          if (d === 'bottom') return setOffset(maxScroll(contentLines.length, contentHeight));
          if (d === 'page-up') return setOffset(offset - Math.max(1, contentHeight - 1));
          if (d === 'page-down') return setOffset(offset + Math.max(1, contentHeight - 1));
          return setOffset(offset + d);
        }
        case 'nextTab': {
          setShowDiff(false);
          const i = TABS.indexOf(tab);
          return setTab(TABS[(i + action.delta + TABS.length) % TABS.length] ?? 'request');
        }
        case 'toggleDiff':
          return setShowDiff((v) => !v);
        case 'edit':
          return startEdit();
        case 'resend':
          return resend();
        case 'discardDraft':
          if (draft === null) return shell.notify('No kept edit to discard');
          setDraft(null);
          setErrors([]);
          return shell.notify('Discarded the refused edit; e starts from the saved revision');
        default:
          return;
      }
    },
    { isActive: active && inline === null && !saving },
  );

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
          {shownNotes.slice(0, maxNotes).map((n, i) => (
            <Txt key={i} tone={n.tone} dim={n.dim}>
              {n.text}
            </Txt>
          ))}
          <Text wrap="truncate-end">
            {TABS.map((t) => (
              <Txt key={t} inverse={!showDiff && tab === t} bold={!showDiff && tab === t}>{` ${t === 'request' ? 'Request' : t === 'response' ? 'Response' : 'History'} `}</Txt>
            ))}
            <Txt inverse={showDiff} bold={showDiff}>{' Diff (v) '}</Txt>
            <Txt dim>{inline ? ` editing · line ${inline.row + 1} col ${inline.col + 1} of ${inline.lines.length}` : ` ${scrollLabel(offset, contentHeight, contentLines.length)} · ${title}`}</Txt>
          </Text>
          {inline ? (
            <TextArea
              buffer={inline}
              onChange={setInline}
              focus={active}
              width={inner}
              height={contentHeight}
              marked={editorMarks}
              onSave={(latest) => {
                const text = bufferText(latest);
                setInline(null);
                save(text);
              }}
              onCancel={(latest) => {
                const text = bufferText(latest);
                setInline(null);
                if (text !== requestText) setDraft(text);
                shell.notify(text !== requestText ? 'Left the editor without saving; your text is kept for the next e (x discards it)' : 'Left the editor; nothing changed');
              }}
            />
          ) : (
            visibleLines(contentLines.map((l) => l.text), offset, contentHeight, inner - 2).map((text, i) => {
              const line = contentLines[offset + i];
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
