// The item store: the only writer of items.status. Each module is one part of an item's life;
// transitions.ts declares every change of status they may make.
export * from './transitions.js';
export * from './plan.js';
export * from './parents.js';
export * from './claim.js';
export * from './bundle-claim.js';
export * from './finish.js';
export * from './release.js';
export * from './queue-state.js';
export * from './resend.js';
export * from './edit.js';
export * from './retract.js';
export { PK_ONLY, whereTypedKeys } from './sql.js';
