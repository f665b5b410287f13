// Vaccines given at a visit (imunisasi), from the visit's own stream (STREAM.immunization), so
// adding them changed no other row: Td for pregnant women at their antenatal check (Z34.9, the
// routine programme for women of childbearing age), rabies vaccine after an open wound at the
// emergency unit (T14.1, often a dog bite), and now and then a COVID-19 dose for an adult at the
// general clinic. The vaccines and codes are the IG examples' (shared/fhir/mappers/immunization.ts).
import { VACCINES } from '../fhir/mappers/immunization.js';
import { SECONDS_PER_DAY, formatDateTime } from './dates.js';
import type { VisitClinicalContext } from './clinical.js';
import type { Rng } from './prng.js';

export interface DemoImmunization {
  id: number;
  visitId: number;
  practitionerId: number;
  kfaCode: string;
  vaccineName: string;
  lotNumber: string;
  /** 'YYYY-MM-DD'. */
  expirationDate: string;
  doseNumber: number;
  doseMl: number;
  site: 'LUA' | 'RUA';
  reasonCode: 'IM-WUS' | 'IM-Khusus';
  givenAt: string;
  createdAt: string;
  updatedAt: string;
}

interface Indication {
  applies(v: VisitClinicalContext): boolean;
  rate: number;
  kfaCode: string;
  reasonCode: DemoImmunization['reasonCode'];
  /** Doses in the series: the one given is 1..doses. */
  doses: number;
  lotPrefix: string;
}

const INDICATIONS: readonly Indication[] = [
  { applies: (v) => v.unit === 'KIA' && v.codes.includes('Z34.9'), rate: 0.5, kfaCode: '93006992', reasonCode: 'IM-WUS', doses: 2, lotPrefix: 'TT' },
  { applies: (v) => v.unit === 'IGD' && v.codes.includes('T14.1'), rate: 0.4, kfaCode: '93001589', reasonCode: 'IM-Khusus', doses: 4, lotPrefix: 'R' },
  { applies: (v) => v.unit === 'UMUM' && v.age >= 18, rate: 0.04, kfaCode: '93004035', reasonCode: 'IM-Khusus', doses: 3, lotPrefix: 'AZ' },
];

/** The visit's vaccination, or null: at most one per visit. */
export function makeImmunization(rng: Rng, v: VisitClinicalContext): DemoImmunization | null {
  const indication = INDICATIONS.find((i) => i.applies(v));
  if (!indication || !rng.chance(indication.rate)) return null;
  const span = Math.max(0, v.end - v.started);
  const given = v.started + Math.floor(rng.next() * span);
  const expires = given + rng.int(120, 720) * SECONDS_PER_DAY;
  return {
    id: 0,
    visitId: v.visitId,
    practitionerId: v.practitionerId,
    kfaCode: indication.kfaCode,
    vaccineName: VACCINES[indication.kfaCode]!.display,
    lotNumber: `${indication.lotPrefix}${rng.int(2024, 2026)}${String(rng.int(1, 999)).padStart(3, '0')}`,
    expirationDate: formatDateTime(expires).slice(0, 10),
    doseNumber: rng.int(1, indication.doses),
    doseMl: 0.5,
    site: rng.chance(0.8) ? 'LUA' : 'RUA',
    reasonCode: indication.reasonCode,
    givenAt: v.clinical(given),
    createdAt: formatDateTime(given),
    updatedAt: formatDateTime(given),
  };
}
