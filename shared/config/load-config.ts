// Configuration comes from the environment (and an optional .env file), is validated once at
// start-up, and every problem is reported on its own line. Secrets never leave this object in logs.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_MIN_RESOURCE_DATE, parseDateFloor } from '../fhir/datetime.js';
import type { MedicationMode } from '../fhir/types.js';

export type SatusehatEnv = 'simulator' | 'sandbox' | 'production';

const HOSTS: Record<Exclude<SatusehatEnv, 'simulator'>, string> = {
  sandbox: 'https://api-satusehat-stg.dto.kemkes.go.id',
  production: 'https://api-satusehat.kemkes.go.id',
};

export const DEFAULT_SIMULATOR_PORT = 9977;
const DEFAULT_MYSQL = 'mysql://satusehat:satusehat@127.0.0.1:3306';

const intFrom = (min: number, fallback: number) => z.coerce.number().int().min(min).default(fallback);

const envSchema = z.object({
  SATUSEHAT_ENV: z.enum(['simulator', 'sandbox', 'production']).default('simulator'),
  SATUSEHAT_AUTH_URL: z.url().optional(),
  SATUSEHAT_FHIR_URL: z.url().optional(),
  SATUSEHAT_CLIENT_ID: z.string().min(1).optional(),
  SATUSEHAT_CLIENT_SECRET: z.string().min(1).optional(),
  SATUSEHAT_CLIENT_SECRET_FILE: z.string().min(1).optional(),
  SATUSEHAT_ORG_ID: z.string().regex(/^\d+$/, 'must be the numeric SATUSEHAT organization id').optional(),
  SIMULATOR_PORT: intFrom(1, DEFAULT_SIMULATOR_PORT),
  SOURCE_DATABASE_URL: z.string().startsWith('mysql://', 'must be a mysql:// URL').default(`${DEFAULT_MYSQL}/satusehat_demo_source`),
  STATE_DATABASE_URL: z.string().startsWith('mysql://', 'must be a mysql:// URL').default(`${DEFAULT_MYSQL}/satusehat_demo_state`),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default('satusehat'),
  SOURCE_UTC_OFFSET: z.string().regex(/^[+-]\d{2}:\d{2}$/, 'must look like +07:00').default('+07:00'),
  // SATUSEHAT's date floor (10132); docs/date-floor.md says why the default is Kamus Validasi's.
  MIN_RESOURCE_DATE: z.string().refine((v) => parseDateFloor(v) !== null, 'must be a date like 2022-08-31').default(DEFAULT_MIN_RESOURCE_DATE),
  SYNC_CRON: z.string().default('*/5 * * * *'),
  RATE_LIMIT_PER_MINUTE: intFrom(1, 150),
  SEND_MODE: z.enum(['bundle', 'single']).default('bundle'),
  BUNDLE_WAIT_MS: intFrom(0, 60_000),
  MEDICATION_MODE: z.enum(['contained', 'separate']).default('contained'),
  VALIDATE_BEFORE_SEND: z.enum(['true', 'false']).default('true'),
  WORKER_CONCURRENCY: intFrom(1, 8),
  REQUEST_TIMEOUT_MS: intFrom(100, 30_000),
  MAX_ATTEMPTS: intFrom(1, 6),
  RETRY_BASE_MS: intFrom(0, 2_000),
  // An item left in `sending` longer than this is assumed orphaned (its worker died); it must
  // stay well above REQUEST_TIMEOUT_MS so a slow live send is never taken over.
  SENDING_STALE_MS: intFrom(1_000, 120_000),
  WORKER_LOCK_MS: intFrom(1_000, 30_000),
  // An unknown outcome whose look-up failed is asked again after this, doubling to an hour.
  UNKNOWN_CHECK_BASE_MS: intFrom(100, 60_000),
  RECONCILE_INTERVAL_MS: intFrom(500, 30_000),
  CIRCUIT_THRESHOLD: intFrom(1, 10),
  CIRCUIT_PROBE_MS: intFrom(100, 15_000),
  // Every sending process writes a heartbeat this often; readers call it down after two missed beats.
  HEARTBEAT_INTERVAL_MS: intFrom(200, 5_000),
  // Operations (docs/operations.md): health/metrics endpoint, alerts, retention of attempts.
  HEALTH_HOST: z.string().min(1).default('127.0.0.1'),
  HEALTH_PORT: z.coerce.number().int().min(0).max(65_535).default(9464),
  ALERT_FAILURE_THRESHOLD: intFrom(1, 10),
  ALERT_OVERDUE_MINUTES: intFrom(1, 30),
  ALERT_INTERVAL_MS: intFrom(1_000, 60_000),
  // Each alert start and resolve is POSTed here, signed with HMAC-SHA256 (docs/operations.md).
  ALERT_WEBHOOK_URL: z.url().optional(),
  ALERT_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  RETENTION_DAYS: intFrom(0, 90),
  // The daemon's verification: a random sample of this many items every this many hours (0 = off).
  VERIFY_SAMPLE: intFrom(0, 100),
  // The deletion sweep after each extraction: at most this many sent items checked (0 = off).
  SWEEP_ITEMS_PER_PASS: intFrom(0, 50_000),
  VERIFY_INTERVAL_HOURS: intFrom(1, 24),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  satusehat: {
    env: SatusehatEnv;
    authUrl: string;
    fhirUrl: string;
    clientId: string;
    clientSecret: string;
    orgId: string;
    requestTimeoutMs: number;
  };
  simulatorPort: number;
  sourceDatabaseUrl: string;
  stateDatabaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  sourceUtcOffset: string;
  /** Date-times before this day (00:00 UTC) are invalid locally, as SATUSEHAT rejects them (10132). */
  minResourceDate: string;
  syncCron: string;
  rateLimitPerMinute: number;
  heartbeatIntervalMs: number;
  /** 'bundle': a new Encounter goes with its Conditions, Observations… in one transaction Bundle. */
  sendMode: 'bundle' | 'single';
  /** Bundle mode: how long a Medication waits to be taken along by its visit Bundle. */
  bundleWaitMs: number;
  /** 'contained': Medication travels inside its MedicationRequest (Playbook v6.2); 'separate': its own POST. */
  medicationMode: MedicationMode;
  validateBeforeSend: boolean;
  workerConcurrency: number;
  maxAttempts: number;
  retryBaseMs: number;
  sendingStaleMs: number;
  unknownCheckBaseMs: number;
  workerLockMs: number;
  reconcileIntervalMs: number;
  /** Consecutive 5xx/timeouts that pause dispatching; it probes every circuitProbeMs and resumes. */
  circuitThreshold: number;
  circuitProbeMs: number;
  /** /healthz and /metrics; port 0 = no server. */
  health: { host: string; port: number };
  /** Failed items per type that start an alert; minutes without a successful run that make the schedule overdue. */
  alerts: { failureThreshold: number; overdueMinutes: number; intervalMs: number; /** POST each alert start and resolve here, signed; null = off. */ webhook: { url: string; secret: string } | null };
  /** Attempts of sent items older than this are pruned (the latest per item is kept); 0 = keep forever. */
  retentionDays: number;
  /** The daemon's daily `verify` sample (0 = off), and how often. */
  verify: { sample: number; intervalHours: number };
  /** Sent items the deletion sweep checks after each extraction (0 = off). */
  sweepItemsPerPass: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Loads `.env` from the working directory into process.env without overriding what is set. */
export function loadDotEnv(path = '.env'): void {
  if (!existsSync(path)) return;
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) continue;
    const [, key, raw] = match as unknown as [string, string, string];
    if (process.env[key] === undefined) process.env[key] = raw.replace(/^(['"])(.*)\1$/, '$2');
  }
}

function readSecretFile(path: string, problems: string[]): string | undefined {
  try {
    const mode = statSync(path).mode & 0o077;
    if (mode !== 0) problems.push(`SATUSEHAT_CLIENT_SECRET_FILE ${path} is readable by group/others: chmod 600 it`);
    return readFileSync(path, 'utf8').trim();
  } catch {
    problems.push(`SATUSEHAT_CLIENT_SECRET_FILE ${path} cannot be read`);
    return undefined;
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const simulator = e.SATUSEHAT_ENV === 'simulator';
  const host = simulator ? `http://127.0.0.1:${e.SIMULATOR_PORT}` : HOSTS[e.SATUSEHAT_ENV as Exclude<SatusehatEnv, 'simulator'>];
  const secret = e.SATUSEHAT_CLIENT_SECRET ?? (e.SATUSEHAT_CLIENT_SECRET_FILE ? readSecretFile(e.SATUSEHAT_CLIENT_SECRET_FILE, problems) : undefined);
  if (!simulator) {
    if (!e.SATUSEHAT_CLIENT_ID) problems.push(`SATUSEHAT_CLIENT_ID is required for ${e.SATUSEHAT_ENV}`);
    if (!secret) problems.push(`SATUSEHAT_CLIENT_SECRET (or SATUSEHAT_CLIENT_SECRET_FILE) is required for ${e.SATUSEHAT_ENV}`);
    if (!e.SATUSEHAT_ORG_ID) problems.push(`SATUSEHAT_ORG_ID is required for ${e.SATUSEHAT_ENV}`);
  }
  if (e.SENDING_STALE_MS <= e.REQUEST_TIMEOUT_MS) problems.push('SENDING_STALE_MS must be greater than REQUEST_TIMEOUT_MS');
  if (e.ALERT_WEBHOOK_URL && !e.ALERT_WEBHOOK_SECRET) problems.push('ALERT_WEBHOOK_SECRET is required with ALERT_WEBHOOK_URL (the receiver checks the signature with it)');
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    satusehat: {
      env: e.SATUSEHAT_ENV,
      authUrl: e.SATUSEHAT_AUTH_URL ?? `${host}/oauth2/v1`,
      fhirUrl: e.SATUSEHAT_FHIR_URL ?? `${host}/fhir-r4/v1`,
      clientId: e.SATUSEHAT_CLIENT_ID ?? 'sim-client',
      clientSecret: secret ?? 'sim-secret',
      orgId: e.SATUSEHAT_ORG_ID ?? '100011961',
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    },
    simulatorPort: e.SIMULATOR_PORT,
    sourceDatabaseUrl: e.SOURCE_DATABASE_URL,
    stateDatabaseUrl: e.STATE_DATABASE_URL,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    sourceUtcOffset: e.SOURCE_UTC_OFFSET,
    minResourceDate: e.MIN_RESOURCE_DATE,
    syncCron: e.SYNC_CRON,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    sendMode: e.SEND_MODE,
    bundleWaitMs: e.BUNDLE_WAIT_MS,
    medicationMode: e.MEDICATION_MODE,
    validateBeforeSend: e.VALIDATE_BEFORE_SEND === 'true',
    workerConcurrency: e.WORKER_CONCURRENCY,
    maxAttempts: e.MAX_ATTEMPTS,
    retryBaseMs: e.RETRY_BASE_MS,
    sendingStaleMs: e.SENDING_STALE_MS,
    unknownCheckBaseMs: e.UNKNOWN_CHECK_BASE_MS,
    workerLockMs: e.WORKER_LOCK_MS,
    reconcileIntervalMs: e.RECONCILE_INTERVAL_MS,
    circuitThreshold: e.CIRCUIT_THRESHOLD,
    circuitProbeMs: e.CIRCUIT_PROBE_MS,
    heartbeatIntervalMs: e.HEARTBEAT_INTERVAL_MS,
    health: { host: e.HEALTH_HOST, port: e.HEALTH_PORT },
    alerts: {
      failureThreshold: e.ALERT_FAILURE_THRESHOLD, overdueMinutes: e.ALERT_OVERDUE_MINUTES, intervalMs: e.ALERT_INTERVAL_MS,
      webhook: e.ALERT_WEBHOOK_URL && e.ALERT_WEBHOOK_SECRET ? { url: e.ALERT_WEBHOOK_URL, secret: e.ALERT_WEBHOOK_SECRET } : null,
    },
    retentionDays: e.RETENTION_DAYS,
    verify: { sample: e.VERIFY_SAMPLE, intervalHours: e.VERIFY_INTERVAL_HOURS },
    sweepItemsPerPass: e.SWEEP_ITEMS_PER_PASS,
    logLevel: e.LOG_LEVEL,
  });
}

/** A URL with its password replaced, safe to print. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}
