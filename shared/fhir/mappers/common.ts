// Small helpers shared by the mappers: context checks, text cleaning and result builders.
import { checkSourceDateTime, parseDateFloor, parseUtcOffset, type SourceDateTimeCheck } from '../datetime.js';
import { namePlaceholder } from '../placeholder-text.js';
import type { BuiltRequest, ItemSummary, MapContext, MapIssue, MapResult, ParentRef, ResourceTypeName } from '../types.js';

/** Trimmed text, or null when missing or blank. */
export function clean(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/** Problems with the context itself (configuration, not source data). Every mapper checks these. */
export function contextIssues(ctx: MapContext, resourceType: ResourceTypeName): MapIssue[] {
  const issues: MapIssue[] = [];
  if (!/^[A-Za-z0-9-]+$/.test(ctx.orgId)) {
    issues.push({ path: `${resourceType}.identifier[0].system`, message: `The configured SATUSEHAT organization id '${ctx.orgId}' is empty or not a plain id (SATUSEHAT_ORG_ID)` });
  }
  if (parseUtcOffset(ctx.sourceUtcOffset) === null) {
    issues.push({ path: resourceType, message: `The configured source UTC offset '${ctx.sourceUtcOffset}' is not like '+07:00'` });
  }
  if (ctx.minResourceDate !== undefined && parseDateFloor(ctx.minResourceDate) === null) {
    issues.push({ path: resourceType, message: `The configured date floor '${ctx.minResourceDate}' is not a date like 2022-08-31 (MIN_RESOURCE_DATE)` });
  }
  if (Number.isNaN(ctx.now.getTime())) {
    issues.push({ path: resourceType, message: 'The mapping context has an invalid "now"' });
  }
  return issues;
}

interface Common {
  sourceKey: string;
  businessDate: string | null;
  summary: ItemSummary;
}

export function ok(common: Common, request: BuiltRequest, parents: ParentRef[] = []): MapResult {
  return { ok: true, ...common, request, parents };
}

export function invalid(common: Common, issues: MapIssue[]): MapResult {
  return { ok: false, ...common, issues };
}

/** A source reference column that is present (NULL references arrive as null, see the source contract). */
export const hasId = (id: number | null | undefined): id is number => id !== null && id !== undefined;

/** Collects the parents a body refers to, in order of first use, without duplicates. */
export class ParentRefs {
  readonly list: ParentRef[] = [];

  /**
   * `{ reference: 'Type/{{Type:key}}', display }`, and records Type:key as a parent. A Patient's or
   * Practitioner's display is never Dekacare's name: SATUSEHAT requires the censored name its
   * look-up returned (10118/10119), so it is a name placeholder filled in at send time.
   */
  ref(type: ResourceTypeName, key: number | string, display?: string | null, fhirType: string = type): { reference: string; display?: string } {
    const sourceKey = String(key);
    if (!this.list.some((p) => p.type === type && p.sourceKey === sourceKey)) this.list.push({ type, sourceKey });
    const shown = type === 'Patient' || type === 'Practitioner' ? namePlaceholder(type, sourceKey) : display;
    return { reference: `${fhirType}/{{${type}:${sourceKey}}}`, ...(shown ? { display: shown } : {}) };
  }

  /** A reference to a Patient or Practitioner parent, with SATUSEHAT's censored name as its display. */
  person(type: 'Patient' | 'Practitioner', key: number | string): { reference: string; display: string } {
    return this.ref(type, key) as { reference: string; display: string };
  }
}

/**
 * Converts one local source time for SATUSEHAT (UTC, 10132 checks); pushes the problem onto
 * `issues` and returns null when it is missing or not allowed. `required` adds a "missing" issue.
 */
export function convertTime(raw: string | null | undefined, ctx: MapContext, path: string, field: string, issues: MapIssue[], missing?: string): SourceDateTimeCheckOk | null {
  const value = clean(raw);
  if (value === null) {
    if (missing) issues.push({ path, message: missing });
    return null;
  }
  const checked = checkSourceDateTime(value, ctx, path, field);
  if (!checked.ok) {
    issues.push(checked.issue);
    return null;
  }
  return checked;
}

export type SourceDateTimeCheckOk = Extract<SourceDateTimeCheck, { ok: true }>;

/** Escapes text for an XHTML narrative div. */
export function escapeXhtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A number as the detail table shows it: no trailing zeros, at most two decimals. */
export function formatNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}
