// Who may operate the SATUSEHAT sync (mission point 1): role admin or superadmin, the permission
// `satusehat`, and an active account. Pure, so the rules are tested without a database.

export const ALLOWED_ROLES: readonly string[] = ['admin', 'superadmin'];
export const REQUIRED_PERMISSION = 'satusehat';

/** Shown for an unknown user and for a wrong password alike, so usernames cannot be probed. */
export const BAD_CREDENTIALS = 'wrong username or password';

export type AccessProblem = 'inactive' | 'no_role' | 'no_permission';

export interface AccountFacts {
  username: string;
  role: string | null;
  isActive: boolean;
  permissions: readonly string[];
}

/** Every reason this account may not operate, most fundamental first; [] when it may. */
export function accessProblems(account: AccountFacts): Array<{ problem: AccessProblem; message: string }> {
  const out: Array<{ problem: AccessProblem; message: string }> = [];
  if (!account.isActive) out.push({ problem: 'inactive', message: `account "${account.username}" is deactivated in Dekacare` });
  const role = account.role?.toLowerCase() ?? null;
  if (role === null || !ALLOWED_ROLES.includes(role)) {
    out.push({ problem: 'no_role', message: `role is ${account.role ? `"${account.role}"` : 'not set'}; only ${ALLOWED_ROLES.join(' or ')} may operate SATUSEHAT` });
  }
  if (!account.permissions.includes(REQUIRED_PERMISSION)) out.push({ problem: 'no_permission', message: `the permission "${REQUIRED_PERMISSION}" is missing` });
  return out;
}

/** One line for the login screen: every missing piece, and who can fix it. */
export function refusalMessage(account: AccountFacts, problems: Array<{ message: string }>): string {
  return `${account.username} may not open SATUSEHAT: ${problems.map((p) => p.message).join('; ')}. Ask a Dekacare superadmin to change this.`;
}

/** Laravel stores bcrypt as '$2y$'; it is the same algorithm as '$2b$'. */
export function normaliseBcrypt(hash: string): string {
  return hash.startsWith('$2y$') ? `$2b$${hash.slice(4)}` : hash;
}
