// The TUI's pure view-models: layout, badges, truncation, filters, diff, editor buffer.
import { describe, expect, it } from 'vitest';
import type { TypeStatus } from '../../shared/services/status-service.js';
import type { ControlState, ItemRow } from '../../shared/services/api.js';
import { BADGE_WIDTH, MAX_BADGE_WIDTH, statusBadge, statusFilterLabel } from '../../tui/view-models/badges.js';
import { barCells, barTone, cardHeightFor, cardModel, cardWidths, CARD_HEIGHT, COMPACT_CARD_HEIGHT, filterStatuses, gridColumns, moveSelection, pickFitting, regenText, scrollRowFor, visibleGridRows } from '../../tui/view-models/cards.js';
import { editCommand, itemsListCommand, regenerateCommand, resendCommand, resendMatchingCommand, shellArg, statusCommand } from '../../tui/view-models/cli-hints.js';
import { addDays, isValidDate, parseDateInput, stepDate, todayAt } from '../../tui/view-models/date.js';
import { compactDiff, diffLines, parseDiffText } from '../../tui/view-models/diff.js';
import { applyEditorOp, bufferFromText, bufferText, horizontalWindow } from '../../tui/view-models/editor-buffer.js';
import { daemonPart, environmentPart, ratePart, verificationPart } from '../../tui/view-models/header.js';
import { clampScroll, jsonLines, lineOfPath, maxScroll, scrollLabel, visibleLines } from '../../tui/view-models/json-view.js';
import { initialListState, listReducer, STATUS_CYCLE } from '../../tui/view-models/list-state.js';
import { contentWidths, fitColumns, headerLine, MIN_COLUMN_WIDTH, pageKeepingRow, pageSummary, rowCells, tableLayout } from '../../tui/view-models/table.js';
import { displayWidth, fit, formatCount, shortDuration, shortTime, truncate, wrapLines } from '../../tui/view-models/text.js';
import { downLiveness, idleActivity, runningLiveness, senderInstance } from '../support/liveness.js';
import { complianceLine } from '../../tui/view-models/compliance.js';
import { displayWidth as displayWidthOf, shortTime as shortTimeOf } from '../../tui/view-models/text.js';
import { activityLine, sparkline } from '../../tui/view-models/sparkline.js';

const status = (type: string, over: Partial<TypeStatus> = {}): TypeStatus => ({
  type, sent: 0, total: 0, percent: 0, inProcess: 0, queued: 0, sending: 0, notSent: 0, blocked: 0, failed: 0, invalid: 0, checking: 0, lastSuccessAt: null, ...over,
});

const row = (over: Partial<ItemRow> = {}): ItemRow => ({
  id: 1, type: 'Encounter', sourceKey: '1', status: 'sent', httpCode: 201, errorClass: null, satusehatId: 'abc', businessDate: '2026-11-20',
  summary: { visitNo: 'RJ2600001', patient: 'Budi Santoso', practitioner: 'dr. Alexander', date: '2026-11-20 08:00', unit: 'Poli Umum' },
  lastError: null, blockedBy: null, attemptCount: 1, currentRevision: 1, updatedAt: '2026-11-20T01:00:00Z', sentAt: '2026-11-20T01:00:00Z', ...over,
});

describe('text', () => {
  it('truncates to a display width with an ellipsis, never more', () => {
    expect(truncate('Encounter', 20)).toBe('Encounter');
    expect(truncate('Encounter', 5)).toBe('Enco…');
    expect(truncate('Encounter', 1)).toBe('…');
    expect(truncate('Encounter', 0)).toBe('');
    expect(displayWidth(truncate('漢字漢字漢字', 5))).toBeLessThanOrEqual(5);
  });

  it('fits (truncate + pad) and keeps one line', () => {
    expect(fit('a\nb', 5)).toBe('a b  ');
    expect(fit('12', 5, 'right')).toBe('   12');
    expect(fit('abcdefgh', 4)).toBe('abc…');
  });

  it('wraps messages into a few lines and marks what was cut', () => {
    expect(wrapLines('one two three four', 9, 5)).toEqual(['one two', 'three', 'four']);
    const cut = wrapLines('alpha beta gamma delta epsilon zeta', 11, 2);
    expect(cut).toHaveLength(2);
    expect(cut[1]!.endsWith('…')).toBe(true);
    for (const l of wrapLines('x'.repeat(50), 10, 10)) expect(displayWidth(l)).toBeLessThanOrEqual(10);
  });

  it('formats counts, times and durations', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    const now = new Date(2026, 10, 20, 12, 0, 0);
    expect(shortTime(new Date(2026, 10, 20, 9, 5, 7).toISOString(), now)).toBe('09:05:07');
    expect(shortTime(new Date(2026, 10, 18, 9, 5, 7).toISOString(), now)).toBe('18 Nov 09:05');
    expect(shortTime(null, now)).toBe('—');
    expect(shortDuration(90_000)).toBe('2m');
  });
});

