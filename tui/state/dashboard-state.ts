// The dashboard's behaviour as a pure reducer: arrows move between the cards, `/` filters them,
// Enter opens a type, `g` asks to regenerate a foundation type. Effects are data.
import { getResourceType } from '../../shared/fhir/registry.js';
import { resolveKey, typedAfter } from '../keys.js';
import { moveSelection } from '../view-models/cards.js';
import { regenerateCommand } from '../view-models/cli-hints.js';
import { notify, sharedKeyEffects, stay, type KeysEvent, type ScreenEffect, type ShellEffect, type Step } from './shared-keys.js';

export interface DashboardState {
  /** Filters the cards by type name. */
  search: string;
  /** The search field has the keys. */
  searching: boolean;
  /** `P` was pressed while sending runs: the pause reason typed so far (null: not asking). */
  pauseReason: string | null;
}

export const initialDashboardState = (): DashboardState => ({ search: '', searching: false, pauseReason: null });

export type DashboardEvent =
  | KeysEvent
  | { type: 'searchTyped'; text: string }
  | { type: 'searchSubmitted' }
  | { type: 'searchCancelled' }
  | { type: 'regenerateConfirmed'; resourceType: string }
  | { type: 'regenerated'; resourceType: string; waiting: string | null }
  | { type: 'regenerateFailed'; resourceType: string; message: string }
  | { type: 'resumeConfirmed' }
  | { type: 'pauseDone'; paused: boolean }
  | { type: 'pauseFailed'; message: string };

export type DashboardEffect =
  | ShellEffect<DashboardEvent>
  | ScreenEffect
  /** The selected card changed (the selection is remembered across visits to a type). */
  | { kind: 'select'; resourceType: string }
  | { kind: 'open'; resourceType: string }
  | { kind: 'regenerate'; resourceType: string }
  | { kind: 'pause'; reason: string }
  | { kind: 'resume' }
  /** Read the daemon's state again (a regeneration's progress). */
  | { kind: 'refreshControl' };

export interface DashboardContext {
  readOnly: boolean;
  /** The types of the cards shown, in grid order (after the search). */
  types: string[];
  /** Cards per grid row. */
  columns: number;
  selectedIndex: number;
  /** Types being regenerated right now. */
  regenerating: string[];
  /** Sending is paused by an operator (from the control state; null before it is known). */
  paused: boolean | null;
}

type DashboardStep = Step<DashboardState, DashboardEffect>;

export function dashboardReducer(state: DashboardState, event: DashboardEvent, ctx: DashboardContext): DashboardStep {
  switch (event.type) {
    case 'keys':
      return onKeys(state, event.keys, ctx);
    case 'searchTyped':
      return stay({ ...state, search: event.text });
    case 'searchSubmitted':
      return stay({ ...state, searching: false });
    case 'searchCancelled':
      return stay({ ...state, search: '', searching: false });
    case 'regenerateConfirmed':
      return stay(state, notify(`Regenerating ${event.resourceType}…`, 'cyan'), { kind: 'regenerate', resourceType: event.resourceType });
    case 'regenerated':
      if (event.waiting) return stay(state, notify(`⏸ Regenerate ${event.resourceType} queued, but no daemon runs: start one (satusehat daemon)`, 'yellow'), { kind: 'refreshControl' });
      return stay(state, notify(`✔ Regenerate ${event.resourceType} started; the card shows its progress`, 'green'), { kind: 'refreshControl' });
    case 'regenerateFailed':
      return stay(state, notify(`✘ Regenerate ${event.resourceType} refused: ${event.message}`, 'red'));
    case 'resumeConfirmed':
      return stay(state, { kind: 'cli', command: 'satusehat resume' }, { kind: 'resume' });
    case 'pauseDone':
      return stay(state, notify(event.paused ? '⏸ Sending paused on every daemon; P resumes it' : '▶ Sending resumed', event.paused ? 'yellow' : 'green'), { kind: 'refreshControl' });
    case 'pauseFailed':
      return stay(state, notify(`✘ Not changed: ${event.message}`, 'red'));
  }
}

