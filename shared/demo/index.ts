// Deterministic, realistic Indonesian demo data for the Dekacare source. Pure: no I/O, no clock.
export * from './allergies.js';
export * from './clinical.js';
export * from './dates.js';
export * from './drugs.js';
export * from './icd10.js';
export * from './immunizations.js';
export * from './lab-tests.js';
export * from './names.js';
export * from './nik.js';
export * from './people.js';
export * from './plan.js';
export * from './prng.js';
export * from './regions.js';
export * from './units.js';
export * from './users.js';
export * from './visits.js';
export * from './vital-signs.js';
