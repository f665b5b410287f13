// Dekacare patient → lookup in the Master Patient Index by NIK. The patient's IHS number
// ('P' + 11 digits) comes from the search result; nothing is created (patients without a NIK
// stay invalid until Dekacare has one).
import { checkNik, nikLookupPath } from '../identifiers.js';
import type { MapContext, MapIssue, MapResult } from '../types.js';
import type { PatientRow } from '../../types/source-rows.js';
import { clean, contextIssues, invalid, ok } from './common.js';

export function mapPatient(row: PatientRow, ctx: MapContext): MapResult {
  const nik = clean(row.nik);
  const name = clean(row.name);
  const mrn = clean(row.mrn);
  const common = { sourceKey: String(row.id), businessDate: null, summary: { mrn, nik, name, birthDate: clean(row.birthDate) } };

  const issues: MapIssue[] = contextIssues(ctx, 'Patient');
  const who = `Patient ${name ?? `#${row.id}`}${mrn ? ` (MRN ${mrn})` : ''}`;
  const nikIssue = checkNik(nik, 'Patient.identifier[nik]', who);
  if (nikIssue) issues.push(nikIssue);
  if (issues.length > 0 || nik === null) return invalid(common, issues);

  return ok(common, { method: 'GET', path: nikLookupPath('Patient', nik), body: null });
}
