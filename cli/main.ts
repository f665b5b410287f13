// `satusehat`: the headless CLI. Every expected failure ends as one line on stderr and a
// documented exit code (see README "Exit codes"); only bugs print a stack trace.
import { Command, CommanderError, Option } from 'commander';
import { ExitError, EXIT } from '../shared/errors.js';
import { parseCount, parseDate } from './context.js';
import { daemonCommand } from './commands/daemon.js';
import { demoCommand, demoSeedCommand } from './commands/demo.js';
import { migrateCommand } from './commands/migrate.js';
import { statusCommand } from './commands/status.js';
import { syncCommand } from './commands/sync.js';

/** Commander throws our ExitError from option parsers; keep them as usage errors. */
const usage = <T>(fn: (value: string) => T) => (value: string) => fn(value);

function buildProgram(run: (action: Promise<number>) => void): Command {
  const program = new Command('satusehat')
    .description('Sync a Dekacare clinic database to SATUSEHAT (FHIR R4): daemon, batch sync and operations')
    .showHelpAfterError('(run with --help for usage)')
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
    .option('--json', 'print the summary as JSON')
    .option('--quiet', 'no progress output')
    .action((opts) => run(syncCommand(opts)));

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