describe('date filter', () => {
  it('validates and steps business dates', () => {
    expect(isValidDate('2026-11-20')).toBe(true);
    expect(isValidDate('2026-02-30')).toBe(false);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(stepDate(null, -1, '2026-11-27')).toBe('2026-11-27');
    expect(stepDate('2026-11-20', -1, '2026-11-27')).toBe('2026-11-19');
  });

  it("knows the clinic's today from its UTC offset", () => {
    const now = new Date('2026-11-20T20:00:00Z');
    expect(todayAt('+07:00', now)).toBe('2026-11-21');
    expect(todayAt('+00:00', now)).toBe('2026-11-20');
  });

  it('parses what the operator typed: empty = all dates', () => {
    expect(parseDateInput('')).toEqual({ ok: true, date: null });
    expect(parseDateInput('20261120')).toEqual({ ok: true, date: '2026-11-20' });
    expect(parseDateInput('2026-13-01').ok).toBe(false);
  });
});

describe('status badges', () => {
  it('every badge has a glyph and a word (readable without colour)', () => {
    expect(statusBadge('sent').text).toBe('✔ Terkirim');
    expect(statusBadge('failed', 400).text).toBe('✘ Tidak Terkirim 400');
    expect(statusBadge('not_sent').text).toBe('○ Belum Terkirim');
    expect(statusBadge('queued').text).toBe('◔ Antri');
    expect(statusBadge('sending').text).toBe('◑ Mengirim');
    expect(statusBadge('blocked').text).toBe('⏸ Menunggu');
    expect(statusBadge('invalid').text).toBe('⚠ Tidak Valid');
    expect(displayWidth(statusBadge('failed', 503).text)).toBeLessThanOrEqual(BADGE_WIDTH);
    expect(displayWidth(statusBadge('failed', null, 'timeout').text)).toBeLessThanOrEqual(MAX_BADGE_WIDTH);
  });

  it('a failure without an HTTP code says what happened instead of a blank', () => {
    expect(statusBadge('failed', null, 'timeout').text).toBe('✘ Tidak Terkirim ERR timeout');
    expect(statusBadge('failed', 200, 'not_found').text).toBe('✘ Tidak Terkirim not found');
    expect(statusBadge('sent').tone).toBe('green');
    expect(statusBadge('failed', 500).tone).toBe('red');
    expect(statusBadge('not_sent').tone).toBe('red');
  });

  it('labels the status filter', () => {
    expect(statusFilterLabel(null)).toBe('all statuses');
    expect(statusFilterLabel('failed')).toContain('Tidak Terkirim');
    expect(statusFilterLabel('problem')).toContain('problems');
  });
});

