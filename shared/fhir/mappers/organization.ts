// Dekacare unit → SATUSEHAT sub-Organization (a department under the facility), POSTed once.
// Shape per the SATUSEHAT IG Organization create payload; mandatory: active, type, name, partOf.
import type { Address, ContactPoint, Organization } from '@medplum/fhirtypes';
import { sysIdSystem } from '../identifiers.js';
import type { MapContext, MapIssue, MapResult } from '../types.js';
import type { UnitRow } from '../../types/source-rows.js';
import { clean, contextIssues, invalid, ok } from './common.js';

export const ORGANIZATION_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/organization-type';
// Deliberately loose: catches typos like 'poli.umum@klinik' or 'poli umum', not every RFC 5322 case.
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function mapOrganization(row: UnitRow, ctx: MapContext): MapResult {
  const code = clean(row.code);
  const name = clean(row.name);
  const phone = clean(row.phone);
  const email = clean(row.email);
  const line = clean(row.address);
  const city = clean(row.city);
  const postalCode = clean(row.postalCode);
  const common = { sourceKey: String(row.id), businessDate: null, summary: { code, name, city } };

  const label = `Unit ${code ?? (name !== null ? `'${name}' (id ${row.id})` : `id ${row.id}`)}`;
  const issues: MapIssue[] = contextIssues(ctx, 'Organization');
  if (code === null) {
    issues.push({ path: 'Organization.identifier[0].value', message: `${label} has no code: the code is the identifier (${sysIdSystem('organization', ctx.orgId)}) that finds this department again in SATUSEHAT. Fill in the unit code in Dekacare` });
  }
  if (name === null) {
    issues.push({ path: 'Organization.name', message: `${label} has no name, and SATUSEHAT requires Organization.name. Fill in the unit name in Dekacare` });
  }
  if (email !== null && !EMAIL_RE.test(email)) {
    issues.push({ path: 'Organization.telecom[email]', message: `${label} has an invalid e-mail address '${email}'. Correct or clear it in Dekacare` });
  }
  if (issues.length > 0 || code === null || name === null) return invalid(common, issues);

  const telecom: ContactPoint[] = [];
  if (phone !== null) telecom.push({ system: 'phone', value: phone, use: 'work' });
  if (email !== null) telecom.push({ system: 'email', value: email, use: 'work' });

  const address: Address[] = [];
  if (line !== null || city !== null || postalCode !== null) {
    address.push({
      use: 'work',
      type: 'both',
      ...(line !== null && { line: [line] }),
      ...(city !== null && { city }),
      ...(postalCode !== null && { postalCode }),
      country: 'ID',
    });
  }

  const body: Organization = {
    resourceType: 'Organization',
    active: true,
    identifier: [{ use: 'official', system: sysIdSystem('organization', ctx.orgId), value: code }],
    type: [{ coding: [{ system: ORGANIZATION_TYPE_SYSTEM, code: 'dept', display: 'Hospital Department' }] }],
    name,
    ...(telecom.length > 0 && { telecom }),
    ...(address.length > 0 && { address }),
    partOf: { reference: `Organization/${ctx.orgId}` },
  };
  return ok(common, { method: 'POST', path: 'Organization', body });
}
