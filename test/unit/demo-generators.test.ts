// The pure demo generators: seeded randomness, calendar maths, NIKs, people, visits and the
// deliberately bad rows. No database here; test/integration/demo-source.int.test.ts seeds one.
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import {
  DEMO_CITIES,
  DEMO_ROOMS,
  DEMO_UNITS,
  ICD10_BY_CODE,
  ICD10_COMMON,
  ICD10_POOLS,
  PRACTITIONER_WITHOUT_NIK,
  REGION_SLOTS,
  Rng,
  SANDBOX_PATIENTS,
  SANDBOX_PRACTITIONERS,
  UNKNOWN_ICD10,
  civilFromDays,
  createDemoPlan,
  daysFromCivil,
  demoUsers,
  formatDate,
  formatDateTime,
  generatePatient,
  generatePractitioner,
  generateVisit,
  makeNik,
  mixSeed,
  parseIsoDate,
  parseNik,
  patientLacksNik,
  practitionerCountFor,
  rowRng,
  toLaravelBcrypt,
  visitBatches,
  withYear,
  type DemoDiagnosis,
  type DemoVisit,
  type DemoVitalSigns,
  type VisitBatch,
  DEMO_DRUGS,
  UNMAPPED_DRUG_KEY,
  isUnmappedDrug,
  ICD9CM_POOLS,
  UNKNOWN_ICD9CM,
  patientAllergens,
} from '../../shared/demo/index.js';
import { VACCINES } from '../../shared/fhir/mappers/immunization.js';
import { checkIcd9cm, checkLoinc, toUcum } from '../../shared/fhir/terminology/index.js';

const OPTIONS = { seed: 42, patients: 500, visits: 3000, anchorDate: '2026-11-27' };
const plan = createDemoPlan(OPTIONS);

function allVisits(batchSize = 500): { visits: DemoVisit[]; diagnoses: DemoDiagnosis[]; vitalSigns: DemoVitalSigns[] } {
  const out = { visits: [] as DemoVisit[], diagnoses: [] as DemoDiagnosis[], vitalSigns: [] as DemoVitalSigns[] };
  for (const b of visitBatches(plan, batchSize)) {
    out.visits.push(...b.visits);
    out.diagnoses.push(...b.diagnoses);
    out.vitalSigns.push(...b.vitalSigns);
  }
  return out;
}
const generated = allVisits();

/** Every child table of every batch, concatenated. */
function allChildren(batchSize = 500): Omit<VisitBatch, 'visits' | 'diagnoses' | 'vitalSigns'> {
  const out: Omit<VisitBatch, 'visits' | 'diagnoses' | 'vitalSigns'> = { visitRooms: [], procedures: [], immunizations: [], prescriptions: [], prescriptionItems: [], labOrders: [], labResults: [], visitNotes: [], allergies: [] };
  for (const b of visitBatches(plan, batchSize)) {
    for (const key of Object.keys(out) as (keyof typeof out)[]) (out[key] as unknown[]).push(...(b[key] as unknown[]));
  }
  return out;
}
const children = allChildren();

describe('prng', () => {
  it('repeats for the same seed and differs across seeds and rows', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(new Rng(8).next()).not.toBe(seqA[0]);
    expect(mixSeed(1, 2, 3)).toBe(mixSeed(1, 2, 3));
    expect(mixSeed(1, 2, 3)).not.toBe(mixSeed(1, 2, 4));
    expect(mixSeed(2 ** 40, 1)).not.toBe(mixSeed(0, 1));
    expect(rowRng(1, 4, 99).next()).toBe(rowRng(1, 4, 99).next());
  });

  it('stays in range', () => {
    const rng = new Rng(123);
    for (let i = 0; i < 10_000; i++) {
      const x = rng.next();
      expect(x >= 0 && x < 1).toBe(true);
      const n = rng.int(-3, 3);
      expect(n >= -3 && n <= 3 && Number.isInteger(n)).toBe(true);
    }
    expect(rng.weighted([0, 0, 5])).toBe(2);
    expect(rng.digits(16)).toMatch(/^\d{16}$/);
  });
});

