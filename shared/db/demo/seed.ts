// Fills a Dekacare-shaped database with the deterministic demo data from shared/demo. Streams:
// rows are generated a batch at a time and written with multi-row INSERTs, one transaction per
// batch, so memory stays flat from a hundred visits to a million.
import bcrypt from 'bcryptjs';
import type { Knex } from 'knex';
import {
  DEMO_DRUGS,
  DEMO_PERMISSIONS,
  DEMO_ROLES,
  DEMO_ROLE_PERMISSIONS,
  DEMO_ROOMS,
  DEMO_UNITS,
  SECONDS_PER_DAY,
  createDemoPlan,
  demoUsers,
  formatDateTime,
  generatePatient,
  generatePractitioner,
  patientLacksNik,
  toLaravelBcrypt,
  unitByCode,
  visitBatches,
  type DemoAllergy,
  type DemoDiagnosis,
  type DemoImmunization,
  type DemoLabOrder,
  type DemoLabResult,
  type DemoPatient,
  type DemoPlan,
  type DemoPractitioner,
  type DemoPrescription,
  type DemoPrescriptionItem,
  type DemoProcedure,
  type DemoVisit,
  type DemoVisitNote,
  type DemoVisitRoom,
  type DemoVitalSigns,
  type VisitBatch,
} from '../../demo/index.js';
import type { Db } from '../connect.js';
import { insertRows } from './bulk-insert.js';
import { DEMO_MARKER_TABLE, SOURCE_TABLES, createDemoSourceSchema, dropDemoSourceSchema } from './schema.js';

export interface SeedProgress {
  table: string;
  done: number;
  total: number;
}

export interface SeedOptions {
  patients: number;
  visits: number;
  seed: number;
  /** 'YYYY-MM-DD': the clinic's "today". Visits fall on the days before it, a few on it. */
  anchorDate: string;
  /** Rows per INSERT for patients and visits (default 2500; 100–10,000). */
  batchSize?: number;
  /** Empty every source table first. Without it, seeding a non-empty database is refused. */
  reset?: boolean;
  onProgress?(p: SeedProgress): void;
}

export interface SeedSummary {
  users: number;
  units: number;
  rooms: number;
  practitioners: number;
  patients: number;
  visits: number;
  diagnoses: number;
  vitalSigns: number;
  drugs: number;
  procedures: number;
  immunizations: number;
  allergies: number;
  prescriptions: number;
  prescriptionItems: number;
  labOrders: number;
  labResults: number;
  visitNotes: number;
  badRows: {
    patientsWithoutNik: number;
    practitionersWithoutNik: number;
    futureVisits: number;
    visitsBefore2022: number;
    unknownIcd10: number;
    unknownIcd9cm: number;
    temperatureTypos: number;
    labResultsWithoutUnit: number;
    drugsWithoutKfa: number;
  };
  elapsedMs: number;
}

const DEFAULT_BATCH = 2500;
/** Visit batches written concurrently; more gains little on one MariaDB and costs memory. */
const WRITERS = 3;

const PATIENT_COLUMNS = ['id', 'mrn', 'nik', 'name', 'gender', 'birth_date', 'birth_place', 'address', 'city', 'phone', 'bpjs_no', 'created_at', 'updated_at'] as const;
const PRACTITIONER_COLUMNS = ['id', 'nik', 'name', 'gender', 'birth_date', 'profession', 'str_number', 'unit_id', 'is_active', 'created_at', 'updated_at'] as const;
const VISIT_COLUMNS = ['id', 'visit_no', 'patient_id', 'practitioner_id', 'room_id', 'unit_id', 'encounter_class', 'status', 'arrived_at', 'started_at', 'finished_at', 'discharge_disposition', 'created_at', 'updated_at'] as const;
const VISIT_ROOM_COLUMNS = ['id', 'visit_id', 'room_id', 'entered_at', 'left_at', 'created_at', 'updated_at'] as const;
const DIAGNOSIS_COLUMNS = ['id', 'visit_id', 'icd10_code', 'icd10_display', 'rank', 'recorded_at', 'created_at', 'updated_at'] as const;
const VITAL_COLUMNS = ['id', 'visit_id', 'practitioner_id', 'heart_rate', 'respiratory_rate', 'systolic', 'diastolic', 'temperature', 'height', 'weight', 'spo2', 'consciousness', 'measured_at', 'created_at', 'updated_at'] as const;

