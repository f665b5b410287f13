// What a screen's reducer returns, the effects every screen shares, and the key preamble they
// share: quit, help, refresh, back and the date filter mean the same on every screen, so they are
// resolved here once. Pure: effects are data; tui/hooks/use-screen-state.ts runs them.
import type { Action, KeyInfo } from '../keys.js';
import type { Tone } from '../view-models/badges.js';

/** Effects the frame around a screen carries out (see tui/shell.tsx), whatever the screen. */
export type ShellEffect<Ev> =
  | { kind: 'notify'; text: string; tone?: Tone }
  | { kind: 'cli'; command: string | null }
  /** A y/n question in the footer; 'y' feeds `yes` back into the screen's reducer. */
  | { kind: 'ask'; text: string; detail?: string; yes: Ev }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'stepDay'; delta: -1 | 1 }
  | { kind: 'editDate' };

/** Effects every screen has, each carried out by the screen itself: fetch its data again, leave. */
export type ScreenEffect = { kind: 'refresh' } | { kind: 'back' };

export interface Step<S, Eff> {
  state: S;
  effects: Eff[];
}

/** Keys as Ink delivers them: one chunk, split into single keys (tui/keys.ts `splitKeys`). */
export type KeysEvent = { type: 'keys'; keys: Array<[string, KeyInfo]> };

export const notify = (text: string, tone?: Tone): { kind: 'notify'; text: string; tone?: Tone } => (tone ? { kind: 'notify', text, tone } : { kind: 'notify', text });

/** The next state and its effects; the effect type comes from where the step is returned. */
export const stay = <S, Eff>(state: S, ...effects: NoInfer<Eff>[]): Step<S, Eff> => ({ state, effects });

/**
 * The keys that mean the same on every screen. A screen handles an action itself first when it
 * means more there (Esc clears a search before it goes back); whatever is left comes here.
 * null: not a shared key.
 */
export function sharedKeyEffects<Ev>(action: Action): Array<ShellEffect<Ev> | ScreenEffect> | null {
  switch (action.type) {
    case 'quit':
      return [{ kind: 'quit' }];
    case 'help':
      return [{ kind: 'help' }];
    case 'refresh':
      return [{ kind: 'refresh' }, notify('Refreshed')];
    case 'back':
      return [{ kind: 'back' }];
    case 'day':
      return [{ kind: 'stepDay', delta: action.delta }];
    case 'editDate':
      return [{ kind: 'editDate' }];
    default:
      return null;
  }
}