describe('dates', () => {
  it('converts days and civil dates both ways', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(formatDate(daysFromCivil(2026, 11, 27))).toBe('2026-11-27');
    for (let d = -30_000; d < 40_000; d += 37) {
      const c = civilFromDays(d);
      expect(daysFromCivil(c.year, c.month, c.day)).toBe(d);
    }
    expect(formatDateTime(parseIsoDate('2026-11-27') * 86_400 + 7 * 3600 + 5 * 60 + 9)).toBe('2026-11-27 07:05:09');
  });

  it('rejects impossible dates and keeps 29 February sensible', () => {
    expect(() => parseIsoDate('2026-02-29')).toThrow();
    expect(() => parseIsoDate('27-11-2026')).toThrow();
    expect(formatDate(withYear(parseIsoDate('2024-02-29'), 2062))).toBe('2062-02-28');
  });
});

describe('NIK', () => {
  it('encodes region, birth date (women +40) and serial in 16 digits', () => {
    const born = parseIsoDate('1990-03-05');
    expect(makeNik('317107', born, 'male', 12)).toBe('3171070503900012');
    expect(makeNik('317107', born, 'female', 12)).toBe('3171074503900012');
    expect(parseNik('3171074503900012')).toEqual({ regionCode: '317107', gender: 'female', day: 5, month: 3, yearOfCentury: 90, serial: 12 });
    expect(parseNik('317107450390001')).toBeNull();
    expect(parseNik('3171077203900012')).toBeNull();
    expect(parseNik('317107050390001X')).toBeNull();
  });

  it('knows the sandbox people, all well formed', () => {
    expect(SANDBOX_PATIENTS).toHaveLength(10);
    expect(SANDBOX_PRACTITIONERS).toHaveLength(10);
    for (const p of [...SANDBOX_PATIENTS, ...SANDBOX_PRACTITIONERS]) expect(parseNik(p.nik), p.nik).not.toBeNull();
  });

  it('uses real 4-digit Kemendagri city codes and 6-digit region slots', () => {
    for (const c of DEMO_CITIES) expect(c.code).toMatch(/^(1[1-9]|3[1-6]|5[1-3]|6[1-5]|7[1-6]|8[1-2]|9[1-6])\d{2}$/);
    for (const s of REGION_SLOTS) expect(s.regionCode.startsWith(s.city.code)).toBe(true);
  });
});

describe('patients', () => {
  it('are pure functions of (seed, index)', () => {
    expect(generatePatient(plan, 123)).toEqual(generatePatient(createDemoPlan(OPTIONS), 123));
    expect(generatePatient(plan, 123)).not.toEqual(generatePatient(createDemoPlan({ ...OPTIONS, seed: 43 }), 123));
  });

  it('start with the ten sandbox patients', () => {
    const first = Array.from({ length: 10 }, (_, i) => generatePatient(plan, i));
    expect(first.map((p) => p.nik)).toEqual(SANDBOX_PATIENTS.map((p) => p.nik));
    expect(first[0]).toMatchObject({ mrn: 'RM-000001', name: 'Ardianto Putra', gender: 'male', birthDate: '1992-01-09' });
  });

  it('have unique NIKs that match their birth date and sex; about 1 % have none', () => {
    const patients = Array.from({ length: 20_000 }, (_, i) => generatePatient(plan, i));
    const niks = patients.map((p) => p.nik).filter((n): n is string => n !== null);
    expect(new Set(niks).size).toBe(niks.length);
    const missing = patients.filter((p) => p.nik === null).length;
    expect(missing).toBe(patients.filter((_, i) => patientLacksNik(i)).length);
    expect(missing / patients.length).toBeCloseTo(0.01, 2);
    for (const p of patients.slice(10)) {
      if (p.nik === null) continue;
      const parsed = parseNik(p.nik);
      expect(parsed).not.toBeNull();
      expect(parsed?.gender).toBe(p.gender);
      expect(`${String(parsed?.day).padStart(2, '0')}/${String(parsed?.month).padStart(2, '0')}/${String(parsed?.yearOfCentury).padStart(2, '0')}`).toBe(
        `${p.birthDate.slice(8, 10)}/${p.birthDate.slice(5, 7)}/${p.birthDate.slice(2, 4)}`,
      );
      expect(p.birthDate < formatDate(plan.windowStartDay)).toBe(true);
      expect(p.createdAt <= p.updatedAt).toBe(true);
    }
    expect(patients.every((p) => /^RM-\d{6}$/.test(p.mrn))).toBe(true);
  });
});

