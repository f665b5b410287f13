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
  /** `rooms.service_class` of the visit's room: 'reguler', 'eksekutif', '1', '2', '3', 'vip', 'vvip' or null. */
  roomServiceClass: string | null;
  /** How the patient left (cara keluar), for finished visits; null when Dekacare did not record it. */
  dischargeDisposition: VisitDischarge | null;
  /** The rooms of an inpatient stay in order (`visit_rooms`); empty when the visit stayed in its one room. */
  rooms: VisitRoomRow[];
  /** The visit's diagnoses (id and rank), each also read as a Condition: Encounter.diagnosis refers to them. */
  diagnoses: VisitDiagnosisRef[];
  updatedAt: string;
}

export type VisitDischarge = 'home' | 'own_request' | 'referred' | 'died' | 'other';

/** One room of a stay (`visit_rooms` joined with `rooms`). */
export interface VisitRoomRow {
  roomId: number;
  roomName: string;
  serviceClass: string | null;
  enteredAt: string;
  leftAt: string | null;
}

/** A diagnosis of the visit as the Encounter sees it; `rank` 1 is the primary diagnosis. */
export interface VisitDiagnosisRef {
  id: number;
  rank: number;
}

/** Dekacare `diagnoses` (ICD-10) with the visit's number and patient. Sent as Condition. */
export interface DiagnosisRow {
  id: number;
  visitId: number | null;
  visitNo: string;
  patientId: number | null;
  patientName: string;
  icd10Code: string;
  icd10Display: string | null;
  rank: number;
  recordedAt: string;
  updatedAt: string;
}

export type Consciousness = 'alert' | 'voice' | 'pain' | 'unresponsive';

/** Dekacare `vital_signs`, one wide row per measurement round. One Observation per measure. */
export interface VitalSignsRow {
  id: number;
  visitId: number | null;
  visitNo: string;
  patientId: number | null;
  patientName: string;
  /** Who measured (often a nurse). */
  practitionerId: number | null;
  practitionerName: string;
  heartRate: number | null;
  respiratoryRate: number | null;
  systolic: number | null;
  diastolic: number | null;
  temperature: number | null;
  height: number | null;
  weight: number | null;
  spo2: number | null;
  consciousness: Consciousness | null;
  measuredAt: string;
  updatedAt: string;
}

/** Dekacare `procedures` (ICD-9-CM), with the visit's number and patient. Sent as Procedure. */
export interface ProcedureRow {
  id: number;
  visitId: number | null;
  visitNo: string;
  patientId: number | null;
  patientName: string;
  /** Who performed it; optional. */
  practitionerId: number | null;
  practitionerName: string;
  icd9cmCode: string;
  icd9cmDisplay: string | null;
  performedStart: string;
  performedEnd: string | null;
  updatedAt: string;
}

/** Dekacare `immunizations` (imunisasi): one vaccine dose given at a visit. */
export interface ImmunizationRow {
  id: number;
  visitId: number | null;
  visitNo: string;
  patientId: number | null;
  patientName: string;
  /** Who gave the vaccine. */
  practitionerId: number | null;
  practitionerName: string;
  /** The vaccine product's KFA code (93…), as the clinic recorded it. */
  kfaCode: string | null;
  vaccineName: string;
  lotNumber: string | null;
  /** 'YYYY-MM-DD'. */
  expirationDate: string | null;
  /** The dose's number within its series, 1 for the first. */
  doseNumber: number | null;
  /** Millilitres given. */
  doseMl: number | null;
  /** Where on the body: an HL7 v3 ActSite code, e.g. 'LUA' (left upper arm). */
  site: string | null;
  /** Why: a Kemenkes immunization-reason code, e.g. 'IM-WUS' (routine programme for women of childbearing age). */
  reasonCode: string | null;
  givenAt: string;
  updatedAt: string;
}

export type AllergyCategory = 'food' | 'medication' | 'environment';
export type AllergyClinicalStatus = 'active' | 'inactive' | 'resolved';
export type AllergyVerificationStatus = 'confirmed' | 'unconfirmed' | 'refuted' | 'entered-in-error';

/** Dekacare `allergies`, per patient, optionally recorded at a visit. Sent as AllergyIntolerance. */
export interface AllergyRow {
  id: number;
  patientId: number | null;
  patientName: string;
  /** The visit it was recorded at, if any. */
  visitId: number | null;
  visitNo: string | null;
  /** Who recorded it, if known. */
  practitionerId: number | null;
  practitionerName: string | null;
  category: AllergyCategory;
  /** 'snomed' or 'kfa'; what `allergenCode` is written in. Unknown values pass through. */
  allergenSystem: 'snomed' | 'kfa' | null;
  allergenCode: string | null;
  allergenName: string;
  clinicalStatus: AllergyClinicalStatus;
  verificationStatus: AllergyVerificationStatus;
  reaction: string | null;
  recordedAt: string;
  updatedAt: string;
}

/**
 * Dekacare `prescription_items` with their prescription, drug master row and visit. One row feeds
 * two types: Medication (the drug as dispensed) and MedicationRequest (the order line).
 */
