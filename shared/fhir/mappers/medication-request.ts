// Dekacare prescription item → SATUSEHAT MedicationRequest (Playbook v6.3 §16): the order line.
// - Medication: `contained` (referenced as `#medication`) by default, since Playbook v6.2 retired the
//   separate POST for prescribing; with MEDICATION_MODE=separate a reference to the item's own
//   Medication instead.
// - identifier: both of the Playbook's, `use` official: `prescription-item/{org}` (the line, unique)
//   first, because the send path looks a resource up by identifier[0] after a timeout, and
//   `prescription/{org}` (the prescription number its 1–3 lines share).
// - dosageInstruction with timing.repeat and an ATC route (both starred in the Playbook) and the
//   patient's instruction; substitution.allowed[x] (starred); dispenseRequest with quantity,
//   interval, validity, repeats and the facility as performer; courseOfTherapyType; reasonCode from
//   the visit's primary diagnosis (as the IG examples send it, so no Condition has to wait).
import type { CodeableConcept, Dosage, Medication, MedicationRequest, MedicationRequestDispenseRequest, Quantity } from '@medplum/fhirtypes';
import { localBusinessDate, localMinute, toSatusehatUtc } from '../datetime.js';
import { sysIdSystem } from '../identifiers.js';
import { ICD10_SYSTEM, checkIcd10 } from '../terminology/icd10.js';
import { UCUM_SYSTEM, UCUM_UNITS } from '../terminology/ucum.js';
import { DEFAULT_MEDICATION_MODE } from '../medication-mode.js';
import type { MapContext, MapIssue, MapResult } from '../types.js';
import type { PrescriptionItemRow } from '../../types/source-rows.js';
import { ParentRefs, clean, contextIssues, convertTime, hasId, invalid, ok, type SourceDateTimeCheckOk } from './common.js';
import { buildMedication, drugQuantity, prescriptionItemValue } from './medication.js';

export { drugQuantity } from './medication.js';

export const MEDICATION_REQUEST_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/medicationrequest-category';
export const COURSE_OF_THERAPY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy';
export const ATC_ROUTE_SYSTEM = 'http://www.whocc.no/atc';
export const DOSE_RATE_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/dose-rate-type';
/** The id of the contained Medication; the reference is `#medication`. */
export const CONTAINED_MEDICATION_ID = 'medication';

/** Dekacare routes → WHO ATC/DDD administration route (the system the IG and the Playbook use). */
const ROUTES: Record<string, { code: string; display: string }> = {
  oral: { code: 'O', display: 'Oral' },
  inhalation: { code: 'Inhal', display: 'Inhalation' },
  nasal: { code: 'N', display: 'Nasal' },
  rectal: { code: 'R', display: 'Rectal' },
  vaginal: { code: 'V', display: 'Vaginal' },
  parenteral: { code: 'P', display: 'Parenteral' },
  sublingual: { code: 'SL', display: 'Sublingual/buccal/oromucosal' },
  transdermal: { code: 'TD', display: 'Transdermal' },
};

const COURSES: Record<string, string> = {
  acute: 'Short course (acute) therapy',
  continuous: 'Continuing long term therapy',
  seasonal: 'Seasonal',
};

/** The resource with `id` right after `resourceType`, as FHIR JSON is usually read. */
function withId(medication: Medication, id: string): Medication {
  const { resourceType, ...rest } = medication;
  return { resourceType, id, ...rest };
}

const days = (value: number): Quantity => ({ value, unit: UCUM_UNITS.d, system: UCUM_SYSTEM, code: 'd' });

/** The prescription's reason: the visit's primary diagnosis, when it is a well-formed ICD-10 code. */
function reasonOf(row: PrescriptionItemRow): CodeableConcept[] | undefined {
  const checked = checkIcd10(row.reasonIcd10Code);
  if (!checked.ok) return undefined;
  const display = checked.display ?? clean(row.reasonIcd10Display);
  return [{ coding: [{ system: ICD10_SYSTEM, code: checked.code, ...(display !== null && { display }) }] }];
}

