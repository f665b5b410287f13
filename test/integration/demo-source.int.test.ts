// The demo Dekacare source on a real MariaDB: seeding (counts, determinism, deliberate bad rows,
// refusal to overwrite), the readers of the source contract, and the operator lookup.
import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { connectMysql, type Db } from '../../shared/db/connect.js';
import { SOURCE_TABLES, seedDemoSource, type SeedOptions, type SeedSummary } from '../../shared/db/demo/index.js';
import {
  countSourceRows,
  findOperator,
  readAllergies,
  readDiagnoses,
  readLabOrders,
  readLabResults,
  readPatients,
  readPractitioners,
  readPrescriptionItems,
  readImmunizations,
  readProcedures,
  readRooms,
  readDietNotes,
  readEducationNotes,
  readUnits,
  readVisitNotes,
  readVisitSummaries,
  readVisits,
  readVitalSigns,
  sourceReaders,
} from '../../shared/db/source/index.js';
import { ICD10_BY_CODE, ICD9CM_POOLS, SANDBOX_PATIENTS, SANDBOX_PRACTITIONERS, parseNik } from '../../shared/demo/index.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

const OPTIONS: SeedOptions = { patients: 200, visits: 800, seed: 20261127, anchorDate: '2026-11-27' };
const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

let main: TestDatabase;
let twin: TestDatabase;
let summary: SeedSummary;

beforeAll(async () => {
  main = await createTestDatabase('demosrc', { dateStrings: true });
  twin = await createTestDatabase('demosrc', { dateStrings: true });
  summary = await seedDemoSource(main.db, OPTIONS);
}, 120_000);

afterAll(async () => {
  await main?.drop();
  await twin?.drop();
});

async function collect<T>(batches: AsyncGenerator<T[]>): Promise<{ rows: T[]; sizes: number[] }> {
  const rows: T[] = [];
  const sizes: number[] = [];
  for await (const batch of batches) {
    sizes.push(batch.length);
    rows.push(...batch);
  }
  return { rows, sizes };
}

/** sha256 over every row of every source table, independent of physical order. */
async function checksum(db: Db): Promise<string> {
  const hash = createHash('sha256');
  for (const table of SOURCE_TABLES) {
    const rows = (await db(table).select('*')) as Record<string, unknown>[];
    const lines = rows.map((r) => JSON.stringify(r)).sort();
    hash.update(`${table}\n${lines.join('\n')}\n`);
  }
  return hash.digest('hex');
}

async function count(db: Db, table: string, where?: (q: ReturnType<Db>) => void): Promise<number> {
  const q = db(table);
  where?.(q);
  const row = (await q.count({ n: '*' }).first()) as { n: number | string };
  return Number(row.n);
}

