/**
 * provably: the library a theorem file imports.
 *   import { defineTheorem, fc } from 'provably';
 */
export { default as fc } from 'fast-check';
export { defineTheorem, TheoremSpecError, type Theorem, type AnyTheorem } from './spec/define.ts';
export { InstanceError, read } from './spec/instance-error.ts';
export type * from './spec/types.ts';
export type { Engine, EngineId, BackendId } from './engine/types.ts';
export * as numerics from './numerics/index.ts';
export * from './models/quadratic.ts';
export * from './models/two-layer-relu.ts';
export * from './models/deep-fc.ts';
