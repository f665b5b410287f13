// A plausible Dekacare schema (Laravel conventions) for the demo and the tests. The real one is not
// public; the readers in shared/db/source are the only production code that knows these table and
// column names.
// No FOREIGN KEY constraints: legacy Dekacare installs often have none, the readers do not rely
// on them, and bulk seeding is faster without. Every reference column is indexed all the same.
import type { Db } from '../connect.js';

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';

/** Laravel's nullable created_at/updated_at pair. */
const TIMESTAMPS = '`created_at` DATETIME NULL DEFAULT NULL,\n  `updated_at` DATETIME NULL DEFAULT NULL';

/** Tables in creation order; dropping and truncating go the other way. */
export const SOURCE_TABLES = [
  'roles',
  'permissions',
  'role_has_permissions',
  'users',
  'user_has_permissions',
  'units',
  'rooms',
  'practitioners',
  'patients',
  'visits',
  'visit_rooms',
  'diagnoses',
  'vital_signs',
  'drugs',
  'drug_ingredients',
  'procedures',
  'immunizations',
  'allergies',
  'prescriptions',
  'prescription_items',
  'lab_orders',
  'lab_results',
  'visit_notes',
] as const;
export type SourceTable = (typeof SOURCE_TABLES)[number];

const DDL: Record<SourceTable, string> = {
  roles: `CREATE TABLE IF NOT EXISTS \`roles\` (
  \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  \`name\` VARCHAR(50) NOT NULL,
  \`guard_name\` VARCHAR(50) NOT NULL DEFAULT 'web',
  ${TIMESTAMPS},
  PRIMARY KEY (\`id\`),
  UNIQUE KEY \`roles_name_unique\` (\`name\`),
  KEY \`roles_updated_at_index\` (\`updated_at\`)
) ${TABLE_OPTIONS} COMMENT='Login roles: superadmin, admin, dokter, perawat, kasir, rekam_medis'`,

  permissions: `CREATE TABLE IF NOT EXISTS \`permissions\` (
  \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  \`name\` VARCHAR(50) NOT NULL,
  \`guard_name\` VARCHAR(50) NOT NULL DEFAULT 'web',
  ${TIMESTAMPS},
  PRIMARY KEY (\`id\`),
  UNIQUE KEY \`permissions_name_unique\` (\`name\`),
  KEY \`permissions_updated_at_index\` (\`updated_at\`)
) ${TABLE_OPTIONS} COMMENT='Menu permissions; satusehat opens the SatuSehat page'`,

  role_has_permissions: `CREATE TABLE IF NOT EXISTS \`role_has_permissions\` (
  \`permission_id\` BIGINT UNSIGNED NOT NULL,
  \`role_id\` BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (\`permission_id\`, \`role_id\`),
  KEY \`role_has_permissions_role_id_index\` (\`role_id\`)
) ${TABLE_OPTIONS}`,

  users: `CREATE TABLE IF NOT EXISTS \`users\` (
  \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  \`username\` VARCHAR(50) NOT NULL,
  \`name\` VARCHAR(150) NOT NULL,
  \`email\` VARCHAR(150) NULL DEFAULT NULL,
  \`password\` VARCHAR(255) NOT NULL COMMENT 'bcrypt, PHP form $2y$10$...',
  \`role_id\` BIGINT UNSIGNED NULL DEFAULT NULL,
  \`is_active\` TINYINT(1) NOT NULL DEFAULT 1,
  \`remember_token\` VARCHAR(100) NULL DEFAULT NULL,
  ${TIMESTAMPS},
  PRIMARY KEY (\`id\`),
  UNIQUE KEY \`users_username_unique\` (\`username\`),
  UNIQUE KEY \`users_email_unique\` (\`email\`),
  KEY \`users_role_id_index\` (\`role_id\`),
  KEY \`users_updated_at_index\` (\`updated_at\`)
) ${TABLE_OPTIONS}`,

  user_has_permissions: `CREATE TABLE IF NOT EXISTS \`user_has_permissions\` (
  \`user_id\` BIGINT UNSIGNED NOT NULL,
  \`permission_id\` BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (\`user_id\`, \`permission_id\`),
  KEY \`user_has_permissions_permission_id_index\` (\`permission_id\`)
) ${TABLE_OPTIONS} COMMENT='Permissions granted to one user on top of the role'`,

  units: `CREATE TABLE IF NOT EXISTS \`units\` (
  \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  \`code\` VARCHAR(20) NOT NULL,
  \`name\` VARCHAR(100) NOT NULL,
  \`phone\` VARCHAR(30) NULL DEFAULT NULL,
  \`email\` VARCHAR(100) NULL DEFAULT NULL,
  \`address\` VARCHAR(255) NULL DEFAULT NULL,
  \`city\` VARCHAR(100) NULL DEFAULT NULL,
  \`postal_code\` VARCHAR(10) NULL DEFAULT NULL,
  \`is_active\` TINYINT(1) NOT NULL DEFAULT 1,
  ${TIMESTAMPS},
  PRIMARY KEY (\`id\`),
  UNIQUE KEY \`units_code_unique\` (\`code\`),
  KEY \`units_updated_at_index\` (\`updated_at\`)
) ${TABLE_OPTIONS} COMMENT='Departments and polyclinics (sub-Organizations)'`,

  rooms: `CREATE TABLE IF NOT EXISTS \`rooms\` (
  \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  \`code\` VARCHAR(20) NOT NULL,
  \`name\` VARCHAR(100) NOT NULL,
  \`description\` VARCHAR(255) NULL DEFAULT NULL,
  \`unit_id\` BIGINT UNSIGNED NOT NULL,
  \`floor\` TINYINT UNSIGNED NULL DEFAULT NULL,
  \`service_class\` VARCHAR(10) NULL DEFAULT NULL COMMENT 'kelas: reguler, eksekutif (outpatient); 1, 2, 3, vip, vvip (inpatient)',
  \`is_active\` TINYINT(1) NOT NULL DEFAULT 1,
  ${TIMESTAMPS},
  PRIMARY KEY (\`id\`),
  UNIQUE KEY \`rooms_code_unique\` (\`code\`),
  KEY \`rooms_unit_id_index\` (\`unit_id\`),
  KEY \`rooms_updated_at_index\` (\`updated_at\`)
) ${TABLE_OPTIONS} COMMENT='Rooms (Locations)'`,

  practitioners: `CREATE TABLE IF NOT EXISTS \`practitioners\` (
  \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  \`nik\` CHAR(16) NULL DEFAULT NULL,
  \`name\` VARCHAR(150) NOT NULL COMMENT 'with titles, e.g. dr. Siti Rahmawati, Sp.PD',
  \`gender\` ENUM('male','female') NULL DEFAULT NULL,
  \`birth_date\` DATE NULL DEFAULT NULL,
  \`profession\` VARCHAR(50) NOT NULL,
  \`str_number\` VARCHAR(30) NULL DEFAULT NULL,
  \`unit_id\` BIGINT UNSIGNED NULL DEFAULT NULL,
  \`is_active\` TINYINT(1) NOT NULL DEFAULT 1,
  ${TIMESTAMPS},
  PRIMARY KEY (\`id\`),
  KEY \`practitioners_nik_index\` (\`nik\`),
  KEY \`practitioners_unit_id_index\` (\`unit_id\`),
  KEY \`practitioners_updated_at_index\` (\`updated_at\`)
) ${TABLE_OPTIONS} COMMENT='Doctors, dentists, midwives, nurses (Practitioners)'`,

  patients: `CREATE TABLE IF NOT EXISTS \`patients\` (
  \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  \`mrn\` VARCHAR(20) NOT NULL COMMENT 'No. rekam medis, RM-000001',
  \`nik\` CHAR(16) NULL DEFAULT NULL,
  \`name\` VARCHAR(150) NOT NULL,
  \`gender\` ENUM('male','female') NULL DEFAULT NULL,
  \`birth_date\` DATE NULL DEFAULT NULL,
  \`birth_place\` VARCHAR(100) NULL DEFAULT NULL,
  \`address\` VARCHAR(255) NULL DEFAULT NULL,
  \`city\` VARCHAR(100) NULL DEFAULT NULL,
  \`phone\` VARCHAR(20) NULL DEFAULT NULL,
  \`bpjs_no\` VARCHAR(13) NULL DEFAULT NULL,
  ${TIMESTAMPS},
  PRIMARY KEY (\`id\`),
  UNIQUE KEY \`patients_mrn_unique\` (\`mrn\`),
  KEY \`patients_nik_index\` (\`nik\`),
  KEY \`patients_updated_at_index\` (\`updated_at\`)
) ${TABLE_OPTIONS} COMMENT='Patients (Master Patient Index lookups by NIK)'`,

  visits: `CREATE TABLE IF NOT EXISTS \`visits\` (
  \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  \`visit_no\` VARCHAR(30) NOT NULL COMMENT 'No. registrasi / no_rawat',
  \`patient_id\` BIGINT UNSIGNED NOT NULL,
  \`practitioner_id\` BIGINT UNSIGNED NOT NULL,
  \`room_id\` BIGINT UNSIGNED NOT NULL,
  \`unit_id\` BIGINT UNSIGNED NOT NULL,
  \`encounter_class\` ENUM('AMB','EMER','IMP') NOT NULL DEFAULT 'AMB',
  \`status\` ENUM('registered','in_progress','finished','cancelled') NOT NULL DEFAULT 'registered',
  \`arrived_at\` DATETIME NOT NULL COMMENT 'local wall-clock time (WIB)',
  \`started_at\` DATETIME NULL DEFAULT NULL COMMENT 'local wall-clock time (WIB)',
  \`finished_at\` DATETIME NULL DEFAULT NULL COMMENT 'local wall-clock time (WIB)',
  \`discharge_disposition\` ENUM('home','own_request','referred','died','other') NULL DEFAULT NULL COMMENT 'cara keluar, when finished',
  ${TIMESTAMPS},
  PRIMARY KEY (\`id\`),
  UNIQUE KEY \`visits_visit_no_unique\` (\`visit_no\`),
  KEY \`visits_patient_id_index\` (\`patient_id\`),
  KEY \`visits_practitioner_id_index\` (\`practitioner_id\`),
  KEY \`visits_room_id_index\` (\`room_id\`),
  KEY \`visits_unit_id_index\` (\`unit_id\`),
  KEY \`visits_arrived_at_index\` (\`arrived_at\`),
  KEY \`visits_updated_at_index\` (\`updated_at\`)
) ${TABLE_OPTIONS} COMMENT='Visits / registrations (Encounters)'`,

  visit_rooms: `CREATE TABLE IF NOT EXISTS \`visit_rooms\` (
  \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  \`visit_id\` BIGINT UNSIGNED NOT NULL,
  \`room_id\` BIGINT UNSIGNED NOT NULL,
  \`entered_at\` DATETIME NOT NULL COMMENT 'local wall-clock time (WIB)',
  \`left_at\` DATETIME NULL DEFAULT NULL COMMENT 'local wall-clock time (WIB); null while the patient is there',
  ${TIMESTAMPS},
  PRIMARY KEY (\`id\`),
  KEY \`visit_rooms_visit_id_index\` (\`visit_id\`),
  KEY \`visit_rooms_updated_at_index\` (\`updated_at\`)
) ${TABLE_OPTIONS} COMMENT='Rooms of an inpatient stay over time (Encounter.location[])'`,

  diagnoses: `CREATE TABLE IF NOT EXISTS \`diagnoses\` (
  \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  \`visit_id\` BIGINT UNSIGNED NOT NULL,
  \`icd10_code\` VARCHAR(10) NOT NULL,
  \`icd10_display\` VARCHAR(255) NULL DEFAULT NULL,
  \`rank\` TINYINT UNSIGNED NOT NULL DEFAULT 1 COMMENT '1 = primary diagnosis',
  \`recorded_at\` DATETIME NOT NULL COMMENT 'local wall-clock time (WIB)',
  ${TIMESTAMPS},
  PRIMARY KEY (\`id\`),
  KEY \`diagnoses_visit_id_index\` (\`visit_id\`),
  KEY \`diagnoses_updated_at_index\` (\`updated_at\`)
) ${TABLE_OPTIONS} COMMENT='ICD-10 diagnoses per visit (Conditions)'`,

  vital_signs: `CREATE TABLE IF NOT EXISTS \`vital_signs\` (
  \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  \`visit_id\` BIGINT UNSIGNED NOT NULL,
  \`practitioner_id\` BIGINT UNSIGNED NOT NULL,
  \`heart_rate\` SMALLINT UNSIGNED NULL DEFAULT NULL COMMENT 'beats/min',
  \`respiratory_rate\` SMALLINT UNSIGNED NULL DEFAULT NULL COMMENT 'breaths/min',
  \`systolic\` SMALLINT UNSIGNED NULL DEFAULT NULL COMMENT 'mmHg',
  \`diastolic\` SMALLINT UNSIGNED NULL DEFAULT NULL COMMENT 'mmHg',
  \`temperature\` DECIMAL(4,1) NULL DEFAULT NULL COMMENT 'Cel',
  \`height\` DECIMAL(5,1) NULL DEFAULT NULL COMMENT 'cm',
  \`weight\` DECIMAL(5,1) NULL DEFAULT NULL COMMENT 'kg',
  \`spo2\` TINYINT UNSIGNED NULL DEFAULT NULL COMMENT '%',
  \`consciousness\` ENUM('alert','voice','pain','unresponsive') NULL DEFAULT NULL COMMENT 'AVPU',
  \`measured_at\` DATETIME NOT NULL COMMENT 'local wall-clock time (WIB)',
  ${TIMESTAMPS},
  PRIMARY KEY (\`id\`),
  KEY \`vital_signs_visit_id_index\` (\`visit_id\`),
  KEY \`vital_signs_practitioner_id_index\` (\`practitioner_id\`),
  KEY \`vital_signs_updated_at_index\` (\`updated_at\`)
) ${TABLE_OPTIONS} COMMENT='Vital signs, one wide row per measurement round (Observations)'`,

  drugs: `CREATE TABLE IF NOT EXISTS \`drugs\` (
  \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  \`code\` VARCHAR(20) NOT NULL COMMENT 'local drug code, OBT-001',
  \`name\` VARCHAR(150) NOT NULL,
  \`kfa_code\` VARCHAR(12) NULL DEFAULT NULL COMMENT 'Kamus Farmasi dan Alat Kesehatan code; NULL = not mapped',
  \`kfa_display\` VARCHAR(255) NULL DEFAULT NULL,
  \`form_code\` VARCHAR(10) NULL DEFAULT NULL COMMENT 'Kemkes medication-form, BS066',
  \`form_name\` VARCHAR(50) NULL DEFAULT NULL,
  \`medication_type\` VARCHAR(2) NOT NULL DEFAULT 'NC' COMMENT 'Kemkes medication-type: NC product, SD compound d.t.d., EP compound divided into equal parts',
  \`stock_unit\` VARCHAR(20) NOT NULL,
  \`is_active\` TINYINT(1) NOT NULL DEFAULT 1,
  ${TIMESTAMPS},
  PRIMARY KEY (\`id\`),
  UNIQUE KEY \`drugs_code_unique\` (\`code\`),
  KEY \`drugs_updated_at_index\` (\`updated_at\`)
) ${TABLE_OPTIONS} COMMENT='Drug master (formularium) with its KFA mapping'`,

  drug_ingredients: `CREATE TABLE IF NOT EXISTS \`drug_ingredients\` (
  \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  \`drug_id\` BIGINT UNSIGNED NOT NULL,
  \`kfa_code\` VARCHAR(12) NULL DEFAULT NULL COMMENT 'KFA 91… substance (92/93… product for a compound divided into equal parts); NULL = not mapped',
  \`name\` VARCHAR(150) NOT NULL,
  \`strength_value\` DECIMAL(10,3) NULL DEFAULT NULL COMMENT '125 (mg) …',
  \`strength_unit\` VARCHAR(20) NULL DEFAULT NULL COMMENT 'mg, g, mL, TAB',
  \`per_value\` DECIMAL(10,3) NULL DEFAULT NULL COMMENT '… per 1 (CAP)',
  \`per_unit\` VARCHAR(20) NULL DEFAULT NULL COMMENT 'TAB, CAP, mL, g',
  ${TIMESTAMPS},
  PRIMARY KEY (\`id\`),
  KEY \`drug_ingredients_drug_id_index\` (\`drug_id\`)
) ${TABLE_OPTIONS} COMMENT='Ingredients of a drug with their strength (Medication.ingredient)'`,

  procedures: `CREATE TABLE IF NOT EXISTS \`procedures\` (
  \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  \`visit_id\` BIGINT UNSIGNED NOT NULL,
  \`practitioner_id\` BIGINT UNSIGNED NULL DEFAULT NULL COMMENT 'who performed it',
  \`icd9cm_code\` VARCHAR(10) NOT NULL,
  \`icd9cm_display\` VARCHAR(255) NULL DEFAULT NULL,
  \`performed_start\` DATETIME NOT NULL COMMENT 'local wall-clock time (WIB)',
  \`performed_end\` DATETIME NULL DEFAULT NULL COMMENT 'local wall-clock time (WIB)',
  ${TIMESTAMPS},
  PRIMARY KEY (\`id\`),
  KEY \`procedures_visit_id_index\` (\`visit_id\`),
  KEY \`procedures_practitioner_id_index\` (\`practitioner_id\`),
  KEY \`procedures_updated_at_index\` (\`updated_at\`)
) ${TABLE_OPTIONS} COMMENT='Procedures (tindakan) per visit, ICD-9-CM (Procedures)'`,

  immunizations: `CREATE TABLE IF NOT EXISTS \`immunizations\` (
  \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  \`visit_id\` BIGINT UNSIGNED NOT NULL,
  \`practitioner_id\` BIGINT UNSIGNED NULL DEFAULT NULL COMMENT 'who gave the vaccine',
  \`kfa_code\` VARCHAR(20) NULL DEFAULT NULL COMMENT 'the vaccine product, KFA 93…',
  \`vaccine_name\` VARCHAR(255) NOT NULL,
  \`lot_number\` VARCHAR(50) NULL DEFAULT NULL,
  \`expiration_date\` DATE NULL DEFAULT NULL,
  \`dose_number\` TINYINT UNSIGNED NULL DEFAULT NULL COMMENT 'within the series, 1 = first',
  \`dose_ml\` DECIMAL(5,2) NULL DEFAULT NULL,
  \`site\` VARCHAR(10) NULL DEFAULT NULL COMMENT 'HL7 v3 ActSite, e.g. LUA',
  \`reason_code\` VARCHAR(20) NULL DEFAULT NULL COMMENT 'Kemenkes immunization-reason, e.g. IM-WUS',
  \`given_at\` DATETIME NOT NULL COMMENT 'local wall-clock time (WIB)',
  ${TIMESTAMPS},
  PRIMARY KEY (\`id\`),
  KEY \`immunizations_visit_id_index\` (\`visit_id\`),
  KEY \`immunizations_practitioner_id_index\` (\`practitioner_id\`),
  KEY \`immunizations_updated_at_index\` (\`updated_at\`)
) ${TABLE_OPTIONS} COMMENT='Vaccines given per visit, imunisasi (Immunization)'`,

  allergies: `CREATE TABLE IF NOT EXISTS \`allergies\` (
  \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  \`patient_id\` BIGINT UNSIGNED NOT NULL,
  \`visit_id\` BIGINT UNSIGNED NULL DEFAULT NULL COMMENT 'visit it was recorded at, if any',
  \`practitioner_id\` BIGINT UNSIGNED NULL DEFAULT NULL COMMENT 'who recorded it',
  \`category\` ENUM('food','medication','environment') NOT NULL,
  \`allergen_system\` ENUM('snomed','kfa') NULL DEFAULT NULL,
  \`allergen_code\` VARCHAR(20) NULL DEFAULT NULL,
  \`allergen_name\` VARCHAR(150) NOT NULL,
  \`clinical_status\` ENUM('active','inactive','resolved') NOT NULL DEFAULT 'active',
  \`verification_status\` ENUM('confirmed','unconfirmed','refuted','entered-in-error') NOT NULL DEFAULT 'confirmed',
  \`reaction\` VARCHAR(255) NULL DEFAULT NULL,
  \`recorded_at\` DATETIME NOT NULL COMMENT 'local wall-clock time (WIB)',
  ${TIMESTAMPS},
  PRIMARY KEY (\`id\`),
  KEY \`allergies_patient_id_index\` (\`patient_id\`),
  KEY \`allergies_visit_id_index\` (\`visit_id\`),
  KEY \`allergies_updated_at_index\` (\`updated_at\`)
) ${TABLE_OPTIONS} COMMENT='Patient allergies (AllergyIntolerance)'`,

  prescriptions: `CREATE TABLE IF NOT EXISTS \`prescriptions\` (
  \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  \`prescription_no\` VARCHAR(30) NOT NULL COMMENT 'No. resep',
  \`visit_id\` BIGINT UNSIGNED NOT NULL,
  \`practitioner_id\` BIGINT UNSIGNED NOT NULL COMMENT 'prescriber',
  \`prescribed_at\` DATETIME NOT NULL COMMENT 'local wall-clock time (WIB)',
  \`valid_until\` DATETIME NULL DEFAULT NULL COMMENT 'last moment it may be dispensed, local time',
  ${TIMESTAMPS},
  PRIMARY KEY (\`id\`),
  UNIQUE KEY \`prescriptions_prescription_no_unique\` (\`prescription_no\`),
  KEY \`prescriptions_visit_id_index\` (\`visit_id\`),
  KEY \`prescriptions_practitioner_id_index\` (\`practitioner_id\`),
  KEY \`prescriptions_updated_at_index\` (\`updated_at\`)
) ${TABLE_OPTIONS} COMMENT='Prescriptions (resep) per visit'`,

  prescription_items: `CREATE TABLE IF NOT EXISTS \`prescription_items\` (
  \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  \`prescription_id\` BIGINT UNSIGNED NOT NULL,
  \`line_no\` TINYINT UNSIGNED NOT NULL DEFAULT 1,
  \`drug_id\` BIGINT UNSIGNED NOT NULL,
  \`quantity\` DECIMAL(8,2) NULL DEFAULT NULL,
  \`quantity_unit\` VARCHAR(20) NULL DEFAULT NULL COMMENT 'TAB, CAP, mL, g, sachet',
  \`signa\` VARCHAR(100) NULL DEFAULT NULL COMMENT '3 x 1 tablet',
  \`frequency\` TINYINT UNSIGNED NULL DEFAULT NULL COMMENT 'times per day',
  \`dose_amount\` DECIMAL(6,2) NULL DEFAULT NULL,
  \`dose_unit\` VARCHAR(20) NULL DEFAULT NULL,
  \`duration_days\` SMALLINT UNSIGNED NULL DEFAULT NULL,
  \`route\` VARCHAR(20) NULL DEFAULT NULL COMMENT 'oral, topical, ophthalmic, inhalation',
  \`instructions\` VARCHAR(255) NULL DEFAULT NULL,
  \`repeats\` TINYINT UNSIGNED NULL DEFAULT NULL COMMENT 'refills allowed (iter)',
  \`substitution_allowed\` TINYINT(1) NULL DEFAULT NULL COMMENT '0 = dispense exactly this drug; NULL = substitution allowed',
  \`course_of_therapy\` VARCHAR(20) NULL DEFAULT NULL COMMENT 'acute, continuous, seasonal',
  ${TIMESTAMPS},
  PRIMARY KEY (\`id\`),
  KEY \`prescription_items_prescription_id_index\` (\`prescription_id\`),
  KEY \`prescription_items_drug_id_index\` (\`drug_id\`),
  KEY \`prescription_items_updated_at_index\` (\`updated_at\`)
) ${TABLE_OPTIONS} COMMENT='Prescription lines (Medication + MedicationRequest)'`,

  lab_orders: `CREATE TABLE IF NOT EXISTS \`lab_orders\` (
  \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  \`order_no\` VARCHAR(30) NOT NULL,
  \`visit_id\` BIGINT UNSIGNED NOT NULL,
  \`practitioner_id\` BIGINT UNSIGNED NOT NULL COMMENT 'who ordered it',
  \`test_code\` VARCHAR(20) NOT NULL COMMENT 'local test code, DL, GDS',
  \`test_name\` VARCHAR(100) NOT NULL,
  \`loinc_code\` VARCHAR(10) NOT NULL,
  \`specimen_code\` VARCHAR(20) NULL DEFAULT NULL COMMENT 'SNOMED CT specimen type',
  \`specimen_name\` VARCHAR(100) NULL DEFAULT NULL,
  \`ordered_at\` DATETIME NOT NULL COMMENT 'local wall-clock time (WIB)',
  \`collected_at\` DATETIME NULL DEFAULT NULL COMMENT 'sample taken; local time',
  \`transported_at\` DATETIME NULL DEFAULT NULL COMMENT 'sample sent to the laboratory; local time',
  \`reported_at\` DATETIME NULL DEFAULT NULL COMMENT 'results validated; local time',
  \`conclusion\` VARCHAR(500) NULL DEFAULT NULL,
  ${TIMESTAMPS},
  PRIMARY KEY (\`id\`),
  UNIQUE KEY \`lab_orders_order_no_unique\` (\`order_no\`),
  KEY \`lab_orders_visit_id_index\` (\`visit_id\`),
  KEY \`lab_orders_practitioner_id_index\` (\`practitioner_id\`),
  KEY \`lab_orders_updated_at_index\` (\`updated_at\`)
) ${TABLE_OPTIONS} COMMENT='Laboratory orders (ServiceRequest, Specimen, DiagnosticReport)'`,

  lab_results: `CREATE TABLE IF NOT EXISTS \`lab_results\` (
  \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  \`lab_order_id\` BIGINT UNSIGNED NOT NULL,
  \`loinc_code\` VARCHAR(10) NOT NULL,
  \`test_name\` VARCHAR(100) NOT NULL,
  \`value\` DECIMAL(10,2) NULL DEFAULT NULL,
  \`unit\` VARCHAR(20) NULL DEFAULT NULL,
  \`reference_low\` DECIMAL(10,2) NULL DEFAULT NULL,
  \`reference_high\` DECIMAL(10,2) NULL DEFAULT NULL,
  \`resulted_at\` DATETIME NOT NULL COMMENT 'local wall-clock time (WIB)',
  ${TIMESTAMPS},
  PRIMARY KEY (\`id\`),
  KEY \`lab_results_lab_order_id_index\` (\`lab_order_id\`),
  KEY \`lab_results_updated_at_index\` (\`updated_at\`)
) ${TABLE_OPTIONS} COMMENT='Laboratory results, one row per analyte (laboratory Observations)'`,

  visit_notes: `CREATE TABLE IF NOT EXISTS \`visit_notes\` (
  \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  \`visit_id\` BIGINT UNSIGNED NOT NULL,
  \`practitioner_id\` BIGINT UNSIGNED NOT NULL COMMENT 'author',
  \`note_type\` ENUM('diet','education','summary') NOT NULL COMMENT 'summary = Resume Medis',
  \`title\` VARCHAR(150) NOT NULL,
  \`text\` TEXT NOT NULL,
  \`snomed_code\` VARCHAR(18) NULL DEFAULT NULL COMMENT 'diet: oral diet type; education: topic (SNOMED CT)',
  \`snomed_display\` VARCHAR(150) NULL DEFAULT NULL,
  \`diet_intent\` ENUM('proposal','order') NULL DEFAULT NULL COMMENT 'diet: advice, or an order for the dietitian',
  \`written_at\` DATETIME NOT NULL COMMENT 'local wall-clock time (WIB)',
  ${TIMESTAMPS},
  PRIMARY KEY (\`id\`),
  KEY \`visit_notes_visit_id_index\` (\`visit_id\`),
  KEY \`visit_notes_updated_at_index\` (\`updated_at\`)
) ${TABLE_OPTIONS} COMMENT='Diet advice, patient education and the visit summary (Resume Medis) per visit'`,
};