describe('seedDemoSource', () => {
  it('writes the requested volumes and reports them', async () => {
    expect(summary).toMatchObject({ users: 6, units: 9, rooms: 22, practitioners: 8, patients: 200, visits: 800 });
    const counts = await countSourceRows(main.db);
    expect(counts).toMatchObject({
      users: summary.users,
      units: summary.units,
      rooms: summary.rooms,
      practitioners: summary.practitioners,
      patients: summary.patients,
      visits: summary.visits,
      diagnoses: summary.diagnoses,
      vitalSigns: summary.vitalSigns,
      drugs: summary.drugs,
      procedures: summary.procedures,
      immunizations: summary.immunizations,
      allergies: summary.allergies,
      prescriptions: summary.prescriptions,
      prescriptionItems: summary.prescriptionItems,
      labOrders: summary.labOrders,
      labResults: summary.labResults,
      visitNotes: summary.visitNotes,
    });
    // The rest of the outpatient mix (per visit): procedures ≈0.3, prescriptions ≈0.5, lab orders ≈0.2, notes ≈0.3.
    expect(summary.procedures / 800).toBeGreaterThan(0.2);
    expect(summary.prescriptions / 800).toBeGreaterThan(0.38);
    expect(summary.prescriptionItems).toBeGreaterThanOrEqual(summary.prescriptions);
    expect(summary.labOrders / 800).toBeGreaterThan(0.12);
    expect(summary.visitNotes / 800).toBeGreaterThan(0.2);
    expect(summary.allergies).toBeGreaterThan(0);
    expect(summary.immunizations).toBeGreaterThan(0);
    // One vital-signs round per visit that got to the doctor; 1–3 diagnoses each, about 1.5.
    const seen = await count(main.db, 'visits', (q) => q.whereNotNull('started_at'));
    expect(summary.vitalSigns).toBe(seen);
    expect(summary.diagnoses / seen).toBeGreaterThan(1.35);
    expect(summary.diagnoses / seen).toBeLessThan(1.65);
    expect(summary.elapsedMs).toBeGreaterThan(0);
  });

  it('spreads visits over the days before the anchor date, mostly finished', async () => {
    const byStatus = (await main.db('visits').select('status').count({ n: '*' }).groupBy('status')) as { status: string; n: number }[];
    const statuses = Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)]));
    expect(statuses.finished).toBeGreaterThan(700);
    expect(statuses.cancelled).toBeGreaterThan(0);
    expect((statuses.registered ?? 0) + (statuses.in_progress ?? 0)).toBeGreaterThan(0);
    const good = (await main.db('visits')
      .whereBetween('arrived_at', ['2022-09-01 00:00:00', '2026-11-27 23:59:59'])
      .min({ first: 'arrived_at' })
      .max({ last: 'arrived_at' })
      .first()) as { first: string; last: string };
    expect(good.first >= '2026-11-13').toBe(true);
    expect(good.last.startsWith('2026-11-27')).toBe(true);
    const open = (await main.db('visits').whereIn('status', ['registered', 'in_progress']).select('arrived_at', 'finished_at')) as { arrived_at: string; finished_at: string | null }[];
    expect(open.length, 'visits still open on the anchor day').toBeGreaterThan(0);
    for (const v of open) expect(v.finished_at).toBeNull();
    const badOrder = await count(main.db, 'visits', (q) => q.where('status', 'finished').andWhere((w) => w.whereRaw('started_at <= arrived_at').orWhereRaw('finished_at <= started_at')));
    expect(badOrder).toBe(0);
  });

  it('is deterministic: same seed and anchor date give identical tables', async () => {
    const again = await seedDemoSource(twin.db, OPTIONS);
    expect({ ...again, elapsedMs: 0 }).toEqual({ ...summary, elapsedMs: 0 });
    expect(await checksum(twin.db)).toBe(await checksum(main.db));
  });

  it('refuses to seed a database that already holds data, unless reset', async () => {
    await expect(seedDemoSource(twin.db, OPTIONS)).rejects.toThrow(/not empty .*reset/);
    await seedDemoSource(twin.db, { ...OPTIONS, seed: OPTIONS.seed + 1, reset: true });
    expect(await checksum(twin.db)).not.toBe(await checksum(main.db));
    // A demo database made before the note kinds existed is rebuilt with today's columns.
    await twin.db.raw('ALTER TABLE visit_notes DROP COLUMN snomed_code, DROP COLUMN snomed_display, DROP COLUMN diet_intent');
    const reseeded = await seedDemoSource(twin.db, { ...OPTIONS, reset: true });
    expect(reseeded.visits).toBe(800);
    expect(await twin.db.schema.hasColumn('visit_notes', 'diet_intent')).toBe(true);
    expect(await checksum(twin.db)).toBe(await checksum(main.db));
  });

  it('never empties a database it did not fill, even with reset', async () => {
    const foreign = await createTestDatabase('demosrcf', { dateStrings: true });
    try {
      await foreign.db.raw('CREATE TABLE patients (id INT PRIMARY KEY, nama VARCHAR(50))');
      await foreign.db('patients').insert({ id: 1, nama: 'Pasien Asli' });
      await expect(seedDemoSource(foreign.db, OPTIONS)).rejects.toThrow(/not empty/);
      await expect(seedDemoSource(foreign.db, { ...OPTIONS, reset: true })).rejects.toThrow(/did not write/);
      expect(await count(foreign.db, 'patients')).toBe(1);
      expect(await foreign.db.schema.hasTable('visits')).toBe(false);
    } finally {
      await foreign.drop();
    }
  });

  it('gives realistic NIKs: 16 digits, a real date (women +40), the sandbox NIKs first', async () => {
    const patients = (await main.db('patients').orderBy('id').select('id', 'nik', 'gender', 'birth_date')) as { id: number; nik: string | null; gender: string; birth_date: string }[];
    expect(patients.slice(0, 10).map((p) => p.nik)).toEqual(SANDBOX_PATIENTS.map((p) => p.nik));
    const niks = patients.map((p) => p.nik).filter((n): n is string => n !== null);
    expect(new Set(niks).size).toBe(niks.length);
    let generated = 0;
    for (const p of patients) {
      if (p.nik === null) continue;
      const parsed = parseNik(p.nik);
      expect(parsed, p.nik).not.toBeNull();
      if (p.id > 10 && parsed) {
        generated += 1;
        expect(parsed.gender).toBe(p.gender);
        expect(`${parsed.yearOfCentury}`.padStart(2, '0')).toBe(p.birth_date.slice(2, 4));
        expect(parsed.month).toBe(Number(p.birth_date.slice(5, 7)));
        expect(parsed.day).toBe(Number(p.birth_date.slice(8, 10)));
      }
    }
    expect(generated, 'generated (non-sandbox) NIKs checked').toBeGreaterThan(0);
    const practitioners = (await main.db('practitioners').orderBy('id').select('nik')) as { nik: string | null }[];
    const withNik = practitioners.map((p) => p.nik).filter((n): n is string => n !== null);
    expect(withNik.length).toBeGreaterThan(0);
    expect(withNik).toEqual(SANDBOX_PRACTITIONERS.slice(0, withNik.length).map((p) => p.nik));
    for (const nik of withNik) expect(parseNik(nik), nik).not.toBeNull();
  });

  it('plants the documented bad rows, as many as the summary says', async () => {
    const bad = summary.badRows;
    for (const [name, n] of Object.entries(bad)) expect(n, name).toBeGreaterThan(0);
    expect(await count(main.db, 'patients', (q) => q.whereNull('nik'))).toBe(bad.patientsWithoutNik);
    expect(await count(main.db, 'practitioners', (q) => q.whereNull('nik'))).toBe(bad.practitionersWithoutNik);
    expect(bad.practitionersWithoutNik).toBe(1);
    expect(await count(main.db, 'visits', (q) => q.where('arrived_at', '>', '2026-11-28 00:00:00'))).toBe(bad.futureVisits);
    expect(await count(main.db, 'visits', (q) => q.where('arrived_at', '<', '2022-08-31 00:00:00'))).toBe(bad.visitsBefore2022);
    const codes = (await main.db('diagnoses').select('icd10_code')) as { icd10_code: string }[];
    expect(codes.filter((c) => !ICD10_BY_CODE.has(c.icd10_code)).length).toBe(bad.unknownIcd10);
    expect(await count(main.db, 'procedures', (q) => q.whereNotIn('icd9cm_code', Object.values(ICD9CM_POOLS).flat().concat('73.59')))).toBe(bad.unknownIcd9cm);
    expect(await count(main.db, 'vital_signs', (q) => q.where('temperature', '>', 100))).toBe(bad.temperatureTypos);
    expect(await count(main.db, 'lab_results', (q) => q.whereNull('unit'))).toBe(bad.labResultsWithoutUnit);
    // The racikan whose ingredients were never mapped to KFA.
    const unmapped = (q: ReturnType<Db>) => q.whereExists(function () {
      void this.from('drug_ingredients as di').whereRaw('di.drug_id = i.drug_id').whereNull('di.kfa_code');
    });
    expect(await count(main.db, 'prescription_items as i', unmapped)).toBe(bad.drugsWithoutKfa);

    // The practitioner without NIK sees patients, but is not the busiest.
    const load = (await main.db('visits').select('practitioner_id').count({ n: '*' }).groupBy('practitioner_id')) as { practitioner_id: number; n: number }[];
    const noNik = (await main.db('practitioners').whereNull('nik').first('id')) as { id: number };
    const theirs = Number(load.find((l) => l.practitioner_id === noNik.id)?.n ?? 0);
    expect(theirs).toBeGreaterThan(0);
    expect(theirs).toBeLessThan(Math.max(...load.map((l) => Number(l.n))));
  });

  it('stores demo passwords as Laravel bcrypt ($2y$10$) that bcryptjs verifies', async () => {
    const users = (await main.db('users').select('username', 'password')) as { username: string; password: string }[];
    const passwords: Record<string, string> = { superadmin: 'superadmin123', admin: 'admin123', admin2: 'admin123', dokter: 'dokter123', kasir: 'kasir123', nonaktif: 'nonaktif123' };
    expect(users.map((u) => u.username).sort()).toEqual(Object.keys(passwords).sort());
    for (const u of users) {
      expect(u.password).toMatch(/^\$2y\$10\$[./A-Za-z0-9]{53}$/);
      const asBcryptjs = u.password.replace(/^\$2y\$/, '$2b$');
      expect(bcrypt.compareSync(passwords[u.username] ?? '', asBcryptjs), u.username).toBe(true);
      expect(bcrypt.compareSync('wrong-password', asBcryptjs)).toBe(false);
    }
  });
});

