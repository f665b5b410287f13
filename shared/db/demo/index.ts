// The demo Dekacare database: its schema and the seed that fills it from shared/demo. Not part of
// the source contract (shared/db/source), which reads any Dekacare-shaped database.
export { DEMO_MARKER_TABLE, SOURCE_TABLES, createDemoSourceSchema, dropDemoSourceSchema, sourceTableDdl, type SourceTable } from './schema.js';
export { seedDemoSource, type SeedOptions, type SeedProgress, type SeedSummary } from './seed.js';
