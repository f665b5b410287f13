// The terminal around Ink: alternate screen and hidden cursor while the TUI runs, restored on
// every way out (quit, Ctrl-C, SIGTERM/SIGHUP, an uncaught error), and a suspend/resume pair for
// handing the terminal to $EDITOR (like `kubectl edit`).

export const ENTER_ALT_SCREEN = '\u001b[?1049h';
export const LEAVE_ALT_SCREEN = '\u001b[?1049l';
export const HIDE_CURSOR = '\u001b[?25l';
export const SHOW_CURSOR = '\u001b[?25h';
export const CLEAR_SCREEN = '\u001b[2J\u001b[H';
/** Turns off mouse reporting and bracketed paste in case something left them on. */
const RESET_MODES = '\u001b[?1000l\u001b[?1002l\u001b[?1006l\u001b[?2004l';

interface Streams {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

export interface TerminalGuard {
  /** Leave the alternate screen and show the cursor; safe to call more than once. */
  restore(): void;
  /** Hand the terminal to another program (an editor), then take it back. */
  suspend<T>(run: () => T): T;
  /** Remove the process handlers (after restore). */
  dispose(): void;
}

function setRaw(stdin: NodeJS.ReadStream, raw: boolean): void {
  if (stdin.isTTY && typeof stdin.setRawMode === 'function') {
    try {
      stdin.setRawMode(raw);
    } catch {
      // stdin closed: nothing to restore
    }
  }
}

/**
 * Enters the alternate screen and installs handlers that restore the terminal however the
 * process ends. `onSignal` runs for SIGTERM/SIGHUP/SIGINT (after the restore) and should exit.
 */
export function takeTerminal({ stdin, stdout }: Streams, onSignal: (signal: NodeJS.Signals) => void, onCrash: (err: unknown) => void): TerminalGuard {
  let active = true;
  const write = (s: string) => {
    try {
      stdout.write(s);
    } catch {
      // stdout gone (terminal closed): nothing to restore
    }
  };
  write(ENTER_ALT_SCREEN + HIDE_CURSOR + CLEAR_SCREEN);

  const restore = () => {
    if (!active) return;
    active = false;
    setRaw(stdin, false);
    write(RESET_MODES + SHOW_CURSOR + LEAVE_ALT_SCREEN);
  };
  const onExit = () => restore();
  const signal = (sig: NodeJS.Signals) => {
    restore();
    onSignal(sig);
  };
  const crash = (err: unknown) => {
    restore();
    onCrash(err);
  };
  process.on('exit', onExit);
  process.on('SIGTERM', signal);
  process.on('SIGHUP', signal);
  process.on('SIGINT', signal);
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);

  return {
    restore,
    suspend<T>(run: () => T): T {
      setRaw(stdin, false);
      write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
      try {
        return run();
      } finally {
        write(ENTER_ALT_SCREEN + HIDE_CURSOR + CLEAR_SCREEN);
        setRaw(stdin, true);
        // The screen is blank now; the caller makes the next frame differ so Ink redraws it all.
      }
    },
    dispose() {
      process.off('exit', onExit);
      process.off('SIGTERM', signal);
      process.off('SIGHUP', signal);
      process.off('SIGINT', signal);
      process.off('uncaughtException', crash);
      process.off('unhandledRejection', crash);
    },
  };
}
