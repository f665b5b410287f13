// Command-line flags and SIM_* environment variables → SimulatorOptions. A flag beats its variable.
import { parseArgs } from 'node:util';
import { initialFaults } from './faults.js';
import { resolveOptions } from './options.js';
import type { SimulatorFaults, SimulatorOptions } from './types.js';

type Kind = 'string' | 'number' | 'nullable-number' | 'boolean';
type OptionKey = Exclude<keyof SimulatorOptions, 'faults'>;

interface FlagSpec {
  flag: string;
  kind: Kind;
  option?: OptionKey;
  fault?: keyof SimulatorFaults;
  help: string;
}

export const FLAGS: readonly FlagSpec[] = [
  { flag: 'port', kind: 'number', option: 'port', help: 'listen port, 0 = random (default 0)' },
  { flag: 'host', kind: 'string', option: 'host', help: 'listen address (default 127.0.0.1)' },
  { flag: 'client-id', kind: 'string', option: 'clientId', help: 'accepted client_id (default sim-client)' },
  { flag: 'client-secret', kind: 'string', option: 'clientSecret', help: 'accepted client_secret (default sim-secret)' },
  { flag: 'org-id', kind: 'string', option: 'orgId', help: 'organization id of the credentials (default 100011961)' },
  { flag: 'token-ttl', kind: 'number', option: 'tokenTtlSeconds', help: 'expires_in of tokens in seconds (default 3600)' },
  { flag: 'min-resource-date', kind: 'string', option: 'minResourceDate', help: 'date floor of rule 10132, YYYY-MM-DD (default 2022-08-31)' },
  { flag: 'unknown-nik-percent', kind: 'number', option: 'unknownNikPercent', help: 'share of non-sandbox NIKs the MPI/MNI do not know (default 3)' },
  { flag: 'display-names', kind: 'boolean', option: 'enforceDisplayNames', help: "'on' rejects reference displays that are not the censored MPI/MNI name, 10118/10119; 'off' accepts any (default on)" },
  { flag: 'seed', kind: 'number', option: 'seed', help: 'seed of the fault PRNG (default random)' },
  { flag: 'latency-ms', kind: 'number', fault: 'latencyMs', help: 'delay added to every FHIR response (default 0)' },
  { flag: 'error-rate-5xx', kind: 'number', fault: 'errorRate5xx', help: '0..1 share of FHIR requests answered 500/502/503/504 (default 0)' },
  { flag: 'rate-429', kind: 'number', fault: 'rate429', help: '0..1 share of FHIR requests answered 429 (default 0)' },
  { flag: 'retry-after', kind: 'nullable-number', fault: 'retryAfterSeconds', help: "Retry-After seconds on injected 429s, 'none' omits it (default 1)" },
  { flag: 'hang-rate', kind: 'number', fault: 'hangRate', help: '0..1 share of FHIR requests never answered (default 0)' },
  { flag: 'hang-ms', kind: 'number', fault: 'hangMs', help: 'how long a hung request is held (default 120000)' },
  { flag: 'lost-response-rate', kind: 'number', fault: 'lostResponseRate', help: '0..1 share of successful POST/PUT whose response is dropped (default 0)' },
  { flag: 'after-store-share', kind: 'number', fault: 'afterStoreShare', help: '0..1 share of injected 5xx and hangs on writes that come after the write was stored (default 0)' },
  { flag: 'fault-scope', kind: 'string', fault: 'faultScope', help: 'requests that 429, 5xx, hangs and latency apply to: all, writes or reads (default all)' },
  { flag: 'rate-limit-per-minute', kind: 'nullable-number', fault: 'rateLimitPerMinute', help: "sliding 60 s limit over FHIR + token requests, 'none' = off (default none)" },
  { flag: 'rate-429-body', kind: 'string', fault: 'rate429Body', help: 'body of 429s: operation-outcome, apigee-quota or apigee-spike-arrest (default operation-outcome)' },
  { flag: 'rule-array-status', kind: 'nullable-number', fault: 'ruleArrayStatus', help: "answer rejected writes with a [{ruleNumber,message}] array and HTTP 200 or 400, 'none' = OperationOutcome (default none)" },
  { flag: 'transaction-entry-outcomes', kind: 'boolean', fault: 'transactionEntryOutcomes', help: 'a rejected transaction answers with per-entry response.outcome (default false)' },
];

export class CliError extends Error {
  override name = 'CliError';
}

export const envName = (flag: string): string => `SIM_${flag.toUpperCase().replace(/-/g, '_')}`;

export type ParsedCli = { help: true } | { help: false; options: SimulatorOptions };

/** Throws CliError with a one-line message on any problem. */
export function parseSimulatorArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ParsedCli {
  const config = Object.fromEntries([...FLAGS.map((f) => [f.flag, { type: 'string' as const }]), ['help', { type: 'boolean' as const, short: 'h' }]]);
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: [...argv], options: config, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new CliError(argError(err as Error & { code?: string }));
  }
  if (values.help === true) return { help: true };

  const options: SimulatorOptions = {};
  const faults: Partial<SimulatorFaults> = {};
  for (const spec of FLAGS) {
    const fromFlag = values[spec.flag];
    // An empty variable counts as unset (`SIM_PORT= npx tsx ...`); an empty flag is an error.
    const raw = typeof fromFlag === 'string' ? fromFlag : env[envName(spec.flag)] || undefined;
    if (raw === undefined) continue;
    const source = typeof fromFlag === 'string' ? `--${spec.flag}` : envName(spec.flag);
    const value = convert(spec.kind, raw, source);
    if (spec.option) (options as Record<string, unknown>)[spec.option] = value;
    else if (spec.fault) (faults as Record<string, unknown>)[spec.fault] = value;
  }
  if (Object.keys(faults).length > 0) options.faults = faults;

  // Range checks live with the options and faults themselves; surface them as CLI errors.
  try {
    resolveOptions(options);
    initialFaults(options.faults);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  if (options.seed !== undefined && !Number.isInteger(options.seed)) throw new CliError(`invalid seed ${options.seed}: must be an integer`);
  return { help: false, options };
}

function convert(kind: Kind, raw: string, source: string): string | number | boolean | null {
  if (kind === 'boolean') {
    const word = raw.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(word)) return true;
    if (['false', '0', 'no', 'off'].includes(word)) return false;
    throw new CliError(`${source} expects true or false, got '${raw}'`);
  }
  if (kind === 'string') {
    if (raw === '') throw new CliError(`${source} must not be empty`);
    return raw;
  }
  const trimmed = raw.trim();
  if (kind === 'nullable-number' && ['none', 'off', 'null'].includes(trimmed.toLowerCase())) return null;
  const n = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(n)) throw new CliError(`${source} expects a number, got '${raw}'`);
  return n;
}

function argError(err: Error & { code?: string }): string {
  const quoted = /'([^']+)'/.exec(err.message)?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown flag ${quoted ?? ''}`.trim();
  if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument ${quoted ?? ''}`.trim();
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return err.message.split('\n')[0] ?? 'invalid flag value';
  return err.message.split('\n')[0] ?? 'invalid arguments';
}

export function usage(): string {
  const lines = ['Usage: npx tsx simulator/main.ts [flags]', '', 'Every flag can also be set through SIM_<FLAG> (e.g. SIM_PORT, SIM_ERROR_RATE_5XX); flags win.', ''];
  for (const f of FLAGS) lines.push(`  --${f.flag.padEnd(24)} ${f.help}`);
  return lines.join('\n');
}