function dosageOf(row: PrescriptionItemRow, dose: Quantity | null, route: { code: string; display: string }): Dosage {
  const signa = clean(row.signa);
  const instructions = clean(row.instructions);
  const text = signa ?? `${row.frequency ?? ''} x sehari`;
  return {
    sequence: 1,
    text,
    ...(instructions !== null && { additionalInstruction: [{ text: instructions }] }),
    patientInstruction: [text, instructions].filter(Boolean).join(', '),
    timing: { repeat: { frequency: row.frequency ?? 0, period: 1, periodUnit: 'd' } },
    route: { coding: [{ system: ATC_ROUTE_SYSTEM, code: route.code, display: route.display }] },
    ...(dose !== null && { doseAndRate: [{ type: { coding: [{ system: DOSE_RATE_TYPE_SYSTEM, code: 'ordered', display: 'Ordered' }] }, doseQuantity: dose }] }),
  };
}

function dispenseOf(row: PrescriptionItemRow, ctx: MapContext, quantity: Quantity | null, prescribed: SourceDateTimeCheckOk, validUntil: string | null): MedicationRequestDispenseRequest {
  const supply = row.durationDays !== null && row.durationDays > 0 ? row.durationDays : null;
  return {
    ...(supply !== null && { dispenseInterval: days(supply) }),
    ...(validUntil !== null && { validityPeriod: { start: prescribed.utc, end: validUntil } }),
    numberOfRepeatsAllowed: row.repeats ?? 0,
    ...(quantity !== null && { quantity }),
    ...(supply !== null && { expectedSupplyDuration: days(supply) }),
    performer: { reference: `Organization/${ctx.orgId}` },
  };
}

