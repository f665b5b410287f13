// The source table behind each resource type, for incremental extraction: its newest updated_at
// (an indexed MAX) is the watermark the next pass starts from.
import type { Db } from '../connect.js';

const TABLE_OF: Record<string, string | string[]> = {
  Organization: 'units',
  Location: 'rooms',
  Practitioner: 'practitioners',
  Patient: 'patients',
  // A visit is read again when one of its diagnoses or rooms changes (Encounter.diagnosis, location[]).
  Encounter: ['visits', 'diagnoses', 'visit_rooms'],
  Condition: 'diagnoses',
  Observation: 'vital_signs',
  Procedure: 'procedures',
  AllergyIntolerance: 'allergies',
  Medication: 'prescription_items',
  MedicationRequest: 'prescription_items',
  ServiceRequest: 'lab_orders',
  Specimen: 'lab_orders',
  ObservationLab: 'lab_results',
  DiagnosticReport: 'lab_orders',
  NutritionOrder: 'visit_notes',
  ProcedureEducation: 'visit_notes',
  // The summary's own row only: a sibling changed later is picked up by the next full pass.
  Composition: 'visit_notes',
};

/**
 * The newest updated_at of the type's table as 'YYYY-MM-DD HH:mm:ss', or null when the type has
 * no single table (then every pass reads it in full).
 */
export async function sourceHighWater(db: Db, type: string): Promise<string | null> {
  const tables = TABLE_OF[type];
  if (!tables) return null;
  let newest: string | null = null;
  for (const table of typeof tables === 'string' ? [tables] : tables) {
    const hw = await tableHighWater(db, table);
    if (hw !== null && (newest === null || hw > newest)) newest = hw;
  }
  return newest;
}

async function tableHighWater(db: Db, table: string): Promise<string | null> {
  const row = (await db(table).max({ hw: 'updated_at' }).first()) as { hw?: string | Date | null } | undefined;
  const hw = row?.hw;
  if (!hw) return null;
  return typeof hw === 'string' ? hw.slice(0, 19) : hw.toISOString().slice(0, 19).replace('T', ' ');
}
