// `regenerate <type>`: ask the daemon to rebuild a foundation type from Dekacare's master data
// (mission point 5). The request is a sync_runs row plus a job on the control queue.
import { ExitError, EXIT } from '../../shared/errors.js';
import { getResourceType, resourceTypes } from '../../shared/fhir/registry.js';
import { dim, yellow } from '../output.js';
import { parseType } from './args.js';
import { cliOperator, printJson, say, withServices } from './common.js';

const FOUNDATION = resourceTypes.filter((t) => t.foundation).map((t) => t.name);

export async function regenerateCommand(typeArg: string, options: { json?: boolean }): Promise<number> {
  const type = parseType(typeArg);
  if (!getResourceType(type)?.foundation) throw new ExitError(EXIT.usage, `regenerate is only for foundation types (${FOUNDATION.join(', ')}), not ${type}`);
  return withServices(async (services) => {
    const result = await services.regenerate(type, cliOperator());
    if (options.json) printJson({ type, ...result });
    else {
      process.stdout.write(result.alreadyQueued ? `a regeneration of ${type} is already queued or running (run ${result.runId})\n` : `regeneration of ${type} queued as run ${result.runId}\n`);
      if (!result.waiting) process.stdout.write(dim('the daemon rebuilds it; watch with `satusehat status` (figures refresh as it goes)') + '\n');
    }
    if (result.waiting) say(yellow(`note: ${result.waiting}`));
    return EXIT.ok;
  });
}
