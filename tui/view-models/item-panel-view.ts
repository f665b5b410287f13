// What the item panel shows, from its state and the item: the notes above the JSON (HTTP code and
// hint, OperationOutcome messages, issues, a refused edit), the lines of the current view
// (Request, Response, History or Diff) with the lines SATUSEHAT complained about marked. Pure.
import { hintForStatus } from '../../shared/fhir/operation-outcome.js';
import type { ItemDetail, SaveRevisionResult } from '../services.js';
import { compactDiff, diffLines, parseDiffText, type DiffLine } from './diff.js';
import { clampScroll, jsonLines, lineOfPath } from './json-view.js';
import { shortTime, wrapLines } from './text.js';
import { getResourceType } from '../../shared/fhir/registry.js';

export type PanelTab = 'request' | 'response' | 'history';
export const PANEL_TABS: readonly PanelTab[] = ['request', 'response', 'history'];
/** At most this many lines of messages, issues or errors above the JSON. */
const MAX_NOTE_LINES = 4;

export type SaveError = Extract<SaveRevisionResult, { ok: false }>['errors'][number];
type NoteTone = 'red' | 'yellow' | 'magenta' | 'cyan' | 'green';
export interface NoteLine {
  text: string;
  tone?: NoteTone;
  dim?: boolean;
}
/** The part of the panel's state (tui/state/item-panel-state.ts) that decides what is shown. */
export interface PanelShown {
  tab: PanelTab;
  showDiff: boolean;
  /** Scroll offset per view (each tab and the diff keep their own). */
  scroll: Partial<Record<PanelTab | 'diff', number>>;
  /** Text of a refused edit, kept so the next `e` continues from it. */
  draft: string | null;
  /** Why the last save was refused. */
  errors: SaveError[];
  /** The diff of the last saved edit, shown by `v`. */
  lastDiff: string | null;
  saving: boolean;
  /** Waiting for the result of a resend: an attempt newer than this one. */
  waiting: { sinceAttemptId: number } | null;
}
export interface ContentLine {
  text: string;
  tone?: 'green' | 'red' | 'cyan';
  mark?: boolean;
  dim?: boolean;
}

const PATH_PREFIX = /^(?:(?:warning|information): )?([A-Z][A-Za-z]+(?:\.[A-Za-z_][\w]*(?:\[\d+\])?)+)(?:, [^:]*)?: /;

/** 'Encounter.serviceProvider.reference: Invalid…' → 'Encounter.serviceProvider.reference'. */
export function messagePath(message: string): string | undefined {
  return PATH_PREFIX.exec(message)?.[1];
}

export function saveErrorText(e: SaveError): string {
  const where = [e.line !== undefined ? `line ${e.line}${e.column !== undefined ? ` col ${e.column}` : ''}` : null, e.path ?? null].filter(Boolean).join(', ');
  return `${where ? `${where}: ` : ''}${e.message}${e.rule ? ` (rule ${e.rule})` : ''}`;
}

