import { redactUrl } from '../../shared/config/load-config.js';
import { connectMysql } from '../../shared/db/connect.js';
import { pingMysql } from '../../shared/db/health.js';
import { migrateLatest, migrateRollbackAll } from '../../shared/db/state/migrate.js';
import { describeMysqlError } from '../../shared/errors.js';
import { loadCliConfig } from '../context.js';

export async function migrateCommand(options: { rollback?: boolean; json?: boolean }): Promise<number> {
  const config = loadCliConfig();
  const state = connectMysql(config.stateDatabaseUrl, { poolMax: 1 });
  try {
    await pingMysql(state).catch((err) => {
      throw describeMysqlError(err, 'STATE_DATABASE_URL', redactUrl(config.stateDatabaseUrl));
    });
    const names = options.rollback ? await migrateRollbackAll(state) : await migrateLatest(state);
    if (options.json) process.stdout.write(JSON.stringify({ action: options.rollback ? 'rollback' : 'latest', migrations: names }) + '\n');
    else process.stdout.write(names.length === 0 ? 'state database is up to date\n' : `${options.rollback ? 'rolled back' : 'applied'}: ${names.join(', ')}\n`);
    return 0;
  } finally {
    await state.destroy();
  }
}
