// Login with a Dekacare account, and `users check`. The password is checked before anything
// about the account is revealed: a wrong password and an unknown user get the same answer.
import bcrypt from 'bcryptjs';
import type { Db } from '../db/connect.js';
import { insertAudit, recentWrongLogins } from '../db/state/audit-repo.js';
import { findOperator } from '../db/source/users.js';
import type { LoginResult, UserCheck } from './api.js';
import { accessProblems, BAD_CREDENTIALS, normaliseBcrypt, refusalMessage } from './access.js';
import { remainingWaitMs, TerminalThrottle, THROTTLE_WINDOW_MS, throttledMessage } from './login-throttle.js';

/** Where a login comes from: this terminal's own count of wrong tries, and its name for the audit. */
export interface LoginTerminal {
  throttle: TerminalThrottle;
  name: string;
}

/** Compared against when the user does not exist, so both answers take as long. */
const DUMMY_HASH = '$2b$10$a1DVfh93IhP3mV7fsRSWduU9AGeCnfaDaqyR6SG9q.rJpBjUGHBme';

async function passwordMatches(password: string, hash: string): Promise<boolean> {
  try {
    return await bcrypt.compare(password, normaliseBcrypt(hash));
  } catch {
    // A malformed stored hash never matches.
    return false;
  }
}

export async function login(state: Db, source: Db, username: string, password: string, terminal: LoginTerminal = { throttle: new TerminalThrottle(), name: 'unknown' }): Promise<LoginResult> {
  const name = username.trim();
  const account = name === '' ? null : await findOperator(source, name);
  // The name tried, as the account spells it when there is one: the audit names it either way.
  const actor = (account?.username ?? name).slice(0, 100) || '(empty)';
  const now = Date.now();
  const wrong = await recentWrongLogins(state, actor, THROTTLE_WINDOW_MS);
  const waitMs = Math.max(remainingWaitMs(wrong.count, wrong.lastAt, now), terminal.throttle.remaining(now));
  if (waitMs > 0) {
    // Refused before the password is even compared: nothing can be guessed during the wait.
    await insertAudit(state, [{ actor, action: 'login_refused', target: `user:${actor}`, details: { reason: 'throttled', waitMs, wrongInRow: wrong.count, terminal: terminal.name } }]);
    return { ok: false, reason: 'throttled', message: throttledMessage(waitMs) };
  }
  const ok = await passwordMatches(password, account?.passwordHash ?? DUMMY_HASH);
  if (!account || !ok) {
    const reason = account ? 'wrong_password' : 'unknown_user';
    terminal.throttle.refused(now);
    await insertAudit(state, [{ actor, action: 'login_refused', target: `user:${actor}`, details: { reason, terminal: terminal.name } }]);
    return { ok: false, reason, message: BAD_CREDENTIALS };
  }
  terminal.throttle.succeeded();
  const problems = accessProblems(account);
  if (problems.length > 0) {
    const reason = problems[0]!.problem;
    await insertAudit(state, [{ actor, action: 'login_refused', target: `user:${actor}`, details: { reason, problems: problems.map((p) => p.problem), terminal: terminal.name } }]);
    return { ok: false, reason, message: refusalMessage(account, problems) };
  }
  await insertAudit(state, [{ actor, action: 'login', target: `user:${actor}`, details: { role: account.role, terminal: terminal.name } }]);
  return { ok: true, operator: { username: account.username, name: account.name, role: account.role } };
}

/** For administrators at the server: everything about an account except its password. */
export async function checkUser(source: Db, username: string): Promise<UserCheck> {
  const account = await findOperator(source, username.trim());
  if (!account) {
    return { username, exists: false, active: false, role: null, permissions: [], allowed: false, reasons: [`no Dekacare user "${username}"`] };
  }
  const problems = accessProblems(account);
  return {
    username: account.username, exists: true, active: account.isActive, role: account.role, permissions: account.permissions,
    allowed: problems.length === 0, reasons: problems.map((p) => p.message),
  };
}
