// Dekacare immunization (imunisasi) → SATUSEHAT Immunization: the patient, the Encounter and the
// vaccinator (performer function AP). Travels in its visit's Bundle. The IG profile requires
// status, vaccineCode, patient, occurrence[x] and performer.actor (reference Playbook §2).
import type { CodeableConcept, Coding, Immunization } from '@medplum/fhirtypes';
import { localBusinessDate, localMinute } from '../datetime.js';
import { KFA_SYSTEM, isKfaCode } from '../terminology/kfa.js';
import { UCUM_SYSTEM } from '../terminology/ucum.js';
import type { MapContext, MapIssue, MapResult } from '../types.js';
import type { ImmunizationRow } from '../../types/source-rows.js';
import { sysIdSystem } from '../identifiers.js';
import { ParentRefs, clean, contextIssues, convertTime, hasId, invalid, ok } from './common.js';

export const CVX_SYSTEM = 'http://hl7.org/fhir/sid/cvx';
export const ATC_ROUTE_SYSTEM = 'http://www.whocc.no/atc';
export const ACT_SITE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActSite';
export const IMMUNIZATION_REASON_SYSTEM = 'http://terminology.kemkes.go.id/CodeSystem/immunization-reason';
export const PERFORMER_FUNCTION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v2-0443';

interface Vaccine {
  display: string;
  /** KFA's vaccine group (VG…), sent beside the product as the IG examples do. */
  group: { code: string; display: string };
  cvx: { code: string; display: string };
}

/**
 * The KFA vaccine products of the IG's Immunization examples, each with the vaccine group and CVX
 * code those examples send with it: satusehat-usecase/ANC/Immunization-Create-VG139-T1-2.json (Td),
 * covid/vaksin/Immunization-Create-Imunisasi-Complete-ByNakes-1.json, zoonosis/rabies/Immunization-VAR.json.
 */
export const VACCINES: Readonly<Record<string, Vaccine>> = {
  '93006992': { display: 'Vaksin Tetanus Toxoid 10 Lf 0.5 mL (BIO FARMA)', group: { code: 'VG139', display: 'Td' }, cvx: { code: '35', display: 'tetanus toxoid, adsorbed' } },
  '93004035': {
    display: 'Vaksin COVID-19 Recombinant Adenovirus (CHADOX1), 5x10^10 VP/0.5 mL (ASTRAZENECA, 10)',
    group: { code: 'VG213', display: 'COVID-19' },
    cvx: { code: '210', display: 'COVID-19 vaccine, vector-nr, rS-ChAdOx1, PF, 0.5 mL' },
  },
  '93001589': { display: 'Vaksin Lyssavirus rabies Wistar Strain Pm-1503-3M 3,25 IU Serbuk Injeksi (VERORAB)', group: { code: 'VG90', display: 'RABIES' }, cvx: { code: '18', display: 'rabies, intramuscular injection' } },
};

/** Kemenkes immunization-reason codes, as the IG examples display them. */
export const IMMUNIZATION_REASONS: Readonly<Record<string, string>> = {
  'IM-Program': 'Imunisasi Program',
  'IM-WUS': 'Imunisasi Program Rutin Lanjutan Wanita Usia Subur',
  'IM-Khusus': 'Imunisasi Program Khusus',
};

/** HL7 v3 ActSite: the upper arms, where these vaccines go (LUA as in the IG's rabies example). */
export const VACCINE_SITES: Readonly<Record<string, string>> = { LUA: 'left upper arm', RUA: 'right upper arm' };

/** All three vaccines are given intramuscularly; the IG examples code it so. */
const INTRAMUSCULAR: Coding = { system: ATC_ROUTE_SYSTEM, code: 'inj.intramuscular', display: 'Injection Intramuscular' };
const ADMINISTERING: CodeableConcept = { coding: [{ system: PERFORMER_FUNCTION_SYSTEM, code: 'AP', display: 'Administering Provider' }] };