const patientValues = (p: DemoPatient): unknown[] => [p.id, p.mrn, p.nik, p.name, p.gender, p.birthDate, p.birthPlace, p.address, p.city, p.phone, p.bpjsNo, p.createdAt, p.updatedAt];
const practitionerValues = (p: DemoPractitioner): unknown[] => [p.id, p.nik, p.name, p.gender, p.birthDate, p.profession, p.strNumber, p.unitId, p.isActive ? 1 : 0, p.createdAt, p.updatedAt];
const visitValues = (v: DemoVisit): unknown[] => [v.id, v.visitNo, v.patientId, v.practitionerId, v.roomId, v.unitId, v.encounterClass, v.status, v.arrivedAt, v.startedAt, v.finishedAt, v.dischargeDisposition, v.createdAt, v.updatedAt];
const visitRoomValues = (r: DemoVisitRoom): unknown[] => [r.id, r.visitId, r.roomId, r.enteredAt, r.leftAt, r.createdAt, r.updatedAt];
const diagnosisValues = (d: DemoDiagnosis): unknown[] => [d.id, d.visitId, d.icd10Code, d.icd10Display, d.rank, d.recordedAt, d.createdAt, d.updatedAt];
const vitalValues = (s: DemoVitalSigns): unknown[] => [s.id, s.visitId, s.practitionerId, s.heartRate, s.respiratoryRate, s.systolic, s.diastolic, s.temperature, s.height, s.weight, s.spo2, s.consciousness, s.measuredAt, s.createdAt, s.updatedAt];

const PROCEDURE_COLUMNS = ['id', 'visit_id', 'practitioner_id', 'icd9cm_code', 'icd9cm_display', 'performed_start', 'performed_end', 'created_at', 'updated_at'] as const;
const IMMUNIZATION_COLUMNS = ['id', 'visit_id', 'practitioner_id', 'kfa_code', 'vaccine_name', 'lot_number', 'expiration_date', 'dose_number', 'dose_ml', 'site', 'reason_code', 'given_at', 'created_at', 'updated_at'] as const;
const PRESCRIPTION_COLUMNS = ['id', 'prescription_no', 'visit_id', 'practitioner_id', 'prescribed_at', 'valid_until', 'created_at', 'updated_at'] as const;
const ITEM_COLUMNS = ['id', 'prescription_id', 'line_no', 'drug_id', 'quantity', 'quantity_unit', 'signa', 'frequency', 'dose_amount', 'dose_unit', 'duration_days', 'route', 'instructions', 'repeats', 'substitution_allowed', 'course_of_therapy', 'created_at', 'updated_at'] as const;
const LAB_ORDER_COLUMNS = ['id', 'order_no', 'visit_id', 'practitioner_id', 'test_code', 'test_name', 'loinc_code', 'specimen_code', 'specimen_name', 'ordered_at', 'collected_at', 'transported_at', 'reported_at', 'conclusion', 'created_at', 'updated_at'] as const;
const LAB_RESULT_COLUMNS = ['id', 'lab_order_id', 'loinc_code', 'test_name', 'value', 'unit', 'reference_low', 'reference_high', 'resulted_at', 'created_at', 'updated_at'] as const;
const NOTE_COLUMNS = ['id', 'visit_id', 'practitioner_id', 'note_type', 'title', 'text', 'snomed_code', 'snomed_display', 'diet_intent', 'written_at', 'created_at', 'updated_at'] as const;
const ALLERGY_COLUMNS = ['id', 'patient_id', 'visit_id', 'practitioner_id', 'category', 'allergen_system', 'allergen_code', 'allergen_name', 'clinical_status', 'verification_status', 'reaction', 'recorded_at', 'created_at', 'updated_at'] as const;