describe('dashboard cards', () => {
  it('fills the width: more columns on wider terminals, never narrower than the minimum', () => {
    expect(gridColumns(80, 5)).toBe(3);
    expect(gridColumns(160, 5)).toBe(5);
    expect(gridColumns(160, 16)).toBe(5);
    expect(gridColumns(20, 5)).toBe(1);
    expect(gridColumns(300, 2)).toBe(2);
    const widths = cardWidths(80, 3);
    expect(widths.reduce((a, b) => a + b, 0) + 2).toBe(80);
    expect(cardWidths(161, 5).reduce((a, b) => a + b, 0) + 4).toBe(161);
  });

  it('switches to compact cards when the full ones would not fit', () => {
    expect(cardHeightFor(2, 19)).toBe(CARD_HEIGHT);
    expect(cardHeightFor(6, 19)).toBe(COMPACT_CARD_HEIGHT);
    expect(visibleGridRows(19, COMPACT_CARD_HEIGHT)).toBe(3);
    expect(visibleGridRows(3)).toBe(1);
  });

  it('moves the selection in the grid without leaving it', () => {
    expect(moveSelection(0, 5, 3, 'right')).toBe(1);
    expect(moveSelection(2, 5, 3, 'right')).toBe(2);
    expect(moveSelection(1, 5, 3, 'down')).toBe(4);
    expect(moveSelection(2, 5, 3, 'down')).toBe(2);
    expect(moveSelection(4, 5, 3, 'up')).toBe(1);
    expect(moveSelection(3, 5, 3, 'left')).toBe(3);
    expect(moveSelection(0, 0, 3, 'down')).toBe(0);
  });

  it('scrolls the grid to keep the selected card visible', () => {
    expect(scrollRowFor(9, 3, 2, 0)).toBe(2);
    expect(scrollRowFor(0, 3, 2, 2)).toBe(0);
    expect(scrollRowFor(7, 3, 2, 1)).toBe(1);
  });

  it('filters cards by type name as you type', () => {
    const rows = [status('Organization'), status('Encounter'), status('Patient')];
    expect(filterStatuses(rows, 'enc').map((r) => r.type)).toEqual(['Encounter']);
    expect(filterStatuses(rows, '').length).toBe(3);
    expect(filterStatuses(rows, 'zzz')).toEqual([]);
  });

  it('draws a bar that is empty only at 0 % and full only at 100 %', () => {
    expect(barCells(0, 20)).toBe(0);
    expect(barCells(1, 20)).toBe(1);
    expect(barCells(99, 20)).toBe(19);
    expect(barCells(100, 20)).toBe(20);
    expect(barTone({ percent: 100, failed: 0, invalid: 0, total: 5 })).toBe('green');
    expect(barTone({ percent: 50, failed: 1, invalid: 0, total: 5 })).toBe('red');
    expect(barTone({ percent: 0, failed: 0, invalid: 0, total: 0 })).toBe('gray');
  });

  it('builds the card lines: sent / total, in process, problems, last success; all within the card', () => {
    const now = new Date(2026, 10, 20, 12, 0, 0);
    const s = status('Encounter', { sent: 1234, total: 2000, percent: 61, inProcess: 5, queued: 3, sending: 2, failed: 7, invalid: 1, blocked: 4, lastSuccessAt: new Date(2026, 10, 20, 11, 0, 0).toISOString() });
    for (const width of [26, 32, 60]) {
      const m = cardModel(s, { width, foundation: false, readOnly: false, regen: null, now });
      const text = m.lines.map((l) => l.text).join('\n');
      expect(text).toContain('1,234');
      expect(text).toContain('2,000');
      expect(text).toMatch(/in process 5/);
      expect(text).toMatch(/✘ ?7/);
      expect(text).toMatch(/⚠ ?1/);
      expect(text).toMatch(/⏸ ?4/);
      expect(text).toContain('11:00:00');
      for (const l of m.lines) expect(displayWidth(l.text)).toBeLessThanOrEqual(width - 2);
      expect(m.barWidth + 1 + m.percentText.length).toBe(width - 2);
    }
    const compact = cardModel(s, { width: 26, compact: true, foundation: false, readOnly: false, regen: null, now });
    expect(compact.lines).toHaveLength(1);
    expect(compact.lines[0]!.text).toContain('1,234/2,000');
  });

  it('regenerate is offered for foundation types only, hidden when read-only', () => {
    const now = new Date();
    expect(cardModel(status('Patient'), { width: 32, foundation: true, readOnly: false, regen: null, now }).regenDisabledReason).toBeNull();
    expect(cardModel(status('Patient'), { width: 32, foundation: true, readOnly: false, regen: null, now }).corner).toBe('g regenerate');
    expect(cardModel(status('Encounter'), { width: 32, foundation: false, readOnly: false, regen: null, now }).regenDisabledReason).toMatch(/foundation/);
    expect(cardModel(status('Patient'), { width: 32, foundation: true, readOnly: true, regen: null, now }).corner).toBe('');
    expect(regenText({ running: true, done: 40, total: 120 })).toBe('regenerating 40/120');
    expect(regenText({ running: true, done: 40, total: 120 }, 9)).toBe('regen 40/120'.length <= 9 ? 'regen 40/120' : '40/120');
    expect(pickFitting(['long one', 'short'], 5)).toBe('short');
  });
});