/** The stored request body as the editor and the Request view show it; null: a lookup without a body. */
export function requestTextOf(detail: ItemDetail | null): string | null {
  return detail?.current?.body != null ? JSON.stringify(detail.current.body, null, 2) : null;
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

function notesOf(state: PanelShown, detail: ItemDetail | null, spin: string): Array<NoteLine & { lines?: number }> {
  const notes: Array<NoteLine & { lines?: number }> = [];
  if (detail) {
    const item = detail.item;
    // Every value of the row, whole: the list drops the columns that do not fit rather than cut them.
    const labels = new Map((getResourceType(item.type)?.columns ?? []).map((c) => [c.key, c.label]));
    const values = Object.entries(item.summary).filter(([, v]) => v !== null && v !== '').map(([k, v]) => `${labels.get(k) ?? k}: ${v}`);
    if (values.length > 0) notes.push({ text: values.join(' · '), dim: true, lines: 2 });
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
  for (const e of state.errors.slice(0, MAX_NOTE_LINES)) notes.push({ text: `✘ edit refused: ${saveErrorText(e)}`, tone: 'red', lines: 2 });
  if (state.draft !== null && state.errors.length > 0) notes.push({ text: '  your edited text is kept: e continues editing it, x discards it', dim: true });
  if (state.waiting) notes.push({ text: `${spin} Kirim Ulang: waiting for the new attempt's result (${detail?.item.status ?? '…'})…`, tone: 'cyan' });
  if (state.saving) notes.push({ text: `${spin} saving…`, tone: 'cyan' });
  return notes;
}

export interface ItemPanelView {
  notes: NoteLine[];
  /** Room for notes: the panel shows at most this many of them. */
  maxNotes: number;
  /** The request as shown: the method and path, then the body lines. */
  requestLines: string[];
  requestText: string | null;
  /** Request lines (index in requestLines) to mark: error paths from SATUSEHAT and from a refused edit. */
  marked: Set<number>;
  /** Rows of the built-in editor to mark (body row = request line - 1). */
  editorMarks: Set<number>;
  title: string;
  lines: ContentLine[];
  /** Which scroll position the view keeps: each tab and the diff scroll on their own. */
  viewKey: PanelTab | 'diff';
  contentHeight: number;
  offset: number;
}

export function itemPanelView(state: PanelShown, detail: ItemDetail | null, size: { width: number; height: number; now: Date; spin: string }): ItemPanelView {
  const { width, height, now, spin } = size;
  const inner = Math.max(10, width - 2);
  const noteLines = notesOf(state, detail, spin).flatMap((n) => wrapLines(n.text, inner, n.lines ?? 1).map((text) => ({ text, tone: n.tone, dim: n.dim })));
  const maxNotes = Math.max(0, height - 2 - 2 - 3);
  const notes = noteLines.length > maxNotes ? [...noteLines.slice(0, Math.max(0, maxNotes - 1)), { text: '  … more above the JSON: make the terminal taller', dim: true }] : noteLines;

  const requestText = requestTextOf(detail);
  // The first line is the request the next send makes (a sent item goes as a PUT by its id), not the revision's own.
  const next = detail?.nextSend;
  const requestLines = detail ? (detail.current ? [next ? `${next.method} ${next.url}  (next send: ${next.why})` : `${detail.current.method} ${detail.current.path}`, ...(requestText !== null ? requestText.split('\n') : ['(no body)'])] : ['(no request yet)']) : [];
  const marked = new Set<number>();
  const body = requestLines.slice(1);
  const paths = [...(detail?.outcome?.messages ?? []).map(messagePath), ...state.errors.map((e) => e.path), ...(detail?.issues ?? []).map((i) => i.path)];
  for (const p of paths) {
    const i = lineOfPath(body, p);
    if (i !== null) marked.add(i + 1);
  }
  for (const e of state.errors) if (e.line !== undefined && state.draft === null) marked.add(e.line);

  let lines: ContentLine[] = [];
  let title = '';
  if (detail) {
    if (state.showDiff) {
      const diff = state.lastDiff ? compactDiff(parseDiffText(state.lastDiff)) : revisionDiff(detail);
      title = state.lastDiff ? 'Diff: your edit against the previous revision' : 'Diff: current revision against the previous one';
      lines = diff
        ? diff.map((d) => (d.op === '@' ? { text: d.text, tone: 'cyan' as const } : { text: `${d.op} ${d.text}`, tone: d.op === '+' ? ('green' as const) : d.op === '-' ? ('red' as const) : undefined, dim: d.op === ' ' }))
        : [{ text: 'Only one revision: nothing to compare. After an edit (e), v shows what changed.', dim: true }];
    } else if (state.tab === 'request') {
      const rev = detail.current;
      title = rev ? `Request · revision ${rev.revision}${rev.edited ? ` edited by ${rev.createdBy}` : ''}` : 'Request';
      lines = requestLines.map((t, i) => ({ text: t, mark: marked.has(i), tone: marked.has(i) ? 'red' : undefined, dim: i === 0 }));
    } else if (state.tab === 'response') {
      const a = detail.attempts[0];
      title = a ? `Response · ${a.httpCode ?? a.errorClass ?? '—'} · ${a.durationMs} ms · ${shortTime(a.finishedAt, now)}` : 'Response';
      lines = a ? jsonLines(a.responseBody).map((t) => ({ text: t })) : [{ text: 'No response yet: the item was never sent.', dim: true }];
    } else {
      title = `History · ${detail.attempts.length} attempt${detail.attempts.length === 1 ? '' : 's'}, ${detail.revisions.length} revision${detail.revisions.length === 1 ? '' : 's'}`;
      lines = historyLines(detail, now).map((t) => ({ text: t }));
    }
  }
  // In the built-in editor: the refused edit's lines, else SATUSEHAT's (request line i+1 = body row i).
  const lineErrors = state.errors.filter((e) => e.line !== undefined);
  const editorMarks = new Set<number>(lineErrors.length > 0 ? lineErrors.map((e) => (e.line ?? 1) - 1) : state.draft === null ? [...marked].filter((i) => i > 0).map((i) => i - 1) : []);
  const viewKey = state.showDiff ? 'diff' : state.tab;
  const contentHeight = Math.max(1, height - 2 - 1 - notes.length - 1);
  const offset = clampScroll(state.scroll[viewKey] ?? 0, lines.length, contentHeight);
  return { notes, maxNotes, requestLines, requestText, marked, editorMarks, title, lines, viewKey, contentHeight, offset };
}
