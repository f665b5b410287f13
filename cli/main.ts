// `satusehat`: the headless CLI. Every expected failure ends as one line on stderr and a
// documented exit code (see README "Exit codes"); only bugs print a stack trace.
import { Command, CommanderError, Option } from 'commander';
import { ExitError, EXIT } from '../shared/errors.js';
import { parseCount, parseDate } from './context.js';
import { parseItemId, parsePositive, parseRateShare, parseStatus, parseType, parseWorklistKind } from './commands/args.js';
import { WORKLIST_KINDS } from '../shared/types/worklists.js';

/**
 * Command modules load when their command runs, so `satusehat items list` does not pay for the
 * daemon's, the demo's and the simulator's imports.
 */
function lazy<M, A extends unknown[]>(load: () => Promise<M>, pick: (m: M) => (...args: A) => Promise<number>) {
  return (...args: A): Promise<number> => load().then((m) => pick(m)(...args));
}
const auditCommand = lazy(() => import('./commands/audit.js'), (m) => m.auditCommand);
const daemonCommand = lazy(() => import('./commands/daemon.js'), (m) => m.daemonCommand);
const editCommand = lazy(() => import('./commands/edit.js'), (m) => m.editCommand);
const itemsListCommand = lazy(() => import('./commands/items.js'), (m) => m.itemsListCommand);
const itemsShowCommand = lazy(() => import('./commands/items.js'), (m) => m.itemsShowCommand);
const complianceCommand = lazy(() => import('./commands/compliance.js'), (m) => m.complianceCommand);
const worklistCommand = lazy(() => import('./commands/worklist.js'), (m) => m.worklistCommand);
const pauseCommand = lazy(() => import('./commands/pause.js'), (m) => m.pauseCommand);
const resumeCommand = lazy(() => import('./commands/pause.js'), (m) => m.resumeCommand);
const regenerateCommand = lazy(() => import('./commands/regenerate.js'), (m) => m.regenerateCommand);
const resendCommand = lazy(() => import('./commands/resend.js'), (m) => m.resendCommand);
const usersCheckCommand = lazy(() => import('./commands/users.js'), (m) => m.usersCheckCommand);
const demoCommand = lazy(() => import('./commands/demo.js'), (m) => m.demoCommand);
const demoSeedCommand = lazy(() => import('./commands/demo.js'), (m) => m.demoSeedCommand);
const migrateCommand = lazy(() => import('./commands/migrate.js'), (m) => m.migrateCommand);
const statusCommand = lazy(() => import('./commands/status.js'), (m) => m.statusCommand);
const syncCommand = lazy(() => import('./commands/sync.js'), (m) => m.syncCommand);
const verifyCommand = lazy(() => import('./commands/verify.js'), (m) => m.verifyCommand);

/** Commander throws our ExitError from option parsers; keep them as usage errors. */
const usage = <T>(fn: (value: string) => T) => (value: string) => fn(value);

