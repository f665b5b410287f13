// A whole pipeline on real services for one test: seeded demo source DB, migrated state DB,
// the simulator on a random port and a queue prefix of its own.
import { loadConfig, type Config } from '../../shared/config/load-config.js';
import { migrateLatest } from '../../shared/db/state/migrate.js';
import { seedDemoSource, type SeedSummary } from '../../shared/db/demo/index.js';
import { createLogger } from '../../shared/log/create-logger.js';
import { createRedis } from '../../shared/queue/redis.js';
import { openRuntime, type Runtime } from '../../daemon/runtime.js';
import { registry } from '../../shared/fhir/registry.js';
import type { ResourceTypeName } from '../../shared/fhir/types.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../simulator/index.js';
import { createTestDatabase, TEST_REDIS_URL, uniqueName, type TestDatabase } from './test-db.js';

export const ANCHOR_DATE = '2026-11-20';

export interface Harness {
  source: TestDatabase;
  state: TestDatabase;
  simulator: RunningSimulator;
  config: Config;
  env: Record<string, string>;
  seed: SeedSummary;
  openRuntime(): Promise<Runtime>;
  /** Deletes every Redis key of this harness's queue prefix (a Redis flush, scoped to us). */
  flushRedis(): Promise<number>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  patients?: number;
  visits?: number;
  seed?: number;
  simulator?: SimulatorOptions;
  env?: Record<string, string>;
}

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const source = await createTestDatabase('src', { dateStrings: true });
  const state = await createTestDatabase('state');
  const seed = await seedDemoSource(source.db, { patients: options.patients ?? 60, visits: options.visits ?? 150, seed: options.seed ?? 7, anchorDate: ANCHOR_DATE });
  await migrateLatest(state.db);
  const simulator = await startSimulator({ port: 0, ...options.simulator });
  const prefix = uniqueName('sstest');
  const env: Record<string, string> = {
    SATUSEHAT_ENV: 'simulator',
    SATUSEHAT_AUTH_URL: simulator.authUrl,
    SATUSEHAT_FHIR_URL: simulator.fhirUrl,
    SATUSEHAT_CLIENT_ID: simulator.clientId,
    SATUSEHAT_CLIENT_SECRET: simulator.clientSecret,
    SATUSEHAT_ORG_ID: simulator.orgId,
    SOURCE_DATABASE_URL: source.url,
    STATE_DATABASE_URL: state.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    RATE_LIMIT_PER_MINUTE: '100000',
    WORKER_CONCURRENCY: '8',
    RETRY_BASE_MS: '50',
    REQUEST_TIMEOUT_MS: '2000',
    SENDING_STALE_MS: '3000',
    WORKER_LOCK_MS: '2000',
    RECONCILE_INTERVAL_MS: '1000',
    BUNDLE_WAIT_MS: '1000',
    LOG_LEVEL: 'silent',
    ...options.env,
  };
  const config = loadConfig(env);
  const runtimes: Runtime[] = [];
  const harness: Harness = {
    source, state, simulator, config, env, seed,
    async openRuntime() {
      const rt = await openRuntime(config, createLogger({ level: 'silent' }));
      runtimes.push(rt);
      return rt;
    },
    async flushRedis() {
      const redis = createRedis(TEST_REDIS_URL);
      try {
        let deleted = 0;
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length > 0) deleted += await redis.del(...keys);
        } while (cursor !== '0');
        return deleted;
      } finally {
        redis.disconnect();
      }
    },
    async close() {
      for (const rt of runtimes) await rt.close().catch(() => undefined);
      await harness.flushRedis().catch(() => undefined);
      await simulator.close();
      await source.drop();
      await state.drop();
    },
  };
  return harness;
}

export interface ItemRow {
  id: number;
  resource_type: string;
  source_key: string;
  status: string;
  satusehat_id: string | null;
  last_error: string | null;
  blocked_by: string | null;
  attempt_count: number;
}

export async function allItems(h: Harness): Promise<ItemRow[]> {
  return h.state.db('items').select('id', 'resource_type', 'source_key', 'status', 'satusehat_id', 'last_error', 'blocked_by', 'attempt_count').orderBy('id');
}

/**
 * Our sent counts per FHIR type must equal what the simulator stored, for every type we create
 * (lookups are not stored). Registry names map to FHIR types (ObservationLab → Observation).
 */
export function sentPerFhirType(items: ItemRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) {
    const def = registry[i.resource_type as ResourceTypeName];
    if (i.status !== 'sent' || !def || def.kind !== 'create') continue;
    const fhirType = def.fhirType ?? def.name;
    out[fhirType] = (out[fhirType] ?? 0) + 1;
  }
  return out;
}

/** Sent items per type, and how many of them share a SATUSEHAT id (must be none). */
export function sentByType(items: ItemRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) if (i.status === 'sent') out[i.resource_type] = (out[i.resource_type] ?? 0) + 1;
  return out;
}

export interface OrphanReport {
  /** Resources we created (every FHIR type we create) that the simulator holds. */
  checked: number;
  /** Held by the simulator, but no item is sent with its id: "Tidak Terkirim" while SATUSEHAT has it. */
  orphans: string[];
  /** Held once, but more than one sent item names its id. */
  shared: string[];
  /** Sent items of a type we create whose id the simulator does not hold. */
  ghosts: string[];
}

/**
 * "What the platform holds is what we say we sent": every resource of a type we create has
 * exactly one sent item with its id, and every sent item's id is on the simulator.
 */
export async function orphanReport(h: Harness): Promise<OrphanReport> {
  const items = await allItems(h);
  const sentById = new Map<string, ItemRow[]>();
  const isCreate = (i: ItemRow) => registry[i.resource_type as ResourceTypeName]?.kind === 'create';
  for (const i of items) if (i.status === 'sent' && i.satusehat_id && isCreate(i)) sentById.set(i.satusehat_id, [...(sentById.get(i.satusehat_id) ?? []), i]);
  const createdTypes = new Set(Object.values(registry).filter((d) => d.kind === 'create').map((d) => d.fhirType ?? d.name));
  const report: OrphanReport = { checked: 0, orphans: [], shared: [], ghosts: [] };
  const held = new Set<string>();
  for (const type of createdTypes) {
    for (const r of h.simulator.resources(type)) {
      const id = String(r.id);
      held.add(id);
      report.checked += 1;
      const sent = sentById.get(id) ?? [];
      if (sent.length === 0) report.orphans.push(`${type}/${id}`);
      if (sent.length > 1) report.shared.push(`${type}/${id}: ${sent.map((s) => `${s.resource_type} ${s.source_key}`).join(', ')}`);
    }
  }
  for (const [id, sent] of sentById) if (!held.has(id)) report.ghosts.push(`${sent[0]!.resource_type} ${sent[0]!.source_key} → ${id}`);
  return report;
}
