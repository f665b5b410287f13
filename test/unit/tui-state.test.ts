// The screens' reducers without rendering: keys and service answers in, state and effects out.
import { describe, expect, it } from 'vitest';
import { key, splitKeys, type KeyInfo } from '../../tui/keys.js';
import type { ItemDetail, ItemListQuery } from '../../tui/services.js';
import { dashboardReducer, initialDashboardState, type DashboardContext, type DashboardState } from '../../tui/state/dashboard-state.js';
import { detailReducer, initialDetailState, type DetailContext, type DetailState } from '../../tui/state/detail-state.js';
import { initialItemPanelState, itemPanelReducer, type ItemPanelContext, type ItemPanelEvent, type ItemPanelState } from '../../tui/state/item-panel-state.js';
import { sharedKeyEffects, type KeysEvent } from '../../tui/state/shared-keys.js';
import { bufferFromText } from '../../tui/view-models/editor-buffer.js';
import { itemPanelView } from '../../tui/view-models/item-panel-view.js';
import { fakeServices } from './tui-fake-services.js';

/** One chunk as Ink delivers it: 'jj\r' is three keys. */
const typed = (chunk: string, partial: Partial<KeyInfo> = {}): KeysEvent => ({ type: 'keys', keys: splitKeys(chunk, key(partial)) });
const ESC = typed('', { escape: true });
const ENTER = typed('', { return: true });
const PGDN = typed('', { pageDown: true });
const PGUP = typed('', { pageUp: true });
const TAB = typed('', { tab: true });
const SHIFT_TAB = typed('', { tab: true, shift: true });
const END = typed('', { end: true });

describe('the shared key preamble', () => {
  it('resolves quit, help, refresh, back and the date keys the same way for every screen', () => {
    expect(sharedKeyEffects({ type: 'quit' })).toEqual([{ kind: 'quit' }]);
    expect(sharedKeyEffects({ type: 'help' })).toEqual([{ kind: 'help' }]);
    expect(sharedKeyEffects({ type: 'refresh' })).toEqual([{ kind: 'refresh' }, { kind: 'notify', text: 'Refreshed' }]);
    expect(sharedKeyEffects({ type: 'back' })).toEqual([{ kind: 'back' }]);
    expect(sharedKeyEffects({ type: 'day', delta: -1 })).toEqual([{ kind: 'stepDay', delta: -1 }]);
    expect(sharedKeyEffects({ type: 'editDate' })).toEqual([{ kind: 'editDate' }]);
    expect(sharedKeyEffects({ type: 'open' })).toBeNull();
  });

  it('q, ? and r do the same on each screen and leave its state as it was', () => {
    const detail = { ...initialDetailState('problem'), list: { ...initialDetailState('problem').list, page: 2, selected: 3, search: 'budi' }, searchText: 'budi' };
    const dashboard: DashboardState = { search: 'enc', searching: false, pauseReason: null };
    const panel: ItemPanelState = { ...initialItemPanelState(), tab: 'history', draft: '{ oops' };
    const steps = (event: KeysEvent) => [
      detailReducer(detail, event, detailCtx()),
      dashboardReducer(dashboard, event, dashboardCtx()),
      panelStep(panel, event),
    ];
    const starts = [detail, dashboard, panel];
    for (const [chunk, effects] of [
      ['q', [{ kind: 'quit' }]],
      ['?', [{ kind: 'help' }]],
      ['r', [{ kind: 'refresh' }, { kind: 'notify', text: 'Refreshed' }]],
    ] as const) {
      const results = steps(typed(chunk));
      expect(results).toHaveLength(3);
      results.forEach((step, i) => {
        expect(step.effects).toEqual(effects);
        // The very same state: filter, page, search, tab and kept text survive the help.
        expect(step.state).toBe(starts[i]);
      });
    }
  });
});

// ---- detail list -------------------------------------------------------------------------------

function detailCtx(over: Partial<DetailContext> = {}): DetailContext {
  return { type: 'Encounter', date: null, readOnly: false, rowIds: [100, 101, 102, 103, 104], pageCount: 3, ...over };
}

function onPage(page: number, selected = 0, over: Partial<DetailState['list']> = {}): DetailState {
  const s = initialDetailState();
  return { ...s, list: { ...s.list, page, selected, ...over } };
}

