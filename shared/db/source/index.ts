// The source contract's SQL half: one reader per resource type over Dekacare's tables. Adapting
// to a real Dekacare database means changing only these readers (or creating views); see
// docs/source-contract.md.
import type { ResourceTypeName } from '../../fhir/types.js';
import type { Db } from '../connect.js';
import type { ReadOptions } from './keyset.js';
import { readVisits } from './encounter.js';
import { readRooms } from './location.js';
import { readUnits } from './organization.js';
import { readPatients } from './patient.js';
import { readPractitioners } from './practitioner.js';

export { readDiagnoses, toDiagnosisRow } from './condition.js';
export { countSourceRows, type SourceRowCounts } from './counts.js';
export { readVisits, toVisitRow } from './encounter.js';
export { DEFAULT_READ_BATCH, resolveReadOptions, type ReadOptions } from './keyset.js';
export { readRooms, toRoomRow } from './location.js';
export { readUnits, toUnitRow } from './organization.js';
export { readPatients, toPatientRow } from './patient.js';
export { readPractitioners, toPractitionerRow } from './practitioner.js';
export { DEMO_MARKER_TABLE, SOURCE_TABLES, createDemoSourceSchema, dropDemoSourceSchema, sourceTableDdl, type SourceTable } from './schema.js';
export { seedDemoSource, type SeedOptions, type SeedProgress, type SeedSummary } from './seed.js';
export { findOperator, type Operator } from './users.js';
export { readVitalSigns, toVitalSignsRow } from './vital-signs.js';

export type SourceReader = (db: Db, options?: ReadOptions) => AsyncGenerator<unknown[]>;

/** The reader behind each resource type the pipeline extracts. */
export const sourceReaders = {
  Organization: readUnits,
  Location: readRooms,
  Practitioner: readPractitioners,
  Patient: readPatients,
  Encounter: readVisits,
} as const satisfies Record<ResourceTypeName, SourceReader>;