export function mapMedicationRequest(row: PrescriptionItemRow, ctx: MapContext): MapResult {
  const visitNo = clean(row.visitNo);
  const patientName = clean(row.patientName);
  const drugName = clean(row.drugName);
  const prescribedRaw = clean(row.prescribedAt);
  const signa = clean(row.signa);
  const contained = (ctx.medicationMode ?? DEFAULT_MEDICATION_MODE) === 'contained';
  const common = {
    sourceKey: String(row.id),
    businessDate: prescribedRaw === null ? null : localBusinessDate(prescribedRaw),
    summary: {
      prescriptionNo: clean(row.prescriptionNo),
      patient: patientName,
      drug: drugName,
      signa,
      date: prescribedRaw === null ? null : (localMinute(prescribedRaw) ?? prescribedRaw),
    },
  };
  const label = `Prescription item ${prescriptionItemValue(row)}${visitNo ? ` of visit ${visitNo}` : ''}`;
  const issues: MapIssue[] = contextIssues(ctx, 'MedicationRequest');
  const built = contained ? buildMedication(row, ctx, 'MedicationRequest.contained[0]') : null;
  if (built) issues.push(...built.issues);

  if (clean(row.prescriptionNo) === null) issues.push({ path: 'MedicationRequest.identifier[1]', message: `${label} belongs to a prescription without a number: the Playbook's prescription identifier (${sysIdSystem('prescription', ctx.orgId)}) needs it` });
  if (!hasId(row.visitId)) issues.push({ path: 'MedicationRequest.encounter', message: `${label} belongs to no visit: a MedicationRequest needs its Encounter` });
  if (!hasId(row.patientId)) issues.push({ path: 'MedicationRequest.subject', message: `${label} has no patient (the visit's patient_id is empty)` });
  if (!hasId(row.practitionerId)) issues.push({ path: 'MedicationRequest.requester', message: `${label} does not say who prescribed it (practitioner_id is empty)` });
  if (row.frequency === null || row.frequency <= 0) issues.push({ path: 'MedicationRequest.dosageInstruction[0].timing.repeat', message: `${label} has no times per day (frequency): the Playbook requires dosageInstruction.timing.repeat${signa ? ` (the signa reads '${signa}')` : ''}` });
  const routeRaw = clean(row.route);
  const route = ROUTES[(routeRaw ?? '').toLowerCase()];
  if (!route) issues.push({ path: 'MedicationRequest.dosageInstruction[0].route', message: routeRaw === null ? `${label} has no route: the Playbook requires dosageInstruction.route as a WHO ATC route (oral → O)` : `${label}: route '${routeRaw}' has no WHO ATC administration route here (known: ${Object.keys(ROUTES).join(', ')})` });
  const course = clean(row.courseOfTherapy)?.toLowerCase() ?? null;
  if (course !== null && !COURSES[course]) issues.push({ path: 'MedicationRequest.courseOfTherapyType', rule: '10001', message: `Code not found: '${course}' in system: ${COURSE_OF_THERAPY_SYSTEM} (RuleNumber: 10001). ${label}: the course of therapy is acute, continuous or seasonal` });
  if (row.repeats !== null && (!Number.isInteger(row.repeats) || row.repeats < 0)) issues.push({ path: 'MedicationRequest.dispenseRequest.numberOfRepeatsAllowed', message: `${label}: repeats ${row.repeats} is not a whole number of refills` });

  let dispense: Quantity | null = null;
  if (row.quantity !== null) {
    dispense = drugQuantity(row.quantity, row.quantityUnit);
    if (dispense === null) issues.push({ path: 'MedicationRequest.dispenseRequest.quantity', message: `${label}: quantity unit '${row.quantityUnit ?? ''}' is not a known unit (TAB, CAP or a UCUM unit such as mL, g)` });
  }
  let dose: Quantity | null = null;
  if (row.doseAmount !== null && clean(row.doseUnit) !== null) {
    dose = drugQuantity(row.doseAmount, row.doseUnit);
    if (dose === null) issues.push({ path: 'MedicationRequest.dosageInstruction[0].doseAndRate[0].doseQuantity', message: `${label}: dose unit '${row.doseUnit ?? ''}' is not a known unit (TAB, CAP or a UCUM unit such as mL, g)` });
  }
  const prescribed = convertTime(row.prescribedAt, ctx, 'MedicationRequest.authoredOn', 'prescribedAt', issues, `${label} has no prescription time (prescribedAt)`);
  // The end of a prescription's validity may lie ahead (written today, valid for a week): only its
  // format and its order are checked, not the future-date rule of 10132.
  const validUntilRaw = clean(row.validUntil);
  const validUntil = validUntilRaw === null ? null : toSatusehatUtc(validUntilRaw, ctx.sourceUtcOffset);
  if (validUntilRaw !== null && validUntil === null) issues.push({ path: 'MedicationRequest.dispenseRequest.validityPeriod.end', rule: '10132', message: `Invalid date time format : '${validUntilRaw}' in validUntil (RuleNumber: 10132). Expected a local time 'YYYY-MM-DD HH:mm:ss'` });
  if (prescribed !== null && validUntil !== null && validUntil <= prescribed.utc) issues.push({ path: 'MedicationRequest.dispenseRequest.validityPeriod.end', message: `${label}: the prescription is valid until ${validUntilRaw}, which is not after it was written (${clean(row.prescribedAt)})` });

  if (issues.length > 0 || prescribed === null || !route || (built !== null && built.medication === null) || !hasId(row.visitId) || !hasId(row.patientId) || !hasId(row.practitionerId)) return invalid(common, issues);

  const refs = new ParentRefs();
  const finished = row.visitStatus === 'finished';
  const inpatient = row.encounterClass === 'IMP';
  const display = built?.display ?? drugName;
  const reasonCode = reasonOf(row);
  const body: MedicationRequest = {
    resourceType: 'MedicationRequest',
    ...(built?.medication && { contained: [withId(built.medication, CONTAINED_MEDICATION_ID)] }),
    identifier: [
      { system: sysIdSystem('prescription-item', ctx.orgId), use: 'official', value: prescriptionItemValue(row) },
      { system: sysIdSystem('prescription', ctx.orgId), use: 'official', value: row.prescriptionNo.trim() },
    ],
    status: finished ? 'completed' : 'active',
    intent: 'order',
    category: [{ coding: [{ system: MEDICATION_REQUEST_CATEGORY_SYSTEM, code: inpatient ? 'inpatient' : 'outpatient', display: inpatient ? 'Inpatient' : 'Outpatient' }] }],
    priority: 'routine',
    medicationReference: contained ? { reference: `#${CONTAINED_MEDICATION_ID}`, ...(display !== null && { display }) } : refs.ref('Medication', row.id, drugName),
    subject: refs.person('Patient', row.patientId),
    encounter: refs.ref('Encounter', row.visitId),
    authoredOn: prescribed.utc,
    requester: refs.person('Practitioner', row.practitionerId),
    ...(reasonCode && { reasonCode }),
    ...(course !== null && { courseOfTherapyType: { coding: [{ system: COURSE_OF_THERAPY_SYSTEM, code: course, display: COURSES[course] }] } }),
    dosageInstruction: [dosageOf(row, dose, route)],
    dispenseRequest: dispenseOf(row, ctx, dispense, prescribed, validUntil),
    substitution: { allowedBoolean: row.substitutionAllowed ?? true },
  };
  return ok(common, { method: 'POST', path: 'MedicationRequest', body }, refs.list);
}