describe('practitioners', () => {
  it('scale with visits within [8, 400]', () => {
    expect(practitionerCountFor(0)).toBe(8);
    expect(practitionerCountFor(800)).toBe(8);
    expect(practitionerCountFor(100_000)).toBe(250);
    expect(practitionerCountFor(1_000_000)).toBe(400);
  });

  it('get the sandbox NIKs, except the one deliberately without', () => {
    const big = createDemoPlan({ ...OPTIONS, visits: 40_000 });
    const all = Array.from({ length: big.practitionerCount }, (_, i) => generatePractitioner(big, i));
    expect(all.filter((p) => p.nik === null).map((p) => p.id)).toEqual([PRACTITIONER_WITHOUT_NIK + 1]);
    expect(all.filter((p) => p.nik !== null).slice(0, 10).map((p) => p.nik)).toEqual(SANDBOX_PRACTITIONERS.map((p) => p.nik));
    expect(all[0]?.name).toBe('dr. Alexander');
    expect(all.every((p) => p.nik === null || parseNik(p.nik) !== null)).toBe(true);
    expect(new Set(all.map((p) => p.nik)).size).toBe(all.length);
    expect(all.find((p) => p.profession === 'dokter_spesialis')?.name).toMatch(/^dr\. .+, Sp\.(A|PD|OG)$/);
    expect(all.find((p) => p.profession === 'dokter_gigi')?.name).toMatch(/^drg\. /);
  });
});

