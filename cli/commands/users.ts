// `users check <username>`: can this Dekacare account operate SATUSEHAT, and if not, why.
// For administrators at the server; exit 3 when the account may not operate.
import { EXIT } from '../../shared/errors.js';
import { green, red } from '../output.js';
import { printJson, withServices } from './common.js';

export async function usersCheckCommand(username: string, options: { json?: boolean }): Promise<number> {
  return withServices(async (services) => {
    const check = await services.checkUser(username);
    if (options.json) printJson(check);
    else {
      process.stdout.write(`${check.allowed ? green('✓ allowed') : red('✗ not allowed')}: ${check.username}\n`);
      if (check.exists) {
        process.stdout.write(`  active: ${check.active ? 'yes' : 'no'} · role: ${check.role ?? '-'} · permissions: ${check.permissions.join(', ') || '-'}\n`);
      }
      for (const reason of check.reasons) process.stdout.write(`  - ${reason}\n`);
    }
    return check.allowed ? EXIT.ok : EXIT.itemsFailed;
  });
}
