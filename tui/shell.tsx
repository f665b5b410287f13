// What every screen can ask of the frame around it: report a result, show the equivalent CLI
// command, ask a yes/no question, open help, quit, and read or change the shared date filter.
import { createContext, useContext } from 'react';
import type { Tone } from './view-models/badges.js';

export interface Ask {
  /** Short: the question itself, e.g. 'Regenerate Patient?'. */
  text: string;
  /** What it does, shown after the keys (cut when the terminal is narrow). */
  detail?: string;
  /** Runs on 'y'. */
  onYes(): void;
  onNo?(): void;
}

export interface Shell {
  notify(text: string, tone?: Tone): void;
  setCli(command: string | null): void;
  ask(question: Ask): void;
  openHelp(): void;
  quit(): void;
  /** The date filter shared by the dashboard and the detail list; null = all dates. */
  date: string | null;
  stepDay(delta: -1 | 1): void;
  editDate(): void;
  /** Replaces the key line while a screen is in a mode of its own (the built-in editor); null restores it. */
  setKeys(keys: string | null): void;
  /**
   * True while a text field of the frame (the date) takes the keys. Set synchronously: between a
   * key that opens a field and the next render, keys must not reach the screen's commands.
   */
  typing(): boolean;
  /** After the terminal was handed to another program: repaint the whole frame. */
  redraw(): void;
}

const ShellContext = createContext<Shell | null>(null);
export const ShellProvider = ShellContext.Provider;

export function useShell(): Shell {
  const shell = useContext(ShellContext);
  if (!shell) throw new Error('useShell() outside the main frame');
  return shell;
}