/** Keys while `P` asks for the pause reason: Enter pauses (a reason is needed), Esc cancels. */
function onReasonKeys(state: DashboardState, keys: KeysEvent['keys']): DashboardStep {
  let text = state.pauseReason ?? '';
  for (const [input, key] of keys) {
    if (key.escape) return stay({ ...state, pauseReason: null }, notify('Cancelled: sending goes on'));
    if (key.backspace || key.delete) text = text.slice(0, -1);
    else if (key.return) {
      const reason = text.trim();
      if (reason === '') return stay({ ...state, pauseReason: '' }, notify('Type why sending is paused (it is shown to everyone), then Enter; Esc cancels', 'yellow'));
      return stay({ ...state, pauseReason: null }, { kind: 'cli', command: `satusehat pause --reason ${shellQuote(reason)}` }, { kind: 'pause', reason });
    } else if (!key.ctrl && !key.meta && input && text.length < 200) text += input;
  }
  return stay({ ...state, pauseReason: text });
}

const shellQuote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

function pauseResume(state: DashboardState, ctx: DashboardContext, effects: DashboardEffect[], rest: KeysEvent['keys']): DashboardStep {
  if (ctx.paused === null) return { state, effects: [...effects, notify('The daemon state is not known yet; try again in a moment', 'yellow')] };
  if (ctx.paused) return { state, effects: [...effects, { kind: 'ask', text: 'Resume sending on every daemon?', detail: 'queued items go out again', yes: { type: 'resumeConfirmed' } }] };
  const next = onReasonKeys({ ...state, pauseReason: '' }, rest);
  return { state: next.state, effects: [...effects, ...next.effects] };
}

function onKeys(state: DashboardState, keys: KeysEvent['keys'], ctx: DashboardContext): DashboardStep {
  if (state.pauseReason !== null) return onReasonKeys(state, keys);
  if (state.searching) {
    // '/' was pressed but the search field has not taken the keys over yet.
    const typed = typedAfter(keys, 0);
    return stay({ ...state, search: state.search + typed.text, searching: !typed.submitted });
  }
  // A chunk can hold several keys (fast typing, paste): moves add up, '/' takes the rest as text.
  const { types, columns } = ctx;
  const shown = types[ctx.selectedIndex];
  let index = ctx.selectedIndex;
  const select = (): DashboardEffect[] => {
    const type = types[index];
    return type !== undefined && type !== shown ? [{ kind: 'select', resourceType: type }] : [];
  };
  for (let i = 0; i < keys.length; i++) {
    const [input, key] = keys[i]!;
    const action = resolveKey('dashboard', input, key, { readOnly: ctx.readOnly });
    if (!action) continue;
    if (action.type === 'move') {
      index = moveSelection(index, types.length, columns, action.direction);
      continue;
    }
    const effects = select();
    const current = types[index];
    switch (action.type) {
      case 'open':
        return { state, effects: current !== undefined ? [...effects, { kind: 'open', resourceType: current }] : effects };
      case 'search': {
        const typed = typedAfter(keys, i + 1);
        return { state: { ...state, search: typed.text ? typed.text : state.search, searching: !typed.submitted }, effects };
      }
      case 'back':
        // Esc clears the search; the dashboard has nothing to go back to.
        return { state: state.search !== '' ? { ...state, search: '' } : state, effects };
      case 'regenerate':
        return current !== undefined ? regenerate(state, current, ctx, effects) : { state, effects };
      case 'pauseResume':
        return pauseResume(state, ctx, effects, keys.slice(i + 1));
      default:
        return { state, effects: [...effects, ...(sharedKeyEffects<DashboardEvent>(action) ?? [])] };
    }
  }
  return { state, effects: select() };
}

function regenerate(state: DashboardState, type: string, ctx: DashboardContext, effects: DashboardEffect[]): DashboardStep {
  if (!getResourceType(type)?.foundation) {
    return { state, effects: [...effects, notify(`Regenerate is not available for ${type}: only the foundation types Organization, Location, Practitioner and Patient are rebuilt from master data`, 'yellow')] };
  }
  if (ctx.regenerating.includes(type)) return { state, effects: [...effects, notify(`${type} is already being regenerated`, 'yellow')] };
  return {
    state,
    effects: [
      ...effects,
      { kind: 'cli', command: regenerateCommand(type) },
      { kind: 'ask', text: `Regenerate ${type}?`, detail: `rebuilds every ${type} item from Dekacare master data; what changed is sent again`, yes: { type: 'regenerateConfirmed', resourceType: type } },
    ],
  };
}
