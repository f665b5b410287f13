import { redactUrl } from '../../shared/config/load-config.js';
import { connectMysql, databaseName, ensureDatabase } from '../../shared/db/connect.js';
import { pingMysql } from '../../shared/db/health.js';
import { migrateLatest, migrateRollbackAll } from '../../shared/db/state/migrate.js';
import { describeMysqlError, EXIT, ExitError } from '../../shared/errors.js';
import { loadCliConfig } from '../context.js';

export async function migrateCommand(options: { rollback?: boolean; json?: boolean }): Promise<number> {
  const config = loadCliConfig();
  const state = connectMysql(config.stateDatabaseUrl, { poolMax: 1 });
  try {
    await pingMysql(state).catch(async (err: unknown) => {
      // A missing state database is created here when the user may (migrate is what the other
      // commands' "does not exist" message sends people to); otherwise say who must create it.
      if ((err as { code?: string }).code !== 'ER_BAD_DB_ERROR' || options.rollback) throw describeMysqlError(err, 'STATE_DATABASE_URL', redactUrl(config.stateDatabaseUrl));
      await ensureDatabase(config.stateDatabaseUrl).catch((createErr: unknown) => {
        if (!/^ER_(DBACCESS|ACCESS|SPECIFIC_ACCESS)/.test((createErr as { code?: string }).code ?? '')) throw describeMysqlError(createErr, 'STATE_DATABASE_URL', redactUrl(config.stateDatabaseUrl));
        const name = databaseName(config.stateDatabaseUrl);
        throw new ExitError(EXIT.serviceUnavailable, `database ${name} does not exist at ${redactUrl(config.stateDatabaseUrl)} and this MySQL user may not create it: as an admin, CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 and GRANT ALL ON \`${name}\`.* to the user, then run \`satusehat migrate\` again`);
      });
    });
    const names = options.rollback ? await migrateRollbackAll(state) : await migrateLatest(state);
    if (options.json) process.stdout.write(JSON.stringify({ action: options.rollback ? 'rollback' : 'latest', migrations: names }) + '\n');
    else process.stdout.write(names.length === 0 ? 'state database is up to date\n' : `${options.rollback ? 'rolled back' : 'applied'}: ${names.join(', ')}\n`);
    return 0;
  } finally {
    await state.destroy();
  }
}
