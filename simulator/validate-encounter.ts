// Encounter rules 10117–10124, 10121/10173 and 10132 (reference A8, A9, A11).
import { elementMissing, issue, mandatoryRef, withRule, type Issue } from './outcome.js';
import {
  checkCoding,
  checkDateTime,
  checkIdentifiers,
  checkReference,
  isObject,
  type ValidationContext,
} from './validate-common.js';
import type { JsonObject } from './types.js';
import { checkEncounterDetails } from './validate-encounter-details.js';

const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const CLASS_CODES = new Set(['AMB', 'EMER', 'IMP', 'HH', 'TELE']);
const STATUSES = new Set(['planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'cancelled', 'entered-in-error', 'unknown']);

export function validateEncounter(r: JsonObject, ctx: ValidationContext): Issue[] {
  const issues: Issue[] = [];
  checkEncounterIdentifier(r, ctx, issues);

  if (r.status === undefined) issues.push(elementMissing('Encounter.status'));
  else if (typeof r.status !== 'string' || !STATUSES.has(r.status)) {
    issues.push(issue('value', withRule(`Code not found: '${String(r.status)}' in system: http://hl7.org/fhir/encounter-status`, '10001'), 'Encounter.status'));
  }

  if (r.class === undefined) issues.push(elementMissing('Encounter.class'));
  else checkCoding(r.class, 'Encounter.class', [ACT_CODE], issues, (_s, code) => CLASS_CODES.has(code));

  checkReference(r.subject, 'Encounter.subject', 'Patient', ctx, issues, '10118');
  checkParticipants(r, ctx, issues);
  checkLocations(r, ctx, issues);
  checkStatusHistory(r, ctx, issues);
  checkPeriod(r, ctx, issues);
  checkServiceProvider(r, ctx, issues);
  checkEncounterDetails(r, ctx, issues);
  return issues;
}

// 10117: one identifier has the system .../encounter/<our org>; further ones (the IG's examples add an
// episode-of-care or mortality-register number) are fine as long as no sys-ids system names another org.
function checkEncounterIdentifier(r: JsonObject, ctx: ValidationContext, issues: Issue[]): void {
  const expected = `http://sys-ids.kemkes.go.id/encounter/${ctx.orgId}`;
  if (!Array.isArray(r.identifier) || r.identifier.length === 0) {
    issues.push(elementMissing('Encounter.identifier', '10117'));
    return;
  }
  const before = issues.length;
  checkIdentifiers(r, 'Encounter', ctx, issues, '10117');
  if (issues.length > before) return;
  if (!r.identifier.some((raw) => (raw as JsonObject).system === expected)) {
    issues.push(issue('value', withRule(`Invalid identifier system: no Encounter.identifier has the system ${expected}`, '10117'), 'Encounter.identifier'));
  }
}

function checkParticipants(r: JsonObject, ctx: ValidationContext, issues: Issue[]): void {
  if (!Array.isArray(r.participant) || r.participant.length === 0) {
    issues.push(mandatoryRef('Encounter.participant[0].individual', '10119'));
    return;
  }
  r.participant.forEach((p, i) => {
    checkReference(isObject(p) ? p.individual : undefined, `Encounter.participant[${i}].individual`, 'Practitioner', ctx, issues, '10119');
  });
}

function checkLocations(r: JsonObject, ctx: ValidationContext, issues: Issue[]): void {
  if (!Array.isArray(r.location) || r.location.length === 0) {
    issues.push(mandatoryRef('Encounter.location[0].location', '10120'));
    return;
  }
  r.location.forEach((l, i) => {
    checkReference(isObject(l) ? l.location : undefined, `Encounter.location[${i}].location`, 'Location', ctx, issues, '10120');
  });
}

function checkStatusHistory(r: JsonObject, ctx: ValidationContext, issues: Issue[]): void {
  if (!Array.isArray(r.statusHistory) || r.statusHistory.length === 0) {
    issues.push(elementMissing('Encounter.statusHistory', '10122'));
    return;
  }
  r.statusHistory.forEach((h, i) => {
    const path = `Encounter.statusHistory[${i}]`;
    if (!isObject(h)) {
      issues.push(elementMissing(path, '10122'));
      return;
    }
    if (typeof h.status !== 'string' || !STATUSES.has(h.status)) issues.push(elementMissing(`${path}.status`, '10122'));
    const period = isObject(h.period) ? h.period : undefined;
    if (!period || period.start === undefined) issues.push(elementMissing(`${path}.period.start`, '10122'));
    else checkDateTime(period.start, `${path}.period.start`, ctx, issues);
    if (period?.end !== undefined) checkDateTime(period.end, `${path}.period.end`, ctx, issues);
  });
}

function checkPeriod(r: JsonObject, ctx: ValidationContext, issues: Issue[]): void {
  const period = isObject(r.period) ? r.period : undefined;
  let start: number | null = null;
  let end: number | null = null;
  if (!period || period.start === undefined) issues.push(elementMissing('Encounter.period.start', '10123'));
  else start = checkDateTime(period.start, 'Encounter.period.start', ctx, issues);
  if (period?.end !== undefined) end = checkDateTime(period.end, 'Encounter.period.end', ctx, issues);

  if (r.status === 'finished') {
    if (period?.end === undefined) issues.push(issue('required', withRule('Encounter with status finished must have period.start and period.end', '10121'), 'Encounter.period.end'));
    else if (start !== null && end !== null && end <= start) {
      issues.push(issue('value', withRule('Encounter.period.end must be after Encounter.period.start when status is finished', '10121'), 'Encounter.period.end'));
    }
  } else if (start !== null && end !== null && end <= start) {
    issues.push(issue('value', withRule('Encounter.period.end must be after Encounter.period.start', '10173'), 'Encounter.period.end'));
  }
}

// 10124: the service provider is the facility itself, whose Organization is registered by Kemenkes.
function checkServiceProvider(r: JsonObject, ctx: ValidationContext, issues: Issue[]): void {
  const expected = `Organization/${ctx.orgId}`;
  const ref = isObject(r.serviceProvider) ? r.serviceProvider.reference : undefined;
  if (typeof ref !== 'string' || ref === '') issues.push(mandatoryRef('Encounter.serviceProvider', '10124'));
  else if (ref !== expected) {
    issues.push(issue('value', withRule(`Invalid reference : Encounter.serviceProvider must be ${expected}, got ${ref}`, '10124'), 'Encounter.serviceProvider.reference'));
  }
}