describe('detail list reducer', () => {
  it('jumps: g to the first page, G to the last, : asks for a page number (Enter goes, Esc cancels, past the end is the last)', () => {
    const ctx = detailCtx({ pageCount: 277 });
    expect(detailReducer(onPage(40, 3), typed('g'), ctx).state.list).toMatchObject({ page: 1, selected: 0 });
    expect(detailReducer(onPage(40, 3), typed('G'), ctx).state.list).toMatchObject({ page: 277, selected: 0 });
    const asking = detailReducer(onPage(5), typed(':1'), ctx).state;
    expect(asking.jumpText).toBe('1');
    // Letters are not page numbers, and do nothing else while asking (no f filter, no q quit).
    const typedMore = detailReducer(asking, typed('2fq0'), ctx);
    expect(typedMore.state).toMatchObject({ jumpText: '120', list: { page: 5, status: null } });
    expect(typedMore.effects).toEqual([]);
    const went = detailReducer(typedMore.state, typed('', { return: true }), ctx);
    expect(went.state).toMatchObject({ jumpText: null, list: { page: 120, selected: 0 } });
    const tooFar = detailReducer({ ...onPage(5), jumpText: '999' }, typed('', { return: true }), ctx);
    expect(tooFar.state.list.page).toBe(277);
    expect(tooFar.effects).toEqual([{ kind: 'notify', text: 'Page 999 does not exist: the last is 277', tone: 'yellow' }]);
    expect(detailReducer({ ...onPage(5), jumpText: '12' }, typed('', { escape: true }), ctx).state).toMatchObject({ jumpText: null, list: { page: 5 } });
    expect(detailReducer({ ...onPage(5), jumpText: '' }, typed('', { return: true }), ctx).effects).toEqual([{ kind: 'notify', text: '✘ Not a page number: ""', tone: 'red' }]);
    // A whole chunk typed at once: ':42' then Enter.
    expect(detailReducer(onPage(1), { type: 'keys', keys: [...splitKeys(':42', key({})), ['', key({ return: true })]] }, ctx).state.list.page).toBe(42);
  });

  it('pages with PgDn / n / → and PgUp / p / ←, and stays put at either end', () => {
    expect(detailReducer(onPage(1), PGDN, detailCtx()).state.list).toMatchObject({ page: 2, selected: 0 });
    expect(detailReducer(onPage(2, 4), typed('p'), detailCtx()).state.list).toMatchObject({ page: 1, selected: 0 });
    expect(detailReducer(onPage(1), typed('', { rightArrow: true }), detailCtx()).state.list.page).toBe(2);
    const first = onPage(1, 2);
    const up = detailReducer(first, PGUP, detailCtx());
    expect(up.state).toBe(first);
    expect(up.effects).toEqual([]);
    const last = onPage(3, 1);
    expect(detailReducer(last, typed('n'), detailCtx()).state).toBe(last);
  });

  it('moves across page boundaries: down from the last row to the next page, up from the first row to the previous page', () => {
    expect(detailReducer(onPage(1, 4), typed('j'), detailCtx()).state.list).toMatchObject({ page: 2, selected: 0 });
    const back = detailReducer(onPage(2, 0), typed('k'), detailCtx()).state;
    expect(back.list.page).toBe(1);
    // The previous page's last row: clamped when that page arrives.
    expect(detailReducer(back, { type: 'loaded', rowCount: 5, pageCount: 3 }, detailCtx()).state.list.selected).toBe(4);
    const end = onPage(3, 4);
    expect(detailReducer(end, typed('j'), detailCtx()).state).toBe(end);
    expect(detailReducer(onPage(1, 3), typed('', { home: true }), detailCtx()).state.list.selected).toBe(0);
    expect(detailReducer(onPage(1, 0), END, detailCtx()).state.list.selected).toBe(4);
  });

  it('Enter opens the selected row; after moves in the same chunk it waits for the rendered selection', () => {
    expect(detailReducer(onPage(1, 2), ENTER, detailCtx()).effects).toEqual([{ kind: 'open', id: 102 }]);
    expect(detailReducer(onPage(1, 2), typed('d'), detailCtx()).effects).toEqual([{ kind: 'open', id: 102 }]);
    const chunk = detailReducer(onPage(1, 0), typed('jj\r'), detailCtx());
    expect(chunk.state.list.selected).toBe(2);
    expect(chunk.effects).toEqual([]);
    // An empty page: nothing to open.
    expect(detailReducer(onPage(1, 0), ENTER, detailCtx({ rowIds: [] })).effects).toEqual([]);
  });

  it('f and F walk the status filter and go back to page 1', () => {
    const s = detailReducer(onPage(3, 2), typed('f'), detailCtx()).state;
    expect(s.list).toMatchObject({ status: 'problem', page: 1, selected: 0 });
    expect(detailReducer(s, typed('F', { shift: true }), detailCtx()).state.list.status).toBeNull();
  });

  it('/ opens the search; text in the same chunk is typed into it; the list follows when typing pauses or Enter', () => {
    const open = detailReducer(onPage(2), typed('/bud'), detailCtx()).state;
    expect(open).toMatchObject({ searching: true, searchText: 'bud' });
    expect(open.list).toMatchObject({ search: '', page: 2 });
    // Keys before the field takes over are text, not commands: q does not quit.
    const more = detailReducer(open, typed('iq'), detailCtx());
    expect(more.effects).toEqual([]);
    expect(more.state.searchText).toBe('budiq');
    const settled = detailReducer(more.state, { type: 'searchSettled' }, detailCtx()).state;
    expect(settled.list).toMatchObject({ search: 'budiq', page: 1 });
    const submitted = detailReducer(onPage(2), typed('/budi\r'), detailCtx()).state;
    expect(submitted).toMatchObject({ searching: false, searchText: 'budi', list: { search: 'budi', page: 1 } });
    expect(detailReducer(open, { type: 'searchCancelled' }, detailCtx()).state).toMatchObject({ searching: false, searchText: '', list: { search: '' } });
  });

  it('Esc clears a search first, and only an unfiltered list goes back', () => {
    const searched = detailReducer(onPage(1), typed('/budi\r'), detailCtx()).state;
    const cleared = detailReducer(searched, ESC, detailCtx());
    expect(cleared.effects).toEqual([]);
    expect(cleared.state).toMatchObject({ searchText: '', list: { search: '' } });
    expect(detailReducer(cleared.state, ESC, detailCtx()).effects).toEqual([{ kind: 'back' }]);
  });

  it('[ ] and t go to the shared date filter', () => {
    expect(detailReducer(onPage(1), typed(']'), detailCtx()).effects).toEqual([{ kind: 'stepDay', delta: 1 }]);
    expect(detailReducer(onPage(1), typed('t'), detailCtx()).effects).toEqual([{ kind: 'editDate' }]);
  });

  it('a resize keeps the first row on screen', () => {
    expect(detailReducer(onPage(3), { type: 'pageSizeChanged', from: 10, to: 20 }, detailCtx()).state.list.page).toBe(2);
  });

  it('R counts the failed items of the filter, asks, resends, then reports and refreshes', () => {
    const ctx = detailCtx({ date: '2026-11-20' });
    const problems = detailReducer(onPage(2, 0, { status: 'problem', search: ' budi ' }), typed('R', { shift: true }), ctx);
    const query: ItemListQuery = { type: 'Encounter', status: 'failed', date: '2026-11-20', search: 'budi' };
    expect(problems.effects).toEqual([
      { kind: 'cli', command: 'satusehat resend --type Encounter --status problem --date 2026-11-20 --search budi --yes' },
      { kind: 'notify', text: 'Counting failed items…' },
      { kind: 'countFailed', query, where: 'date 2026-11-20, search "budi"' },
    ]);
    const none = detailReducer(onPage(1), { type: 'failedCounted', matched: 0, query, where: 'all dates' }, ctx);
    expect(none.effects).toEqual([{ kind: 'notify', text: 'No failed Encounter items match (all dates)', tone: 'yellow' }]);
    const ask = detailReducer(onPage(1), { type: 'failedCounted', matched: 1200, query, where: 'all dates' }, ctx);
    expect(ask.effects).toEqual([
      { kind: 'ask', text: 'Resend 1,200 failed Encounter items?', detail: 'matching all dates; each goes back on the queue and is sent again', yes: { type: 'resendConfirmed', matched: 1200, query } },
    ]);
    expect(detailReducer(onPage(1), { type: 'resendConfirmed', matched: 3, query }, ctx).effects).toEqual([{ kind: 'notify', text: 'Resending 3 items…', tone: 'cyan' }, { kind: 'resendMatching', query }]);
    const done = detailReducer(onPage(1), { type: 'resentMatching', result: { matched: 3, queued: 2, sampleIds: [] } }, ctx);
    expect(done.effects).toEqual([{ kind: 'notify', text: '✔ 2 queued for resend, 1 skipped (changed meanwhile); the list follows their progress', tone: 'green' }, { kind: 'refresh' }]);
  });

  it('R on another status explains instead; read-only has no R at all', () => {
    const sent = detailReducer(onPage(1, 0, { status: 'sent' }), typed('R', { shift: true }), detailCtx());
    expect(sent.effects).toEqual([{ kind: 'notify', text: 'R resends failed items; the filter shows sent. Press f to choose failed or problems, or open an item and press s', tone: 'yellow' }]);
    expect(detailReducer(onPage(1), typed('R', { shift: true }), detailCtx({ readOnly: true })).effects).toEqual([]);
  });
});