function buildProgram(run: (action: Promise<number>) => void): Command {
  const program = new Command('satusehat')
    .description('Sync a Dekacare clinic database to SATUSEHAT (FHIR R4): daemon, batch sync and operations')
    .showHelpAfterError('(run with --help for usage)')
    // Commander then leaves a subcommand's options to it (needed for `demo seed` under `demo`).
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('status')
    .description('sent / total per resource type, in process, failed and invalid (from the state DB)')
    .option('--date <YYYY-MM-DD>', 'only items of this business date (master data is always counted)', usage(parseDate))
    .option('--json', 'machine-readable output')
    .action((opts) => run(statusCommand(opts)));

  program
    .command('sync')
    .description('extract and dispatch; with --once, run to completion and exit (for cron)')
    .option('--once', 'one extraction and dispatch, then exit')
    .option('--types <list>', 'comma-separated resource types (default: all)')
    .option('--full', 'read every source row, not only those changed since the last pass')
    .option('--json', 'print the summary as JSON')
    .option('--quiet', 'for cron: print nothing and exit 0 unless items became failed or invalid in this run (then a short summary and exit 3)')
    .action((opts) => run(syncCommand(opts)));

  program
    .command('compliance')
    .description('per day: visits in Dekacare, visits on SATUSEHAT, visits sent complete, the share against the 100% target, and each unsent visit with its reason (exit 0 all sent, 3 otherwise)')
    .option('--from <YYYY-MM-DD>', 'first day (local date; default: 6 days before --to)', usage(parseDate))
    .option('--to <YYYY-MM-DD>', 'last day (default: today at SOURCE_UTC_OFFSET)', usage(parseDate))
    .option('--limit <n>', 'unsent visits to list (default 20, with --json 1000)', usage(parsePositive('--limit', 100_000)))
    .option('--json', 'machine-readable output')
    .action((opts) => run(complianceCommand(opts)));

  program
    .command('worklist')
    .description(`what to fix in Dekacare so every visit can be sent: ${WORKLIST_KINDS.join(', ')} (exit 0 when empty, 3 otherwise)`)
    .argument('<kind>', WORKLIST_KINDS.join(' | '), usage(parseWorklistKind))
    .option('--limit <n>', 'rows (default 1000)', usage(parsePositive('--limit', 100_000)))
    .option('--json', 'machine-readable output')
    .option('--csv', 'CSV with a header line, for a spreadsheet')
    .action((kind, opts) => run(worklistCommand(kind, opts)));

  program
    .command('verify')
    .description('read back from SATUSEHAT what we marked sent: missing, changed, duplicated or unknown resources (exit 0 all agree, 3 otherwise)')
    .option('--type <Type>', 'only this resource type', usage(parseType))
    .option('--since <YYYY-MM-DD>', 'only items sent (or last tried) on or after this date', usage(parseDate))
    .option('--sample <n>', 'a random sample of n items instead of all', usage(parsePositive('--sample', 1_000_000)))
    .option('--rate-share <0..1>', 'share of RATE_LIMIT_PER_MINUTE verify may use, so it can run beside the daemon (default 0.2)', usage(parseRateShare))
    .option('--repair', 'adopt what can be adopted, send changed resources again as updates, list duplicates; every repair is audited')
    .option('--json', 'machine-readable output')
    .action((opts) => run(verifyCommand(opts)));

  program
    .command('daemon')
    .description('long-running scheduler + workers + reconciler (started by PM2, see ecosystem.config.cjs)')
    .action(() => run(daemonCommand()));

  program
    .command('migrate')
    .description('apply pending state-database migrations')
    .option('--rollback', 'roll back every migration (drops our state tables)')
    .option('--json', 'machine-readable output')
    .action((opts) => run(migrateCommand(opts)));

  const demo = program
    .command('demo')
    .description('run the whole pipeline on a demo Dekacare database against the built-in simulator')
    // `demo seed --reset --visits N`: options after `seed` are seed's own, not demo's.
    .enablePositionalOptions()
    .option('--reset', 'drop the demo databases and queue, and start over')
    .option('--patients <n>', 'patients to seed', usage(parseCount('--patients')), 200)
    .option('--visits <n>', 'visits to seed', usage(parseCount('--visits')), 600)
    .option('--seed <n>', 'random seed (same seed, same data)', usage(parseCount('--seed')), 42)
    .option('--anchor-date <YYYY-MM-DD>', 'last day of visits (default: today)', usage(parseDate))
    .option('--rate-limit <n>', 'requests per minute against the simulator', usage(parseCount('--rate-limit')), 6000)
    .option('--keep-running', 'after the backlog is sent, keep the daemon and simulator running')
    .option('--json', 'print the summary as JSON')
    .action((opts) => run(demoCommand(opts)));

  demo
    .command('seed')
    .description('seed the demo Dekacare schema into SOURCE_DATABASE_URL')
    .addOption(new Option('--patients <n>', 'patients').argParser(usage(parseCount('--patients'))).default(500))
    .addOption(new Option('--visits <n>', 'visits').argParser(usage(parseCount('--visits'))).default(2000))
    .addOption(new Option('--seed <n>', 'random seed').argParser(usage(parseCount('--seed'))).default(42))
    .option('--anchor-date <YYYY-MM-DD>', 'last day of visits (default: today)', usage(parseDate))
    .option('--reset', 'empty the demo tables first')
    .option('--json', 'machine-readable output')
    .action((opts) => run(demoSeedCommand(opts)));

  const items = program.command('items').description('list and inspect items (one per source record and resource type)');
  items
    .command('list')
    .description("one type's items in id order: status badge, the type's columns, and why an item was not sent")
    .requiredOption('--type <Type>', 'resource type, e.g. Encounter', usage(parseType))
    .option('--status <status>', 'problem (failed + invalid + blocked), not_sent, queued, sending, sent, failed, invalid or blocked', usage(parseStatus))
    .option('--date <YYYY-MM-DD>', 'business date (dated types such as Encounter)', usage(parseDate))
    .option('--search <text>', 'visit no., NIK, name, MRN (contains), or an exact SATUSEHAT id / source key')
    .option('--page <n>', 'page number, from 1', usage(parsePositive('--page', 10_000_000)))
    .option('--page-size <n>', 'items per page (default 50, at most 500)', usage(parsePositive('--page-size', 500)))
    .option('--json', 'machine-readable output: {query, columns, rows, page, pageSize, pageCount, total}')
    .action((opts) => run(itemsListCommand(opts)));
  items
    .command('show')
    .description('one item: status, hint, request (current revision), response, attempts (newest first)')
    .argument('<id>', 'item id (from items list)', usage(parseItemId))
    .option('--json', 'machine-readable output: {item, issues, current, revisions, attempts, outcome}')
    .option('--request', 'print only the current request body (JSON)')
    .option('--response', 'print only the last response body (JSON)')
    .option('--attempts', 'print only the attempts (JSON)')
    .action((id, opts) => run(itemsShowCommand(id, opts)));

  program
    .command('resend')
    .description('queue items again (failed, not_sent, invalid with a request); sent items only with --force')
    .argument('[ids...]', 'item ids')
    .option('--type <Type>', 'bulk: every resendable item of this type matching --status/--date/--search', usage(parseType))
    .option('--status <status>', 'bulk: failed, invalid, not_sent or problem', usage(parseStatus))
    .option('--date <YYYY-MM-DD>', 'bulk: business date', usage(parseDate))
    .option('--search <text>', 'bulk: same matching as items list --search')
    .option('--force', 'also resend items already sent, as an update (single items only)')
    .option('--yes', 'do not ask before resending more than one item (required without a terminal)')
    .option('--dry-run', 'only count and list what would be resent; change nothing')
    .option('--json', 'machine-readable output')
    .action((ids: string[], opts) => run(resendCommand(ids, opts)));

  program
    .command('edit')
    .description("edit an item's request body in $VISUAL/$EDITOR (like kubectl edit), save it as a new revision and queue it")
    .argument('<id>', 'item id', usage(parseItemId))
    .option('--file <path>', 'save this JSON file as the new body instead of opening an editor')
    .option('--no-send', 'save the revision without queueing it now (the daemon still sends it on its next pass)')
    .option('--json', 'machine-readable result: {id, revision, diff, queued}')
    .action((id, opts) => run(editCommand(id, opts)));

  program
    .command('regenerate')
    .description('ask the daemon to rebuild a foundation type from Dekacare master data (after big master-data changes)')
    .argument('<type>', 'Organization, Location, Practitioner or Patient', usage(parseType))
    .option('--json', 'machine-readable output: {type, runId, alreadyQueued}')
    .action((type, opts) => run(regenerateCommand(type, opts)));

  program
    .command('pause')
    .description('pause sending on every daemon (extraction and the queue keep their state)')
    .option('--reason <text>', 'shown to other operators and in the audit log')
    .option('--json', 'machine-readable control state')
    .action((opts) => run(pauseCommand(opts)));

  program
    .command('resume')
    .description('resume sending after pause')
    .option('--json', 'machine-readable control state')
    .action((opts) => run(resumeCommand(opts)));

  const users = program.command('users').description('Dekacare accounts and their access to SATUSEHAT');
  users
    .command('check')
    .description('may this account operate SATUSEHAT? (role admin/superadmin, permission satusehat, active); exit 3 when not')
    .argument('<username>', 'Dekacare username')
    .option('--json', 'machine-readable output: {username, exists, active, role, permissions, allowed, reasons}')
    .action((username, opts) => run(usersCheckCommand(username, opts)));

  program
    .command('audit')
    .description('operator actions, newest first: logins and refusals, edits, resends, regenerations, pauses')
    .option('--limit <n>', 'how many entries (default 50)', usage(parsePositive('--limit', 10_000)))
    .option('--json', 'machine-readable output: [{id, at, actor, action, target, details}]')
    .action((opts) => run(auditCommand(opts)));

  program
    .command('tui')
    .description('the admin terminal UI (needs a terminal; log in with a Dekacare account)')
    .option('--read-only', 'hide every write action (resend, force resend, edit, regenerate, pause and resume)')
    .action(async (opts: { readOnly?: boolean }) => {
      const { tuiCommand } = await import('./commands/tui.js');
      run(tuiCommand({ readOnly: opts.readOnly }));
    });

  return program;
}

function report(err: unknown): number {
  if (err instanceof ExitError) {
    process.stderr.write(`satusehat: ${err.message}\n`);
    return err.exitCode;
  }
  process.stderr.write(`satusehat: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
  return EXIT.internal;
}

export async function main(argv: string[]): Promise<number> {
  let action: Promise<number> | null = null;
  const program = buildProgram((p) => {
    action = p;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    return report(err);
  }
  if (!action) {
    program.outputHelp();
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  try {
    return await action;
  } catch (err) {
    return report(err);
  }
}
