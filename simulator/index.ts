// SATUSEHAT simulator: a real HTTP server on loopback that follows reference/satusehat-api.md
// (token, NIK lookup, validation RuleNumbers, duplicates, transaction Bundles) and injects faults.
export { startSimulator } from './server.js';
export { DEFAULT_FAULTS, DEFAULT_OPTIONS } from './types.js';
export type { InjectedStats, RunningSimulator, SimulatorFaults, SimulatorOptions, SimulatorStats } from './types.js';
export { SANDBOX_PATIENTS, SANDBOX_PRACTITIONERS, resolveNik } from './people.js';
