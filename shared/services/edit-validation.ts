// Checks an operator's edited request body before it becomes a revision: it must be the item's
// resource type, valid FHIR R4, conform to its SATUSEHAT profile with every required binding
// ("status": "bogus-status" is refused), and keep its sys-ids identifiers (they are what makes
// resends idempotent: change one and SATUSEHAT would store a second copy).
import { takeDiagnosis } from '../fhir/diagnosis-refs.js';
import { foreignPersonDisplays, listPlaceholders, resolvePlaceholders } from '../fhir/placeholders.js';
import type { ParentRef } from '../fhir/types.js';
import { validatePayload } from '../validation/payload-validator.js';
import type { Resource } from '@medplum/fhirtypes';

export interface EditError {
  message: string;
  line?: number;
  column?: number;
  path?: string;
  rule?: string;
}

const SYS_IDS = 'http://sys-ids.kemkes.go.id/';
/** Stands in for parent ids during validation; a valid FHIR id. */
const DUMMY_ID = '00000000-0000-0000-0000-000000000000';

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function identifiersOf(body: unknown): Array<{ system: string; value: string | undefined }> {
  if (!isRecord(body) || !Array.isArray(body.identifier)) return [];
  return body.identifier.filter(isRecord).filter((i) => typeof i.system === 'string').map((i) => ({ system: i.system as string, value: typeof i.value === 'string' ? i.value : undefined }));
}

/** Splits validatePayload's 'Encounter.class: Missing required property' into path and message. */
function r4Error(text: string): EditError {
  const m = /^([A-Za-z][\w.[\]]*): (.*)$/s.exec(text);
  return m ? { path: m[1]!, message: `${m[1]}: ${m[2]}` } : { message: text };
}

export interface EditCheck {
  errors: EditError[];
  /** Parents the body references through `{{Type:key}}` placeholders. */
  parents: ParentRef[];
}

export function checkEditedBody(body: unknown, expectedType: string, previous: unknown): EditCheck {
  if (!isRecord(body)) return { errors: [{ message: 'the request body must be a JSON object (one FHIR resource)' }], parents: [] };
  if (body.resourceType !== expectedType) {
    const got = typeof body.resourceType === 'string' ? `"${body.resourceType}"` : 'missing';
    return { errors: [{ path: 'resourceType', message: `resourceType must be "${expectedType}" (this item's type), got ${got}` }], parents: [] };
  }
  const errors: EditError[] = [];
  const now = identifiersOf(body);
  for (const before of identifiersOf(previous)) {
    const match = now.find((i) => i.system === before.system);
    if (!match) {
      errors.push({ path: 'identifier', message: `identifier with system ${before.system} was removed: keep it (it identifies this record in SATUSEHAT)` });
    } else if (before.system.startsWith(SYS_IDS) && match.value !== before.value) {
      errors.push({ path: 'identifier', message: `identifier ${before.system} must keep its value "${before.value}" (changing it would create a duplicate in SATUSEHAT)` });
    }
  }
  for (const d of foreignPersonDisplays(body)) {
    errors.push({
      path: `${expectedType}.${d.path}`,
      rule: d.type === 'Patient' ? '10118' : '10119',
      message: `${expectedType}.${d.path} must be "${d.expected}" (the censored name SATUSEHAT returned, filled in when sent) or left out: SATUSEHAT refuses any other name`,
    });
  }
  // The Conditions of Encounter.diagnosis are children: named when they have ids, never awaited.
  const parents = listPlaceholders(takeDiagnosis(body).body);
  const resolved = resolvePlaceholders(body, () => DUMMY_ID);
  const candidate = resolved.ok ? resolved.body : body;
  errors.push(...validatePayload(candidate as unknown as Resource).map(r4Error));
  return { errors, parents };
}
