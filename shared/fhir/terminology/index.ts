// Code tables and code checks for the clinical mappers. Pure data: no I/O.
export * from './icd10.js';
export * from './icd9cm.js';
export * from './kfa.js';
export * from './loinc.js';
export * from './notes.js';
export * from './snomed.js';
export * from './ucum.js';
