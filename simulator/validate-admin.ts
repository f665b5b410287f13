// Organization (sub-organizations) and Location: mandatory fields from the IG pages (reference A8).
// SATUSEHAT's own rule numbers for these are not known, so the messages carry none.
import { issue, type Issue } from './outcome.js';
import { checkIdentifiers, checkReference, isNonEmptyString, requireElement, type ValidationContext } from './validate-common.js';
import type { JsonObject } from './types.js';

export function validateOrganization(r: JsonObject, ctx: ValidationContext): Issue[] {
  const issues: Issue[] = [];
  checkIdentifiers(r, 'Organization', ctx, issues);
  if (r.active === undefined) requireElement(undefined, 'Organization.active', issues);
  else if (typeof r.active !== 'boolean') issues.push(issue('value', 'Organization.active must be a boolean', 'Organization.active'));
  if (requireElement(r.name, 'Organization.name', issues) && !isNonEmptyString(r.name)) {
    issues.push(issue('value', 'Organization.name must be a string', 'Organization.name'));
  }
  requireElement(r.type, 'Organization.type', issues);
  checkReference(r.partOf, 'Organization.partOf', 'Organization', ctx, issues, undefined, `Organization/${ctx.orgId}`);
  return issues;
}

const LOCATION_STATUS = ['active', 'suspended', 'inactive'];

export function validateLocation(r: JsonObject, ctx: ValidationContext): Issue[] {
  const issues: Issue[] = [];
  checkIdentifiers(r, 'Location', ctx, issues);
  if (requireElement(r.status, 'Location.status', issues) && !LOCATION_STATUS.includes(r.status as string)) {
    issues.push(issue('value', `Invalid Location.status: ${String(r.status)}`, 'Location.status'));
  }
  requireElement(r.name, 'Location.name', issues);
  requireElement(r.physicalType, 'Location.physicalType', issues);
  checkReference(r.managingOrganization, 'Location.managingOrganization', 'Organization', ctx, issues, undefined, `Organization/${ctx.orgId}`);
  return issues;
}