export function mapImmunization(row: ImmunizationRow, ctx: MapContext): MapResult {
  const visitNo = clean(row.visitNo);
  const givenRaw = clean(row.givenAt);
  const kfa = clean(row.kfaCode);
  const vaccine = kfa === null ? undefined : VACCINES[kfa];
  const vaccineName = vaccine?.display ?? clean(row.vaccineName);
  const common = {
    sourceKey: String(row.id),
    businessDate: givenRaw === null ? null : localBusinessDate(givenRaw),
    summary: {
      visitNo,
      patient: clean(row.patientName),
      vaccine: vaccineName,
      dose: row.doseNumber === null ? null : String(row.doseNumber),
      date: givenRaw === null ? null : (localMinute(givenRaw) ?? givenRaw),
    },
  };
  const label = `Immunization #${row.id}${visitNo ? ` of visit ${visitNo}` : ''}`;
  const issues: MapIssue[] = contextIssues(ctx, 'Immunization');

  if (!hasId(row.visitId)) issues.push({ path: 'Immunization.encounter', message: `${label} belongs to no visit: an Immunization needs its Encounter` });
  if (!hasId(row.patientId)) issues.push({ path: 'Immunization.patient', message: `${label} has no patient (the visit's patient_id is empty)` });
  if (!hasId(row.practitionerId)) issues.push({ path: 'Immunization.performer[0].actor', message: `${label} names no one who gave the vaccine (practitioner_id); SATUSEHAT requires performer.actor` });
  if (kfa === null || !isKfaCode(kfa)) {
    issues.push({ path: 'Immunization.vaccineCode.coding[0].code', rule: '10001', message: `${label} has vaccine '${row.vaccineName.trim()}' without a KFA product code (93…, got '${kfa ?? ''}'): code the vaccine in Dekacare's drug master with the KFA browser` });
  }
  const reason = clean(row.reasonCode);
  if (reason !== null && !Object.hasOwn(IMMUNIZATION_REASONS, reason)) {
    issues.push({ path: 'Immunization.reasonCode[0].coding[0].code', rule: '10001', message: `${label} has reason '${reason}', not an immunization-reason code (${Object.keys(IMMUNIZATION_REASONS).join(', ')})` });
  }
  const site = clean(row.site);
  if (site !== null && !Object.hasOwn(VACCINE_SITES, site)) issues.push({ path: 'Immunization.site.coding[0].code', message: `${label} has body site '${site}', not one of ${Object.keys(VACCINE_SITES).join(', ')}` });
  if (row.doseNumber !== null && (!Number.isInteger(row.doseNumber) || row.doseNumber < 1)) issues.push({ path: 'Immunization.protocolApplied[0].doseNumberPositiveInt', message: `${label} has dose number ${row.doseNumber}, not a positive whole number` });
  if (row.doseMl !== null && !(row.doseMl > 0)) issues.push({ path: 'Immunization.doseQuantity.value', message: `${label} has a dose of ${row.doseMl} mL` });
  const given = convertTime(row.givenAt, ctx, 'Immunization.occurrenceDateTime', 'givenAt', issues, `${label} has no time the vaccine was given (givenAt)`);

  if (issues.length > 0 || given === null || kfa === null || !hasId(row.visitId) || !hasId(row.patientId) || !hasId(row.practitionerId)) return invalid(common, issues);

  const refs = new ParentRefs();
  const coding: Coding[] = [{ system: KFA_SYSTEM, code: kfa, ...(vaccineName !== null && { display: vaccineName }) }];
  if (vaccine) coding.push({ system: KFA_SYSTEM, ...vaccine.group }, { system: CVX_SYSTEM, ...vaccine.cvx });
  const body: Immunization = {
    resourceType: 'Immunization',
    // No system is published for Immunization: the `<resource>/{org}` pattern of the others (as for
    // NutritionOrder), so that a send whose answer was lost is found by it, never created twice.
    identifier: [{ system: sysIdSystem('immunization', ctx.orgId), use: 'official', value: String(row.id) }],
    status: 'completed',
    vaccineCode: { coding },
    patient: refs.person('Patient', row.patientId),
    encounter: refs.ref('Encounter', row.visitId),
    occurrenceDateTime: given.utc,
    recorded: given.utc,
    // Given here, by the clinic's own staff: not a record reported from elsewhere.
    primarySource: true,
    ...(clean(row.lotNumber) !== null && { lotNumber: clean(row.lotNumber)! }),
    ...(row.expirationDate !== null && { expirationDate: row.expirationDate }),
    ...(site !== null && { site: { coding: [{ system: ACT_SITE_SYSTEM, code: site, display: VACCINE_SITES[site]! }] } }),
    ...(vaccine && { route: { coding: [INTRAMUSCULAR] } }),
    ...(row.doseMl !== null && { doseQuantity: { value: row.doseMl, unit: 'mL', system: UCUM_SYSTEM, code: 'mL' } }),
    performer: [{ function: ADMINISTERING, actor: refs.person('Practitioner', row.practitionerId) }],
    ...(reason !== null && { reasonCode: [{ coding: [{ system: IMMUNIZATION_REASON_SYSTEM, code: reason, display: IMMUNIZATION_REASONS[reason]! }] }] }),
    ...(row.doseNumber !== null && { protocolApplied: [{ doseNumberPositiveInt: row.doseNumber }] }),
  };
  return ok(common, { method: 'POST', path: 'Immunization', body }, refs.list);
}
