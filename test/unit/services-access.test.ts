import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { accessProblems, normaliseBcrypt, refusalMessage } from '../../shared/services/access.js';
import { toLaravelBcrypt } from '../../shared/demo/users.js';

const account = (over: Partial<Parameters<typeof accessProblems>[0]> = {}) => ({ username: 'rudi', role: 'admin', isActive: true, permissions: ['satusehat'], ...over });

describe('accessProblems', () => {
  it('allows admin and superadmin with the permission, whatever the case of the role', () => {
    expect(accessProblems(account())).toEqual([]);
    expect(accessProblems(account({ role: 'SuperAdmin' }))).toEqual([]);
  });

  it('names every missing piece', () => {
    expect(accessProblems(account({ role: 'dokter', permissions: [] })).map((p) => p.problem)).toEqual(['no_role', 'no_permission']);
    expect(accessProblems(account({ role: null })).map((p) => p.message)).toEqual(['role is not set; only admin or superadmin may operate SATUSEHAT']);
    expect(accessProblems(account({ isActive: false })).map((p) => p.problem)).toEqual(['inactive']);
    const problems = accessProblems(account({ permissions: ['laporan'] }));
    expect(refusalMessage(account(), problems)).toBe('rudi may not open SATUSEHAT: the permission "satusehat" is missing. Ask a Dekacare superadmin to change this.');
  });
});

describe('normaliseBcrypt', () => {
  it("verifies Laravel's $2y$ hashes", async () => {
    const laravel = toLaravelBcrypt(await bcrypt.hash('rahasia', 4));
    expect(laravel.startsWith('$2y$')).toBe(true);
    expect(await bcrypt.compare('rahasia', normaliseBcrypt(laravel))).toBe(true);
    expect(await bcrypt.compare('salah', normaliseBcrypt(laravel))).toBe(false);
    expect(normaliseBcrypt('$2b$10$abc')).toBe('$2b$10$abc');
  });
});
