import { redactUrl } from '../../shared/config/load-config.js';
import { connectMysql } from '../../shared/db/connect.js';
import { checkStateDb } from '../../daemon/runtime.js';
import { getStatus, totals } from '../../shared/services/status-service.js';
import { loadCliConfig } from '../context.js';
import { statusTable } from '../output.js';

export async function statusCommand(options: { date?: string; json?: boolean }): Promise<number> {
  const config = loadCliConfig();
  const state = connectMysql(config.stateDatabaseUrl, { poolMax: 2 });
  try {
    await checkStateDb(state, config.stateDatabaseUrl);
    const rows = await getStatus(state, options.date);
    if (options.json) {
      process.stdout.write(JSON.stringify({ date: options.date ?? null, environment: config.satusehat.env, types: rows, totals: totals(rows) }, null, 2) + '\n');
    } else {
      process.stdout.write(`SATUSEHAT ${config.satusehat.env} · state ${redactUrl(config.stateDatabaseUrl)}${options.date ? ` · date ${options.date}` : ''}\n`);
      process.stdout.write(statusTable(rows) + '\n');
    }
    return 0;
  } finally {
    await state.destroy();
  }
}