const procedureValues = (p: DemoProcedure): unknown[] => [p.id, p.visitId, p.practitionerId, p.icd9cmCode, p.icd9cmDisplay, p.performedStart, p.performedEnd, p.createdAt, p.updatedAt];
const immunizationValues = (i: DemoImmunization): unknown[] => [i.id, i.visitId, i.practitionerId, i.kfaCode, i.vaccineName, i.lotNumber, i.expirationDate, i.doseNumber, i.doseMl, i.site, i.reasonCode, i.givenAt, i.createdAt, i.updatedAt];
const prescriptionValues = (r: DemoPrescription): unknown[] => [r.id, r.prescriptionNo, r.visitId, r.practitionerId, r.prescribedAt, r.validUntil, r.createdAt, r.updatedAt];
const itemValues = (i: DemoPrescriptionItem): unknown[] => [i.id, i.prescriptionId, i.lineNo, i.drugId, i.quantity, i.quantityUnit, i.signa, i.frequency, i.doseAmount, i.doseUnit, i.durationDays, i.route, i.instructions, i.repeats, i.substitutionAllowed === null ? null : Number(i.substitutionAllowed), i.courseOfTherapy, i.createdAt, i.updatedAt];
const labOrderValues = (o: DemoLabOrder): unknown[] => [o.id, o.orderNo, o.visitId, o.practitionerId, o.testCode, o.testName, o.loincCode, o.specimenCode, o.specimenName, o.orderedAt, o.collectedAt, o.transportedAt, o.reportedAt, o.conclusion, o.createdAt, o.updatedAt];
const labResultValues = (r: DemoLabResult): unknown[] => [r.id, r.labOrderId, r.loincCode, r.testName, r.value, r.unit, r.referenceLow, r.referenceHigh, r.resultedAt, r.createdAt, r.updatedAt];
const noteValues = (n: DemoVisitNote): unknown[] => [n.id, n.visitId, n.practitionerId, n.noteType, n.title, n.text, n.snomedCode, n.snomedDisplay, n.dietIntent, n.writtenAt, n.createdAt, n.updatedAt];
const allergyValues = (a: DemoAllergy): unknown[] => [a.id, a.patientId, a.visitId, a.practitionerId, a.category, a.allergenSystem, a.allergenCode, a.allergenName, a.clinicalStatus, a.verificationStatus, a.reaction, a.recordedAt, a.createdAt, a.updatedAt];

/** Writes one batch of visits and everything that hangs off them, in one transaction. */
async function writeVisitBatch(trx: Knex.Transaction, batch: VisitBatch): Promise<void> {
  await insertRows(trx, 'visits', VISIT_COLUMNS, batch.visits.map(visitValues));
  await insertRows(trx, 'visit_rooms', VISIT_ROOM_COLUMNS, batch.visitRooms.map(visitRoomValues));
  await insertRows(trx, 'diagnoses', DIAGNOSIS_COLUMNS, batch.diagnoses.map(diagnosisValues));
  await insertRows(trx, 'vital_signs', VITAL_COLUMNS, batch.vitalSigns.map(vitalValues));
  await insertRows(trx, 'procedures', PROCEDURE_COLUMNS, batch.procedures.map(procedureValues));
  await insertRows(trx, 'immunizations', IMMUNIZATION_COLUMNS, batch.immunizations.map(immunizationValues));
  await insertRows(trx, 'prescriptions', PRESCRIPTION_COLUMNS, batch.prescriptions.map(prescriptionValues));
  await insertRows(trx, 'prescription_items', ITEM_COLUMNS, batch.prescriptionItems.map(itemValues));
  await insertRows(trx, 'lab_orders', LAB_ORDER_COLUMNS, batch.labOrders.map(labOrderValues));
  await insertRows(trx, 'lab_results', LAB_RESULT_COLUMNS, batch.labResults.map(labResultValues));
  await insertRows(trx, 'visit_notes', NOTE_COLUMNS, batch.visitNotes.map(noteValues));
  await insertRows(trx, 'allergies', ALLERGY_COLUMNS, batch.allergies.map(allergyValues));
}

/** Adds one batch's row counts and deliberately bad rows to the summary. */
function countBatch(summary: SeedSummary, batch: VisitBatch): void {
  for (const v of batch.visits) {
    if (v.flaw === 'future') summary.badRows.futureVisits += 1;
    if (v.flaw === 'before-2022') summary.badRows.visitsBefore2022 += 1;
  }
  for (const d of batch.diagnoses) if (d.unknownCode) summary.badRows.unknownIcd10 += 1;
  for (const p of batch.procedures) if (p.unknownCode) summary.badRows.unknownIcd9cm += 1;
  for (const s of batch.vitalSigns) if (s.temperatureTypo) summary.badRows.temperatureTypos += 1;
  for (const r of batch.labResults) if (r.missingUnit) summary.badRows.labResultsWithoutUnit += 1;
  for (const i of batch.prescriptionItems) if (i.unmapped) summary.badRows.drugsWithoutKfa += 1;
  summary.diagnoses += batch.diagnoses.length;
  summary.vitalSigns += batch.vitalSigns.length;
  summary.procedures += batch.procedures.length;
  summary.immunizations += batch.immunizations.length;
  summary.prescriptions += batch.prescriptions.length;
  summary.prescriptionItems += batch.prescriptionItems.length;
  summary.labOrders += batch.labOrders.length;
  summary.labResults += batch.labResults.length;
  summary.visitNotes += batch.visitNotes.length;
  summary.allergies += batch.allergies.length;
}

