// `npm run demo`: everything on the built-in defaults. Creates the demo databases, migrates,
// seeds a demo Dekacare database, starts the simulator, and syncs until the backlog is sent.
import { Queue } from 'bullmq';
import { redactUrl, type Config } from '../../shared/config/load-config.js';
import { ensureDemoDatabases } from '../../shared/db/bootstrap.js';
import { connectMysql, dropDatabase } from '../../shared/db/connect.js';
import { seedDemoSource } from '../../shared/db/demo/index.js';
import { countSourceRows } from '../../shared/db/source/index.js';
import { migrateLatest } from '../../shared/db/state/migrate.js';
import { describeMysqlError, describeRedisError, ExitError, EXIT } from '../../shared/errors.js';
import { pingRedis } from '../../shared/queue/redis.js';
import { SEND_QUEUE } from '../../shared/queue/send-queue.js';
import { startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { startDaemon } from '../../daemon/daemon.js';
import { openRuntime } from '../../daemon/runtime.js';
import { cliLogger, loadCliConfig } from '../context.js';
import { bold, dim } from '../output.js';
import { runSyncAndReport } from './sync.js';

export interface SeedCommandOptions {
  patients: number;
  visits: number;
  seed: number;
  anchorDate?: string;
  reset?: boolean;
  json?: boolean;
}

const today = () => new Date().toISOString().slice(0, 10);
const say = (text: string) => process.stderr.write(text + '\n');

async function prepareDatabases(config: Config, reset: boolean): Promise<void> {
  if (reset) {
    say(`resetting demo databases and queue ${config.queuePrefix}:${SEND_QUEUE}`);
    await ensureDemoDatabases([config.sourceDatabaseUrl, config.stateDatabaseUrl]).catch(() => undefined);
    await dropDatabase(config.sourceDatabaseUrl).catch(() => undefined);
    await dropDatabase(config.stateDatabaseUrl).catch(() => undefined);
  }
  try {
    const how = await ensureDemoDatabases([config.sourceDatabaseUrl, config.stateDatabaseUrl]);
    if (how === 'created-user') say(`created the demo MySQL user ${new URL(config.stateDatabaseUrl).username} (as the local root)`);
  } catch (err) {
    throw describeMysqlError(err, 'demo databases', redactUrl(config.stateDatabaseUrl));
  }
}

async function seedIfEmpty(config: Config, options: SeedCommandOptions): Promise<void> {
  const source = connectMysql(config.sourceDatabaseUrl, { dateStrings: true, poolMax: 4 });
  try {
    const counts = await countSourceRows(source).catch(() => null);
    if (counts && counts.visits > 0 && !options.reset) {
      say(`demo source already seeded (${counts.patients} patients, ${counts.visits} visits); use --reset to start over`);
      return;
    }
    say(`seeding demo Dekacare database: ${options.patients} patients, ${options.visits} visits (seed ${options.seed})`);
    const summary = await seedDemoSource(source, { patients: options.patients, visits: options.visits, seed: options.seed, anchorDate: options.anchorDate ?? today(), reset: options.reset });
    say(dim(`seeded in ${(summary.elapsedMs / 1000).toFixed(1)} s; deliberately bad rows: ${JSON.stringify(summary.badRows)}`));
  } finally {
    await source.destroy();
  }
}

export async function demoSeedCommand(options: SeedCommandOptions): Promise<number> {
  const config = loadCliConfig();
  await prepareDatabases(config, false);
  const source = connectMysql(config.sourceDatabaseUrl, { dateStrings: true, poolMax: 4 });
  try {
    const summary = await seedDemoSource(source, {
      patients: options.patients, visits: options.visits, seed: options.seed, anchorDate: options.anchorDate ?? today(), reset: options.reset,
      onProgress: options.json ? undefined : (p) => process.stderr.write(`\r${p.table}: ${p.done}/${p.total}   `),
    });
    if (!options.json) process.stderr.write('\n');
    process.stdout.write(options.json ? JSON.stringify(summary) + '\n' : `seeded ${redactUrl(config.sourceDatabaseUrl)}: ${JSON.stringify(summary)}\n`);
    return 0;
  } catch (err) {
    if ((err as { code?: string }).code) throw describeMysqlError(err, 'SOURCE_DATABASE_URL', redactUrl(config.sourceDatabaseUrl));
    throw new ExitError(EXIT.usage, (err as Error).message);
  } finally {
    await source.destroy();
  }
}

async function startDemoSimulator(port: number): Promise<RunningSimulator> {
  try {
    return await startSimulator({ port });
  } catch (err) {
    if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
    say(`port ${port} is busy; starting the simulator on a free port instead`);
    return startSimulator({ port: 0 });
  }
}

export async function demoCommand(options: SeedCommandOptions & { keepRunning?: boolean; rateLimit: number }): Promise<number> {
  const base = loadCliConfig();
  if (base.satusehat.env !== 'simulator') throw new ExitError(EXIT.usage, `the demo only runs against the built-in simulator (SATUSEHAT_ENV is ${base.satusehat.env})`);
  await pingRedis(base.redisUrl).catch((err) => {
    throw describeRedisError(err, redactUrl(base.redisUrl));
  });
  await prepareDatabases(base, Boolean(options.reset));
  if (options.reset) {
    const queue = new Queue(SEND_QUEUE, { connection: { url: base.redisUrl }, prefix: base.queuePrefix });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
  const state = connectMysql(base.stateDatabaseUrl, { poolMax: 1 });
  const applied = await migrateLatest(state).finally(() => state.destroy());
  if (applied.length > 0) say(`migrated the state database: ${applied.join(', ')}`);
  await seedIfEmpty(base, options);

  const simulator = await startDemoSimulator(base.simulatorPort);
  say(`SATUSEHAT simulator on ${simulator.url} (org ${simulator.orgId})`);
  const config: Config = {
    ...base,
    rateLimitPerMinute: options.rateLimit,
    // The simulator answers at once: a Medication need not wait long for its visit Bundle.
    bundleWaitMs: Math.min(base.bundleWaitMs, 5_000),
    satusehat: { ...base.satusehat, authUrl: simulator.authUrl, fhirUrl: simulator.fhirUrl, clientId: simulator.clientId, clientSecret: simulator.clientSecret, orgId: simulator.orgId },
  };
  const rt = await openRuntime(config, cliLogger(config));
  try {
    say(bold(`syncing (rate limit ${options.rateLimit}/min against the simulator; the default for real SATUSEHAT is 150/min)`));
    const code = await runSyncAndReport(rt, { json: options.json, trigger: 'demo' });
    const stats = simulator.stats();
    say(dim(`simulator: ${stats.requests} requests, created ${JSON.stringify(stats.created)}, duplicates rejected ${JSON.stringify(stats.duplicatesRejected)}`));
    say(`\nAll items are sent or explained above. Next: ${bold('npx satusehat status')}  ·  ${bold('npm run demo -- --reset')} to start over`);
    if (!options.keepRunning) {
      // Without a daemon the TUI says "daemon stopped", and a resend or regenerate waits for one.
      say(`The demo's sender has stopped. To use the TUI with a daemon and simulator behind it: ${bold('npm run demo -- --keep-running')}, then ${bold('npx satusehat tui')} in another terminal`);
    }
    if (options.keepRunning) {
      say(`daemon and simulator keep running (Ctrl-C to stop); state DB ${redactUrl(config.stateDatabaseUrl)}`);
      const daemon = startDaemon(rt);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await daemon.stop();
    }
    // The demo's bad rows are deliberate: their items end invalid or failed, and that is success.
    return code === EXIT.itemsFailed ? EXIT.ok : code;
  } finally {
    await rt.close();
    await simulator.close();
  }
}
