// The source contract's SQL half: one reader per resource type over Dekacare's tables. Adapting
// to a real Dekacare database means changing only these readers (or creating views); see
// docs/source-contract.md. The demo database's schema and seed are in shared/db/demo.
export { readAllergies, toAllergyRow } from './allergy.js';
export { countSourceRows, rowCountOf, type SourceRowCounts } from './counts.js';
export { readVisits, toVisitRow } from './encounter.js';
export { DEFAULT_READ_BATCH, resolveReadOptions, type ReadOptions } from './keyset.js';
export { readLabOrders, readLabResults, toLabOrderRow, toLabResultRow } from './lab.js';
export { readRooms, toRoomRow } from './location.js';
export { readUnits, toUnitRow } from './organization.js';
export { readPatients, toPatientRow } from './patient.js';
export { readPractitioners, toPractitionerRow } from './practitioner.js';
export { readPrescriptionItems, toPrescriptionItemRow } from './prescription.js';
export { readerOf, sourceReaders } from './readers.js';
export type { ChangeColumn, SourceReader } from './source-reader.js';
export { findOperator, type Operator } from './users.js';
export { readDiagnoses, readImmunizations, readProcedures, readVitalSigns, toDiagnosisRow, toImmunizationRow, toProcedureRow, toVitalSignsRow } from './visit-children.js';
export { readDietNotes, readEducationNotes, readVisitNotes, readVisitSiblings, readVisitSummaries, toVisitNoteRow } from './visit-note.js';
export { sourceHighWater } from './watermarks.js';