async function hasRows(db: Db, table: string): Promise<boolean> {
  if (!(await db.schema.hasTable(table))) return false;
  return ((await db(table).first(db.raw('1 AS present'))) as unknown) !== undefined;
}

/** Source tables that exist and hold at least one row. */
async function tablesWithRows(db: Db): Promise<string[]> {
  const found: string[] = [];
  for (const table of SOURCE_TABLES) if (await hasRows(db, table)) found.push(table);
  return found;
}

async function seedAccess(trx: Knex.Transaction, plan: DemoPlan): Promise<number> {
  const stamp = formatDateTime(plan.masterCreatedDay * SECONDS_PER_DAY + 8 * 3600);
  const roleId = (name: string): number => DEMO_ROLES.indexOf(name as (typeof DEMO_ROLES)[number]) + 1;
  const permissionId = (name: string): number => DEMO_PERMISSIONS.indexOf(name as (typeof DEMO_PERMISSIONS)[number]) + 1;
  await insertRows(trx, 'roles', ['id', 'name', 'guard_name', 'created_at', 'updated_at'], DEMO_ROLES.map((name, i) => [i + 1, name, 'web', stamp, stamp]));
  await insertRows(trx, 'permissions', ['id', 'name', 'guard_name', 'created_at', 'updated_at'], DEMO_PERMISSIONS.map((name, i) => [i + 1, name, 'web', stamp, stamp]));
  await insertRows(trx, 'role_has_permissions', ['permission_id', 'role_id'], DEMO_ROLES.flatMap((role) => DEMO_ROLE_PERMISSIONS[role].map((perm) => [permissionId(perm), roleId(role)])));

  const users = demoUsers(plan.seed);
  // bcryptjs writes '$2b$'; Laravel stores '$2y$'. Salts come from the seed, so hashes repeat.
  const hashes = await Promise.all(users.map(async (u) => toLaravelBcrypt(await bcrypt.hash(u.password, u.salt))));
  await insertRows(
    trx,
    'users',
    ['id', 'username', 'name', 'email', 'password', 'role_id', 'is_active', 'created_at', 'updated_at'],
    users.map((u, i) => [u.id, u.username, u.name, u.email, hashes[i], roleId(u.role), u.isActive ? 1 : 0, stamp, stamp]),
  );
  await insertRows(trx, 'user_has_permissions', ['user_id', 'permission_id'], users.flatMap((u) => u.extraPermissions.map((perm) => [u.id, permissionId(perm)])));
  return users.length;
}

async function seedFacility(trx: Knex.Transaction, plan: DemoPlan): Promise<void> {
  const stamp = formatDateTime(plan.masterCreatedDay * SECONDS_PER_DAY + 9 * 3600);
  await insertRows(
    trx,
    'units',
    ['id', 'code', 'name', 'phone', 'email', 'address', 'city', 'postal_code', 'is_active', 'created_at', 'updated_at'],
    DEMO_UNITS.map((u) => [u.id, u.code, u.name, u.phone, u.email, u.address, u.city, u.postalCode, 1, stamp, stamp]),
  );
  await insertRows(
    trx,
    'rooms',
    ['id', 'code', 'name', 'description', 'unit_id', 'floor', 'service_class', 'is_active', 'created_at', 'updated_at'],
    DEMO_ROOMS.map((r) => [r.id, r.code, r.name, r.description, unitByCode(r.unitCode).id, r.floor, r.serviceClass, 1, stamp, stamp]),
  );
  await insertRows(
    trx,
    'drugs',
    ['id', 'code', 'name', 'kfa_code', 'kfa_display', 'form_code', 'form_name', 'medication_type', 'stock_unit', 'is_active', 'created_at', 'updated_at'],
    DEMO_DRUGS.map((d) => [d.id, d.code, d.name, d.kfa?.code ?? null, d.kfa?.display ?? null, d.formCode, d.formName, d.medicationType, d.stockUnit, 1, stamp, stamp]),
  );
  await insertRows(
    trx,
    'drug_ingredients',
    ['drug_id', 'kfa_code', 'name', 'strength_value', 'strength_unit', 'per_value', 'per_unit', 'created_at', 'updated_at'],
    DEMO_DRUGS.flatMap((d) => d.ingredients.map((g) => [d.id, g.kfaCode, g.name, g.strength, g.strengthUnit, g.per, g.perUnit, stamp, stamp])),
  );
}

