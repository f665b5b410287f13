// Shared set-up for the benchmarks: fresh source and state databases, a seeded demo Dekacare DB,
// the simulator in this process, and a runtime configured against them. Everything is dropped after.
import { loadConfig, type Config } from '../shared/config/load-config.js';
import { connectMysql, databaseName, dropDatabase, ensureDatabase, withDatabase } from '../shared/db/connect.js';
import { seedDemoSource, type SeedSummary } from '../shared/db/demo/index.js';
import { migrateLatest } from '../shared/db/state/migrate.js';
import { createLogger } from '../shared/log/create-logger.js';
import { openRuntime, type Runtime } from '../daemon/runtime.js';
import { spawn, type ChildProcess } from 'node:child_process';
import type { SimulatorStats } from '../simulator/index.js';
import { credentialKey } from '../shared/queue/token-store.js';

/**
 * The next status of an item along declared transitions (the database refuses others): a busy
 * daemon's moves, for benchmarks that churn counters. Put `sent_at` before `status` in a SET that
 * reads the old status (MySQL assigns left to right).
 */
export const NEXT_STATUS_SQL = `CASE status WHEN 'sent' THEN 'not_sent' WHEN 'not_sent' THEN 'sending' WHEN 'queued' THEN 'sending' WHEN 'sending' THEN 'sent' ELSE 'not_sent' END`;

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** Samples RSS every 100 ms; read .peak at the end. */
export function rssSampler() {
  const state = { peak: process.memoryUsage().rss, stop: () => clearInterval(timer) };
  const timer = setInterval(() => (state.peak = Math.max(state.peak, process.memoryUsage().rss)), 100);
  timer.unref();
  return state;
}

/**
 * The simulator in a process of its own, as SATUSEHAT would be: the benchmark then measures the
 * daemon, not the simulator sharing its event loop. Stats come over its admin endpoint.
 */
export interface ExternalSimulator {
  url: string;
  pid: number | undefined;
  authUrl: string;
  fhirUrl: string;
  stats(): Promise<SimulatorStats>;
  close(): Promise<void>;
}

export async function startExternalSimulator(args: string[] = []): Promise<ExternalSimulator> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'simulator/main.ts', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return {
    url,
    pid: child.pid,
    authUrl: `${url}/oauth2/v1`,
    fhirUrl: `${url}/fhir-r4/v1`,
    stats: async () => (await (await fetch(`${url}/__sim/stats`)).json()) as SimulatorStats,
    close: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

export interface BenchEnv {
  config: Config;
  simulator: ExternalSimulator;
  seeded: SeedSummary;
  seedSeconds: number;
  openRuntime(): Promise<Runtime>;
  dispose(): Promise<void>;
}

export async function createBenchEnv(options: { patients: number; visits: number; env?: Record<string, string>; simulatorArgs?: string[]; mysqlUrl?: string }): Promise<BenchEnv> {
  const base = options.mysqlUrl ?? process.env.TEST_MYSQL_URL ?? 'mysql://satusehat:satusehat@127.0.0.1:3306/';
  const tag = `${process.pid}`;
  const sourceUrl = withDatabase(base, `satusehat_bench_src_${tag}`);
  const stateUrl = withDatabase(base, `satusehat_bench_state_${tag}`);
  await ensureDatabase(sourceUrl);
  await ensureDatabase(stateUrl);
  const simulator = await startExternalSimulator(options.simulatorArgs);
  const source = connectMysql(sourceUrl, { dateStrings: true });
  const started = performance.now();
  const seeded = await seedDemoSource(source, { patients: options.patients, visits: options.visits, seed: 1, anchorDate: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10) });
  const seedSeconds = (performance.now() - started) / 1000;
  await source.destroy();
  const state = connectMysql(stateUrl);
  await migrateLatest(state);
  await state.destroy();
  const config = loadConfig({
    SOURCE_DATABASE_URL: sourceUrl, STATE_DATABASE_URL: stateUrl, QUEUE_PREFIX: `bench-${tag}`,
    SATUSEHAT_AUTH_URL: simulator.authUrl, SATUSEHAT_FHIR_URL: simulator.fhirUrl, LOG_LEVEL: 'silent',
    ...options.env,
  });
  const runtimes: Runtime[] = [];
  return {
    config, simulator, seeded, seedSeconds,
    async openRuntime() {
      const rt = await openRuntime(config, createLogger({ level: 'silent' }));
      runtimes.push(rt);
      return rt;
    },
    async dispose() {
      for (const rt of runtimes) {
        await rt.queue.obliterate({ force: true }).catch(() => undefined);
        await rt.redis.del(`bench-${tag}:ratelimit:satusehat`, `bench-${tag}:satusehat:${credentialKey(config.satusehat)}:token`).catch(() => 0);
        await rt.close();
      }
      await simulator.close();
      // BENCH_KEEP_DB=1 leaves both databases behind, to EXPLAIN queries against them afterwards.
      if (process.env.BENCH_KEEP_DB) return console.log(`kept databases ${databaseName(sourceUrl)} and ${databaseName(stateUrl)}`);
      await dropDatabase(sourceUrl);
      await dropDatabase(stateUrl);
    },
  };
}
