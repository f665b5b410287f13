// The last check before anything leaves: FHIR R4 structure (Medplum's offline validator), the type's
// SATUSEHAT profile and required bindings (payload-validator.ts), plus the SATUSEHAT date rule, on
// the exact body about to be sent. Nothing invalid is sent.
import { dateFloorLabel, dateFloorOf } from '../../shared/fhir/datetime.js';
import { validatePayload } from '../../shared/validation/payload-validator.js';

const SATUSEHAT_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?\+00:00$/;
const DATETIME_KEYS = /^(start|end|effectiveDateTime|issued|onsetDateTime|recordedDate|authoredOn|recordedDate|date|collectedDateTime|occurrenceDateTime|performedDateTime|receivedTime)$/;
type Floor = { date: string; ms: number };
/**
 * Dates that lie ahead by nature: how long a prescription may be dispensed. Rule 10132's "no
 * future dates" is about when things happened; the IG's MedicationRequest examples carry a
 * validity that ends after they were written.
 */
const FUTURE_ALLOWED = /\.dispenseRequest\.validityPeriod\.end$/;

function checkDates(value: unknown, path: string, now: number, floor: Floor, out: string[]): void {
  if (Array.isArray(value)) value.forEach((v, i) => checkDates(v, `${path}[${i}]`, now, floor, out));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const here = `${path}.${key}`;
      if (typeof v === 'string' && DATETIME_KEYS.test(key) && v.includes('T')) {
        if (!SATUSEHAT_DATETIME.test(v)) out.push(`${here}: ${v} is not YYYY-MM-DDThh:mm:ss+00:00 (RuleNumber: 10132)`);
        else {
          const t = Date.parse(v);
          if (t > now + 60_000 && !FUTURE_ALLOWED.test(here)) out.push(`${here}: ${v} is in the future (RuleNumber: 10132)`);
          if (t < floor.ms) out.push(`${here}: ${v} is before ${dateFloorLabel(floor.date)} (RuleNumber: 10132)`);
        }
      } else checkDates(v, here, now, floor, out);
    }
  }
}

/** `minResourceDate` is the MIN_RESOURCE_DATE setting ('YYYY-MM-DD'); unset means the default floor. */
export function localValidationErrors(body: Record<string, unknown> | null, now = Date.now(), minResourceDate?: string): string[] {
  if (!body || typeof body.resourceType !== 'string') return ['request body is not a FHIR resource'];
  const errors = validatePayload(body as unknown as Parameters<typeof validatePayload>[0]);
  checkDates(body, String(body.resourceType), now, dateFloorOf({ minResourceDate }), errors);
  return errors;
}
