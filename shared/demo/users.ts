// Dekacare's login side for the demo: roles, permissions (Spatie-style) and six demo accounts that
// cover every access case of the SatuSehat page. Hashing happens in the seeder; here we only
// derive each account's bcrypt salt from the seed, so the same seed gives the same hashes.
import { STREAM, rowRng } from './prng.js';
import { CLINIC } from './units.js';

export const DEMO_ROLES = ['superadmin', 'admin', 'dokter', 'perawat', 'kasir', 'rekam_medis'] as const;
export type DemoRole = (typeof DEMO_ROLES)[number];

export const DEMO_PERMISSIONS = ['satusehat', 'pendaftaran', 'rekam_medis', 'farmasi', 'laporan', 'kasir', 'pengaturan'] as const;
export type DemoPermission = (typeof DEMO_PERMISSIONS)[number];

/** `satusehat` is not on the admin role: admins get it one by one (user_has_permissions). */
export const DEMO_ROLE_PERMISSIONS: Readonly<Record<DemoRole, readonly DemoPermission[]>> = {
  superadmin: DEMO_PERMISSIONS,
  admin: ['pendaftaran', 'rekam_medis', 'farmasi', 'laporan', 'pengaturan'],
  dokter: ['rekam_medis', 'farmasi'],
  perawat: ['pendaftaran', 'rekam_medis'],
  kasir: ['kasir', 'laporan'],
  rekam_medis: ['rekam_medis', 'pendaftaran', 'laporan'],
};

export interface DemoUser {
  id: number;
  username: string;
  /** Plain text, for the demo only; the seeder stores a bcrypt hash. */
  password: string;
  name: string;
  email: string;
  role: DemoRole;
  isActive: boolean;
  /** Granted to this user on top of the role's permissions. */
  extraPermissions: readonly DemoPermission[];
  /** Deterministic bcrypt salt ('$2b$10$' + 22 chars). */
  salt: string;
}

const user = (id: number, username: string, password: string, name: string, role: DemoRole, isActive: boolean, extraPermissions: readonly DemoPermission[]) => ({ id, username, password, name, role, isActive, extraPermissions });

/** Who can open the SatuSehat page: role admin/superadmin AND permission satusehat AND active. */
const DEMO_USER_DEFS = [
  user(1, 'superadmin', 'superadmin123', 'Super Administrator', 'superadmin', true, []),
  user(2, 'admin', 'admin123', 'Rudi Hartono', 'admin', true, ['satusehat']),
  user(3, 'admin2', 'admin123', 'Dewi Kusumawati', 'admin', true, []),
  user(4, 'dokter', 'dokter123', 'dr. Andi Pratama', 'dokter', true, []),
  user(5, 'kasir', 'kasir123', 'Sri Wahyuni', 'kasir', true, []),
  user(6, 'nonaktif', 'nonaktif123', 'Bambang Setiawan', 'admin', false, ['satusehat']),
] as const;

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** The 22nd salt character carries only 2 bits; these are the canonical choices. */
const BCRYPT_LAST_SALT_CHARS = '.Oeu';

export const BCRYPT_COST = 10;

export function deterministicBcryptSalt(seed: number, userId: number, cost = BCRYPT_COST): string {
  const rng = rowRng(seed, STREAM.user, userId);
  let body = '';
  for (let i = 0; i < 21; i++) body += rng.pick(BCRYPT_ALPHABET.split(''));
  body += rng.pick(BCRYPT_LAST_SALT_CHARS.split(''));
  return `$2b$${String(cost).padStart(2, '0')}$${body}`;
}

export function demoUsers(seed: number): DemoUser[] {
  return DEMO_USER_DEFS.map((u) => ({ ...u, email: `${u.username}@${CLINIC.emailDomain}`, salt: deterministicBcryptSalt(seed, u.id) }));
}

/** bcryptjs writes '$2b$'; Laravel (PHP's password_hash) stores the same hash as '$2y$'. */
export function toLaravelBcrypt(hash: string): string {
  return hash.startsWith('$2b$') || hash.startsWith('$2a$') ? `$2y$${hash.slice(4)}` : hash;
}
