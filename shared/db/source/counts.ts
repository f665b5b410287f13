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
}

/** One round trip; whole tables (all statuses), plus the visits the Encounter reader returns. */
export async function countSourceRows(db: Db): Promise<SourceRowCounts> {
  const [rows] = (await db.raw(`SELECT
    (SELECT COUNT(*) FROM users) AS users,
    (SELECT COUNT(*) FROM units) AS units,
    (SELECT COUNT(*) FROM rooms) AS rooms,
    (SELECT COUNT(*) FROM practitioners) AS practitioners,
    (SELECT COUNT(*) FROM patients) AS patients,
    (SELECT COUNT(*) FROM visits) AS visits,
    (SELECT COUNT(*) FROM visits WHERE status <> 'cancelled') AS encounter_visits,
    (SELECT COUNT(*) FROM diagnoses) AS diagnoses,
    (SELECT COUNT(*) FROM vital_signs) AS vital_signs`)) as [Record<string, unknown>[]];
  const r = rows[0] ?? {};
  return {
    users: toInt(r.users),
    units: toInt(r.units),
    rooms: toInt(r.rooms),
    practitioners: toInt(r.practitioners),
    patients: toInt(r.patients),
    visits: toInt(r.visits),
    encounterVisits: toInt(r.encounter_visits),
    diagnoses: toInt(r.diagnoses),
    vitalSigns: toInt(r.vital_signs),
  };
}
