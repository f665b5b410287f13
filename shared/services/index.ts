// The composition of the application services (api.ts): one object the TUI and the CLI share.
import { hostname, userInfo } from 'node:os';
import type { Config } from '../config/load-config.js';
import type { Logger } from '../log/create-logger.js';
import type { Services } from './api.js';
import { openConnections } from './connections.js';
import { pause, readAudit, readControl, regenerate, resume } from './control-service.js';
import { saveRevision } from './edit-service.js';
import { listItems, showItem } from './items-service.js';
import { checkUser, login, type LoginTerminal } from './login-service.js';
import { TerminalThrottle } from './login-throttle.js';
import { resend, resendMatching } from './resend-service.js';
import { getStatus } from './status-service.js';
import { compliance, complianceRange, localToday } from './compliance-service.js';
import { worklist } from './worklist-service.js';
import { waitingNotice } from './liveness-notice.js';

export type * from './api.js';

/**
 * Opens the services. Fails with an ExitError (exit code 5, one line) when the state DB is not
 * reachable or not migrated; the source DB and Redis are opened when first needed.
 */
export async function openServices(config: Config, options: { log?: Logger } = {}): Promise<Services> {
  const conn = await openConnections(config, options.log ?? null);
  // One services instance is one terminal (a TUI process): its wrong logins count together.
  const terminal: LoginTerminal = { throttle: new TerminalThrottle(), name: terminalName() };
  return {
    config,
    status: (date) => getStatus(conn.state, date, config.medicationMode),
    control: () => readControl(conn),
    worklist: (kind, limit) => worklist(conn.state, kind, limit),
    compliance: async (range, opts) => compliance(await conn.source(), conn.state, complianceRange(range.from, range.to, localToday(config.sourceUtcOffset)), opts),
    login: async (username, password) => login(conn.state, await conn.source(), username, password, terminal),
    checkUser: async (username) => checkUser(await conn.source(), username),
    listItems: (q) => listItems(conn.state, q),
    showItem: (id) => showItem(conn.state, id, config.satusehat.fhirUrl),
    saveRevision: (id, bodyText, operator) => saveRevision(conn.state, id, bodyText, operator),
    resend: async (ids, operator, opts) => {
      const r = await resend(conn, ids, operator, opts);
      return { ...r, waiting: !opts?.dryRun && r.queued.length > 0 ? await waitingNotice(conn.state, 'sender', `resend of ${r.queued.length} item${r.queued.length === 1 ? '' : 's'}`) : null };
    },
    resendMatching: async (q, operator, opts) => {
      const r = await resendMatching(conn, q, operator, opts);
      return { ...r, waiting: !opts.dryRun && r.queued > 0 ? await waitingNotice(conn.state, 'sender', `resend of ${r.queued} items`) : null };
    },
    regenerate: async (type, operator) => {
      const r = await regenerate(conn, type, operator);
      return { ...r, waiting: await waitingNotice(conn.state, 'daemon', `regeneration of ${type} (run ${r.runId})`) };
    },
    pause: (operator, reason) => pause(conn, operator, reason),
    resume: (operator) => resume(conn, operator),
    audit: (limit) => readAudit(conn.state, limit),
    close: () => conn.close(),
  };
}

/** Who sits at this terminal, for the audit of logins: OS user, host, and the TUI's pid. */
function terminalName(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (a container's arbitrary uid): the host and pid still say where.
  }
  return `${user}@${hostname()} pid ${process.pid}`.slice(0, 100);
}