// ---- dashboard ---------------------------------------------------------------------------------

const TYPES = ['Organization', 'Location', 'Practitioner', 'Patient', 'Encounter'];

function dashboardCtx(over: Partial<DashboardContext> = {}): DashboardContext {
  return { readOnly: false, types: TYPES, columns: 3, selectedIndex: 0, regenerating: [], paused: false, ...over };
}

describe('dashboard reducer', () => {
  it('arrows and h j k l move the selection over the grid; the moves of one chunk add up', () => {
    const s = initialDashboardState();
    expect(dashboardReducer(s, typed('j'), dashboardCtx()).effects).toEqual([{ kind: 'select', resourceType: 'Patient' }]);
    expect(dashboardReducer(s, typed('jl'), dashboardCtx()).effects).toEqual([{ kind: 'select', resourceType: 'Encounter' }]);
    // At the edge of the grid nothing moves, so nothing is selected anew.
    expect(dashboardReducer(s, typed('k'), dashboardCtx()).effects).toEqual([]);
    expect(dashboardReducer(s, typed('h'), dashboardCtx()).effects).toEqual([]);
    expect(dashboardReducer(s, END, dashboardCtx()).effects).toEqual([{ kind: 'select', resourceType: 'Encounter' }]);
  });

  it('Enter opens the selected type, after the moves typed before it', () => {
    const s = initialDashboardState();
    expect(dashboardReducer(s, ENTER, dashboardCtx({ selectedIndex: 2 })).effects).toEqual([{ kind: 'open', resourceType: 'Practitioner' }]);
    expect(dashboardReducer(s, typed('jl\r'), dashboardCtx()).effects).toEqual([{ kind: 'select', resourceType: 'Encounter' }, { kind: 'open', resourceType: 'Encounter' }]);
    expect(dashboardReducer(s, ENTER, dashboardCtx({ types: [] })).effects).toEqual([]);
  });

  it('P pauses with a reason typed in place (Enter; an empty reason is refused; Esc cancels), and resumes after a question', () => {
    const s = initialDashboardState();
    const asking = dashboardReducer(s, typed('Pmaint'), dashboardCtx());
    expect(asking.state.pauseReason).toBe('maint');
    // While typing, letters are the reason: g does not regenerate, q does not quit.
    const more = dashboardReducer(asking.state, typed("enance SATUSEHAT's gq"), dashboardCtx());
    expect(more.state.pauseReason).toBe("maintenance SATUSEHAT's gq");
    expect(more.effects).toEqual([]);
    const done = dashboardReducer(more.state, typed('', { return: true }), dashboardCtx());
    expect(done.state.pauseReason).toBeNull();
    expect(done.effects).toEqual([{ kind: 'cli', command: "satusehat pause --reason 'maintenance SATUSEHAT'\\''s gq'" }, { kind: 'pause', reason: "maintenance SATUSEHAT's gq" }]);
    expect(dashboardReducer({ ...s, pauseReason: '  ' }, typed('', { return: true }), dashboardCtx()).effects).toEqual([{ kind: 'notify', text: 'Type why sending is paused (it is shown to everyone), then Enter; Esc cancels', tone: 'yellow' }]);
    expect(dashboardReducer({ ...s, pauseReason: 'x' }, ESC, dashboardCtx()).state.pauseReason).toBeNull();
    expect(dashboardReducer(s, typed('P'), dashboardCtx({ paused: true })).effects).toEqual([{ kind: 'ask', text: 'Resume sending on every daemon?', detail: 'queued items go out again', yes: { type: 'resumeConfirmed' } }]);
    expect(dashboardReducer(s, { type: 'resumeConfirmed' }, dashboardCtx({ paused: true })).effects).toEqual([{ kind: 'cli', command: 'satusehat resume' }, { kind: 'resume' }]);
    expect(dashboardReducer(s, typed('P'), dashboardCtx({ readOnly: true })).state.pauseReason).toBeNull();
  });

  it('/ searches the types: text in the same chunk replaces the search, later keys add to it, Enter keeps it', () => {
    const open = dashboardReducer({ search: 'old', searching: false, pauseReason: null }, typed('/enc'), dashboardCtx()).state;
    expect(open).toEqual({ search: 'enc', searching: true, pauseReason: null });
    const more = dashboardReducer(open, typed('ou\r'), dashboardCtx());
    expect(more.state).toEqual({ search: 'encou', searching: false, pauseReason: null });
    expect(more.effects).toEqual([]);
    expect(dashboardReducer(open, { type: 'searchCancelled' }, dashboardCtx()).state).toEqual({ search: '', searching: false, pauseReason: null });
  });

  it('Esc clears the search; without one it does nothing', () => {
    expect(dashboardReducer({ search: 'enc', searching: false, pauseReason: null }, ESC, dashboardCtx()).state.search).toBe('');
    const plain = initialDashboardState();
    const step = dashboardReducer(plain, ESC, dashboardCtx());
    expect(step.state).toBe(plain);
    expect(step.effects).toEqual([]);
  });

  it('g asks before it regenerates a foundation type, explains for other types and for one already running', () => {
    const s = initialDashboardState();
    expect(dashboardReducer(s, typed('g'), dashboardCtx({ selectedIndex: 3 })).effects).toEqual([
      { kind: 'cli', command: 'satusehat regenerate Patient' },
      { kind: 'ask', text: 'Regenerate Patient?', detail: 'rebuilds every Patient item from Dekacare master data; what changed is sent again', yes: { type: 'regenerateConfirmed', resourceType: 'Patient' } },
    ]);
    const encounter = dashboardReducer(s, typed('g'), dashboardCtx({ selectedIndex: 4 })).effects;
    expect(encounter).toEqual([{ kind: 'notify', text: 'Regenerate is not available for Encounter: only the foundation types Organization, Location, Practitioner and Patient are rebuilt from master data', tone: 'yellow' }]);
    expect(dashboardReducer(s, typed('g'), dashboardCtx({ selectedIndex: 3, regenerating: ['Patient'] })).effects).toEqual([{ kind: 'notify', text: 'Patient is already being regenerated', tone: 'yellow' }]);
    expect(dashboardReducer(s, typed('g'), dashboardCtx({ selectedIndex: 3, readOnly: true })).effects).toEqual([]);
    expect(dashboardReducer(s, { type: 'regenerateConfirmed', resourceType: 'Patient' }, dashboardCtx()).effects).toEqual([{ kind: 'notify', text: 'Regenerating Patient…', tone: 'cyan' }, { kind: 'regenerate', resourceType: 'Patient' }]);
    expect(dashboardReducer(s, { type: 'regenerated', resourceType: 'Patient', waiting: null }, dashboardCtx()).effects).toEqual([{ kind: 'notify', text: '✔ Regenerate Patient started; the card shows its progress', tone: 'green' }, { kind: 'refreshControl' }]);
    // No daemon: the request is recorded and the screen says nothing happens until one runs.
    const waiting = 'regeneration of Patient (run 7) recorded, but no daemon is running (last heard of 2026-11-20T09:50:00.000Z): nothing is sent until one runs; start one with `satusehat daemon`';
    expect(dashboardReducer(s, { type: 'regenerated', resourceType: 'Patient', waiting }, dashboardCtx()).effects).toEqual([{ kind: 'notify', text: '⏸ Regenerate Patient queued, but no daemon runs: start one (satusehat daemon)', tone: 'yellow' }, { kind: 'refreshControl' }]);
  });
});

