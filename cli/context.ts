// Shared start-up for CLI commands: config with one line per problem, a stderr logger.
import { ConfigError, loadConfig, loadDotEnv, type Config } from '../shared/config/load-config.js';
import { ExitError, EXIT } from '../shared/errors.js';
import { createLogger, type Logger } from '../shared/log/create-logger.js';

export function loadCliConfig(): Config {
  loadDotEnv();
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      const [first, ...more] = err.problems;
      throw new ExitError(EXIT.usage, more.length === 0 ? `invalid configuration: ${first}` : `invalid configuration (${err.problems.length} problems):\n${err.problems.map((p) => `  - ${p}`).join('\n')}`);
    }
    throw err;
  }
}

/** CLI logs go to stderr (stdout carries results); quiet unless LOG_LEVEL says otherwise. */
export function cliLogger(config: Config): Logger {
  return createLogger({ fd: 2, level: process.env.LOG_LEVEL ? config.logLevel : 'warn' });
}

export function parseDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new ExitError(EXIT.usage, `invalid date "${value}": use YYYY-MM-DD`);
  }
  return value;
}

export function parseCount(name: string, max = 10_000_000) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > max) throw new ExitError(EXIT.usage, `${name} must be a whole number between 0 and ${max}, got "${value}"`);
    return n;
  };
}
