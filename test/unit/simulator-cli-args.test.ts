import { describe, expect, it } from 'vitest';
import { CliError, envName, FLAGS, parseSimulatorArgs, usage } from '../../simulator/cli-args.js';

describe('simulator command line', () => {
  it('maps flags to options and faults', () => {
    const parsed = parseSimulatorArgs(['--port', '9090', '--org-id', '123', '--error-rate-5xx', '0.1', '--retry-after', 'none', '--rate-limit-per-minute', '150'], {});
    expect(parsed).toEqual({ help: false, options: { port: 9090, orgId: '123', faults: { errorRate5xx: 0.1, retryAfterSeconds: null, rateLimitPerMinute: 150 } } });
  });

  it('maps the response-shape faults and the date floor', () => {
    const argv = ['--rate-429-body', 'apigee-quota', '--rule-array-status', '200', '--transaction-entry-outcomes', 'true', '--min-resource-date', '2014-06-03'];
    expect(parseSimulatorArgs(argv, {})).toEqual({
      help: false,
      options: { minResourceDate: '2014-06-03', faults: { rate429Body: 'apigee-quota', ruleArrayStatus: 200, transactionEntryOutcomes: true } },
    });
    expect(parseSimulatorArgs([], { SIM_RULE_ARRAY_STATUS: 'none', SIM_TRANSACTION_ENTRY_OUTCOMES: 'no' })).toEqual({ help: false, options: { faults: { ruleArrayStatus: null, transactionEntryOutcomes: false } } });
  });

  it('reads SIM_* variables, and flags win over them', () => {
    const env = { SIM_PORT: '7000', SIM_ERROR_RATE_5XX: '0.2', SIM_TOKEN_TTL: '60', SIM_CLIENT_ID: 'abc' };
    expect(parseSimulatorArgs(['--port', '7001'], env)).toEqual({ help: false, options: { port: 7001, clientId: 'abc', tokenTtlSeconds: 60, faults: { errorRate5xx: 0.2 } } });
  });

  it('names one variable per flag', () => {
    expect(envName('error-rate-5xx')).toBe('SIM_ERROR_RATE_5XX');
    expect(FLAGS.map((f) => f.flag)).toEqual(
      expect.arrayContaining(['port', 'host', 'client-id', 'client-secret', 'org-id', 'token-ttl', 'unknown-nik-percent', 'latency-ms', 'error-rate-5xx', 'rate-429', 'retry-after', 'hang-rate', 'hang-ms', 'lost-response-rate', 'rate-limit-per-minute', 'rate-429-body', 'rule-array-status', 'transaction-entry-outcomes', 'min-resource-date']),
    );
    for (const f of FLAGS) expect(usage()).toContain(`--${f.flag}`);
  });

  it('reports problems as one-line CliErrors', () => {
    const problem = (argv: string[], env: Record<string, string> = {}): string => {
      try {
        parseSimulatorArgs(argv, env);
      } catch (err) {
        expect(err).toBeInstanceOf(CliError);
        return (err as Error).message;
      }
      throw new Error('expected a CliError');
    };
    expect(problem(['--bogus'])).toBe('unknown flag --bogus');
    expect(problem(['--port', 'x'])).toBe("--port expects a number, got 'x'");
    expect(problem([], { SIM_HANG_RATE: 'often' })).toBe("SIM_HANG_RATE expects a number, got 'often'");
    expect(problem(['--host', ''])).toBe('--host must not be empty');
    expect(problem(['--port', '70000'])).toMatch(/port/);
    expect(problem(['--rate-429', '3'])).toMatch(/rate429/);
    expect(problem(['stray'])).toBe('unexpected argument stray');
    expect(problem(['--rule-array-status', '201'])).toMatch(/ruleArrayStatus/);
    expect(problem(['--rate-429-body', 'html'])).toMatch(/rate429Body/);
    expect(problem(['--transaction-entry-outcomes', 'maybe'])).toBe("--transaction-entry-outcomes expects true or false, got 'maybe'");
    expect(problem(['--min-resource-date', '2014-13-01'])).toBe('invalid minResourceDate 2014-13-01 (a date like 2022-08-31)');
    for (const message of [problem(['--bogus']), problem(['--rate-429', '3'])]) expect(message).not.toContain('\n');
  });

  it('switches the display-name rule with on/off', () => {
    expect(parseSimulatorArgs(['--display-names', 'off'], {})).toEqual({ help: false, options: { enforceDisplayNames: false } });
    expect(parseSimulatorArgs([], { SIM_DISPLAY_NAMES: 'ON' })).toEqual({ help: false, options: { enforceDisplayNames: true } });
    expect(() => parseSimulatorArgs(['--display-names', 'maybe'], {})).toThrow("--display-names expects true or false, got 'maybe'");
  });

  it('treats an empty variable as unset', () => {
    expect(parseSimulatorArgs([], { SIM_PORT: '' })).toEqual({ help: false, options: {} });
  });

  it('recognises --help', () => {
    expect(parseSimulatorArgs(['--help'], {})).toEqual({ help: true });
  });
});
