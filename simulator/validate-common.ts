// Building blocks shared by the per-type validators. Each check appends issues; none throws.
import { elementMissing, issue, mandatoryRef, refNotFound, withRule, type Issue } from './outcome.js';
import type { PersonKind } from './people.js';
import { parseReference } from './references.js';
import type { JsonObject } from './types.js';

export interface ValidationContext {
  orgId: string;
  /** Epoch ms used for the "no future dates" rule. */
  now: number;
  /** 'YYYY-MM-DD' floor of the same rule (10132); the default floor when unset. */
  minResourceDate?: string;
  /** Stored (or staged in the same Bundle) resource. */
  hasResource(type: string, id: string): boolean;
  /** Patient/Practitioner known to the MPI/MNI (or created through POST /Patient). */
  isKnownPerson(kind: PersonKind, id: string): boolean;
  /** The censored MPI/MNI name a reference display must equal; null when that rule is switched off. */
  personName?: ((kind: PersonKind, id: string) => string | null) | null;
}

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

export const SYS_IDS = 'http://sys-ids.kemkes.go.id/';
const ORG_SCOPED_RE = /^http:\/\/sys-ids\.kemkes\.go\.id\/([a-z-]+)\/([^/]+)(\/[a-z]+)?$/;

// Which facility-namespaced identifier kinds (reference A7) each resource type may use. Besides its
// own kind, the IG's examples give an Encounter an `mpdn` (mortality register) number and an
// Observation an `sitb` (TB information system) number.
const KINDS: Record<string, readonly string[]> = {
  Organization: ['organization'],
  Location: ['location'],
  Encounter: ['encounter', 'mpdn'],
  Condition: ['condition'],
  Observation: ['observation', 'sitb'],
  Procedure: ['procedure'],
  AllergyIntolerance: ['allergy'],
  Composition: ['composition'],
  ServiceRequest: ['servicerequest', 'acsn'],
  Specimen: ['specimen'],
  DiagnosticReport: ['diagnostic'],
  Medication: ['medication'],
  MedicationRequest: ['prescription', 'prescription-item'],
  MedicationDispense: ['prescription', 'prescription-item'],
  EpisodeOfCare: ['episode-of-care'],
  CareTeam: ['careteam'],
  ImagingStudy: ['acsn'],
};

/**
 * identifier[]: every entry needs system and value; a sys-ids system must carry our org id and a kind
 * that fits the resource type. `rule` tags the messages (10117 for Encounter).
 */
export function checkIdentifiers(resource: JsonObject, type: string, ctx: ValidationContext, issues: Issue[], rule?: string): void {
  const ids = resource.identifier;
  if (ids === undefined) return;
  if (!Array.isArray(ids)) {
    issues.push(issue('structure', withRule(`${type}.identifier must be an array`, rule), `${type}.identifier`));
    return;
  }
  ids.forEach((raw, i) => {
    const path = `${type}.identifier[${i}]`;
    if (!isObject(raw)) {
      issues.push(issue('structure', withRule(`Invalid identifier: ${path}`, rule), path));
      return;
    }
    if (!isNonEmptyString(raw.system)) issues.push(elementMissing(`${path}.system`, rule));
    if (!isNonEmptyString(raw.value)) issues.push(elementMissing(`${path}.value`, rule));
    if (typeof raw.system !== 'string') return;
    const m = ORG_SCOPED_RE.exec(raw.system);
    if (!m) return;
    const allowed = KINDS[type];
    if (allowed && !allowed.includes(m[1] as string)) {
      issues.push(issue('value', withRule(`Invalid identifier system: ${raw.system}`, rule), `${path}.system`));
    } else if (m[2] !== ctx.orgId) {
      issues.push(issue('value', withRule(`Wrong organization ID provided by system URL: ${raw.system}`, rule), `${path}.system`));
    }
  });
}

const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?\+00:00$/;
/** The default floor: Kamus Validasi rejects anything before this instant (reference A9); the option minResourceDate moves it. */
export const EARLIEST_MS = Date.UTC(2022, 7, 31);