describe('source readers', () => {
  const SHAPES = {
    units: ['address', 'city', 'code', 'email', 'id', 'name', 'phone', 'postalCode', 'updatedAt'],
    rooms: ['code', 'description', 'id', 'name', 'unitId', 'unitName', 'updatedAt'],
    practitioners: ['birthDate', 'gender', 'id', 'name', 'nik', 'updatedAt'],
    patients: ['birthDate', 'gender', 'id', 'mrn', 'name', 'nik', 'updatedAt'],
    visits: ['arrivedAt', 'diagnoses', 'dischargeDisposition', 'encounterClass', 'finishedAt', 'id', 'patientId', 'patientName', 'patientNik', 'practitionerId', 'practitionerName', 'roomId', 'roomName', 'roomServiceClass', 'rooms', 'startedAt', 'status', 'unitId', 'unitName', 'updatedAt', 'visitNo'],
    diagnoses: ['icd10Code', 'icd10Display', 'id', 'patientId', 'patientName', 'rank', 'recordedAt', 'updatedAt', 'visitId', 'visitNo'],
    vital_signs: ['consciousness', 'diastolic', 'heartRate', 'height', 'id', 'measuredAt', 'patientId', 'patientName', 'practitionerId', 'practitionerName', 'respiratoryRate', 'spo2', 'systolic', 'temperature', 'updatedAt', 'visitId', 'visitNo', 'weight'],
    procedures: ['icd9cmCode', 'icd9cmDisplay', 'id', 'patientId', 'patientName', 'performedEnd', 'performedStart', 'practitionerId', 'practitionerName', 'updatedAt', 'visitId', 'visitNo'],
    immunizations: ['doseMl', 'doseNumber', 'expirationDate', 'givenAt', 'id', 'kfaCode', 'lotNumber', 'patientId', 'patientName', 'practitionerId', 'practitionerName', 'reasonCode', 'site', 'updatedAt', 'vaccineName', 'visitId', 'visitNo'],
    allergies: ['allergenCode', 'allergenName', 'allergenSystem', 'category', 'clinicalStatus', 'id', 'patientId', 'patientName', 'practitionerId', 'practitionerName', 'reaction', 'recordedAt', 'updatedAt', 'verificationStatus', 'visitId', 'visitNo'],
    prescription_items: ['courseOfTherapy', 'doseAmount', 'doseUnit', 'drugCode', 'drugId', 'drugName', 'durationDays', 'encounterClass', 'formCode', 'formName', 'frequency', 'id', 'ingredients', 'instructions', 'kfaCode', 'kfaDisplay', 'lineNo', 'medicationType', 'patientId', 'patientName', 'practitionerId', 'practitionerName', 'prescribedAt', 'prescriptionId', 'prescriptionNo', 'quantity', 'quantityUnit', 'reasonIcd10Code', 'reasonIcd10Display', 'repeats', 'route', 'signa', 'substitutionAllowed', 'updatedAt', 'validUntil', 'visitId', 'visitNo', 'visitStatus'],
    lab_orders: ['collectedAt', 'conclusion', 'id', 'loincCode', 'orderNo', 'orderedAt', 'patientId', 'patientName', 'practitionerId', 'practitionerName', 'reportedAt', 'resultIds', 'specimenCode', 'specimenName', 'testName', 'transportedAt', 'updatedAt', 'visitId', 'visitNo'],
    lab_results: ['collectedAt', 'id', 'loincCode', 'orderId', 'orderNo', 'patientId', 'patientName', 'practitionerId', 'practitionerName', 'referenceHigh', 'referenceLow', 'resultedAt', 'testName', 'unit', 'updatedAt', 'value', 'visitId', 'visitNo'],
    visit_notes: ['dietIntent', 'id', 'noteType', 'patientId', 'patientName', 'practitionerId', 'practitionerName', 'snomedCode', 'snomedDisplay', 'text', 'title', 'updatedAt', 'visitId', 'visitNo', 'writtenAt'],
  } as const;

  const READERS = {
    units: readUnits,
    rooms: readRooms,
    practitioners: readPractitioners,
    patients: readPatients,
    visits: readVisits,
    diagnoses: readDiagnoses,
    vital_signs: readVitalSigns,
    procedures: readProcedures,
    immunizations: readImmunizations,
    allergies: readAllergies,
    prescription_items: readPrescriptionItems,
    lab_orders: readLabOrders,
    lab_results: readLabResults,
    visit_notes: readVisitNotes,
  } as const;

  /** Rows each reader must return: everything except what belongs to cancelled visits. */
  async function expectedCount(table: keyof typeof READERS): Promise<number> {
    if (table === 'visits') return count(main.db, 'visits', (q) => q.whereNot('status', 'cancelled'));
    if (table === 'diagnoses' || table === 'vital_signs' || table === 'procedures' || table === 'immunizations' || table === 'lab_orders' || table === 'visit_notes') {
      return count(main.db, `${table} as t`, (q) => q.join('visits as v', 'v.id', 't.visit_id').whereNot('v.status', 'cancelled'));
    }
    if (table === 'prescription_items') {
      return count(main.db, 'prescription_items as t', (q) => q.join('prescriptions as rx', 'rx.id', 't.prescription_id').join('visits as v', 'v.id', 'rx.visit_id').whereNot('v.status', 'cancelled'));
    }
    if (table === 'lab_results') {
      return count(main.db, 'lab_results as t', (q) => q.join('lab_orders as o', 'o.id', 't.lab_order_id').join('visits as v', 'v.id', 'o.visit_id').whereNot('v.status', 'cancelled'));
    }
    return count(main.db, table);
  }

  it('reads each prescription line with its drug\'s ingredients (strength per unit) and the visit\'s primary diagnosis', async () => {
    const { rows } = await collect<Record<string, unknown>>(readPrescriptionItems(main.db, { batchSize: 500 }) as AsyncGenerator<Record<string, unknown>[]>);
    const oat = rows.find((r) => r.kfaCode === '93001019');
    expect(oat?.ingredients).toEqual([
      { kfaCode: '91000330', name: 'Rifampisin', strengthValue: 150, strengthUnit: 'mg', perValue: 1, perUnit: 'TAB' },
      { kfaCode: '91000328', name: 'Isoniazid', strengthValue: 75, strengthUnit: 'mg', perValue: 1, perUnit: 'TAB' },
      { kfaCode: '91000329', name: 'Pirazinamid', strengthValue: 400, strengthUnit: 'mg', perValue: 1, perUnit: 'TAB' },
      { kfaCode: '91000288', name: 'Etambutol', strengthValue: 275, strengthUnit: 'mg', perValue: 1, perUnit: 'TAB' },
    ]);
    expect(oat?.reasonIcd10Code).toBe('A15.0');
    expect(oat?.substitutionAllowed).toBe(false);
    expect(rows.some((r) => r.medicationType === 'SD' && r.kfaCode === null)).toBe(true);
  });

  for (const table of Object.keys(READERS) as (keyof typeof READERS)[]) {
    it(`${table}: every row, in id order, batches of at most 50, exactly the contract's shape`, async () => {
      const { rows, sizes } = await collect<Record<string, unknown>>(READERS[table](main.db, { batchSize: 50 }) as AsyncGenerator<Record<string, unknown>[]>);
      expect(rows.length).toBe(await expectedCount(table));
      expect(rows.length, 'the demo fills every source table').toBeGreaterThan(0);
      expect(sizes.every((s) => s > 0 && s <= 50)).toBe(true);
      expect(sizes.slice(0, -1).every((s) => s === 50)).toBe(true);
      const ids = rows.map((r) => r.id as number);
      expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] as number))).toBe(true);
      for (const row of rows) expect(Object.keys(row).sort()).toEqual([...SHAPES[table]]);
      // References that may be empty in a real schema (allergies recorded at the desk have no visit, …).
      const nullableIds = new Set(['visitId', 'practitionerId', 'patientId', 'drugId']);
      const nullableTimes = new Set(['startedAt', 'finishedAt', 'collectedAt', 'transportedAt', 'reportedAt']);
      for (const row of rows) {
        for (const [key, value] of Object.entries(row)) {
          if (key === 'resultIds' || key === 'rooms' || key === 'diagnoses') expect(Array.isArray(value)).toBe(true);
          else if (key === 'ingredients') expect(Array.isArray(value) && (value as Record<string, unknown>[]).every((g) => typeof g.name === 'string' && g.name !== '')).toBe(true);
          else if (key === 'substitutionAllowed') expect([null, true, false]).toContain(value);
          else if (key === 'validUntil') expect(value, key).toMatch(DATE_TIME);
          else if (key === 'id' || key.endsWith('Id') || key === 'rank' || key === 'lineNo') {
            if (value !== null || !nullableIds.has(key) || table !== 'allergies') expect(typeof value, `${table}.${key}`).toBe('number');
          } else if (key.endsWith('At')) {
            if (value !== null || !nullableTimes.has(key)) expect(value, key).toMatch(DATE_TIME);
          } else if (key === 'birthDate') {
            if (value !== null) expect(value).toMatch(DATE);
          } else if (key === 'performedEnd') {
            if (value !== null) expect(value).toMatch(DATE_TIME);
          } else if (value !== null) expect(['string', 'number']).toContain(typeof value);
        }
      }
    });
  }

  it('hands DECIMALs and small integers over as numbers', async () => {
    const { rows } = await collect(readVitalSigns(main.db, { batchSize: 500 }));
    const temps = rows.map((r) => r.temperature).filter((t): t is number => t !== null);
    expect(temps.length).toBeGreaterThan(0);
    // Apart from the deliberate typos (365.0 for 36.5), temperatures are plausible.
    expect(temps.filter((t) => t > 100).length).toBe(summary.badRows.temperatureTypos);
    expect(temps.filter((t) => t < 100).every((t) => typeof t === 'number' && t > 35 && t < 42)).toBe(true);
    expect(rows.some((r) => r.weight !== null && !Number.isInteger(r.weight))).toBe(true);
    expect(rows.some((r) => r.spo2 === null)).toBe(true);
  });

  it('joins the names the detail table shows, and leaves cancelled visits out', async () => {
    const { rows } = await collect(readVisits(main.db, { batchSize: 100 }));
    expect(rows.some((r) => r.status === ('cancelled' as string))).toBe(false);
    const cancelled = (await main.db('visits').where('status', 'cancelled').pluck('id')) as number[];
    expect(cancelled.length).toBeGreaterThan(0);
    const readIds = new Set(rows.map((r) => r.id));
    expect(cancelled.some((id) => readIds.has(id))).toBe(false);

    const sample = rows[123];
    if (!sample) throw new Error('expected visits');
    const patient = (await main.db('patients').where('id', sample.patientId).first('name', 'nik')) as { name: string; nik: string | null };
    const practitioner = (await main.db('practitioners').where('id', sample.practitionerId).first('name')) as { name: string };
    const room = (await main.db('rooms').where('id', sample.roomId).first('name')) as { name: string };
    const unit = (await main.db('units').where('id', sample.unitId).first('name')) as { name: string };
    expect(sample).toMatchObject({ patientName: patient.name, patientNik: patient.nik, practitionerName: practitioner.name, roomName: room.name, unitName: unit.name });

    const { rows: diagnoses } = await collect(readDiagnoses(main.db, { batchSize: 200 }));
    const visitPatients = new Map(rows.map((r) => [r.id, r.patientId]));
    expect(diagnoses.length).toBeGreaterThan(0);
    for (const d of diagnoses) expect(d.patientId).toBe(visitPatients.get(d.visitId ?? -1));
  });

  it("reads each visit's diagnoses (by rank) and the rooms of each stay (in order), with the rooms' classes", async () => {
    const { rows } = await collect(readVisits(main.db, { batchSize: 100 }));
    const diagnoses = (await main.db('diagnoses').orderBy(['visit_id', 'rank', 'id']).select('id', 'visit_id', 'rank')) as Array<{ id: number; visit_id: number; rank: number }>;
    const withDiagnoses = rows.filter((r) => r.diagnoses.length > 0);
    expect(withDiagnoses.length).toBeGreaterThan(100);
    for (const r of withDiagnoses) expect(r.diagnoses).toEqual(diagnoses.filter((d) => d.visit_id === r.id).map((d) => ({ id: d.id, rank: d.rank })));

    const stays = rows.filter((r) => r.encounterClass === 'IMP' && r.startedAt !== null);
    expect(stays.length).toBeGreaterThan(0);
    const classes = new Map(((await main.db('rooms').select('id', 'service_class')) as Array<{ id: number; service_class: string | null }>).map((r) => [r.id, r.service_class]));
    for (const stay of stays) {
      expect(stay.rooms.length).toBeGreaterThan(0);
      expect(stay.rooms[0]!.roomId).toBe(stay.roomId);
      for (const room of stay.rooms) expect(room.serviceClass).toBe(classes.get(room.roomId));
      expect(stay.rooms.map((room) => room.enteredAt)).toEqual([...stay.rooms.map((room) => room.enteredAt)].sort());
    }
    expect(stays.some((s) => s.rooms.length > 1)).toBe(true);
    expect(rows.filter((r) => r.encounterClass !== 'IMP').every((r) => r.rooms.length === 0)).toBe(true);
    expect(rows.filter((r) => r.status === 'finished' && r.encounterClass !== 'AMB').every((r) => r.dischargeDisposition !== null)).toBe(true);
  });

  it('resumes after an id and filters by updated_at', async () => {
    const { rows } = await collect(readPatients(main.db, { batchSize: 50, afterId: 150 }));
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 50 }, (_, i) => 151 + i));

    const since = '2026-11-20 00:00:00';
    const { rows: recent } = await collect(readVisits(main.db, { batchSize: 50, updatedSince: since }));
    // A visit counts as changed when it, a diagnosis or a room of its stay changed.
    const changed = (q: Knex.QueryBuilder) =>
      q.whereNot('status', 'cancelled').where((w) => w.where('updated_at', '>=', since)
        .orWhereIn('id', main.db('diagnoses').select('visit_id').where('updated_at', '>=', since))
        .orWhereIn('id', main.db('visit_rooms').select('visit_id').where('updated_at', '>=', since)));
    expect(recent.length).toBe(await count(main.db, 'visits', changed));
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.filter((r) => r.updatedAt < since).every((r) => r.diagnoses.length > 0 || r.rooms.length > 0)).toBe(true);
    await expect(collect(readVisits(main.db, { updatedSince: '20-11-2026' }))).rejects.toThrow(/updatedSince/);
    await expect(collect(readVisits(main.db, { batchSize: 0 }))).rejects.toThrow(/batchSize/);
  });

  it('gives the same rows on a connection without dateStrings (Dates formatted as UTC wall clock)', async () => {
    const plain = connectMysql(main.url);
    try {
      for (const reader of [readPatients, readVisits, readVitalSigns, readUnits] as const) {
        const withStrings = await collect((reader as typeof readPatients)(main.db, { batchSize: 500 }));
        const withDates = await collect((reader as typeof readPatients)(plain, { batchSize: 500 }));
        expect(withDates.rows).toEqual(withStrings.rows);
      }
    } finally {
      await plain.destroy();
    }
  });

  it('still reads a visit whose patient row is gone, with empty names, instead of dropping it', async () => {
    const victim = (await twin.db('visits').whereNot('status', 'cancelled').orderBy('id').offset(10).first('id', 'patient_id')) as { id: number; patient_id: number };
    await twin.db('patients').where('id', victim.patient_id).delete();
    // A real schema may allow NULL references: passed on for the mapper to reject, never thrown.
    await twin.db.raw('ALTER TABLE visits MODIFY practitioner_id BIGINT UNSIGNED NULL');
    await twin.db('visits').where('id', victim.id).update({ practitioner_id: null });
    const { rows } = await collect(readVisits(twin.db, { batchSize: 50 }));
    expect(rows.length).toBe(await count(twin.db, 'visits', (q) => q.whereNot('status', 'cancelled')));
    const orphan = rows.filter((r) => r.patientId === victim.patient_id);
    expect(orphan.length).toBeGreaterThan(0);
    for (const r of orphan) expect(r).toMatchObject({ patientName: '', patientNik: null });
    expect(rows.find((r) => r.id === victim.id)).toMatchObject({ practitionerId: null, practitionerName: '' });
  });

  it('joins the result ids of each lab order, and only reported orders have results', async () => {
    const { rows: orders } = await collect(readLabOrders(main.db, { batchSize: 100 }));
    const { rows: results } = await collect(readLabResults(main.db, { batchSize: 100 }));
    const byOrder = new Map<number, number[]>();
    for (const r of results) byOrder.set(r.orderId, [...(byOrder.get(r.orderId) ?? []), r.id]);
    expect(orders.length).toBeGreaterThan(0);
    for (const o of orders) {
      expect(o.resultIds).toEqual(byOrder.get(o.id) ?? []);
      if (o.reportedAt === null) expect(o.resultIds).toEqual([]);
    }
    expect(orders.some((o) => o.resultIds.length === 3)).toBe(true);
  });

  it('reads allergies recorded at the desk (no visit) and at a visit, with names', async () => {
    const { rows } = await collect(readAllergies(main.db, { batchSize: 100 }));
    expect(rows.length).toBe(summary.allergies);
    expect(rows.some((a) => a.visitId === null && a.visitNo === null)).toBe(true);
    expect(rows.some((a) => a.visitId !== null && a.visitNo !== null && a.practitionerName !== null)).toBe(true);
    for (const a of rows) expect(a.patientName).not.toBe('');
  });

  it('filters the clinical readers by updated_at too: a visit child also when its visit changed', async () => {
    const since = '2026-11-20 00:00:00';
    // A visit child carries its visit's number and patient: a change of the visit makes it a new revision.
    for (const [table, reader, withVisit] of [['procedures', readProcedures, true], ['visit_notes', readVisitNotes, false], ['lab_orders', readLabOrders, true]] as const) {
      const { rows } = await collect((reader as typeof readProcedures)(main.db, { batchSize: 50, updatedSince: since }));
      const changed = (q: Knex.QueryBuilder) => (withVisit ? q.where((w) => w.where('t.updated_at', '>=', since).orWhere('v.updated_at', '>=', since)) : q.where('t.updated_at', '>=', since));
      expect(rows.length, table).toBe(await count(main.db, `${table} as t`, (q) => changed(q.join('visits as v', 'v.id', 't.visit_id').whereNot('v.status', 'cancelled'))));
      expect(rows.length, table).toBeGreaterThan(0);
      if (!withVisit) expect(rows.every((r) => r.updatedAt >= since)).toBe(true);
    }
    // Some rows are read only because their visit changed: the filter is not the row's own column alone.
    const own = await count(main.db, 'procedures as t', (q) => q.join('visits as v', 'v.id', 't.visit_id').whereNot('v.status', 'cancelled').where('t.updated_at', '>=', since));
    const { rows: procedures } = await collect(readProcedures(main.db, { batchSize: 50, updatedSince: since }));
    expect(procedures.length).toBeGreaterThanOrEqual(own);
  });

  it('reads notes by kind, and each summary with exactly its visit\'s rows', async () => {
    const kinds = async (reader: typeof readDietNotes) => new Set((await collect(reader(main.db, { batchSize: 100 }))).rows.map((r) => r.noteType));
    expect(await kinds(readDietNotes)).toEqual(new Set(['diet']));
    expect(await kinds(readEducationNotes)).toEqual(new Set(['education']));
    const { rows: summaries } = await collect(readVisitSummaries(main.db, { batchSize: 40 }));
    expect(summaries.length).toBe(await count(main.db, 'visit_notes as t', (q) => q.join('visits as v', 'v.id', 't.visit_id').whereNot('v.status', 'cancelled').where('t.note_type', 'summary')));
    expect(summaries.length).toBeGreaterThan(50);
    // The same rows the types' own readers return, grouped by visit.
    const byVisit = async <T extends { visitId: number | null }>(pages: AsyncGenerator<T[]>) => {
      const map = new Map<number, number[]>();
      for (const r of (await collect(pages)).rows) if (r.visitId !== null) map.set(r.visitId, [...(map.get(r.visitId) ?? []), (r as unknown as { id: number }).id]);
      return map;
    };
    const expected = {
      diagnoses: await byVisit(readDiagnoses(main.db, { batchSize: 1000 })),
      vitalSigns: await byVisit(readVitalSigns(main.db, { batchSize: 1000 })),
      procedures: await byVisit(readProcedures(main.db, { batchSize: 1000 })),
      allergies: await byVisit(readAllergies(main.db, { batchSize: 1000 })),
      prescriptionItems: await byVisit(readPrescriptionItems(main.db, { batchSize: 1000 })),
      labOrders: await byVisit(readLabOrders(main.db, { batchSize: 1000 })),
      labResults: await byVisit(readLabResults(main.db, { batchSize: 1000 })),
      notes: await byVisit(readVisitNotes(main.db, { batchSize: 1000 }, 'diet+education')),
    };
    let withSiblings = 0;
    for (const s of summaries) {
      expect(s.noteType).toBe('summary');
      for (const list of Object.keys(expected) as Array<keyof typeof expected>) {
        expect(s.siblings[list].map((r) => r.id), `${list} of visit ${s.visitId}`).toEqual(expected[list].get(s.visitId as number) ?? []);
      }
      if (s.siblings.diagnoses.length > 0 && s.siblings.vitalSigns.length > 0) withSiblings += 1;
    }
    expect(withSiblings).toBeGreaterThan(summaries.length / 2);
    expect(summaries.some((s) => s.siblings.prescriptionItems.length > 0 && s.siblings.labResults.length > 0)).toBe(true);
  });

  it('maps each resource type to its reader', () => {
    expect(Object.fromEntries(Object.entries(sourceReaders).map(([type, reader]) => [type, reader.read]))).toEqual({
      Organization: readUnits,
      Location: readRooms,
      Practitioner: readPractitioners,
      Patient: readPatients,
      Encounter: readVisits,
      Condition: readDiagnoses,
      Observation: readVitalSigns,
      Procedure: readProcedures,
      Immunization: readImmunizations,
      AllergyIntolerance: readAllergies,
      Medication: readPrescriptionItems,
      MedicationRequest: readPrescriptionItems,
      ServiceRequest: readLabOrders,
      Specimen: readLabOrders,
      ObservationLab: readLabResults,
      DiagnosticReport: readLabOrders,
      NutritionOrder: readDietNotes,
      ProcedureEducation: readEducationNotes,
      Composition: readVisitSummaries,
    });
  });
});