/**
 * Written by the demo seeder only. Its presence is what allows `reset` to truncate: a database
 * without it holds data we did not write, possibly a real clinic's, and is never emptied.
 */
export const DEMO_MARKER_TABLE = 'demo_seed_info';
const MARKER_DDL = `CREATE TABLE IF NOT EXISTS \`${DEMO_MARKER_TABLE}\` (
  \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  \`seed\` BIGINT NOT NULL,
  \`anchor_date\` DATE NOT NULL,
  \`patients\` INT UNSIGNED NOT NULL,
  \`visits\` INT UNSIGNED NOT NULL,
  PRIMARY KEY (\`id\`)
) ${TABLE_OPTIONS} COMMENT='Marks a database filled by the demo seeder (satusehat demo)'`;

/** The CREATE TABLE statement of one table, for docs and for operators building a look-alike. */
export function sourceTableDdl(table: SourceTable): string {
  return DDL[table];
}

/** Creates the tables that are missing; existing tables are left as they are. */
export async function createDemoSourceSchema(db: Db): Promise<void> {
  for (const table of SOURCE_TABLES) await db.raw(DDL[table]);
  await db.raw(MARKER_DDL);
}

export async function dropDemoSourceSchema(db: Db): Promise<void> {
  for (const table of [DEMO_MARKER_TABLE, ...[...SOURCE_TABLES].reverse()]) await db.raw('DROP TABLE IF EXISTS ??', [table]);
}
