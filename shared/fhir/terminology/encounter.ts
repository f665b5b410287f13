// Codes of the Encounter elements the Playbook adds to a visit: diagnosis roles, room service
// classes and discharge dispositions. Sources: HL7 CodeSystems diagnosis-role and
// discharge-disposition (terminology.hl7.org); the kemkes CodeSystems locationServiceClass-Outpatient
// / -Inpatient and discharge-disposition as the Playbook Rawat Jalan v6.3 (§2, §25–26) names them;
// the ServiceClass extension from the IG (id-fhir/Extension-encounter-serviceclass.xml.json).
import type { Coding } from '@medplum/fhirtypes';
import type { VisitDischarge } from '../../types/source-rows.js';

export const DIAGNOSIS_ROLE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/diagnosis-role';
export const DIAGNOSIS_ROLES = {
  /** Every diagnosis of a visit (Playbook §13/§27; the IG and Postman examples use DD). */
  discharge: { system: DIAGNOSIS_ROLE_SYSTEM, code: 'DD', display: 'Discharge diagnosis' },
  /** Keluhan utama (Playbook §3). Dekacare records no chief complaint, so nothing sends it yet. */
  chiefComplaint: { system: DIAGNOSIS_ROLE_SYSTEM, code: 'CC', display: 'Chief complaint' },
} as const satisfies Record<string, Coding>;

/** Encounter.location[].extension: the room's class of care, with the class as sub-extension `value`. */
export const SERVICE_CLASS_EXTENSION = 'https://fhir.kemkes.go.id/r4/StructureDefinition/ServiceClass';
export const SERVICE_CLASS_OUTPATIENT_SYSTEM = 'http://terminology.kemkes.go.id/CodeSystem/locationServiceClass-Outpatient';
export const SERVICE_CLASS_INPATIENT_SYSTEM = 'http://terminology.kemkes.go.id/CodeSystem/locationServiceClass-Inpatient';

/** `rooms.service_class` → the coding of the Playbook's class list (outpatient or inpatient). */
export const SERVICE_CLASSES: Readonly<Record<string, Coding>> = {
  reguler: { system: SERVICE_CLASS_OUTPATIENT_SYSTEM, code: 'reguler', display: 'Kelas Reguler' },
  eksekutif: { system: SERVICE_CLASS_OUTPATIENT_SYSTEM, code: 'eksekutif', display: 'Kelas Eksekutif' },
  '1': { system: SERVICE_CLASS_INPATIENT_SYSTEM, code: '1', display: 'Kelas 1' },
  '2': { system: SERVICE_CLASS_INPATIENT_SYSTEM, code: '2', display: 'Kelas 2' },
  '3': { system: SERVICE_CLASS_INPATIENT_SYSTEM, code: '3', display: 'Kelas 3' },
  vip: { system: SERVICE_CLASS_INPATIENT_SYSTEM, code: 'vip', display: 'Kelas VIP' },
  vvip: { system: SERVICE_CLASS_INPATIENT_SYSTEM, code: 'vvip', display: 'Kelas VVIP' },
};

export const DISCHARGE_DISPOSITION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/discharge-disposition';
export const KEMKES_DISCHARGE_DISPOSITION_SYSTEM = 'http://terminology.kemkes.go.id/CodeSystem/discharge-disposition';

const DISPOSITIONS: Readonly<Record<Exclude<VisitDischarge, 'died'>, Coding>> = {
  home: { system: DISCHARGE_DISPOSITION_SYSTEM, code: 'home', display: 'Home' },
  own_request: { system: DISCHARGE_DISPOSITION_SYSTEM, code: 'aadvice', display: 'Left against advice' },
  referred: { system: DISCHARGE_DISPOSITION_SYSTEM, code: 'other-hcf', display: 'Other healthcare facility' },
  other: { system: DISCHARGE_DISPOSITION_SYSTEM, code: 'oth', display: 'Other' },
};

const DIED_WITHIN_48H: Coding = { system: KEMKES_DISCHARGE_DISPOSITION_SYSTEM, code: 'exp-lt48h', display: 'Meninggal <48 jam' };
const DIED_AFTER_48H: Coding = { system: KEMKES_DISCHARGE_DISPOSITION_SYSTEM, code: 'exp-gt48h', display: 'Meninggal >48 jam' };
const HOURS_48_MS = 48 * 3600_000;

/**
 * How the patient left, as the Playbook codes it (§25–26). A death is split by the time since
 * admission (Playbook: "Meninggal <48 jam" / ">48 jam"). Undefined for a value Dekacare should not have.
 */
export function dischargeCoding(value: string, stayMs: number): Coding | undefined {
  if (value === 'died') return stayMs < HOURS_48_MS ? DIED_WITHIN_48H : DIED_AFTER_48H;
  return DISPOSITIONS[value as Exclude<VisitDischarge, 'died'>];
}

export const DISCHARGE_VALUES: readonly VisitDischarge[] = ['home', 'own_request', 'referred', 'died', 'other'];
