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
}

export const initialDashboardState = (): DashboardState => ({ search: '', searching: false });

export type DashboardEvent =
  | KeysEvent
  | { type: 'searchTyped'; text: string }
  | { type: 'searchSubmitted' }
  | { type: 'searchCancelled' }
  | { type: 'regenerateConfirmed'; resourceType: string }
  | { type: 'regenerated'; resourceType: string; waiting: string | null }
  | { type: 'regenerateFailed'; resourceType: string; message: string };

export type DashboardEffect =
  | ShellEffect<DashboardEvent>
  | ScreenEffect
  /** The selected card changed (the selection is remembered across visits to a type). */
  | { kind: 'select'; resourceType: string }
  | { kind: 'open'; resourceType: string }
  | { kind: 'regenerate'; resourceType: string }
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
      if (event.waiting) return stay(state, notify(`⏸ ${event.waiting}`, 'yellow'), { kind: 'refreshControl' });
      return stay(state, notify(`✔ Regenerate ${event.resourceType} started; the card shows its progress`, 'green'), { kind: 'refreshControl' });
    case 'regenerateFailed':
      return stay(state, notify(`✘ Regenerate ${event.resourceType} refused: ${event.message}`, 'red'));
  }
}

function onKeys(state: DashboardState, keys: KeysEvent['keys'], ctx: DashboardContext): DashboardStep {
  if (state.searching) {
    // '/' was pressed but the search field has not taken the keys over yet.
    const typed = typedAfter(keys, 0);
    return stay({ search: state.search + typed.text, searching: !typed.submitted });
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
        return { state: { search: typed.text ? typed.text : state.search, searching: !typed.submitted }, effects };
      }
      case 'back':
        // Esc clears the search; the dashboard has nothing to go back to.
        return { state: state.search !== '' ? { ...state, search: '' } : state, effects };
      case 'regenerate':
        return current !== undefined ? regenerate(state, current, ctx, effects) : { state, effects };
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
