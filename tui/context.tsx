// Everything the screens take from outside, passed by React context so tests inject fakes:
// the services, the session (operator, read-only), the clock, the editor and the colours.
import { createContext, useContext, type ReactNode } from 'react';
import type { Operator, TuiServices } from './services.js';

/** Opens text in the operator's editor and returns the edited text (null: editor failed/aborted). */
export interface ExternalEditor {
  /** e.g. 'vim', from $VISUAL or $EDITOR; shown in the status line. */
  name: string;
  edit(text: string, fileName: string): { ok: true; text: string } | { ok: false; error: string };
}

export interface TuiEnvironment {
  services: TuiServices;
  readOnly: boolean;
  /** NO_COLOR: glyphs and words only, no colour at all. */
  noColor: boolean;
  /** SATUSEHAT environment from the configuration, shown until control() answers. */
  environment: string;
  /** The clinic's UTC offset: "today" for the date filter is the clinic's today. */
  sourceUtcOffset: string;
  now(): Date;
  /** null: use the built-in editor. */
  editor: ExternalEditor | null;
  /** Refresh interval of live figures. */
  pollMs: number;
  /** Tests pin the terminal size; the real app follows stdout. */
  size?: { columns: number; rows: number };
  /** Errors worth keeping go to a log file (or nowhere); never to stdout. */
  log(message: string, err?: unknown): void;
}

const EnvContext = createContext<TuiEnvironment | null>(null);

export function TuiProvider({ value, children }: { value: TuiEnvironment; children: ReactNode }) {
  return <EnvContext.Provider value={value}>{children}</EnvContext.Provider>;
}

export function useTui(): TuiEnvironment {
  const env = useContext(EnvContext);
  if (!env) throw new Error('useTui() outside <TuiProvider>');
  return env;
}

const OperatorContext = createContext<Operator | null>(null);
export const OperatorProvider = OperatorContext.Provider;

export function useOperator(): Operator {
  const op = useContext(OperatorContext);
  if (!op) throw new Error('useOperator() before login');
  return op;
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.message;
  return String(err);
}