describe('detail table', () => {
  const columns = [
    { key: 'visitNo', label: 'Visit no.', width: 18 },
    { key: 'patient', label: 'Patient', width: 22 },
    { key: 'practitioner', label: 'Practitioner', width: 22 },
    { key: 'date', label: 'Date', width: 16 },
    { key: 'unit', label: 'Unit', width: 16 },
  ];

  it('fits the columns into the width, keeping the business key whole and the total exact', () => {
    for (const width of [30, 54, 80, 200]) {
      const fitted = fitColumns(columns, width, { visitNo: 11 });
      const total = fitted.reduce((a, c) => a + c.width, 0) + fitted.length - 1;
      expect(total).toBe(Math.max(width, fitted.length * MIN_COLUMN_WIDTH + fitted.length - 1));
      for (const c of fitted) expect(c.width).toBeGreaterThanOrEqual(MIN_COLUMN_WIDTH);
    }
    expect(fitColumns(columns, 54, { visitNo: 11 })[0]!.width).toBeGreaterThanOrEqual(11);
    expect(fitColumns(columns, 20).length).toBeLessThan(columns.length);
  });

  it('drops the columns that do not fit whole rather than cutting them (the panel shows every value)', () => {
    const content = { visitNo: 11, patient: 20, practitioner: 20, date: 16, unit: 12 };
    for (const width of [60, 80, 100]) {
      const fitted = fitColumns(columns, width, content);
      // Every kept column but the last (which also takes the spare room) is at least as wide as its values.
      for (const c of fitted) expect(c.width, `${c.key} at ${width}`).toBeGreaterThanOrEqual(content[c.key as keyof typeof content]);
      expect(fitted.length).toBeGreaterThanOrEqual(2);
    }
    expect(fitColumns(columns, 80, content).map((c) => c.key)).toEqual(['visitNo', 'patient', 'practitioner', 'date']);
    expect(fitColumns(columns, 60, content).map((c) => c.key)).toEqual(['visitNo', 'patient', 'practitioner']);
  });

  it('lets columns grow to their values when there is room', () => {
    const wide = fitColumns(columns, 200, { practitioner: 30 });
    expect(wide.find((c) => c.key === 'practitioner')!.width).toBeGreaterThanOrEqual(30);
    expect(contentWidths([row()])).toMatchObject({ visitNo: 9, patient: 12 });
  });

  it('widens the status column for a longer badge on screen, within a cap', () => {
    const r = row({ status: 'failed', httpCode: null, errorClass: 'timeout' });
    expect(tableLayout(columns, 120, [r]).badgeWidth).toBe(displayWidth('✘ Tidak Terkirim ERR timeout'));
    expect(tableLayout(columns, 120, [row()]).badgeWidth).toBe(BADGE_WIDTH);
  });

  it('formats rows: badge, id, values cut with an ellipsis, each line exactly the width', () => {
    for (const width of [60, 80, 120]) {
      const r = row({ status: 'failed', httpCode: 400, summary: { ...row().summary, patient: 'Nama Pasien Yang Sangat Panjang Sekali Bukan Main' } });
      const layout = tableLayout(columns, width, [r]);
      const cells = rowCells(r, layout);
      expect(cells.badgeText.trim()).toBe('✘ Tidak Terkirim 400');
      expect(displayWidth(`${cells.badgeText} ${cells.rest}`)).toBe(width);
      expect(displayWidth(headerLine(layout))).toBe(width);
      expect(cells.rest).toContain('…');
    }
    expect(rowCells(row({ summary: { visitNo: null } }), tableLayout(columns, 80)).rest).toContain('—');
  });

  it('summarises the page and keeps the first row visible when the page size changes', () => {
    expect(pageSummary(2, 14, 20, 271)).toBe('page 2 of 14 · rows 21–40 of 271');
    expect(pageSummary(1, 0, 20, 0)).toBe('no items');
    expect(pageKeepingRow(3, 20, 10)).toBe(5);
    expect(pageKeepingRow(5, 10, 20)).toBe(3);
  });
});