describe('visits', () => {
  it('are pure functions of (seed, index), whatever the batch size', () => {
    const { visit } = generateVisit(plan, 1234);
    expect(generated.visits[1234]).toEqual(visit);
    const small = allVisits(7);
    expect(small.visits).toEqual(generated.visits);
    expect(small.diagnoses).toEqual(generated.diagnoses);
    expect(small.vitalSigns).toEqual(generated.vitalSigns);
  });

  it('number visits, diagnoses and vital signs from 1 without gaps', () => {
    expect(generated.visits.map((v) => v.id)).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    expect(generated.diagnoses.map((d) => d.id)).toEqual(Array.from({ length: generated.diagnoses.length }, (_, i) => i + 1));
    expect(generated.vitalSigns.map((v) => v.id)).toEqual(Array.from({ length: generated.vitalSigns.length }, (_, i) => i + 1));
    expect(new Set(generated.visits.map((v) => v.visitNo)).size).toBe(3000);
    expect(generated.visits[0]?.visitNo).toMatch(/^(RJ|RD|RI)26\d{7}$/);
  });

  it('fall in the window before the anchor date with ordered times', () => {
    const start = formatDate(plan.windowStartDay);
    expect(plan.days).toBe(14);
    for (const v of generated.visits) {
      if (v.flaw !== null) continue;
      expect(v.arrivedAt >= start && v.arrivedAt < '2026-11-28').toBe(true);
      if (v.startedAt) expect(v.startedAt > v.arrivedAt).toBe(true);
      if (v.finishedAt && v.startedAt) expect(v.finishedAt > v.startedAt).toBe(true);
      if (v.status === 'finished' && v.encounterClass === 'AMB' && v.startedAt && v.finishedAt) {
        const minutes = (Date.parse(`${v.finishedAt}Z`) - Date.parse(`${v.startedAt}Z`)) / 60_000;
        expect(minutes >= 5 && minutes <= 90).toBe(true);
      }
      if (v.arrivedAt.startsWith('2026-11-27')) expect(['registered', 'in_progress']).toContain(v.status);
      else expect(['finished', 'cancelled', 'in_progress']).toContain(v.status);
    }
    const statuses = new Map<string, number>();
    for (const v of generated.visits) statuses.set(v.status, (statuses.get(v.status) ?? 0) + 1);
    expect((statuses.get('finished') ?? 0) / 3000).toBeGreaterThan(0.9);
    expect(statuses.get('cancelled')).toBeGreaterThan(0);
    expect(statuses.get('registered')).toBeGreaterThan(0);
  });

  it('spread over more days for bigger volumes, never before 2022-09-01', () => {
    expect(createDemoPlan({ ...OPTIONS, visits: 30_000 }).days).toBe(100);
    const capped = createDemoPlan({ ...OPTIONS, visits: 1_000_000, anchorDate: '2023-01-01' });
    expect(formatDate(capped.windowStartDay)).toBe('2022-09-01');
    expect(() => createDemoPlan({ ...OPTIONS, anchorDate: '2022-09-10' })).toThrow(/anchorDate/);
    expect(() => createDemoPlan({ ...OPTIONS, patients: 0 })).toThrow(/patients/);
  });

  it('match patients to units: children to Poli Anak, women of childbearing age to KIA', () => {
    const byId = new Map(Array.from({ length: 500 }, (_, i) => generatePatient(plan, i)).map((p) => [p.id, p]));
    const unitCode = new Map(DEMO_UNITS.map((u) => [u.id, u.code]));
    const roomUnit = new Map(DEMO_ROOMS.map((r) => [r.id, r.unitCode]));
    for (const v of generated.visits) {
      const p = byId.get(v.patientId);
      expect(p).toBeDefined();
      expect(roomUnit.get(v.roomId)).toBe(unitCode.get(v.unitId));
      const age = Number(v.arrivedAt.slice(0, 4)) - Number(p?.birthDate.slice(0, 4));
      if (v.flaw === null && unitCode.get(v.unitId) === 'ANAK') expect(age).toBeLessThanOrEqual(18);
      if (v.flaw === null && unitCode.get(v.unitId) === 'INTERNA') expect(age).toBeGreaterThanOrEqual(15);
      if (unitCode.get(v.unitId) === 'KIA') expect(p?.gender).toBe('female');
    }
  });

  it('give inpatient stays their rooms in order (a third move ward), IGD visits class EMER, and discharged IGD and inpatient visits a way out', () => {
    const all = Array.from({ length: 3000 }, (_, i) => generateVisit(plan, i));
    const unitCode = new Map(DEMO_UNITS.map((u) => [u.id, u.code]));
    const rooms = new Map(DEMO_ROOMS.map((r) => [r.id, r]));
    expect(all.filter((g) => unitCode.get(g.visit.unitId) === 'IGD').every((g) => g.visit.encounterClass === 'EMER')).toBe(true);
    const stays = all.filter((g) => g.visit.encounterClass === 'IMP' && g.visit.startedAt !== null);
    expect(stays.length).toBeGreaterThan(20);
    for (const { visit, rooms: stay } of stays) {
      expect(stay[0]?.roomId).toBe(visit.roomId);
      expect(stay[0]?.enteredAt).toBe(visit.arrivedAt);
      expect(stay.every((r) => rooms.get(r.roomId)?.unitCode === 'RANAP' && ['1', '2', '3', 'vip'].includes(rooms.get(r.roomId)?.serviceClass ?? ''))).toBe(true);
      // Each room is left when the next is entered, the last at discharge (or not yet).
      stay.forEach((r, i) => expect(r.leftAt).toBe(stay[i + 1]?.enteredAt ?? visit.finishedAt));
    }
    const moved = stays.filter((g) => g.rooms.length === 2).length;
    expect(moved / stays.length).toBeGreaterThan(0.15);
    expect(moved / stays.length).toBeLessThan(0.55);
    expect(all.filter((g) => g.visit.encounterClass !== 'IMP').every((g) => g.rooms.length === 0)).toBe(true);
    const discharged = all.filter((g) => g.visit.status === 'finished' && g.visit.encounterClass !== 'AMB');
    expect(discharged.length).toBeGreaterThan(100);
    expect(discharged.every((g) => g.visit.dischargeDisposition !== null)).toBe(true);
    expect(new Set(discharged.map((g) => g.visit.dischargeDisposition)).size).toBeGreaterThan(2);
    expect(all.filter((g) => g.visit.encounterClass === 'AMB' || g.visit.status !== 'finished').every((g) => g.visit.dischargeDisposition === null)).toBe(true);
  });

  it('cope with a single patient: units nobody fits fall back to Poli Umum', () => {
    const tiny = createDemoPlan({ seed: 5, patients: 1, visits: 200, anchorDate: '2026-11-27' });
    const visits = Array.from({ length: 200 }, (_, i) => generateVisit(tiny, i).visit);
    expect(visits.every((v) => v.patientId === 1)).toBe(true);
    // Patient 1 is Ardianto Putra, an adult man: never at KIA or Poli Anak.
    expect(visits.some((v) => v.unitId === 3 || v.unitId === 5)).toBe(false);
  });

  it('plant the documented bad rows: 0.3 % future, 0.2 % before 2022, ~1 % unknown ICD-10', () => {
    const future = generated.visits.filter((v) => v.flaw === 'future');
    const old = generated.visits.filter((v) => v.flaw === 'before-2022');
    expect(future.length).toBe(9);
    expect(old.length).toBe(6);
    for (const v of future) expect(v.arrivedAt.startsWith('2062-')).toBe(true);
    for (const v of old) expect(v.arrivedAt < '2022-08-31').toBe(true);
    // The typo is in the clinical times only; the system timestamps stay true.
    for (const v of [...future, ...old]) expect(v.createdAt.startsWith('2026-11')).toBe(true);
    const unknown = generated.diagnoses.filter((d) => d.unknownCode);
    expect(unknown.length / generated.diagnoses.length).toBeGreaterThan(0.003);
    expect(unknown.length / generated.diagnoses.length).toBeLessThan(0.02);
    for (const d of unknown) expect(ICD10_BY_CODE.has(d.icd10Code)).toBe(false);
    for (const d of generated.diagnoses.filter((x) => !x.unknownCode)) expect(ICD10_BY_CODE.get(d.icd10Code)?.display).toBe(d.icd10Display);
  });

  it('carry 1–3 diagnoses (≈1.5) and one vital-signs round per visit that began', () => {
    const began = generated.visits.filter((v) => v.startedAt !== null);
    expect(generated.vitalSigns.length).toBe(began.length);
    const perVisit = new Map<number, number>();
    for (const d of generated.diagnoses) perVisit.set(d.visitId, (perVisit.get(d.visitId) ?? 0) + 1);
    expect([...perVisit.values()].every((n) => n >= 1 && n <= 3)).toBe(true);
    expect(perVisit.size).toBe(began.length);
    expect(generated.diagnoses.length / began.length).toBeCloseTo(1.5, 1);
    const byVisit = new Map(generated.visits.map((v) => [v.id, v]));
    for (const s of generated.vitalSigns) {
      const v = byVisit.get(s.visitId);
      expect(s.measuredAt >= (v?.arrivedAt ?? '') && s.measuredAt <= (v?.startedAt ?? '')).toBe(true);
      if (s.temperature !== null) expect(s.temperature).toBeGreaterThan(35);
      if (s.systolic !== null && s.diastolic !== null) expect(s.systolic).toBeGreaterThan(s.diastolic);
    }
    expect(generated.vitalSigns.some((s) => s.spo2 === null)).toBe(true);
    expect(generated.vitalSigns.some((s) => s.height === null)).toBe(true);
  });
});

