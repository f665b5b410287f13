// Expected failures end the process with one readable line and a documented exit code.

export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  itemsFailed: 3,
  satusehatUnavailable: 4,
  serviceUnavailable: 5,
  locked: 6,
  interrupted: 130,
} as const;

export class ExitError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'ExitError';
  }
}

const START_MYSQL = 'start it with `sudo service mariadb start` (or `start-stop-daemon --start --background --exec /usr/sbin/mariadbd` as root)';
const START_REDIS = "start it with `redis-server --daemonize yes` (or `sudo service redis-server start`)";

/** Turns a MySQL connection error into one line that names the address tried and what to do. */
export function describeMysqlError(err: unknown, label: string, safeUrl: string): ExitError {
  const code = (err as { code?: string }).code ?? '';
  const message = (err as Error).message ?? String(err);
  if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOENT', 'PROTOCOL_CONNECTION_LOST'].includes(code)) {
    return new ExitError(EXIT.serviceUnavailable, `MySQL/MariaDB not reachable at ${safeUrl} (${label}, ${code}): ${START_MYSQL}`);
  }
  if (code === 'ER_DBACCESS_DENIED_ERROR') {
    // The login worked; the user lacks rights on this database (or on creating it).
    const { user, database } = urlParts(safeUrl);
    return new ExitError(EXIT.serviceUnavailable, `MySQL user '${user}' may not use database '${database}' (${label} at ${safeUrl}): as root, GRANT ALL PRIVILEGES ON \`${database}\`.* TO '${user}'@'<its host>'; or point ${label} at a database it may use`);
  }
  if (code.startsWith('ER_ACCESS_DENIED')) {
    return new ExitError(EXIT.serviceUnavailable, `MySQL refused the login for ${label} at ${safeUrl}: create the user or fix the URL (npm run demo creates the demo user as root)`);
  }
  if (code === 'ER_BAD_DB_ERROR') {
    return new ExitError(EXIT.serviceUnavailable, `database of ${label} does not exist at ${safeUrl}: run \`satusehat migrate\` (state) or \`npm run demo\``);
  }
  if (code === 'ER_NO_SUCH_TABLE') {
    return new ExitError(EXIT.serviceUnavailable, `${label} at ${safeUrl} has no tables yet: run \`satusehat migrate\` (state) or \`satusehat demo seed\` (demo source)`);
  }
  return new ExitError(EXIT.serviceUnavailable, `${label} at ${safeUrl} failed: ${message.split('\n')[0]}`);
}

function urlParts(url: string): { user: string; database: string } {
  try {
    const parsed = new URL(url);
    return { user: decodeURIComponent(parsed.username) || '(none)', database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(none)' };
  } catch {
    return { user: '?', database: '?' };
  }
}

export function describeRedisError(err: unknown, safeUrl: string): ExitError {
  const message = (err as Error).message ?? String(err);
  return new ExitError(EXIT.serviceUnavailable, `Redis not reachable at ${safeUrl} (${message.split('\n')[0]}): ${START_REDIS}`);
}
