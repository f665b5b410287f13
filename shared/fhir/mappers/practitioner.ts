// Dekacare practitioner → lookup in the Master Nakes Index by NIK. The practitioner's SATUSEHAT id
// (an 11-digit number) comes from the search result; nothing is created.
import { checkNik, nikLookupPath } from '../identifiers.js';
import type { MapContext, MapIssue, MapResult } from '../types.js';
import type { PractitionerRow } from '../../types/source-rows.js';
import { clean, contextIssues, invalid, ok } from './common.js';

export function mapPractitioner(row: PractitionerRow, ctx: MapContext): MapResult {
  const nik = clean(row.nik);
  const name = clean(row.name);
  const common = { sourceKey: String(row.id), businessDate: null, summary: { nik, name } };

  const issues: MapIssue[] = contextIssues(ctx, 'Practitioner');
  const nikIssue = checkNik(nik, 'Practitioner.identifier[nik]', `Practitioner ${name ?? `#${row.id}`}`);
  if (nikIssue) issues.push(nikIssue);
  if (issues.length > 0 || nik === null) return invalid(common, issues);

  return ok(common, { method: 'GET', path: nikLookupPath('Practitioner', nik), body: null });
}
