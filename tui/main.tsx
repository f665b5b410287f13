// Runs the TUI in the real terminal: alternate screen, console kept off the screen, terminal
// restored on quit, Ctrl-C, signals and crashes. Returns the process exit code.
import { render, type Instance } from 'ink';
import { App } from './app.js';
import type { ExternalEditor, TuiEnvironment } from './context.js';
import type { TuiServices } from './services.js';
import { takeTerminal } from './terminal.js';

export const DEFAULT_POLL_MS = 2000;

export interface RunTuiOptions {
  services: TuiServices;
  readOnly: boolean;
  environment: string;
  sourceUtcOffset: string;
  /**
   * Opens text in $VISUAL/$EDITOR (file handling lives with the caller: the TUI does no file
   * I/O). The TUI hands the terminal over around the call. null: the built-in editor.
   */
  editor: { name: string; edit(text: string, fileName: string): { ok: true; text: string } | { ok: false; error: string } } | null;
  log(message: string, err?: unknown): void;
  pollMs?: number;
}

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug';
const CONSOLE_METHODS: ConsoleMethod[] = ['log', 'info', 'warn', 'error', 'debug'];

/** Anything printed while Ink owns the screen would corrupt a frame: send it to the log. */
function divertConsole(log: RunTuiOptions['log']): () => void {
  const saved = CONSOLE_METHODS.map((m) => [m, console[m]] as const);
  for (const m of CONSOLE_METHODS) console[m] = (...args: unknown[]) => log(`console.${m}: ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`);
  return () => {
    for (const [m, fn] of saved) console[m] = fn;
  };
}

export async function runTui(options: RunTuiOptions): Promise<number> {
  const { stdin, stdout, stderr } = process;
  let instance: Instance | null = null;
  let crash: unknown = null;
  const guard = takeTerminal(
    { stdin, stdout },
    (signal) => {
      instance?.unmount();
      process.exit(signal === 'SIGINT' ? 130 : signal === 'SIGHUP' ? 129 : 143);
    },
    (err) => {
      options.log('TUI crashed', err);
      stderr.write(`satusehat tui: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
  const restoreConsole = divertConsole(options.log);
  const editor: ExternalEditor | null = options.editor
    ? { name: options.editor.name, edit: (text, fileName) => guard.suspend(() => options.editor!.edit(text, fileName)) }
    : null;
  const env: TuiEnvironment = {
    services: options.services,
    readOnly: options.readOnly,
    noColor: 'NO_COLOR' in process.env,
    environment: options.environment,
    sourceUtcOffset: options.sourceUtcOffset,
    now: () => new Date(),
    editor,
    pollMs: options.pollMs ?? DEFAULT_POLL_MS,
    log: options.log,
  };
  try {
    instance = render(<App env={env} />, { stdin, stdout, stderr, exitOnCtrlC: false, patchConsole: false, maxFps: 30 });
    await instance.waitUntilExit();
  } catch (err) {
    crash = err;
  } finally {
    restoreConsole();
    guard.restore();
    guard.dispose();
  }
  if (crash) {
    options.log('TUI crashed', crash);
    stderr.write(`satusehat tui: internal error: ${crash instanceof Error ? (crash.stack ?? crash.message) : String(crash)}\n`);
    return 1;
  }
  return 0;
}