describe('what happens in a visit', () => {
  const began = generated.visits.filter((v) => v.startedAt !== null);
  const byVisit = new Map(generated.visits.map((v) => [v.id, v]));
  const within = (t: string, v: DemoVisit | undefined) => v !== undefined && t >= (v.startedAt ?? '') && (v.finishedAt === null || t <= v.finishedAt);

  it('is the same whatever the batch size, numbered from 1 without gaps', () => {
    expect(allChildren(7)).toEqual(children);
    for (const [name, rows] of Object.entries(children)) {
      expect((rows as { id: number }[]).map((r) => r.id), name).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));
    }
    expect(new Set(children.prescriptions.map((p) => p.prescriptionNo)).size).toBe(children.prescriptions.length);
    expect(new Set(children.labOrders.map((o) => o.orderNo)).size).toBe(children.labOrders.length);
  });

  it('has the outpatient mix: ≈0.3 procedures, ≈0.5 prescriptions of 1–3 lines, ≈0.2 lab orders, ≈0.3 notes per visit', () => {
    const per = (n: number) => n / generated.visits.length;
    expect(per(children.procedures.length)).toBeGreaterThan(0.22);
    expect(per(children.procedures.length)).toBeLessThan(0.4);
    expect(per(children.prescriptions.length)).toBeGreaterThan(0.4);
    expect(per(children.prescriptions.length)).toBeLessThan(0.6);
    expect(per(children.labOrders.length)).toBeGreaterThan(0.14);
    expect(per(children.labOrders.length)).toBeLessThan(0.26);
    const advice = children.visitNotes.filter((n) => n.noteType !== 'summary');
    expect(per(advice.length)).toBeGreaterThan(0.22);
    expect(per(advice.length)).toBeLessThan(0.4);
    const lines = new Map<number, number>();
    for (const i of children.prescriptionItems) lines.set(i.prescriptionId, (lines.get(i.prescriptionId) ?? 0) + 1);
    expect([...lines.values()].every((n) => n >= 1 && n <= 3)).toBe(true);
    expect(lines.size).toBe(children.prescriptions.length);
    const results = new Map<number, number>();
    for (const r of children.labResults) results.set(r.labOrderId, (results.get(r.labOrderId) ?? 0) + 1);
    expect([...results.values()].every((n) => n >= 1 && n <= 3)).toBe(true);
    for (const o of children.labOrders) expect(o.reportedAt === null ? 0 : results.get(o.id)).toBe(o.reportedAt === null ? 0 : o.results.length);
  });

  it('writes notes of each kind with their codes, and a summary (Resume Medis) for about 60 % of finished visits, at the finish', () => {
    const kinds = (k: string) => children.visitNotes.filter((n) => n.noteType === k);
    expect(kinds('diet').length).toBeGreaterThan(10);
    expect(kinds('education').length).toBeGreaterThan(10);
    for (const n of kinds('diet')) expect([n.snomedCode, n.snomedDisplay, n.dietIntent].every((v) => v !== null), JSON.stringify(n)).toBe(true);
    expect(new Set(kinds('diet').map((n) => n.dietIntent))).toEqual(new Set(['proposal', 'order']));
    for (const n of kinds('education')) expect(['84635008', '967006']).toContain(n.snomedCode);
    const finished = generated.visits.filter((v) => v.status === 'finished');
    const summaries = kinds('summary');
    expect(summaries.length / finished.length).toBeGreaterThan(0.5);
    expect(summaries.length / finished.length).toBeLessThan(0.7);
    expect(new Set(summaries.map((n) => n.visitId)).size).toBe(summaries.length);
    for (const n of summaries) {
      expect(byVisit.get(n.visitId)?.status).toBe('finished');
      expect([n.snomedCode, n.dietIntent]).toEqual([null, null]);
    }
    const unflawed = summaries.filter((n) => byVisit.get(n.visitId)?.flaw === null);
    expect(unflawed.length).toBeGreaterThan(10);
    for (const n of unflawed) expect(n.writtenAt).toBe(byVisit.get(n.visitId)?.finishedAt);
  });

  it('only for visits that began, timed inside them (lab reports may come later, never after the anchor day)', () => {
    const ids = new Set(began.map((v) => v.id));
    for (const p of children.procedures) expect(ids.has(p.visitId)).toBe(true);
    for (const rx of children.prescriptions) expect(ids.has(rx.visitId)).toBe(true);
    for (const n of children.visitNotes) expect(ids.has(n.visitId)).toBe(true);
    for (const p of children.procedures) if (byVisit.get(p.visitId)?.flaw === null) expect(within(p.performedStart, byVisit.get(p.visitId)), p.performedStart).toBe(true);
    for (const rx of children.prescriptions) if (byVisit.get(rx.visitId)?.flaw === null) expect(within(rx.prescribedAt, byVisit.get(rx.visitId))).toBe(true);
    for (const o of children.labOrders) {
      if (byVisit.get(o.visitId)?.flaw !== null) continue;
      expect(o.collectedAt === null || o.collectedAt > o.orderedAt).toBe(true);
      // Every collected sample has its transport time (the Specimen profile's TransportedTime), never before collection.
      expect(o.collectedAt === null ? o.transportedAt === null : o.transportedAt !== null && o.transportedAt >= o.collectedAt).toBe(true);
      expect(o.reportedAt === null || (o.collectedAt !== null && o.reportedAt > o.collectedAt && o.reportedAt < '2026-11-27')).toBe(true);
    }
  });

  it('uses well-formed codes and units, apart from the documented bad rows', () => {
    for (const p of children.procedures) expect(checkIcd9cm(p.icd9cmCode).ok, p.icd9cmCode).toBe(!p.unknownCode);
    expect(children.procedures.some((p) => p.unknownCode)).toBe(true);
    for (const p of children.procedures.filter((x) => x.unknownCode)) expect(UNKNOWN_ICD9CM.map((u) => u.code)).toContain(p.icd9cmCode);
    for (const code of Object.values(ICD9CM_POOLS).flat()) expect(checkIcd9cm(code).ok, code).toBe(true);
    for (const o of children.labOrders) expect(checkLoinc(o.loincCode).ok).toBe(true);
    for (const r of children.labResults) {
      expect(checkLoinc(r.loincCode).ok).toBe(true);
      if (r.unit !== null) expect(toUcum(r.unit), r.unit).not.toBeNull();
      expect(r.unit === null).toBe(r.missingUnit);
    }
    const unmapped = children.prescriptionItems.filter((i) => i.unmapped);
    expect(unmapped.length).toBeGreaterThan(0);
    const drug = new Map(DEMO_DRUGS.map((d) => [d.id, d]));
    // Unmapped means an ingredient of the compound (or a product) without KFA code: only the planted racikan.
    for (const i of children.prescriptionItems) expect(isUnmappedDrug(drug.get(i.drugId)!)).toBe(i.unmapped);
    for (const i of unmapped) expect(drug.get(i.drugId)?.key).toBe(UNMAPPED_DRUG_KEY);
    // Every line is sendable by the Playbook's rules: times per day, an ATC route, a course of therapy.
    for (const i of children.prescriptionItems) expect([i.frequency > 0, i.route, i.courseOfTherapy]).toEqual([true, 'oral', expect.stringMatching(/^(acute|continuous)$/)]);
    for (const rx of children.prescriptions) expect(rx.validUntil > rx.prescribedAt).toBe(true);
    const typos = generated.vitalSigns.filter((v) => v.temperatureTypo);
    expect(typos.length).toBeGreaterThan(0);
    for (const v of typos) expect(v.temperature).toBeGreaterThan(300);
  });

  it('vaccinates as the IG examples do: Td at antenatal checks, rabies after an open wound, COVID-19 for adults at the general clinic', () => {
    const shots = children.immunizations;
    expect(shots.map((s) => s.id)).toEqual(shots.map((_, i) => i + 1));
    const codesOf = new Map<number, string[]>();
    for (const d of generated.diagnoses) codesOf.set(d.visitId, [...(codesOf.get(d.visitId) ?? []), d.icd10Code]);
    const td = shots.filter((s) => s.kfaCode === '93006992');
    const rabies = shots.filter((s) => s.kfaCode === '93001589');
    const covid = shots.filter((s) => s.kfaCode === '93004035');
    expect([td.length, covid.length].every((n) => n > 0)).toBe(true);
    expect(td.length + rabies.length + covid.length).toBe(shots.length);
    for (const s of td) expect([codesOf.get(s.visitId), s.reasonCode]).toEqual([expect.arrayContaining(['Z34.9']), 'IM-WUS']);
    for (const s of rabies) expect([codesOf.get(s.visitId), s.reasonCode]).toEqual([expect.arrayContaining(['T14.1']), 'IM-Khusus']);
    for (const s of covid) expect(s.reasonCode).toBe('IM-Khusus');
    const ids = new Set(began.map((v) => v.id));
    for (const s of shots) {
      expect(ids.has(s.visitId)).toBe(true);
      expect(s.vaccineName).toBe(VACCINES[s.kfaCode]?.display);
      expect(s.expirationDate > s.givenAt.slice(0, 10), s.expirationDate).toBe(true);
      expect([s.doseNumber >= 1, s.doseMl, ['LUA', 'RUA'].includes(s.site)]).toEqual([true, 0.5, true]);
    }
    const unflawed = shots.filter((s) => byVisit.get(s.visitId)?.flaw === null);
    expect(unflawed.length).toBeGreaterThan(0);
    for (const s of unflawed) expect(within(s.givenAt, byVisit.get(s.visitId)), s.givenAt).toBe(true);
  });

  it('gives about one patient in ten an allergy, recorded once, at their first visit that began', () => {
    const patients = new Set(children.allergies.map((a) => a.patientId));
    const seen = new Set(began.filter((v) => v.flaw === null).map((v) => v.patientId));
    const expected = [...seen].filter((id) => patientAllergens(plan, id - 1).length > 0);
    expect([...patients].sort((x, y) => x - y)).toEqual(expected.sort((x, y) => x - y));
    expect(patients.size / seen.size).toBeGreaterThan(0.05);
    expect(patients.size / seen.size).toBeLessThan(0.16);
    const firstVisit = new Map<number, number>();
    for (const v of began) if (v.flaw === null && !firstVisit.has(v.patientId)) firstVisit.set(v.patientId, v.id);
    for (const a of children.allergies) {
      if (a.visitId !== null) expect(a.visitId).toBe(firstVisit.get(a.patientId));
      else expect(a.practitionerId).toBeNull();
    }
    expect(children.allergies.some((a) => a.visitId === null)).toBe(true);
  });
});

