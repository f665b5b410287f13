// Dekacare prescription item → SATUSEHAT MedicationRequest: the order line, pointing at the
// item's Medication. identifier is prescription-item/{org} (unique per line); the prescription
// number, shared by the 1–3 lines of one prescription, goes in groupIdentifier with system
// prescription/{org}. (SATUSEHAT's example puts both in identifier[]; the shared value would then
// look like a duplicate to identifier-based duplicate checks, ours included.)
import type { Dosage, MedicationRequest, Quantity } from '@medplum/fhirtypes';
import { localBusinessDate, localMinute } from '../datetime.js';
import { sysIdSystem } from '../identifiers.js';
import { ORDERABLE_DRUG_FORM_SYSTEM } from '../terminology/kfa.js';
import { UCUM_SYSTEM, UCUM_UNITS, toUcum, ucumQuantity } from '../terminology/ucum.js';
import type { MapContext, MapIssue, MapResult } from '../types.js';
import type { PrescriptionItemRow } from '../../types/source-rows.js';
import { ParentRefs, clean, contextIssues, convertTime, hasId, invalid, ok } from './common.js';
import { prescriptionItemValue } from './medication.js';

export const MEDICATION_REQUEST_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/medicationrequest-category';
export const ATC_ROUTE_SYSTEM = 'http://www.whocc.no/atc';
export const DOSE_RATE_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/dose-rate-type';

/** Dekacare routes → ATC administration route (the system SATUSEHAT's example uses). */
const ROUTES: Record<string, { code: string; display: string }> = {
  oral: { code: 'O', display: 'Oral' },
  inhalation: { code: 'Inhal', display: 'Inhalation' },
  rectal: { code: 'R', display: 'Rectal' },
  vaginal: { code: 'V', display: 'Vaginal' },
  parenteral: { code: 'P', display: 'Parenteral' },
};

const ORDERABLE: Record<string, { code: string; display: string }> = {
  tab: { code: 'TAB', display: 'Tablet' },
  tablet: { code: 'TAB', display: 'Tablet' },
  kaplet: { code: 'TAB', display: 'Tablet' },
  cap: { code: 'CAP', display: 'Capsule' },
  kapsul: { code: 'CAP', display: 'Capsule' },
  capsule: { code: 'CAP', display: 'Capsule' },
};

/** A dose or dispense quantity: tablets/capsules as orderable drug forms, the rest in UCUM. */
export function drugQuantity(value: number, unitRaw: string | null): Quantity | null {
  const unit = clean(unitRaw);
  if (unit === null) return null;
  const form = ORDERABLE[unit.toLowerCase()];
  if (form) return { value, unit: form.code, system: ORDERABLE_DRUG_FORM_SYSTEM, code: form.code };
  const ucum = toUcum(unit);
  return ucum === null ? null : ucumQuantity(value, ucum);
}

export function mapMedicationRequest(row: PrescriptionItemRow, ctx: MapContext): MapResult {
  const visitNo = clean(row.visitNo);
  const patientName = clean(row.patientName);
  const drugName = clean(row.drugName);
  const prescribedRaw = clean(row.prescribedAt);
  const signa = clean(row.signa);
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

  if (clean(row.prescriptionNo) === null) issues.push({ path: 'MedicationRequest.groupIdentifier', message: `${label} belongs to a prescription without a number: it is the identifier (${sysIdSystem('prescription', ctx.orgId)}) that prevents duplicates` });
  if (!hasId(row.visitId)) issues.push({ path: 'MedicationRequest.encounter', message: `${label} belongs to no visit: a MedicationRequest needs its Encounter` });
  if (!hasId(row.patientId)) issues.push({ path: 'MedicationRequest.subject', message: `${label} has no patient (the visit's patient_id is empty)` });
  if (!hasId(row.practitionerId)) issues.push({ path: 'MedicationRequest.requester', message: `${label} does not say who prescribed it (practitioner_id is empty)` });
  if (signa === null && row.frequency === null) issues.push({ path: 'MedicationRequest.dosageInstruction', message: `${label} has no dosage instruction (signa or frequency)` });

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

  if (issues.length > 0 || prescribed === null || !hasId(row.visitId) || !hasId(row.patientId) || !hasId(row.practitionerId)) return invalid(common, issues);

  const instructions = clean(row.instructions);
  const route = ROUTES[(clean(row.route) ?? '').toLowerCase()];
  const text = [signa ?? (row.frequency !== null ? `${row.frequency} x sehari` : null), instructions].filter(Boolean).join(', ');
  const dosage: Dosage = {
    sequence: 1,
    text,
    ...(instructions !== null && { additionalInstruction: [{ text: instructions }] }),
    ...(row.frequency !== null && row.frequency > 0 && { timing: { repeat: { frequency: row.frequency, period: 1, periodUnit: 'd' } } }),
    ...(route && { route: { coding: [{ system: ATC_ROUTE_SYSTEM, code: route.code, display: route.display }] } }),
    ...(dose !== null && { doseAndRate: [{ type: { coding: [{ system: DOSE_RATE_TYPE_SYSTEM, code: 'ordered', display: 'Ordered' }] }, doseQuantity: dose }] }),
  };

  const refs = new ParentRefs();
  const finished = row.visitStatus === 'finished';
  const inpatient = row.encounterClass === 'IMP';
  const body: MedicationRequest = {
    resourceType: 'MedicationRequest',
    identifier: [{ system: sysIdSystem('prescription-item', ctx.orgId), use: 'official', value: prescriptionItemValue(row) }],
    groupIdentifier: { system: sysIdSystem('prescription', ctx.orgId), use: 'official', value: row.prescriptionNo.trim() },
    status: finished ? 'completed' : 'active',
    intent: 'order',
    category: [{ coding: [{ system: MEDICATION_REQUEST_CATEGORY_SYSTEM, code: inpatient ? 'inpatient' : 'outpatient', display: inpatient ? 'Inpatient' : 'Outpatient' }] }],
    priority: 'routine',
    medicationReference: refs.ref('Medication', row.id, drugName),
    subject: refs.person('Patient', row.patientId),
    encounter: refs.ref('Encounter', row.visitId),
    authoredOn: prescribed.utc,
    requester: refs.person('Practitioner', row.practitionerId),
    dosageInstruction: [dosage],
    ...((dispense !== null || row.durationDays !== null) && {
      dispenseRequest: {
        ...(dispense !== null && { quantity: dispense }),
        ...(row.durationDays !== null && row.durationDays > 0 && { expectedSupplyDuration: { value: row.durationDays, unit: UCUM_UNITS.d, system: UCUM_SYSTEM, code: 'd' } }),
        performer: { reference: `Organization/${ctx.orgId}` },
      },
    }),
  };
  return ok(common, { method: 'POST', path: 'MedicationRequest', body }, refs.list);
}