/** Epoch ms of a 'YYYY-MM-DD' floor at 00:00 UTC; null when it is not a real date. */
export function parseFloorDate(date: string): number | null {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? parseSatusehatDateTime(`${date}T00:00:00+00:00`) : null;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** SATUSEHAT's wording of a floor: 2022-08-31 → "31st August 2022". */
export function floorWords(ms: number): string {
  const d = new Date(ms);
  const day = d.getUTCDate();
  const suffix = day % 10 === 1 && day !== 11 ? 'st' : day % 10 === 2 && day !== 12 ? 'nd' : day % 10 === 3 && day !== 13 ? 'rd' : 'th';
  return `${day}${suffix} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** Epoch ms of a well-formed SATUSEHAT UTC date-time, or null when the text or the calendar is wrong. */
export function parseSatusehatDateTime(value: string): number | null {
  const m = DATETIME_RE.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // Date.UTC silently rolls 2023-02-30 into March; reject values that do not round-trip.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return ms + (m[7] ? Math.floor(Number(m[7]) * 1000) : 0);
}

/** RuleNumber 10132 (format, then value). Returns epoch ms when valid. */
export function checkDateTime(value: unknown, path: string, ctx: ValidationContext, issues: Issue[]): number | null {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const ms = typeof value === 'string' ? parseSatusehatDateTime(value) : null;
  if (ms === null) {
    issues.push(issue('format', `Invalid date time format : ${text} (RuleNumber: 10132). Format allowed : YYYY-MM-DDThh:mm:ss+00:00`, path));
    return null;
  }
  const floor = (ctx.minResourceDate === undefined ? null : parseFloorDate(ctx.minResourceDate)) ?? EARLIEST_MS;
  if (ms > ctx.now || ms < floor) {
    issues.push(issue('value', `Invalid date time value : ${text} (RuleNumber: 10132) Not Allowed : Future Date or Past Date older than ${floorWords(floor)}`, path));
    return null;
  }
  return ms;
}

/** Checks `value` with 10132 when present. */
export function checkOptionalDateTime(value: unknown, path: string, ctx: ValidationContext, issues: Issue[]): void {
  if (value !== undefined) checkDateTime(value, path, ctx, issues);
}

/**
 * A mandatory Reference to `type` that must exist. `extraOk` lets callers accept one fixed value
 * (e.g. `Organization/<orgId>`, which is registered by Kemenkes and never stored here).
 */
export function checkReference(
  element: unknown,
  path: string,
  type: string,
  ctx: ValidationContext,
  issues: Issue[],
  rule?: string,
  extraOk?: string,
): void {
  const ref = isObject(element) ? element.reference : undefined;
  if (!isNonEmptyString(ref)) {
    issues.push(mandatoryRef(path, rule));
    return;
  }
  const parsed = parseReference(ref);
  if (extraOk !== undefined && (ref === extraOk || (parsed && `${parsed.type}/${parsed.id}` === extraOk))) return;
  let found = false;
  if (parsed && parsed.type === type) {
    if (type === 'Patient' || type === 'Practitioner') found = ctx.isKnownPerson(type, parsed.id);
    else found = ctx.hasResource(type, parsed.id);
  }
  if (!found) issues.push(refNotFound(`${path}.reference`, ref, rule));
}

/**
 * CodeableConcept.coding[]: mandatory, every system in `allowed` (10002), and `codeOk` per code (10001).
 */
export function checkCodeable(
  element: unknown,
  path: string,
  allowed: readonly string[],
  issues: Issue[],
  codeOk?: (system: string, code: string) => boolean,
): void {
  const coding = isObject(element) ? element.coding : undefined;
  if (!Array.isArray(coding) || coding.length === 0) {
    issues.push(elementMissing(`${path}.coding`));
    return;
  }
  coding.forEach((raw, i) => checkCoding(raw, `${path}.coding[${i}]`, allowed, issues, codeOk));
}

/** One Coding: system in `allowed` (10002) and a code accepted by `codeOk` (10001). */
export function checkCoding(raw: unknown, path: string, allowed: readonly string[], issues: Issue[], codeOk?: (system: string, code: string) => boolean): void {
  if (!isObject(raw)) {
    issues.push(elementMissing(path));
    return;
  }
  if (!isNonEmptyString(raw.system)) issues.push(elementMissing(`${path}.system`));
  else if (!allowed.includes(raw.system)) issues.push(issue('value', withRule(`Invalid coding system: ${raw.system}`, '10002'), `${path}.system`));
  if (!isNonEmptyString(raw.code)) issues.push(elementMissing(`${path}.code`));
  else if (typeof raw.system === 'string' && allowed.includes(raw.system) && codeOk && !codeOk(raw.system, raw.code)) {
    issues.push(issue('value', withRule(`Code not found: '${raw.code}' in system: ${raw.system}`, '10001'), `${path}.code`));
  }
}

/** A mandatory element that must be present and non-empty. */
export function requireElement(value: unknown, path: string, issues: Issue[]): boolean {
  const missing = value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
  if (missing) issues.push(elementMissing(path));
  return !missing;
}