export async function seedDemoSource(db: Db, options: SeedOptions): Promise<SeedSummary> {
  const startedAt = performance.now();
  const plan = createDemoPlan(options);
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 100 || batchSize > 10_000) throw new Error(`batchSize must be an integer from 100 to 10000, got ${batchSize}`);
  const progress = (table: string, done: number, total: number): void => options.onProgress?.({ table, done, total });

  // Checked before creating anything, so a refused run leaves a foreign database untouched.
  const filled = await tablesWithRows(db);
  if (filled.length > 0) {
    if (!options.reset) throw new Error(`source database is not empty (${filled.join(', ')} hold rows): pass reset to truncate and reseed`);
    if (!(await hasRows(db, DEMO_MARKER_TABLE))) throw new Error(`source database holds data the demo seeder did not write (no ${DEMO_MARKER_TABLE} row): refusing to truncate it`);
  }
  // A reset rebuilds the demo's own tables (the marker proved they are ours), so a demo database
  // made by an older version gets today's columns instead of failing on the first insert.
  if (filled.length > 0) await dropDemoSourceSchema(db);
  await createDemoSourceSchema(db);
  // Marked first, so a seed that dies halfway can still be reset.
  await db(DEMO_MARKER_TABLE).insert({ seed: plan.seed, anchor_date: plan.anchorDate, patients: plan.patients, visits: plan.visits });

  const summary: SeedSummary = {
    users: 0,
    units: DEMO_UNITS.length,
    rooms: DEMO_ROOMS.length,
    practitioners: plan.practitionerCount,
    patients: plan.patients,
    visits: plan.visits,
    diagnoses: 0,
    vitalSigns: 0,
    drugs: DEMO_DRUGS.length,
    procedures: 0,
    immunizations: 0,
    allergies: 0,
    prescriptions: 0,
    prescriptionItems: 0,
    labOrders: 0,
    labResults: 0,
    visitNotes: 0,
    badRows: {
      patientsWithoutNik: 0,
      practitionersWithoutNik: 0,
      futureVisits: 0,
      visitsBefore2022: 0,
      unknownIcd10: 0,
      unknownIcd9cm: 0,
      temperatureTypos: 0,
      labResultsWithoutUnit: 0,
      drugsWithoutKfa: 0,
    },
    elapsedMs: 0,
  };

  await db.transaction(async (trx) => {
    summary.users = await seedAccess(trx, plan);
    await seedFacility(trx, plan);
    const practitioners = Array.from({ length: plan.practitionerCount }, (_, i) => generatePractitioner(plan, i));
    summary.badRows.practitionersWithoutNik = practitioners.filter((p) => p.nik === null).length;
    await insertRows(trx, 'practitioners', PRACTITIONER_COLUMNS, practitioners.map(practitionerValues));
  });
  progress('users', summary.users, summary.users);
  progress('units', summary.units, summary.units);
  progress('rooms', summary.rooms, summary.rooms);
  progress('practitioners', plan.practitionerCount, plan.practitionerCount);

  for (let from = 0; from < plan.patients; from += batchSize) {
    const to = Math.min(plan.patients, from + batchSize);
    const rows: unknown[][] = [];
    for (let i = from; i < to; i++) {
      rows.push(patientValues(generatePatient(plan, i)));
      if (patientLacksNik(i)) summary.badRows.patientsWithoutNik += 1;
    }
    await db.transaction((trx) => insertRows(trx, 'patients', PATIENT_COLUMNS, rows));
    progress('patients', to, plan.patients);
  }

  // A few batches in flight on separate connections: the server indexes one while we build the
  // next. Bounded, so memory stays flat.
  let done = 0;
  const inFlight = new Set<Promise<void>>();
  for (const batch of visitBatches(plan, batchSize)) {
    countBatch(summary, batch);
    const write = db
      .transaction((trx) => writeVisitBatch(trx, batch))
      .then(() => {
        done += batch.visits.length;
        progress('visits', done, plan.visits);
      });
    inFlight.add(write);
    void write.then(() => inFlight.delete(write), () => inFlight.delete(write));
    if (inFlight.size >= WRITERS) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);

  summary.elapsedMs = Math.round(performance.now() - startedAt);
  return summary;
}
