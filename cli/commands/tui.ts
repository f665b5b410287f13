// `satusehat tui [--read-only]`: the Ink admin UI. Needs a terminal; logs to $TUI_LOG_FILE (or
// nowhere), never to the screen. The file side of "edit in $EDITOR" lives here, because the TUI
// itself does no file I/O: the request body goes to a private temp file, the editor runs with
// the terminal handed over, and the edited text comes back.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { EXIT } from '../../shared/errors.js';
import { createLogger, type Logger } from '../../shared/log/create-logger.js';
import { openServices } from '../../shared/services/index.js';
import { runTui, type RunTuiOptions } from '../../tui/main.js';
import { loadCliConfig } from '../context.js';

export const NO_TTY_MESSAGE = 'satusehat tui needs an interactive terminal; use the CLI instead: satusehat status / items list ...';

function tuiLogger(): Logger {
  const file = process.env.TUI_LOG_FILE?.trim();
  if (!file) return createLogger({ level: 'silent', destination: pino.destination({ fd: 2, sync: true }) });
  return createLogger({ name: 'satusehat-tui', level: process.env.LOG_LEVEL || 'info', destination: pino.destination({ dest: file, sync: true, mkdir: true }) });
}

/** $VISUAL, else $EDITOR; null when neither is set (the TUI then uses its built-in editor). */
export function chosenEditor(env: NodeJS.ProcessEnv = process.env): string | null {
  return env.VISUAL?.trim() || env.EDITOR?.trim() || null;
}

/**
 * Opens `text` in the editor and returns what was saved. The file is private (mode 600: request
 * bodies hold patient data) and removed afterwards. Runs through the shell so EDITOR may carry
 * arguments ('code --wait').
 */
export function editInEditor(editor: string, text: string, fileName: string): { ok: true; text: string } | { ok: false; error: string } {
  const dir = mkdtempSync(join(tmpdir(), 'satusehat-edit-'));
  const file = join(dir, fileName.replace(/[^\w.-]/g, '_'));
  try {
    writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`, { mode: 0o600 });
    const result = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit' });
    if (result.error) return { ok: false, error: `could not start "${editor}": ${result.error.message}` };
    if (result.status !== 0) return { ok: false, error: `"${editor}" exited with code ${result.status}` };
    return { ok: true, text: readFileSync(file, 'utf8') };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function tuiCommand(options: { readOnly?: boolean }): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write(`${NO_TTY_MESSAGE}\n`);
    return EXIT.usage;
  }
  const config = loadCliConfig();
  const log = tuiLogger();
  const services = await openServices(config, { log });
  const editor = chosenEditor();
  const run: RunTuiOptions = {
    services,
    readOnly: Boolean(options.readOnly),
    environment: config.satusehat.env,
    sourceUtcOffset: config.sourceUtcOffset,
    editor: editor ? { name: editor.split(/\s+/)[0] ?? editor, edit: (text, fileName) => editInEditor(editor, text, fileName) } : null,
    log: (message, err) => (err === undefined ? log.warn(message) : log.error({ err }, message)),
  };
  try {
    return await runTui(run);
  } finally {
    await services.close().catch(() => undefined);
    log.flush?.();
  }
}
