// Small helpers shared by the mappers: context checks, text cleaning and result builders.
import { parseUtcOffset } from '../datetime.js';
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