export interface PrescriptionItemRow {
  id: number;
  prescriptionId: number;
  prescriptionNo: string;
  /** Line number within the prescription (1, 2, 3). */
  lineNo: number;
  visitId: number | null;
  visitNo: string;
  visitStatus: VisitStatus;
  encounterClass: 'AMB' | 'EMER' | 'IMP';
  patientId: number | null;
  patientName: string;
  /** The prescriber. */
  practitionerId: number | null;
  practitionerName: string;
  prescribedAt: string;
  drugId: number | null;
  drugCode: string;
  drugName: string;
  kfaCode: string | null;
  kfaDisplay: string | null;
  formCode: string | null;
  formName: string | null;
  /** Kemkes medication-type as stored (`NC` product, `SD` compound d.t.d., `EP` compound non-d.t.d.); upper-cased. */
  medicationType: string;
  /** The drug master's ingredients (all of a compound's; a product's when known), in id order. */
  ingredients: DrugIngredientRow[];
  quantity: number | null;
  /** As stored: 'TAB', 'CAP', 'mL', 'g', 'sachet', … */
  quantityUnit: string | null;
  /** Signa as written, e.g. '3 x 1 tablet'. */
  signa: string | null;
  /** Times per day. */
  frequency: number | null;
  doseAmount: number | null;
  doseUnit: string | null;
  durationDays: number | null;
  /** 'oral', 'topical', 'ophthalmic', 'inhalation', … */
  route: string | null;
  instructions: string | null;
  /** Refills allowed after the first dispense (iter); null = none. */
  repeats: number | null;
  /** May the pharmacy substitute (e.g. a generic)? null = yes, the usual rule. */
  substitutionAllowed: boolean | null;
  /** `acute`, `continuous` or `seasonal` (HL7 medicationrequest-course-of-therapy); null = not sent. */
  courseOfTherapy: string | null;
  /** Last moment the prescription may be dispensed (local time); null = no validity period sent. */
  validUntil: string | null;
  /** The visit's primary diagnosis (lowest rank), sent as the reason; null when it has none. */
  reasonIcd10Code: string | null;
  reasonIcd10Display: string | null;
  updatedAt: string;
}

/**
 * One ingredient of a drug (Dekacare `drug_ingredients`): its KFA code and its strength, a ratio
 * such as 125 mg per 1 CAP, or 10 TAB per 30 CAP for a compound divided into equal parts.
 */
export interface DrugIngredientRow {
  /** 91… substance, or 92…/93… product for a compound divided into equal parts; null = not mapped. */
  kfaCode: string | null;
  name: string;
  strengthValue: number | null;
  strengthUnit: string | null;
  perValue: number | null;
  perUnit: string | null;
}

/**
 * Dekacare `lab_orders` with the visit, patient and requester, and the ids of its results. Feeds
 * ServiceRequest (the order), Specimen (once collected) and DiagnosticReport (once reported).
 */
export interface LabOrderRow {
  id: number;
  orderNo: string;
  visitId: number | null;
  visitNo: string;
  patientId: number | null;
  patientName: string;
  practitionerId: number | null;
  practitionerName: string;
  loincCode: string;
  testName: string;
  specimenCode: string | null;
  specimenName: string | null;
  orderedAt: string;
  collectedAt: string | null;
  /** When the sample left for the laboratory (TransportedTime); NULL where Dekacare did not record it. */
  transportedAt: string | null;
  reportedAt: string | null;
  conclusion: string | null;
  /** lab_results ids of this order, ascending. */
  resultIds: number[];
  updatedAt: string;
}

/** Dekacare `lab_results` with their order and visit. Sent as laboratory Observations. */
export interface LabResultRow {
  id: number;
  orderId: number;
  orderNo: string;
  visitId: number | null;
  visitNo: string;
  patientId: number | null;
  patientName: string;
  /** Who ordered the test (`lab_orders.practitioner_id`): a performer next to the facility, as in the IG's lab examples. */
  practitionerId: number | null;
  practitionerName: string;
  loincCode: string;
  testName: string;
  value: number | null;
  /** As stored by the lab; mapped to UCUM by the mapper. */
  unit: string | null;
  referenceLow: number | null;
  referenceHigh: number | null;
  collectedAt: string | null;
  resultedAt: string;
  updatedAt: string;
}

/** The kinds of Dekacare visit notes, and what each is sent as (Playbook v6.3 §20, §21, §28). */
export type VisitNoteType = 'diet' | 'education' | 'summary';

/**
 * Dekacare `visit_notes`: diet advice (sent as NutritionOrder), patient education (a Procedure,
 * registry type ProcedureEducation) and the visit summary, Resume Medis (a Composition).
 * `noteType` is what the source holds (lower-cased); a kind we do not know is reported, not guessed.
 */
export interface VisitNoteRow {
  id: number;
  visitId: number | null;
  visitNo: string;
  patientId: number | null;
  patientName: string;
  practitionerId: number | null;
  practitionerName: string;
  noteType: VisitNoteType | (string & {});
  title: string;
  text: string;
  /** SNOMED CT: the oral diet type of a diet note (< 182922004), the topic of an education note (< 409073007). */
  snomedCode: string | null;
  snomedDisplay: string | null;
  /** Diet notes: 'proposal' (advice to the patient) or 'order' (for the dietitian); null = proposal. */
  dietIntent: string | null;
  writtenAt: string;
  updatedAt: string;
}

/**
 * The visit's other rows, read with its summary note: the Resume Medis refers to the resources
 * they become. Every list holds the rows the type's own reader returns for that visit.
 */
export interface VisitSiblingRows {
  diagnoses: DiagnosisRow[];
  vitalSigns: VitalSignsRow[];
  procedures: ProcedureRow[];
  /** Allergies recorded at this visit. */
  allergies: AllergyRow[];
  prescriptionItems: PrescriptionItemRow[];
  labOrders: LabOrderRow[];
  labResults: LabResultRow[];
  /** The visit's diet and education notes. */
  notes: VisitNoteRow[];
}

/** A summary note (Resume Medis) with the visit's rows it summarises. Sent as Composition. */
export interface VisitSummaryRow extends VisitNoteRow {
  siblings: VisitSiblingRows;
}
