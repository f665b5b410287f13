// `edit <id>`: like `kubectl edit`. The current request body goes to a temp file (pretty JSON),
// $VISUAL / $EDITOR opens it, and the result is saved as a new revision and queued. On errors
// the edited text stays in the file: a terminal is asked to reopen it, a script gets exit 2 and
// the file's name (fix it, then `satusehat edit <id> --file <path>`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitError, EXIT } from '../../shared/errors.js';
import type { Operator, SaveRevisionResult, Services } from '../../shared/services/api.js';
import { canPrompt, confirm } from '../prompt.js';
import { bold, green, red, yellow } from '../output.js';
import { cliOperator, printJson, say, withServices } from './common.js';

export interface EditOptions {
  file?: string;
  send?: boolean;
  json?: boolean;
}

function editorCommand(): string {
  const chosen = process.env.VISUAL?.trim() || process.env.EDITOR?.trim();
  if (chosen) return chosen;
  if (!canPrompt()) throw new ExitError(EXIT.usage, 'edit opens vi, which needs a terminal: set EDITOR, or save a prepared body with --file <path>');
  return 'vi';
}

/** Runs the editor through the shell, so EDITOR may carry arguments ('code --wait'). */
function runEditor(editor: string, file: string): void {
  const result = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit' });
  if (result.error) throw new ExitError(EXIT.usage, `could not start the editor "${editor}": ${result.error.message}`);
  if (result.status !== 0) throw new ExitError(EXIT.usage, `the editor "${editor}" exited with code ${result.status}; nothing saved`);
}

function sameJson(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}

function printErrors(result: Extract<SaveRevisionResult, { ok: false }>, file: string): void {
  for (const e of result.errors) {
    const where = e.line !== undefined ? `${file}:${e.line}:${e.column ?? 1}: ` : `${file}: `;
    say(`${red('error:')} ${where}${e.message}`);
  }
}

async function saved(services: Services, id: number, result: Extract<SaveRevisionResult, { ok: true }>, operator: Operator, options: EditOptions): Promise<number> {
  // A saved revision is not_sent: queue it now rather than wait for the daemon's reconciler.
  const queued = options.send === false ? null : await services.resend([id], operator);
  if (options.json) {
    printJson({ id, revision: result.revision, diff: result.diff, queued: queued ? queued.queued.includes(id) : false });
  } else {
    process.stdout.write(result.diff);
    process.stdout.write(`${green('saved')} item ${id} revision ${result.revision}${queued?.queued.includes(id) ? '; queued for sending' : ''}\n`);
    if (queued && !queued.queued.includes(id)) say(`not queued: ${queued.skipped[0]?.reason ?? 'unknown'}`);
    if (queued?.waiting) say(yellow(`note: ${queued.waiting}`));
  }
  return EXIT.ok;
}

export async function editCommand(id: number, options: EditOptions): Promise<number> {
  const operator = cliOperator();
  return withServices(async (services) => {
    if (options.file) {
      let text: string;
      try {
        text = readFileSync(options.file, 'utf8');
      } catch (err) {
        throw new ExitError(EXIT.usage, `cannot read ${options.file}: ${(err as Error).message}`);
      }
      const result = await services.saveRevision(id, text, operator);
      if (!result.ok) {
        if (options.json) printJson(result);
        printErrors(result, options.file);
        return EXIT.usage;
      }
      return saved(services, id, result, operator, options);
    }

    const detail = await services.showItem(id);
    if (!detail) throw new ExitError(EXIT.usage, `item ${id} not found`);
    if (!detail.current || detail.current.body === null) {
      throw new ExitError(EXIT.usage, `item ${id} (${detail.item.type}) has no request body to edit: ${detail.item.type === 'Patient' || detail.item.type === 'Practitioner' ? 'it is a NIK lookup; correct the NIK in Dekacare and regenerate' : 'fix the data in Dekacare'}`);
    }
    const editor = editorCommand();
    const original = `${JSON.stringify(detail.current.body, null, 2)}\n`;
    // The body holds NIKs and names: a private directory, a file only we can read.
    const dir = mkdtempSync(join(tmpdir(), 'satusehat-edit-'));
    const file = join(dir, `item-${id}-r${detail.current.revision}.json`);
    writeFileSync(file, original, { mode: 0o600 });
    let keep = false;
    try {
      for (;;) {
        runEditor(editor, file);
        const text = readFileSync(file, 'utf8');
        if (text === original || sameJson(text, original)) {
          say('edit cancelled, no changes');
          return EXIT.ok;
        }
        const result = await services.saveRevision(id, text, operator);
        if (result.ok) return await saved(services, id, result, operator, options);
        printErrors(result, file);
        if (canPrompt() && (await confirm(`${bold('Reopen the editor to fix it?')}`, true))) continue;
        keep = true;
        say(`your edit is kept in ${file}; fix it and run: satusehat edit ${id} --file ${file}`);
        if (options.json) printJson(result);
        return EXIT.usage;
      }
    } finally {
      if (!keep) rmSync(dir, { recursive: true, force: true });
    }
  });
}