describe('json view', () => {
  it('pretty-prints bodies, parses JSON strings, keeps text as text', () => {
    expect(jsonLines({ a: 1 })).toEqual(['{', '  "a": 1', '}']);
    expect(jsonLines('{"a":1}')).toEqual(['{', '  "a": 1', '}']);
    expect(jsonLines('Gateway Timeout')).toEqual(['Gateway Timeout']);
    expect(jsonLines(null)).toEqual(['(none)']);
  });

  it('scrolls within bounds and truncates long lines', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i} ${'x'.repeat(100)}`);
    expect(maxScroll(50, 10)).toBe(40);
    expect(clampScroll(99, 50, 10)).toBe(40);
    expect(clampScroll(-3, 50, 10)).toBe(0);
    const shown = visibleLines(lines, 45, 10, 30);
    expect(shown).toHaveLength(10);
    expect(shown[0]).toMatch(/^line 40/);
    for (const l of shown) expect(displayWidth(l)).toBeLessThanOrEqual(30);
    expect(scrollLabel(0, 10, 50)).toBe('lines 1–10 of 50');
  });

  it('finds the line of an OperationOutcome path in the request', () => {
    const lines = jsonLines({ resourceType: 'Encounter', subject: { reference: 'Patient/1' }, serviceProvider: { reference: 'Organization/999' } });
    const i = lineOfPath(lines, 'Encounter.serviceProvider.reference');
    expect(lines[i!]).toContain('Organization/999');
    expect(lineOfPath(lines, undefined)).toBeNull();
  });
});

describe('diff', () => {
  it('shows what an edit changed with context', () => {
    const before = ['{', '  "a": 1,', '  "b": 2', '}'];
    const after = ['{', '  "a": 1,', '  "b": 3', '}'];
    const d = diffLines(before, after);
    expect(d.filter((l) => l.op === '-').map((l) => l.text)).toEqual(['  "b": 2']);
    expect(d.filter((l) => l.op === '+').map((l) => l.text)).toEqual(['  "b": 3']);
    const long = Array.from({ length: 40 }, (_, i) => `l${i}`);
    const changed = [...long];
    changed[20] = 'changed';
    const c = compactDiff(diffLines(long, changed), 2);
    expect(c.length).toBeLessThan(10);
    expect(c.some((l) => l.text.includes('unchanged'))).toBe(true);
  });

  it('reads the unified diff the services return, headers kept', () => {
    const parsed = parseDiffText('--- revision 1\n+++ revision 2 (edited by admin)\n@@ -1,3 +1,3 @@\n {\n-  "b": 2\n+  "b": 3\n }\n');
    expect(parsed.map((l) => l.op)).toEqual(['@', '@', '@', ' ', '-', '+', ' ']);
    expect(compactDiff(parsed, 0).filter((l) => l.op === '@')).toHaveLength(3);
  });
});

describe('cli hints', () => {
  it('prints the equivalent command of each view and action', () => {
    expect(statusCommand('2026-11-20')).toBe('satusehat status --date 2026-11-20');
    expect(statusCommand(null)).toBe('satusehat status');
    expect(itemsListCommand({ type: 'Encounter', status: 'failed', date: null, search: '' })).toBe('satusehat items list --type Encounter --status failed');
    expect(itemsListCommand({ type: 'Patient', status: null, date: '2026-11-20', search: "Siti O'Neil", page: 3 })).toBe(`satusehat items list --type Patient --date 2026-11-20 --search 'Siti O'\\''Neil' --page 3`);
    expect(resendCommand([123])).toBe('satusehat resend 123');
    expect(resendMatchingCommand({ type: 'Encounter', status: null, date: '2026-11-20', search: '' })).toBe('satusehat resend --type Encounter --status failed --date 2026-11-20 --yes');
    expect(regenerateCommand('Patient')).toBe('satusehat regenerate Patient');
    expect(editCommand(7)).toBe('satusehat edit 7 --no-send');
    expect(shellArg('a b')).toBe("'a b'");
  });
});

