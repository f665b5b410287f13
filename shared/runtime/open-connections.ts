// Where every process kind (the daemon; the services under the TUI and the CLI) opens its
// connections. Each one is pinged before use, so a missing service is one readable line (exit 5);
// the state DB must carry every migration this code knows; and closing undoes the opening, newest
// first (a queue before its Redis), each step on its own so one failure cannot leave the rest open.
import { redactUrl, type Config } from '../config/load-config.js';
import { connectMysql, type Db } from '../db/connect.js';
import { pingMysql } from '../db/health.js';
import { pendingMigrations } from '../db/state/migrate.js';
import { describeMysqlError, describeRedisError, ExitError, EXIT } from '../errors.js';
import type { Logger } from '../log/create-logger.js';
import type { Redis } from '../queue/redis.js';

export interface PoolOptions {
  poolMax?: number;
  /** State DB only (shared/db/connect.ts says why). */
  multipleStatements?: boolean;
}

export interface ConnectionSet {
  /** The state DB, reachable and fully migrated. */
  stateDb(pool?: PoolOptions): Promise<Db>;
  /** The clinic's Dekacare DB, reachable; DATETIMEs stay strings (the source contract). */
  sourceDb(pool?: Omit<PoolOptions, 'multipleStatements'>): Promise<Db>;
  /** A Redis client, after a PING answered. `forBullmq` for connections a worker blocks on. */
  redis(options?: { forBullmq?: boolean }): Promise<Redis>;
  /** Something built on these connections (a queue): closed before what was opened before it. */
  onClose(step: () => Promise<unknown>): void;
  /** Closes everything opened so far, newest first; waits for opens still under way. */
  close(): Promise<void>;
}

/** Opens, checks and closes the connections of one process. Nothing is opened until asked for. */
export function createConnectionSet(config: Config, log: Logger | null): ConnectionSet {
  const closeSteps: Array<() => Promise<unknown>> = [];
  const opening = new Set<Promise<unknown>>();

  // An open that fails leaves nothing behind; one that succeeds is closed by close().
  const track = async <T>(open: () => Promise<T>, closeOf: (value: T) => Promise<unknown>): Promise<T> => {
    const pending = open();
    opening.add(pending);
    try {
      const value = await pending;
      closeSteps.push(() => closeOf(value));
      return value;
    } finally {
      opening.delete(pending);
    }
  };

  const openMysql = async (db: Db, label: string, url: string, check?: (db: Db) => Promise<void>): Promise<Db> => {
    try {
      await pingMysql(db).catch((err) => {
        throw describeMysqlError(err, label, redactUrl(url));
      });
      await check?.(db);
      return db;
    } catch (err) {
      await db.destroy().catch(() => undefined);
      throw err;
    }
  };

  const checkMigrated = async (db: Db): Promise<void> => {
    const pending = await pendingMigrations(db);
    if (pending.length > 0) {
      throw new ExitError(EXIT.serviceUnavailable, `state database ${redactUrl(config.stateDatabaseUrl)} is not migrated (${pending.length} pending, from ${pending[0]}): run \`satusehat migrate\``);
    }
  };

  const destroy = (db: Db) => db.destroy();

  return {
    stateDb: (pool = {}) => track(() => openMysql(connectMysql(config.stateDatabaseUrl, pool), 'STATE_DATABASE_URL', config.stateDatabaseUrl, checkMigrated), destroy),
    sourceDb: (pool = {}) => track(() => openMysql(connectMysql(config.sourceDatabaseUrl, { ...pool, dateStrings: true }), 'SOURCE_DATABASE_URL', config.sourceDatabaseUrl), destroy),
    redis: (options = {}) =>
      track(async () => {
        // Loaded on first use: reads (items list, status) never need ioredis.
        const { createRedis, pingRedis } = await import('../queue/redis.js');
        await pingRedis(config.redisUrl).catch((err) => {
          throw describeRedisError(err, redactUrl(config.redisUrl));
        });
        const redis = createRedis(config.redisUrl, options);
        redis.on('error', (err) => log?.warn({ err: err.message }, 'redis connection error'));
        return redis;
      }, (redis) => redis.quit()),
    onClose(step) {
      closeSteps.push(step);
    },
    async close() {
      await Promise.allSettled([...opening]);
      while (closeSteps.length > 0) {
        const step = closeSteps.pop()!;
        try {
          await step();
        } catch (err) {
          log?.warn({ err }, 'error while closing');
        }
      }
    },
  };
}
