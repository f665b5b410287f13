// JSON logs (pino). Secrets, tokens and personal identifiers are redacted by path, so a careless
// `log.info({ config })` cannot leak them. The CLI logs to stderr so stdout stays for --json.
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'password', '*.password', 'clientSecret', '*.clientSecret', '*.*.clientSecret', 'client_secret', '*.client_secret',
  'accessToken', '*.accessToken', 'access_token', '*.access_token', 'token', '*.token',
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization', 'headers.Authorization',
  'nik', '*.nik', 'patientNik', '*.patientNik',
];

export interface LoggerOptions {
  level?: string;
  name?: string;
  destination?: DestinationStream;
  /** fd 2 for CLI commands whose stdout carries results. */
  fd?: 1 | 2;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? pino.destination({ fd: options.fd ?? 1, sync: true });
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      name: options.name ?? 'satusehat',
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
