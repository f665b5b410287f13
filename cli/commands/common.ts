// Shared pieces of the operator commands: opening the services, and who the CLI acts as.
import { userInfo } from 'node:os';
import { openServices } from '../../shared/services/index.js';
import type { Operator, Services } from '../../shared/services/api.js';
import { cliLogger, loadCliConfig } from '../context.js';

export async function withServices<T>(fn: (services: Services) => Promise<T>): Promise<T> {
  const config = loadCliConfig();
  const services = await openServices(config, { log: cliLogger(config) });
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}

/** CLI writes are audited as `cli:<os user>`: whoever has a shell on the server. */
export function cliOperator(): Operator {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = process.env.USER ?? process.env.LOGNAME ?? 'unknown';
  }
  return { username: `cli:${user}`, name: `cli:${user}`, role: null };
}

/** Messages and progress go to stderr; stdout carries results (and only JSON with --json). */
export const say = (text: string) => process.stderr.write(text + '\n');

export const printJson = (value: unknown) => process.stdout.write(JSON.stringify(value, null, 2) + '\n');
