// Rows as the source queries (shared/db/source/*) hand them to the mappers (shared/fhir/mappers/*).
// Dates are the clinic's local wall-clock time as 'YYYY-MM-DD HH:mm:ss' strings (the source
// connection uses dateStrings), and 'YYYY-MM-DD' for dates of birth. The mapper converts to UTC.
// This file is the typed half of the source contract; docs/source-contract.md is the prose half.

export type Gender = 'male' | 'female';

/** Dekacare `units`: a department or polyclinic, sent as a sub-Organization. */
export interface UnitRow {
  id: number;
  code: string;
  name: string;
  phone: string | null;
  email: string | null;
  address: string | null;
  city: string | null;
  postalCode: string | null;
  updatedAt: string;
}

/** Dekacare `rooms`: sent as a Location managed by its unit's Organization. */
export interface RoomRow {
  id: number;
  code: string;
  name: string;
  description: string | null;
  unitId: number;
  unitName: string;
  updatedAt: string;
}

/** Dekacare `practitioners`: looked up by NIK (Master Nakes Index). */
export interface PractitionerRow {
  id: number;
  nik: string | null;
  name: string;
  gender: Gender | null;
  birthDate: string | null;
  updatedAt: string;
}

/** Dekacare `patients`: looked up by NIK (Master Patient Index). */
export interface PatientRow {
  id: number;
  mrn: string;
  nik: string | null;
  name: string;
  gender: Gender | null;
  birthDate: string | null;
  updatedAt: string;
}

export type VisitStatus = 'registered' | 'in_progress' | 'finished' | 'cancelled';

/** Dekacare `visits` joined with the names the detail table shows. Sent as an Encounter. */
export interface VisitRow {
  id: number;
  visitNo: string;
  patientId: number;
  patientName: string;
  patientNik: string | null;
  practitionerId: number;
  practitionerName: string;
  roomId: number;
  roomName: string;
  unitId: number;
  unitName: string;
  /** 'AMB' outpatient, 'EMER' emergency, 'IMP' inpatient. */
  encounterClass: 'AMB' | 'EMER' | 'IMP';
  status: VisitStatus;
  arrivedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
}

/** Dekacare `diagnoses` (ICD-10). Sent as Condition (issue 3). */
export interface DiagnosisRow {
  id: number;
  visitId: number;
  patientId: number;
  icd10Code: string;
  icd10Display: string | null;
  rank: number;
  recordedAt: string;
  updatedAt: string;
}

/** Dekacare `vital_signs`, one wide row per measurement round. Sent as Observations (issue 3). */
export interface VitalSignsRow {
  id: number;
  visitId: number;
  patientId: number;
  practitionerId: number;
  heartRate: number | null;
  respiratoryRate: number | null;
  systolic: number | null;
  diastolic: number | null;
  temperature: number | null;
  height: number | null;
  weight: number | null;
  spo2: number | null;
  consciousness: 'alert' | 'voice' | 'pain' | 'unresponsive' | null;
  measuredAt: string;
  updatedAt: string;
}
