import { connectMysql, type Db } from './connect.js';

/** Connects and runs SELECT 1; rejects with the driver's error (code intact) on failure. */
export async function pingMysql(db: Db): Promise<void> {
  await db.raw('SELECT 1');
}

/** Checks a URL without keeping a pool open. */
export async function probeMysql(url: string): Promise<void> {
  const db = connectMysql(url, { poolMax: 1 });
  try {
    await pingMysql(db);
  } finally {
    await db.destroy();
  }
}