describe('findOperator', () => {
  it('returns the role and the union of role and user permissions', async () => {
    const admin = await findOperator(main.db, 'admin');
    expect(admin).toMatchObject({ username: 'admin', name: 'Rudi Hartono', role: 'admin', isActive: true });
    expect(admin?.permissions).toContain('satusehat');
    expect(admin?.permissions).toContain('laporan');
    expect(admin?.passwordHash).toMatch(/^\$2y\$10\$/);
    expect(bcrypt.compareSync('admin123', admin?.passwordHash ?? '')).toBe(true);

    const superadmin = await findOperator(main.db, 'superadmin');
    expect(superadmin).toMatchObject({ role: 'superadmin', isActive: true });
    expect(superadmin?.permissions).toEqual(expect.arrayContaining(['satusehat', 'pendaftaran', 'rekam_medis', 'farmasi', 'laporan']));
  });

  it('tells apart the accounts that must not get in', async () => {
    const admin2 = await findOperator(main.db, 'admin2');
    expect(admin2).toMatchObject({ role: 'admin', isActive: true });
    expect(admin2?.permissions).not.toContain('satusehat');
    const dokter = await findOperator(main.db, 'dokter');
    expect(dokter).toMatchObject({ role: 'dokter' });
    expect(dokter?.permissions).not.toContain('satusehat');
    const kasir = await findOperator(main.db, 'kasir');
    expect(kasir).toMatchObject({ role: 'kasir' });
    expect(kasir?.permissions).not.toContain('satusehat');
    const nonaktif = await findOperator(main.db, 'nonaktif');
    expect(nonaktif).toMatchObject({ role: 'admin', isActive: false });
    expect(nonaktif?.permissions).toContain('satusehat');
    expect(await findOperator(main.db, 'nobody')).toBeNull();
    expect(await findOperator(main.db, "admin' OR '1'='1")).toBeNull();
  });
});
