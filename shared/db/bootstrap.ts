// For the demo on a fresh machine: create the demo databases, and the demo MySQL user when it is
// missing, using the local root account (TCP without password, then the unix socket).
import { connectMysql, databaseName, ensureDatabase, withDatabase } from './connect.js';

const ADMIN_URLS = ['mysql://root@127.0.0.1:3306/', 'mysql://root@localhost/?socket=/run/mysqld/mysqld.sock', 'mysql://root@localhost/?socket=/var/run/mysqld/mysqld.sock'];
const isAccessError = (err: unknown) => /^ER_(ACCESS_DENIED|DBACCESS_DENIED)/.test((err as { code?: string }).code ?? '');

async function createUserAs(adminUrl: string, appUrl: string, databases: string[]): Promise<void> {
  const app = new URL(appUrl);
  const user = decodeURIComponent(app.username);
  const password = decodeURIComponent(app.password);
  const admin = connectMysql(adminUrl, { poolMax: 1 });
  try {
    for (const host of ['localhost', '127.0.0.1']) {
      await admin.raw('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [user, host, password]);
      for (const db of databases) {
        await admin.raw(`CREATE DATABASE IF NOT EXISTS \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
        await admin.raw(`GRANT ALL PRIVILEGES ON \`${db}\`.* TO ?@?`, [user, host]);
      }
    }
  } finally {
    await admin.destroy();
  }
}

/** Ensures each database exists and the URL's user can use it. Returns how it got there. */
export async function ensureDemoDatabases(urls: string[]): Promise<'existing-user' | 'created-user'> {
  try {
    for (const url of urls) await ensureDatabase(url);
    return 'existing-user';
  } catch (err) {
    if (!isAccessError(err)) throw err;
  }
  let lastError: unknown = null;
  for (const admin of ADMIN_URLS) {
    try {
      await createUserAs(admin, urls[0]!, urls.map(databaseName));
      for (const url of urls) await ensureDatabase(withDatabase(url, databaseName(url)));
      return 'created-user';
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}
