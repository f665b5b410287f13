// Row counts of the source tables, for `status`, the demo and sanity checks after an import.
import type { Db } from '../connect.js';
import { toInt } from './values.js';

export interface SourceRowCounts {
  users: number;
  units: number;
  rooms: number;
  practitioners: number;
  patients: number;
  visits: number;
  /** Visits the Encounter reader returns: all but the cancelled ones. */
  encounterVisits: number;
  diagnoses: number;
  vitalSigns: number;
  drugs: number;
  procedures: number;
  allergies: number;
  prescriptions: number;
  prescriptionItems: number;
  labOrders: number;
  labResults: number;
  visitNotes: number;
}

const TABLES = {
  users: 'users',
  units: 'units',
  rooms: 'rooms',
  practitioners: 'practitioners',
  patients: 'patients',
  visits: 'visits',
  diagnoses: 'diagnoses',
  vitalSigns: 'vital_signs',
  drugs: 'drugs',
  procedures: 'procedures',
  allergies: 'allergies',
  prescriptions: 'prescriptions',
  prescriptionItems: 'prescription_items',
  labOrders: 'lab_orders',
  labResults: 'lab_results',
  visitNotes: 'visit_notes',
} as const;

/** One round trip; whole tables (all statuses), plus the visits the Encounter reader returns. */
export async function countSourceRows(db: Db): Promise<SourceRowCounts> {
  const parts = Object.entries(TABLES).map(([key, table]) => `(SELECT COUNT(*) FROM \`${table}\`) AS \`${key}\``);
  const [rows] = (await db.raw(`SELECT ${parts.join(',\n    ')},
    (SELECT COUNT(*) FROM visits WHERE status <> 'cancelled') AS encounterVisits`)) as [Record<string, unknown>[]];
  const r = rows[0] ?? {};
  const out = { encounterVisits: toInt(r.encounterVisits) } as SourceRowCounts;
  for (const key of Object.keys(TABLES) as (keyof typeof TABLES)[]) out[key] = toInt(r[key]);
  return out;
}
