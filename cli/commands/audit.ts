// `audit`: who did what, newest first (logins, refusals, edits, resends, regenerations, pauses).
import { bold } from '../output.js';
import { printJson, withServices } from './common.js';
import { clipLine, fit, shortTime, terminalWidth } from './format.js';

export async function auditCommand(options: { limit?: number; json?: boolean }): Promise<number> {
  return withServices(async (services) => {
    const entries = await services.audit(options.limit ?? 50);
    if (options.json) {
      printJson(entries);
      return 0;
    }
    if (entries.length === 0) {
      process.stdout.write('no audit entries yet\n');
      return 0;
    }
    const width = terminalWidth();
    process.stdout.write(bold(`${fit('AT', 20)} ${fit('ACTOR', 20)} ${fit('ACTION', 13)} ${fit('TARGET', 16)} DETAILS`) + '\n');
    for (const e of entries) {
      const line = `${fit(shortTime(e.at), 20)} ${fit(e.actor, 20)} ${fit(e.action, 13)} ${fit(e.target ?? '-', 16)} ${e.details ? JSON.stringify(e.details) : ''}`;
      process.stdout.write(clipLine(line, width).trimEnd() + '\n');
    }
    return 0;
  });
}
