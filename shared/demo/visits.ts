// Visits with their diagnoses, vital signs and the rest of what happens in them (procedures,
// prescriptions, lab orders, notes; see clinical.ts). generateVisit(plan, i) is a pure function of
// the seed and the index; visitBatches() streams them in id order, numbers the child rows and
// records each allergic patient's allergies at their first visit, so a million visits never sit
// in memory at once.
import { makeAllergies, patientAllergens, type AllergyMoment, type DemoAllergy } from './allergies.js';
import { makeVisitClinical, type DemoLabOrder, type DemoLabResult, type DemoPrescription, type DemoPrescriptionItem, type DemoProcedure, type DemoVisitNote, type VisitClinical, type VisitClinicalContext } from './clinical.js';
import { SECONDS_PER_DAY, civilFromDays, formatDateTime, withYear } from './dates.js';
import { FEVER_CODES, ICD10_BY_CODE, ICD10_POOLS, UNKNOWN_ICD10 } from './icd10.js';
import { makeImmunization, type DemoImmunization } from './immunizations.js';
import { ageOn, patientProfile, type PatientProfile } from './people.js';
import { TEMPERATURE_TYPO_RATE, UNKNOWN_ICD10_RATE, visitFlaw, type DemoPlan, type VisitFlaw } from './plan.js';
import { STREAM, rowRng, type Rng } from './prng.js';
import { DEMO_UNITS, VISIT_ROOMS_BY_UNIT, unitByCode, type DemoUnit, type UnitCode } from './units.js';
import { makeVitalValues, type VitalValues } from './vital-signs.js';

export type DemoVisitStatus = 'registered' | 'in_progress' | 'finished' | 'cancelled';

export interface DemoVisit {
  id: number;
  visitNo: string;
  patientId: number;
  practitionerId: number;
  roomId: number;
  unitId: number;
  encounterClass: 'AMB' | 'EMER' | 'IMP';
  status: DemoVisitStatus;
  arrivedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** How the patient left (finished IGD and inpatient visits). */
  dischargeDisposition: DemoDischarge | null;
  createdAt: string;
  updatedAt: string;
  /** Which deliberate defect this row carries, if any (not a column). */
  flaw: VisitFlaw;
}

export type DemoDischarge = 'home' | 'own_request' | 'referred' | 'died' | 'other';