describe('header', () => {
  const control = (over: Partial<ControlState> = {}): ControlState => ({
    liveness: runningLiveness(),
    paused: false, pausedBy: null, pausedAt: null, pausedReason: null, circuit: 'closed', circuitReason: null, lastRun: null, nextRunAt: null,
    regenerating: [], rateLimitPerMinute: 150, requestsLastMinute: 0, environment: 'simulator', verification: null, activity: idleActivity(), ...over,
  });
  const now = new Date('2026-11-20T10:00:00Z');

  it('marks production unmistakably', () => {
    expect(environmentPart('production')).toMatchObject({ inverse: true, tone: 'red', text: ' PRODUCTION ' });
    expect(environmentPart('simulator').inverse).toBeUndefined();
  });

  it('shows the most urgent daemon state first', () => {
    expect(daemonPart(control({ circuit: 'open', paused: true }), now).text).toMatch(/circuit open: SATUSEHAT outage/);
    expect(daemonPart(control({ paused: true, pausedBy: 'admin' }), now).text).toMatch(/PAUSED by admin/);
    expect(daemonPart(control({ nextRunAt: '2026-11-20T10:05:00Z' }), now).text).toMatch(/next run/);
    expect(daemonPart(control({ nextRunAt: '2026-11-20T09:00:00Z' }), now).text).toMatch(/has not started/);
    expect(daemonPart(null, now).text).toMatch(/…/);
  });

  it('says the daemon is down from the heartbeats, never running from a schedule alone', () => {
    // A schedule row left behind by a dead daemon must not read as running.
    const down = daemonPart(control({ liveness: downLiveness('2026-11-20T09:50:00.000Z'), nextRunAt: null, paused: true, pausedBy: 'admin' }), now);
    expect(down).toMatchObject({ tone: 'red', bold: true });
    expect(down.text).toMatch(/^✘ daemon down since 09:50:00, 10m ago · ⏸ paused by admin$/);
    expect(daemonPart(control({ liveness: downLiveness('2026-11-20T09:58:00.000Z', 'stopped') }), now).text).toMatch(/^■ daemon stopped since/);
    expect(daemonPart(control({ liveness: downLiveness('', 'never') }), now).text).toMatch(/no daemon running \(never started\)/);
    const once = { ...downLiveness(), sending: true, others: [senderInstance({ role: 'once', pid: 99 })] };
    expect(daemonPart(control({ liveness: once }), now).text).toMatch(/sync --once sending \(pid 99\) · no daemon/);
    // Live, the circuit and the pause come first.
    expect(daemonPart(control({ circuit: 'open' }), now).text).toMatch(/circuit open/);
    expect(daemonPart(control({ paused: true, pausedBy: 'admin', pausedReason: 'maintenance' }), now).text).toMatch(/PAUSED by admin.*: maintenance$/);
    expect(daemonPart(control({ liveness: runningLiveness({ daemons: [senderInstance(), senderInstance({ instance: 'b:1:daemon' })] }) }), now).text).toBe('▶ running (2 daemons)');
  });

  it('shows rate-limit use, warning near the limit', () => {
    expect(ratePart(control({ requestsLastMinute: 12 })).text).toBe('rate 12/150/min');
    expect(ratePart(control({ requestsLastMinute: 149 })).tone).toBe('red');
    // Nothing sends: no cap to compare with (the 760 requests of a demo that has ended are not "760/150").
    expect(ratePart(control({ requestsLastMinute: 760, liveness: downLiveness() }))).toEqual({ text: 'rate 760/min (none sending)', dim: true });
  });
});