describe('reference lists', () => {
  it('holds ~60 well-formed ICD-10 codes and every pool code is among them', () => {
    expect(ICD10_COMMON.length).toBeGreaterThanOrEqual(60);
    expect(ICD10_BY_CODE.size).toBe(ICD10_COMMON.length);
    for (const e of ICD10_COMMON) expect(e.code).toMatch(/^[A-Z]\d{2}(\.\d)?$/);
    for (const code of Object.values(ICD10_POOLS).flat()) expect(ICD10_BY_CODE.has(code), code).toBe(true);
    for (const u of UNKNOWN_ICD10) expect(ICD10_BY_CODE.has(u.code)).toBe(false);
  });

  it('has 9 units with 2–4 rooms each', () => {
    expect(DEMO_UNITS.map((u) => u.name)).toEqual(expect.arrayContaining(['Poli Umum', 'Poli Gigi', 'Poli Anak', 'Poli Penyakit Dalam', 'Poli Kandungan (KIA)', 'Laboratorium', 'Farmasi']));
    for (const u of DEMO_UNITS) {
      const rooms = DEMO_ROOMS.filter((r) => r.unitCode === u.code).length;
      expect(rooms >= 2 && rooms <= 4, u.code).toBe(true);
    }
  });
});

describe('demo users', () => {
  it('derive bcrypt salts from the seed and convert hashes to the Laravel form', async () => {
    const users = demoUsers(1);
    expect(users.map((u) => u.username)).toEqual(['superadmin', 'admin', 'admin2', 'dokter', 'kasir', 'nonaktif']);
    expect(demoUsers(1)).toEqual(users);
    expect(demoUsers(2)[0]?.salt).not.toBe(users[0]?.salt);
    expect(new Set(users.map((u) => u.salt)).size).toBe(users.length);
    for (const u of users) expect(u.salt).toMatch(/^\$2b\$10\$[./A-Za-z0-9]{21}[.Oeu]$/);
    const admin = users[1];
    if (!admin) throw new Error('admin missing');
    const hash = await bcrypt.hash(admin.password, admin.salt);
    expect(hash.startsWith(admin.salt)).toBe(true);
    const laravel = toLaravelBcrypt(hash);
    expect(laravel.startsWith('$2y$10$')).toBe(true);
    expect(await bcrypt.compare('admin123', laravel.replace('$2y$', '$2b$'))).toBe(true);
  });
});
