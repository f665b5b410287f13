// Runs a screen's pure reducer: the state is kept in a ref and updated at once (keys typed right
// after '/' or 'e', in the same chunk or before the next render, already see the new mode), the
// effects are run in order, and the shared ones (notify, ask, help, quit, date) go to the shell.
import { useCallback, useRef, useState } from 'react';
import { useInput } from 'ink';
import { splitKeys } from '../keys.js';
import type { Shell } from '../shell.js';
import type { KeysEvent, ShellEffect, Step } from '../state/shared-keys.js';

export type Dispatch<Ev> = (event: Ev) => void;

export function useScreenState<S, Ev, Eff extends { kind: string }>(
  initial: () => S,
  reduce: (state: S, event: Ev) => Step<S, Eff>,
  run: (effect: Eff, dispatch: Dispatch<Ev>) => void,
): { state: S; dispatch: Dispatch<Ev> } {
  const [state, setState] = useState(initial);
  const current = useRef(state);
  const reduceRef = useRef(reduce);
  reduceRef.current = reduce;
  const runRef = useRef(run);
  runRef.current = run;
  const dispatch = useCallback((event: Ev) => {
    const step = reduceRef.current(current.current, event);
    if (step.state !== current.current) {
      current.current = step.state;
      setState(step.state);
    }
    for (const effect of step.effects) runRef.current(effect, dispatch);
  }, []);
  return { state, dispatch };
}

/** Hands each chunk of keys to the screen, unless a text field of the frame (the date) has them. */
export function useScreenKeys(shell: Shell, dispatch: Dispatch<KeysEvent>, isActive: boolean): void {
  useInput(
    (chunk, key) => {
      if (shell.typing()) return;
      dispatch({ type: 'keys', keys: splitKeys(chunk, key) });
    },
    { isActive },
  );
}

/** Carries out a shared effect; false: the effect is the screen's own. */
export function runShellEffect<Ev>(shell: Shell, effect: { kind: string }, dispatch: Dispatch<Ev>): boolean {
  const e = effect as ShellEffect<Ev>;
  switch (e.kind) {
    case 'notify':
      shell.notify(e.text, e.tone);
      return true;
    case 'cli':
      shell.setCli(e.command);
      return true;
    case 'ask':
      shell.ask({ text: e.text, detail: e.detail, onYes: () => dispatch(e.yes) });
      return true;
    case 'help':
      shell.openHelp();
      return true;
    case 'quit':
      shell.quit();
      return true;
    case 'stepDay':
      shell.stepDay(e.delta);
      return true;
    case 'editDate':
      shell.editDate();
      return true;
    default:
      return false;
  }
}
