// Dekacare operators, for the TUI/CLI login. Only the lookup lives here; deciding who may open
// the SatuSehat page (admin/superadmin + permission satusehat + active) is the caller's job.
import type { Db } from '../connect.js';
import { toBoolean, toInt, toText, toTextOrNull } from './values.js';

export interface Operator {
  id: number;
  username: string;
  name: string;
  /** As Dekacare stores it: bcrypt in PHP's '$2y$' form (bcryptjs 3 verifies it as is). */
  passwordHash: string;
  /** Null when the user has no (existing) role. */
  role: string | null;
  isActive: boolean;
  /** The role's permissions ∪ the user's own, sorted. */
  permissions: string[];
}

/** Counted with the readers' tables (counts.ts). */
export const OPERATOR_TABLE = 'users';

interface RawUser {
  id: unknown;
  username: unknown;
  name: unknown;
  password: unknown;
  is_active: unknown;
  role_id: unknown;
  role: unknown;
}

/** The user with this username (the column's collation decides case), or null. */
export async function findOperator(db: Db, username: string): Promise<Operator | null> {
  const raw = (await db(`${OPERATOR_TABLE} as u`)
    .leftJoin('roles as r', 'r.id', 'u.role_id')
    .where('u.username', username)
    .first('u.id', 'u.username', 'u.name', 'u.password', 'u.is_active', 'u.role_id', 'r.name as role')) as RawUser | undefined;
  if (!raw) return null;
  const id = toInt(raw.id);
  const roleId = raw.role_id === null || raw.role_id === undefined ? null : toInt(raw.role_id);

  const viaUser = db('user_has_permissions as up').join('permissions as p', 'p.id', 'up.permission_id').where('up.user_id', id).select('p.name');
  const query = roleId === null
    ? viaUser
    : db('role_has_permissions as rp').join('permissions as p', 'p.id', 'rp.permission_id').where('rp.role_id', roleId).select('p.name').union(viaUser);
  const names = ((await query) as { name: unknown }[]).map((r) => toText(r.name)).filter((n) => n !== '');

  return {
    id,
    username: toText(raw.username),
    name: toText(raw.name),
    passwordHash: toText(raw.password),
    role: toTextOrNull(raw.role),
    isActive: toBoolean(raw.is_active),
    permissions: [...new Set(names)].sort(),
  };
}