describe('detail list state', () => {
  it('cycles the status filter, problems first, and goes back to page 1', () => {
    let s = { ...initialListState(), page: 4, selected: 3 };
    s = listReducer(s, { type: 'cycleStatus', delta: 1 });
    expect(s).toMatchObject({ status: 'problem', page: 1, selected: 0 });
    s = listReducer(s, { type: 'cycleStatus', delta: 1 });
    expect(s.status).toBe('failed');
    s = listReducer(initialListState(), { type: 'cycleStatus', delta: -1 });
    expect(s.status).toBe(STATUS_CYCLE[STATUS_CYCLE.length - 1]);
  });

  it('pages within bounds, and moving past the last row continues on the next page', () => {
    let s = initialListState();
    s = listReducer(s, { type: 'page', delta: -1, pageCount: 3 });
    expect(s.page).toBe(1);
    s = listReducer(s, { type: 'page', delta: 1, pageCount: 3 });
    expect(s.page).toBe(2);
    s = listReducer({ ...s, selected: 9 }, { type: 'move', direction: 'down', rowCount: 10, pageCount: 3 });
    expect(s).toMatchObject({ page: 3, selected: 0 });
    s = listReducer(s, { type: 'move', direction: 'up', rowCount: 10, pageCount: 3 });
    expect(s.page).toBe(2);
    s = listReducer(s, { type: 'loaded', rowCount: 10, pageCount: 3 });
    expect(s.selected).toBe(9);
    s = listReducer({ ...s, page: 9 }, { type: 'loaded', rowCount: 0, pageCount: 3 });
    expect(s.page).toBe(3);
  });

  it('a new search starts from page 1', () => {
    const s = listReducer({ ...initialListState(), page: 5 }, { type: 'setSearch', search: 'budi' });
    expect(s).toMatchObject({ search: 'budi', page: 1 });
  });
});

describe('built-in editor buffer', () => {
  it('types, breaks lines with indentation, deletes and joins lines', () => {
    let b = bufferFromText('{\n  "a": 1\n}');
    b = applyEditorOp(b, { type: 'goto', row: 1, col: 9 }, 10);
    b = applyEditorOp(b, { type: 'insert', text: ',' }, 10);
    b = applyEditorOp(b, { type: 'newline' }, 10);
    b = applyEditorOp(b, { type: 'insert', text: '"b": 2' }, 10);
    expect(bufferText(b)).toBe('{\n  "a": 1,\n  "b": 2\n}');
    b = applyEditorOp(b, { type: 'move', direction: 'home' }, 10);
    b = applyEditorOp(b, { type: 'backspace' }, 10);
    expect(bufferText(b)).toBe('{\n  "a": 1,  "b": 2\n}');
    b = applyEditorOp(b, { type: 'move', direction: 'end' }, 10);
    b = applyEditorOp(b, { type: 'delete' }, 10);
    expect(bufferText(b)).toBe('{\n  "a": 1,  "b": 2}');
  });

  it('pastes multi-line text and keeps the cursor visible', () => {
    let b = bufferFromText('');
    b = applyEditorOp(b, { type: 'insert', text: 'a\r\nb\nc' }, 2);
    expect(b.lines).toEqual(['a', 'b', 'c']);
    expect(b).toMatchObject({ row: 2, col: 1, top: 1 });
    b = applyEditorOp(b, { type: 'move', direction: 'top' }, 2);
    expect(b).toMatchObject({ row: 0, top: 0 });
    expect(horizontalWindow('x'.repeat(100), 90, 20).text).toHaveLength(20);
  });
});