/** One room of an inpatient stay (`visit_rooms`); ids are 0 until visitBatches() numbers them. */
export interface DemoVisitRoom {
  id: number;
  visitId: number;
  roomId: number;
  enteredAt: string;
  leftAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DemoDiagnosis {
  id: number;
  visitId: number;
  icd10Code: string;
  icd10Display: string | null;
  rank: number;
  recordedAt: string;
  createdAt: string;
  updatedAt: string;
  /** True when the code is deliberately not ICD-10 (not a column). */
  unknownCode: boolean;
}

export interface DemoVitalSigns extends VitalValues {
  id: number;
  visitId: number;
  practitionerId: number;
  measuredAt: string;
  createdAt: string;
  updatedAt: string;
  /** True when the temperature was deliberately typed without its decimal point (not a column). */
  temperatureTypo: boolean;
}

/** One visit and its children; child ids are 0 until visitBatches() numbers them. */
export interface GeneratedVisit {
  visit: DemoVisit;
  /** The rooms of an inpatient stay, in order; empty for visits in one room. */
  rooms: DemoVisitRoom[];
  diagnoses: DemoDiagnosis[];
  vitalSigns: DemoVitalSigns | null;
  clinical: VisitClinical;
  /** The vaccine given at the visit (immunizations.ts), or null. */
  immunization: DemoImmunization | null;
  /** Where this visit could record its patient's allergies; null when it cannot. */
  allergyMoment: AllergyMoment | null;
}

const VISITING_UNITS: readonly DemoUnit[] = DEMO_UNITS.filter((u) => u.visitWeight > 0);
const VISITING_WEIGHTS: readonly number[] = VISITING_UNITS.map((u) => u.visitWeight);
const VISIT_NO_PREFIX = { AMB: 'RJ', EMER: 'RD', IMP: 'RI' } as const;
const MINUTE = 60;
const HOUR = 3600;

/** Poli consult length in minutes; always 5–90. */
const CONSULT_MINUTES: Readonly<Partial<Record<UnitCode, readonly [number, number]>>> = {
  UMUM: [5, 20],
  GIGI: [15, 60],
  ANAK: [10, 30],
  INTERNA: [10, 30],
  KIA: [10, 45],
};

function acceptsPatient(unit: UnitCode, profile: PatientProfile, day: number): boolean {
  const age = ageOn(profile, day);
  if (unit === 'ANAK') return age < 18;
  if (unit === 'KIA') return profile.gender === 'female' && age >= 16 && age <= 48;
  if (unit === 'INTERNA' || unit === 'RANAP') return age >= 15;
  return true;
}

/**
 * A patient this unit would see, or null after a few tries (e.g. no child among few patients).
 * Regulars come back: a third of picks favour low patient numbers.
 */
function pickPatient(rng: Rng, plan: DemoPlan, unit: UnitCode, day: number): number | null {
  for (let attempt = 0; attempt < 24; attempt++) {
    const r = rng.next();
    const index = Math.min(plan.patients - 1, Math.floor(plan.patients * (rng.chance(0.3) ? r * r * r : r)));
    if (acceptsPatient(unit, patientProfile(plan, index), day)) return index;
  }
  return null;
}

/** Arrival time on `day` for the unit: poli sessions morning and evening, IGD around the clock. */
function arrivalOn(rng: Rng, day: number, unit: DemoUnit): number {
  const base = day * SECONDS_PER_DAY;
  if (unit.encounterClass === 'EMER') {
    // Busier in the day and evening than at night.
    const hour = rng.weighted([1, 1, 1, 1, 1, 1, 2, 3, 4, 4, 4, 4, 3, 3, 3, 3, 4, 4, 4, 4, 3, 3, 2, 2]);
    return base + hour * HOUR + rng.int(0, HOUR - 1);
  }
  if (unit.encounterClass === 'IMP') return base + rng.int(8 * HOUR, 22 * HOUR - 1);
  return rng.chance(0.65) ? base + rng.int(7 * HOUR + 30 * MINUTE, 12 * HOUR - 1) : base + rng.int(15 * HOUR, 20 * HOUR - 1);
}

const DISCHARGES: readonly DemoDischarge[] = ['home', 'own_request', 'referred', 'died', 'other'];
const DISCHARGE_WEIGHTS: readonly number[] = [86, 5, 6, 2, 1];

/**
 * An inpatient stay's rooms: the admission room from arrival, and for about a third a move to
 * another ward (a class up or down) part-way through. Times are wall-clock seconds.
 */
function stayRooms(rng: Rng, visitId: number, firstRoomId: number, arrived: number, started: number, finished: number | null, stamp: (t: number) => string, clinical: (t: number) => string): DemoVisitRoom[] {
  const row = (roomId: number, entered: number, left: number | null): DemoVisitRoom => ({
    id: 0, visitId, roomId, enteredAt: clinical(entered), leftAt: left === null ? null : clinical(left), createdAt: stamp(entered), updatedAt: stamp(left ?? entered),
  });
  const end = finished ?? started + 12 * HOUR;
  const wards = (VISIT_ROOMS_BY_UNIT.get('RANAP')?.rooms ?? []).filter((r) => r.id !== firstRoomId);
  if (wards.length === 0 || !rng.chance(0.35) || end - started < 2 * HOUR) return [row(firstRoomId, arrived, finished)];
  const moved = started + rng.int(HOUR, end - started - HOUR);
  return [row(firstRoomId, arrived, moved), row(rng.pick(wards).id, moved, finished)];
}

/** The year a typist produces from the real one: 2026 → 2062; never the current year or earlier. */
function typoYear(realYear: number, anchorYear: number): number {
  const swapped = Math.floor(realYear / 100) * 100 + (realYear % 10) * 10 + Math.floor((realYear % 100) / 10);
  return swapped > anchorYear ? swapped : realYear + 40;
}

export function generateVisit(plan: DemoPlan, index: number): GeneratedVisit {
  const rng = rowRng(plan.seed, STREAM.visit, index);
  const today = index >= plan.pastVisits;
  const day = today ? plan.anchorDay : plan.windowStartDay + Math.floor((index * plan.days) / Math.max(1, plan.pastVisits));
  let unit = VISITING_UNITS[rng.weighted(VISITING_WEIGHTS)] as DemoUnit;
  let patientIndex = pickPatient(rng, plan, unit.code, day);
  if (patientIndex === null) {
    // Nobody fits (no child, no woman of childbearing age): Poli Umum sees anyone.
    unit = unitByCode('UMUM');
    patientIndex = Math.floor(rng.next() * plan.patients);
  }
  const profile = patientProfile(plan, patientIndex);
  const attending = plan.attendingByUnit.get(unit.code) ?? [];
  const practitionerIndex = attending.length > 0 ? rng.pick(attending) : 0;
  const roomChoice = VISIT_ROOMS_BY_UNIT.get(unit.code);
  const room = roomChoice ? roomChoice.rooms[rng.weighted(roomChoice.weights)] : undefined;
  if (!room) throw new Error(`demo unit ${unit.code} has no visit room`);

  // Times as wall-clock seconds; the anchor day's midnight bounds everything in the past.
  const anchorStart = plan.anchorDay * SECONDS_PER_DAY;
  let status: DemoVisitStatus;
  let arrived: number;
  let started: number | null = null;
  let finished: number | null = null;
  let updated: number;
  if (today) {
    // The clinic opened at 07:00 this morning; these patients are still here.
    arrived = anchorStart + 7 * HOUR + rng.int(0, HOUR - 1);
    if ((index - plan.pastVisits) % 2 === 0) {
      status = 'registered';
      updated = arrived;
    } else {
      status = 'in_progress';
      started = arrived + rng.int(5, 20) * MINUTE;
      updated = started;
    }
  } else {
    arrived = arrivalOn(rng, day, unit);
    if (unit.encounterClass === 'AMB' && rng.chance(0.04)) {
      status = 'cancelled';
      updated = arrived + rng.int(10, 120) * MINUTE;
    } else {
      status = 'finished';
      if (unit.encounterClass === 'EMER') {
        started = arrived + rng.int(1, 15) * MINUTE;
        finished = started + rng.int(20, 240) * MINUTE;
      } else if (unit.encounterClass === 'IMP') {
        started = arrived + rng.int(15, 120) * MINUTE;
        finished = started + rng.int(1, 4) * SECONDS_PER_DAY + rng.int(-4, 4) * HOUR;
      } else {
        const [min, max] = CONSULT_MINUTES[unit.code] ?? [5, 30];
        started = arrived + rng.int(5, 60) * MINUTE;
        finished = started + rng.int(min, max) * MINUTE;
      }
      // Not discharged yet if that would be today or later.
      if (finished >= anchorStart) {
        status = 'in_progress';
        finished = null;
      }
      updated = finished ?? started;
    }
  }

  const flaw = visitFlaw(plan, index);
  const realYear = civilFromDays(day).year;
  let shift = 0;
  if (flaw === 'future') shift = (withYear(day, typoYear(realYear, plan.anchorYear)) - day) * SECONDS_PER_DAY;
  if (flaw === 'before-2022') shift = (withYear(day, 2021) - day) * SECONDS_PER_DAY;
  const clinical = (t: number): string => formatDateTime(t + shift);

  const visitId = index + 1;
  const visit: DemoVisit = {
    id: visitId,
    visitNo: `${VISIT_NO_PREFIX[unit.encounterClass]}${String(realYear % 100).padStart(2, '0')}${String(visitId).padStart(7, '0')}`,
    patientId: patientIndex + 1,
    practitionerId: practitionerIndex + 1,
    roomId: room.id,
    unitId: unit.id,
    encounterClass: unit.encounterClass,
    status,
    arrivedAt: clinical(arrived),
    startedAt: started === null ? null : clinical(started),
    finishedAt: finished === null ? null : clinical(finished),
    dischargeDisposition: null,
    createdAt: formatDateTime(arrived),
    updatedAt: formatDateTime(updated),
    flaw,
  };
  // From a stream of its own, so every other row stays as it was before stays had rooms.
  const stay = rowRng(plan.seed, STREAM.visitStay, index);
  if (finished !== null && unit.encounterClass !== 'AMB') visit.dischargeDisposition = DISCHARGES[stay.weighted(DISCHARGE_WEIGHTS)] ?? 'home';
  const rooms = unit.encounterClass === 'IMP' && started !== null ? stayRooms(stay, visitId, room.id, arrived, started, finished, formatDateTime, clinical) : [];

  const diagnoses: DemoDiagnosis[] = [];
  let vitalSigns: DemoVitalSigns | null = null;
  if (started !== null) {
    const pool = ICD10_POOLS[unit.code];
    const count = rng.weighted([60, 30, 10]) + 1;
    const codes: string[] = [];
    for (let attempt = 0; codes.length < count && attempt < 10; attempt++) {
      const code = rng.pick(pool);
      if (!codes.includes(code)) codes.push(code);
    }
    // In-progress visits: diagnoses so far, and never on the anchor day unless the visit is today's.
    const limit = today ? Number.POSITIVE_INFINITY : anchorStart - 1;
    const end = finished ?? Math.max(started, Math.min(started + 10 * MINUTE, limit));
    // Coded during the consult, primary diagnosis first.
    const times = codes.map(() => started + Math.floor(rng.next() * (end - started))).sort((x, y) => x - y);
    codes.forEach((code, i) => {
      const recorded = times[i] ?? started;
      const unknown = rng.chance(UNKNOWN_ICD10_RATE);
      const bad = unknown ? rng.pick(UNKNOWN_ICD10) : null;
      diagnoses.push({
        id: 0,
        visitId,
        icd10Code: bad ? bad.code : code,
        icd10Display: bad ? bad.display : (ICD10_BY_CODE.get(code)?.display ?? null),
        rank: i + 1,
        recordedAt: clinical(recorded),
        createdAt: formatDateTime(recorded),
        updatedAt: formatDateTime(recorded),
        unknownCode: unknown,
      });
    });

    const measured = arrived + Math.floor(rng.next() * (started - arrived));
    const nurses = plan.nursesByUnit.get(unit.code) ?? [];
    const fever = codes.some((c) => FEVER_CODES.has(c)) && rng.chance(0.8);
    vitalSigns = {
      id: 0,
      visitId,
      practitionerId: (nurses.length > 0 ? rng.pick(nurses) : practitionerIndex) + 1,
      ...makeVitalValues(rng, ageOn(profile, day), profile.gender === 'male', unit.code, fever),
      measuredAt: clinical(measured),
      createdAt: formatDateTime(measured),
      updatedAt: formatDateTime(measured),
      temperatureTypo: false,
    };

    // Everything below draws from the visit's second stream, so the rows above stay as they were.
    const xrng = rowRng(plan.seed, STREAM.visitClinical, index);
    if (vitalSigns.temperature !== null && xrng.chance(TEMPERATURE_TYPO_RATE)) {
      vitalSigns.temperature = Math.round(vitalSigns.temperature * 10);
      vitalSigns.temperatureTypo = true;
    }
    const validCodes = diagnoses.filter((d) => !d.unknownCode).map((d) => d.icd10Code);
    const context: VisitClinicalContext = {
      visitId,
      unit: unit.code,
      codes: validCodes,
      age: ageOn(profile, day),
      female: profile.gender === 'female',
      practitionerId: practitionerIndex + 1,
      started,
      end,
      finished: finished !== null,
      limit: today ? null : anchorStart,
      clinical,
    };
    const result: GeneratedVisit = {
      visit,
      rooms,
      diagnoses,
      vitalSigns,
      clinical: makeVisitClinical(xrng, context),
      immunization: makeImmunization(rowRng(plan.seed, STREAM.immunization, index), context),
      allergyMoment: flaw === null ? { visitId, patientIndex, practitionerId: practitionerIndex + 1, arrived, consult: Math.min(end, started + xrng.int(1, 5) * MINUTE) } : null,
    };
    return result;
  }
  return { visit, rooms, diagnoses, vitalSigns, clinical: { procedures: [], prescription: null, labOrder: null, note: null, summary: null }, immunization: null, allergyMoment: null };
}

export interface VisitBatch {
  visits: DemoVisit[];
  visitRooms: DemoVisitRoom[];
  diagnoses: DemoDiagnosis[];
  vitalSigns: DemoVitalSigns[];
  procedures: DemoProcedure[];
  immunizations: DemoImmunization[];
  prescriptions: DemoPrescription[];
  prescriptionItems: DemoPrescriptionItem[];
  labOrders: DemoLabOrder[];
  labResults: DemoLabResult[];
  visitNotes: DemoVisitNote[];
  allergies: DemoAllergy[];
}

const emptyBatch = (): VisitBatch => ({ visits: [], visitRooms: [], diagnoses: [], vitalSigns: [], procedures: [], immunizations: [], prescriptions: [], prescriptionItems: [], labOrders: [], labResults: [], visitNotes: [], allergies: [] });

/**
 * All visits in id order, `batchSize` at a time, with every child table numbered from 1. An
 * allergic patient's allergies are written with their first visit that began (not a bad row);
 * the set of patients already done is the only state kept across batches (ids of ≈10 % of patients).
 */
export function* visitBatches(plan: DemoPlan, batchSize: number): Generator<VisitBatch> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  const ids = { visitRoom: 0, diagnosis: 0, vitalSigns: 0, procedure: 0, immunization: 0, prescription: 0, prescriptionItem: 0, labOrder: 0, labResult: 0, note: 0, allergy: 0 };
  const allergiesRecorded = new Set<number>();
  for (let from = 0; from < plan.visits; from += batchSize) {
    const batch = emptyBatch();
    const to = Math.min(plan.visits, from + batchSize);
    for (let i = from; i < to; i++) {
      const g = generateVisit(plan, i);
      batch.visits.push(g.visit);
      for (const r of g.rooms) {
        r.id = ++ids.visitRoom;
        batch.visitRooms.push(r);
      }
      for (const d of g.diagnoses) {
        d.id = ++ids.diagnosis;
        batch.diagnoses.push(d);
      }
      if (g.vitalSigns) {
        g.vitalSigns.id = ++ids.vitalSigns;
        batch.vitalSigns.push(g.vitalSigns);
      }
      const c = g.clinical;
      for (const p of c.procedures) {
        p.id = ++ids.procedure;
        batch.procedures.push(p);
      }
      if (g.immunization) {
        g.immunization.id = ++ids.immunization;
        batch.immunizations.push(g.immunization);
      }
      if (c.prescription) {
        const rx = c.prescription;
        rx.id = ++ids.prescription;
        rx.prescriptionNo = `RX-${String(rx.id).padStart(8, '0')}`;
        batch.prescriptions.push(rx);
        for (const item of rx.items) {
          item.id = ++ids.prescriptionItem;
          item.prescriptionId = rx.id;
          batch.prescriptionItems.push(item);
        }
      }
      if (c.labOrder) {
        const order = c.labOrder;
        order.id = ++ids.labOrder;
        order.orderNo = `LAB-${String(order.id).padStart(8, '0')}`;
        batch.labOrders.push(order);
        for (const r of order.results) {
          r.id = ++ids.labResult;
          r.labOrderId = order.id;
          batch.labResults.push(r);
        }
      }
      for (const note of [c.note, c.summary]) {
        if (!note) continue;
        note.id = ++ids.note;
        batch.visitNotes.push(note);
      }
      const moment = g.allergyMoment;
      if (moment && !allergiesRecorded.has(moment.patientIndex) && patientAllergens(plan, moment.patientIndex).length > 0) {
        allergiesRecorded.add(moment.patientIndex);
        for (const allergy of makeAllergies(plan, moment)) {
          allergy.id = ++ids.allergy;
          batch.allergies.push(allergy);
        }
      }
    }
    yield batch;
  }
}
