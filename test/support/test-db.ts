// Isolated databases per test file on the real MariaDB. Dropped after use.
import { randomBytes } from 'node:crypto';
import { connectMysql, dropDatabase, ensureDatabase, withDatabase, type Db } from '../../shared/db/connect.js';

/** Server URL for tests; .ci/run creates this user. Override with TEST_MYSQL_URL. */
export const TEST_MYSQL_URL = process.env.TEST_MYSQL_URL ?? 'mysql://satusehat:satusehat@127.0.0.1:3306/';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestDatabase {
  url: string;
  db: Db;
  drop(): Promise<void>;
}

/** Creates `satusehat_t_<label>_<random>` and connects to it. */
export async function createTestDatabase(label: string, options: { dateStrings?: boolean } = {}): Promise<TestDatabase> {
  const name = `satusehat_t_${label}_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(TEST_MYSQL_URL, name);
  await ensureDatabase(url);
  const db = connectMysql(url, { dateStrings: options.dateStrings });
  return {
    url,
    db,
    async drop() {
      await db.destroy();
      await dropDatabase(url);
    },
  };
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