describe('verification in the header', () => {
  const control = (verification: ControlState['verification']): ControlState => ({
    liveness: runningLiveness(),
    paused: false, pausedBy: null, pausedAt: null, pausedReason: null, circuit: 'closed', circuitReason: null, lastRun: null, nextRunAt: null,
    regenerating: [], rateLimitPerMinute: 150, requestsLastMinute: 0, environment: 'simulator', verification, activity: idleActivity(),
  });
  const now = new Date('2026-12-02T12:00:00Z');
  it('says how old the last verification is, and shows disagreements in red', () => {
    expect(verificationPart(control(null), now)).toEqual({ text: 'never verified', dim: true });
    const base = { at: '2026-12-02T09:00:00Z', by: 'daemon', checked: 100, unchecked: 0, sample: 100 };
    expect(verificationPart(control({ ...base, disagreements: 0 }), now)).toMatchObject({ text: '✔ verified 3h ago', dim: true });
    expect(verificationPart(control({ ...base, disagreements: 4 }), now)).toMatchObject({ text: '✘ verify 3h ago: 4 disagree', tone: 'red' });
    expect(verificationPart(control({ ...base, disagreements: 0, unchecked: 2 }), now)).toMatchObject({ text: '✔ verified 3h ago (2 not checked)', tone: 'yellow' });
    expect(verificationPart(null, now)).toBeNull();
  });
});

describe('compliance line', () => {
  const day = (date: string, visits: number, encounterSent: number, complete: number) => ({ date, visits, encounterSent, complete, sharePercent: Math.floor((encounterSent * 1000) / visits) / 10, completePercent: Math.floor((complete * 1000) / visits) / 10 });
  const report = (days: ReturnType<typeof day>[], total: ReturnType<typeof day>, unsentTotal: number) => ({ from: '2026-11-14', to: '2026-11-20', targetPercent: 100, days, total, unsent: [], unsentTotal, unsentBy: { extraction: 0, encounter: 0, items: unsentTotal } });
  const now = new Date('2026-11-20T10:00:00Z');
  it('shows the day and the week with their counts and its age, fitted to the width, red below 90%', () => {
    const r = report([day('2026-11-19', 20, 20, 19), day('2026-11-20', 10, 9, 8)], day('total', 30, 29, 27), 3);
    const wide = complianceLine(r, new Date('2026-11-20T09:59:30Z'), now, 200);
    expect(wide.text).toBe('Visits sent to SATUSEHAT (target 100%) · 2026-11-20: 90.0% (9/10), complete 80.0% · 2 days 96.6% (29/30), complete 90.0% · 3 visits wait (satusehat compliance) · as of ' + shortTimeOf('2026-11-20T09:59:30.000Z', now));
    expect(wide.tone).toBe('yellow');
    expect(displayWidthOf(complianceLine(r, null, now, 78).text)).toBeLessThanOrEqual(78);
    expect(complianceLine(report([day('2026-11-20', 10, 5, 5)], day('total', 10, 5, 5), 5), null, now, 200).tone).toBe('red');
    expect(complianceLine(report([day('2026-11-20', 10, 10, 10)], day('total', 10, 10, 10), 0), null, now, 200).tone).toBe('green');
    expect(complianceLine(null, null, now, 80).text).toBe('Visits sent to SATUSEHAT: …');
  });
});

describe('sparklines', () => {
  it('scales to the max (requests to the cap), blank for 0, and says how long the backlog takes', () => {
    expect(sparkline([0, 1, 2, 4, 8])).toBe(' ▁▂▄█');
    expect(sparkline([0, 0])).toBe('  ');
    expect(sparkline([75, 150, 300], 150)).toBe('▄██');
    const requests = new Array<number>(60).fill(0);
    requests[58] = 150;
    requests[59] = 30;
    const sent = new Array<number>(60).fill(0);
    sent[55] = 40;
    const control = { rateLimitPerMinute: 150, activity: { ...idleActivity(), requests, sent, tooMany: idleActivity().tooMany.map((_, i) => (i === 59 ? 2 : 0)), backlog: 120, drainMinutes: 30 } } as unknown as ControlState;
    const wide = activityLine(control, 200);
    expect(wide.text).toMatch(/^last hour · requests\/min .+ peak 150\/150 · sent\/min .+ · 429 2 5xx 0 · backlog 120, ~30 min to send$/);
    expect(wide.tone).toBe('yellow');
    expect(activityLine({ ...control, activity: { ...control.activity, drainMinutes: null } } as ControlState, 200).text).toMatch(/backlog 120, not moving$/);
    expect(displayWidthOf(activityLine(control, 80).text)).toBeLessThanOrEqual(80);
  });
});

