// Shared by the laboratory mappers (ServiceRequest, Specimen, ObservationLab, DiagnosticReport).
import { checkLoinc, LOINC_SYSTEM } from '../terminology/loinc.js';
import type { MapIssue } from '../types.js';

/** The order's test as a LOINC coding, or an issue (RuleNumber 10001) at `path`. */
export function labTestCoding(loincCode: string, testName: string | null, path: string, label: string, issues: MapIssue[]): { system: string; code: string; display?: string } | null {
  const checked = checkLoinc(loincCode);
  if (!checked.ok) {
    const raw = loincCode.trim();
    issues.push({
      path,
      rule: '10001',
      message: `Code not found: '${raw}' in system: ${LOINC_SYSTEM} (RuleNumber: 10001). ${label}: test '${testName ?? '?'}' has LOINC code '${raw}', which ${checked.reason}. Correct the test's LOINC mapping in Dekacare's lab master`,
    });
    return null;
  }
  const display = checked.display ?? testName;
  return { system: LOINC_SYSTEM, code: checked.code, ...(display !== null && { display }) };
}