// ---- item panel --------------------------------------------------------------------------------

const NOW = new Date('2026-11-20T05:00:00Z');

/** Like the component: the view from the state, then the reducer with it. */
function panelStep(state: ItemPanelState, event: ItemPanelEvent, over: Partial<ItemPanelContext> & { detail?: ItemDetail | null; height?: number } = {}) {
  const detail = over.detail === undefined ? fakeServices().detail : over.detail;
  const height = over.height ?? 20;
  const view = itemPanelView(state, detail, { width: 100, height, now: NOW, spin: '⠋' });
  const ctx: ItemPanelContext = { id: 100, detail, readOnly: false, editorName: null, control: null, view, editorHeight: height - 6, ...over };
  return { ...itemPanelReducer(state, event, ctx), view };
}

describe('item panel reducer', () => {
  it('scrolls within the view and stops at both ends; line scrolls of one chunk add up', () => {
    const s = initialItemPanelState();
    expect(panelStep(s, typed('k')).state.scroll.request).toBe(0);
    expect(panelStep(s, typed('j'), { height: 10 }).state.scroll.request).toBe(1);
    expect(panelStep(s, typed('jjj'), { height: 10 }).state.scroll.request).toBe(3);
    const end = panelStep(s, END, { height: 10 });
    expect(end.state.scroll.request).toBe(end.view.lines.length - end.view.contentHeight);
    expect(end.state.scroll.request).toBeGreaterThan(0);
    expect(panelStep(end.state, typed('j'), { height: 10 }).state.scroll.request).toBe(end.state.scroll.request);
    expect(panelStep(end.state, typed('', { home: true }), { height: 10 }).state.scroll.request).toBe(0);
    // A short request does not scroll at all.
    expect(panelStep(s, PGDN, { height: 40 }).state.scroll.request).toBe(0);
  });

  it('Tab and ← → walk Request, Response, History round; v toggles the diff, a tab leaves it', () => {
    let s = initialItemPanelState();
    s = panelStep(s, TAB).state;
    expect(s.tab).toBe('response');
    s = panelStep(s, typed('', { rightArrow: true })).state;
    expect(s.tab).toBe('history');
    s = panelStep(s, TAB).state;
    expect(s.tab).toBe('request');
    expect(panelStep(s, SHIFT_TAB).state.tab).toBe('history');
    s = panelStep(s, typed('v')).state;
    expect(s.showDiff).toBe(true);
    expect(panelStep(s, typed('v')).state.showDiff).toBe(false);
    expect(panelStep(s, TAB).state).toMatchObject({ showDiff: false, tab: 'response' });
  });

  it('scrolls to the first line SATUSEHAT complained about once, when it is below the fold', () => {
    const s = initialItemPanelState();
    const first = panelStep(s, { type: 'shown' }, { height: 9 });
    const line = Math.min(...first.view.marked);
    expect(line).toBeGreaterThanOrEqual(first.view.contentHeight);
    expect(first.state).toMatchObject({ jumped: true, scroll: { request: line - 2 } });
    const again = panelStep({ ...first.state, scroll: { request: 0 } }, { type: 'shown' }, { height: 9 });
    expect(again.state.scroll.request).toBe(0);
  });

  it('e with $EDITOR hands it the body; an unchanged text saves nothing, a changed one is saved', () => {
    const s = initialItemPanelState();
    const e = panelStep(s, typed('e'), { editorName: 'vim' });
    const body = JSON.stringify(fakeServices().detail.current!.body, null, 2);
    expect(e.effects).toEqual([{ kind: 'cli', command: 'satusehat edit 100 --no-send' }, { kind: 'externalEdit', text: body, fileName: 'satusehat-item-100.json' }]);
    expect(panelStep(s, { type: 'externalEdited', original: body, result: { ok: true, text: `${body}\n` } }, { editorName: 'vim' }).effects).toEqual([{ kind: 'notify', text: 'No change: nothing saved', tone: 'yellow' }]);
    expect(panelStep(s, { type: 'externalEdited', original: body, result: { ok: false, error: 'exit code 1' } }, { editorName: 'vim' }).effects).toEqual([{ kind: 'notify', text: '✘ vim: exit code 1. Nothing changed', tone: 'red' }]);
    const saving = panelStep(s, { type: 'externalEdited', original: body, result: { ok: true, text: '{ oops' } }, { editorName: 'vim' });
    expect(saving.state).toMatchObject({ saving: true, draft: '{ oops' });
    expect(saving.effects.at(-1)).toEqual({ kind: 'save', id: 100, text: '{ oops' });
    // While it saves, keys do nothing.
    const busy = panelStep(saving.state, typed('s'));
    expect(busy.state).toBe(saving.state);
    expect(busy.effects).toEqual([]);
  });

  it('a refused save keeps the text and its errors; the next e starts from it; x discards it', () => {
    const saving: ItemPanelState = { ...initialItemPanelState(), saving: true, draft: '{ oops' };
    const refused = panelStep(saving, { type: 'saved', result: { ok: false, errors: [{ message: 'invalid JSON: Unexpected token', line: 2, column: 3 }] } });
    expect(refused.state).toMatchObject({ saving: false, draft: '{ oops', errors: [{ line: 2 }] });
    expect(refused.effects).toEqual([{ kind: 'notify', text: '✘ Not saved: line 2 col 3: invalid JSON: Unexpected token. Your text is kept: e continues, x discards', tone: 'red' }]);
    expect(panelStep(refused.state, typed('e'), { editorName: 'vim' }).effects.at(-1)).toMatchObject({ kind: 'externalEdit', text: '{ oops' });
    const discarded = panelStep(refused.state, typed('x'));
    expect(discarded.state).toMatchObject({ draft: null, errors: [] });
    expect(panelStep(discarded.state, typed('x')).effects).toEqual([{ kind: 'notify', text: 'No kept edit to discard' }]);
  });

  it('a saved edit shows its diff on the request and refreshes the item', () => {
    const saving: ItemPanelState = { ...initialItemPanelState(), saving: true, draft: '{}', tab: 'history', errors: [{ message: 'x' }] };
    const saved = panelStep(saving, { type: 'saved', result: { ok: true, revision: 3, diff: '--- a\n+++ b\n' } });
    expect(saved.state).toMatchObject({ saving: false, draft: null, errors: [], lastDiff: '--- a\n+++ b\n', showDiff: true, tab: 'request' });
    expect(saved.effects).toEqual([{ kind: 'notify', text: '✔ Saved as revision 3. s Kirim Ulang sends it now (else the daemon does on its next pass) · v diff', tone: 'green' }, { kind: 'refresh' }]);
  });

  it('e without $EDITOR opens the built-in editor at the marked line; its keys never reach the panel', () => {
    const e = panelStep(initialItemPanelState(), typed('e'));
    const inline = e.state.inline!;
    expect(inline).not.toBeNull();
    expect(inline.lines[inline.row]).toContain('"reference": "Organization/999"');
    expect(inline.col).toBe(inline.lines[inline.row]!.length);
    const q = panelStep(e.state, typed('q'));
    expect(q.state).toBe(e.state);
    expect(q.effects).toEqual([]);
    const left = panelStep(e.state, { type: 'editorLeft', buffer: bufferFromText('{ "changed": true }') });
    expect(left.state).toMatchObject({ inline: null, draft: '{ "changed": true }' });
    expect(panelStep(e.state, { type: 'editorSaved', buffer: bufferFromText('{}') }).effects.at(-1)).toEqual({ kind: 'save', id: 100, text: '{}' });
  });

  it('e explains when there is nothing to edit: a lookup, or an item being sent', () => {
    const detail = fakeServices().detail;
    const lookup: ItemDetail = { ...detail, item: { ...detail.item, type: 'Patient' }, current: { ...detail.current!, method: 'GET', path: 'Patient?identifier=x', body: null }, nextSend: { method: 'GET', url: 'https://api-satusehat.kemkes.go.id/fhir-r4/v1/Patient?identifier=x', why: 'a NIK lookup' } };
    expect(panelStep(initialItemPanelState(), typed('e'), { detail: lookup }).effects).toEqual([{ kind: 'notify', text: 'Patient is a lookup (GET https://api-satusehat.kemkes.go.id/fhir-r4/v1/Patient?identifier=x): there is no body to edit', tone: 'yellow' }]);
    // An invalid lookup has no request at all: say so, not "(GET )".
    const noRequest: ItemDetail = { ...detail, item: { ...detail.item, type: 'Practitioner', status: 'invalid' }, current: null, revisions: [], nextSend: null };
    expect(panelStep(initialItemPanelState(), typed('e'), { detail: noRequest }).effects).toEqual([{ kind: 'notify', text: 'Practitioner is without a request (it is invalid: fix the data in Dekacare): there is no body to edit', tone: 'yellow' }]);
    const sending: ItemDetail = { ...detail, item: { ...detail.item, status: 'sending' } };
    expect(panelStep(initialItemPanelState(), typed('e'), { detail: sending }).effects).toEqual([{ kind: 'notify', text: 'The item is being sent right now; edit it when the attempt has finished', tone: 'yellow' }]);
    // Before the item has loaded, e does nothing.
    expect(panelStep(initialItemPanelState(), typed('e'), { detail: null }).effects).toEqual([]);
  });

  it('F force-resends a sent item as an update, after a question; other items are pointed to s', () => {
    const detail = fakeServices().detail;
    const sent: ItemDetail = { ...detail, item: { ...detail.item, status: 'sent', satusehatId: 'enc-1' }, nextSend: { method: 'PUT', url: 'http://sim/fhir-r4/v1/Encounter/enc-1', why: 'an update' } };
    const asked = panelStep(initialItemPanelState(), typed('F'), { detail: sent }).effects;
    expect(asked).toEqual([{ kind: 'ask', text: 'Force resend item 100 as an update?', detail: `PUT http://sim/fhir-r4/v1/Encounter/enc-1: SATUSEHAT's copy is replaced by revision ${sent.item.currentRevision}`, yes: { type: 'forceConfirmed' } }]);
    expect(panelStep(initialItemPanelState(), { type: 'forceConfirmed' }, { detail: sent }).effects).toEqual([
      { kind: 'cli', command: 'satusehat resend 100 --force' },
      { kind: 'resend', ids: [100], sinceAttemptId: 10, force: true },
    ]);
    expect(panelStep(initialItemPanelState(), typed('F'), { detail }).effects).toEqual([{ kind: 'notify', text: 'F is for sent items (this one is failed): s resends it', tone: 'yellow' }]);
    // Read-only: no key at all.
    expect(panelStep(initialItemPanelState(), typed('F'), { detail: sent, readOnly: true }).effects).toEqual([]);
  });

  it('s resends, waits for an attempt newer than the last one, then shows its result', () => {
    const s = initialItemPanelState();
    expect(panelStep({ ...s, draft: '{ oops' }, typed('s')).effects).toEqual([
      { kind: 'cli', command: 'satusehat resend 100' },
      { kind: 'notify', text: 'Note: the refused edit is not part of this resend (it was not saved)', tone: 'yellow' },
      { kind: 'resend', ids: [100], sinceAttemptId: 10 },
    ]);
    const queued = panelStep(s, { type: 'resent', result: { queued: [100], skipped: [] }, sinceAttemptId: 10 }, { control: { paused: true, pausedBy: 'budi' } });
    expect(queued.state.waiting).toEqual({ sinceAttemptId: 10 });
    expect(queued.effects).toEqual([{ kind: 'notify', text: 'Kirim Ulang: item 100 queued; waiting for the result… (the daemon is PAUSED by budi: it waits until resumed)', tone: 'cyan' }, { kind: 'refresh' }]);
    // No daemon: queued and recorded, but no spinner waiting for an answer that cannot come.
    const waiting = 'resend of 1 item recorded, but no daemon is running (last heard of 2026-11-20T09:50:00.000Z): nothing is sent until one runs; start one with `satusehat daemon`';
    const noDaemon = panelStep(s, { type: 'resent', result: { queued: [100], skipped: [], waiting }, sinceAttemptId: 10 });
    expect(noDaemon.state.waiting).toBeNull();
    expect(noDaemon.effects).toEqual([{ kind: 'notify', text: '⏸ Kirim Ulang queued, but no daemon runs: start one (satusehat daemon)', tone: 'yellow' }, { kind: 'refresh' }]);
    const skipped = panelStep(s, { type: 'resent', result: { queued: [], skipped: [{ id: 100, reason: 'is being sent' }] }, sinceAttemptId: 10 });
    expect(skipped.effects).toEqual([{ kind: 'notify', text: '✘ Not resent: is being sent', tone: 'red' }]);

    const detail = fakeServices().detail;
    const stillQueued = panelStep(queued.state, { type: 'detail', detail: { ...detail, item: { ...detail.item, status: 'queued' } } });
    expect(stillQueued.state).toBe(queued.state);
    // The same old attempt, still failed: not the answer yet.
    expect(panelStep(queued.state, { type: 'detail', detail }).state.waiting).not.toBeNull();
    const newer = { ...detail.attempts[0]!, id: 11, httpCode: 201 };
    const sent = panelStep({ ...queued.state, tab: 'history', showDiff: true }, { type: 'detail', detail: { ...detail, item: { ...detail.item, status: 'sent', satusehatId: 'enc-new' }, attempts: [newer, ...detail.attempts] } });
    expect(sent.state).toMatchObject({ waiting: null, tab: 'response', showDiff: false });
    expect(sent.effects).toEqual([{ kind: 'notify', text: '✔ Kirim Ulang: Terkirim (HTTP 201) · SATUSEHAT id enc-new', tone: 'green' }]);
    const blocked = panelStep(queued.state, { type: 'detail', detail: { ...detail, item: { ...detail.item, status: 'blocked', blockedBy: 'waiting for Patient 7' } } });
    expect(blocked.effects).toEqual([{ kind: 'notify', text: '⏸ Kirim Ulang: waiting for a parent: waiting for Patient 7', tone: 'yellow' }]);
  });

  it('read-only: e, s and x do nothing; Esc closes', () => {
    const s: ItemPanelState = { ...initialItemPanelState(), draft: '{ oops' };
    for (const k of ['e', 's', 'x']) {
      const step = panelStep(s, typed(k), { readOnly: true });
      expect(step.state).toBe(s);
      expect(step.effects).toEqual([]);
    }
    expect(panelStep(s, ESC, { readOnly: true }).effects).toEqual([{ kind: 'back' }]);
  });
});
