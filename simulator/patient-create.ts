// POST /Patient (reference A6): answers 200 with a non-FHIR {success, message, data} body, both when
// it creates the patient and when the MPI already knows the identifier.
import { randomInt } from 'node:crypto';
import { checkBodyType } from './fhir-crud.js';
import { elementMissing, issue, outcome, type Issue } from './outcome.js';
import { isKnownPersonId, isWellFormedNik, NIK_IBU_SYSTEM, NIK_SYSTEM, resolveNik } from './people.js';
import { fhirJson, json, type Reply } from './reply.js';
import type { SimState } from './state.js';
import { bump } from './stats.js';
import type { JsonObject } from './types.js';

export function createPatient(state: SimState, body: unknown): Reply {
  const bad = checkBodyType('Patient', body);
  if (bad) return bad;
  const patient = body as JsonObject;
  const nik = identifierValue(patient, NIK_SYSTEM);
  const nikIbu = identifierValue(patient, NIK_IBU_SYSTEM);

  const issues: Issue[] = [];
  if (nik === undefined && nikIbu === undefined) issues.push(issue('required', `Patient.identifier with system ${NIK_SYSTEM} or ${NIK_IBU_SYSTEM} is mandatory`, 'Patient.identifier'));
  for (const [label, value] of [['nik', nik], ['nik-ibu', nikIbu]] as const) {
    if (value !== undefined && !isWellFormedNik(value)) issues.push(issue('value', `Invalid ${label}: must be 16 digits`, 'Patient.identifier'));
  }
  if (!Array.isArray(patient.name) || patient.name.length === 0) issues.push(elementMissing('Patient.name'));
  if (typeof patient.birthDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(patient.birthDate)) issues.push(elementMissing('Patient.birthDate'));
  if (typeof patient.gender !== 'string') issues.push(elementMissing('Patient.gender'));
  if (issues.length > 0) return fhirJson(400, outcome(issues));

  const existing = nik !== undefined ? existingByNik(state, nik) : existingBaby(state, patient, nikIbu as string);
  if (existing) {
    return json(200, { success: false, message: 'Failed to create new patient, another identifier has found', data: { resourceID: existing } });
  }

  const id = newIhsNumber(state);
  state.store.put('Patient', { ...patient, id });
  bump(state.counters.created, 'Patient');
  // Postman shows the odd key "Patient ID:"; peers parse data.patient_id. Send both.
  return { ...json(200, { success: true, message: 'New Patient has been created successfully', data: { 'Patient ID:': id, patient_id: id } }), stored: true };
}

function identifierValue(r: JsonObject, system: string): string | undefined {
  if (!Array.isArray(r.identifier)) return undefined;
  const found = r.identifier.find((i: unknown) => (i as JsonObject | null)?.system === system) as JsonObject | undefined;
  return typeof found?.value === 'string' ? found.value : undefined;
}

function existingByNik(state: SimState, nik: string): string | null {
  const stored = state.store.findByIdentifier('Patient', NIK_SYSTEM, nik)[0];
  return (stored?.id as string | undefined) ?? resolveNik('Patient', nik, state.config.unknownNikPercent);
}

// Newborns share the mother's NIK; the same mother, birth date and birth order is the same baby.
function existingBaby(state: SimState, baby: JsonObject, nikIbu: string): string | null {
  for (const other of state.store.findByIdentifier('Patient', NIK_IBU_SYSTEM, nikIbu)) {
    if (other.birthDate === baby.birthDate && (other.multipleBirthInteger ?? 0) === (baby.multipleBirthInteger ?? 0)) return other.id as string;
  }
  return null;
}

function newIhsNumber(state: SimState): string {
  for (;;) {
    const id = `P${String(randomInt(0, 100_000_000_000)).padStart(11, '0')}`;
    if (!state.store.has('Patient', id) && !isKnownPersonId('Patient', id)) return id;
  }
}
