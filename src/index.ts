/**
 * provably: the library a theorem file imports.
 *   import { defineTheorem, fc } from 'provably';
 */
export { default as fc } from 'fast-check';
export { defineTheorem, TheoremSpecError, type Theorem, type AnyTheorem } from './theorem/define.ts';
export { InstanceError, read } from './theorem/instance-error.ts';
export type * from './theorem/types.ts';
export type { Engine, EngineId, BackendId, TfjsEngine } from './engine/types.ts';
export { isTfjs } from './engine/types.ts';
export * as numerics from './numerics/index.ts';
export * from './models/quadratic.ts';
export * from './models/two-layer-relu.ts';
export * as optim from './optim/index.ts';
export * as objectives from './models/objectives.ts';
export * from './models/objectives.ts';
export * as mlp from './models/mlp.ts';
export * from './models/agd-training.ts';
export * from './models/flow-objectives.ts';
export * from './models/linear-regression.ts';
export * as interpolants from './numerics/interpolants.ts';
export * from './models/tanh-net.ts';
export * from './models/diagonal-linear.ts';
export * from './models/deep-diagonal.ts';
export * from './models/diagonal-rnn.ts';
export * from './models/deep-fc.ts';
export * from './models/deep-linear.ts';
export * from './models/sparse-lift.ts';
export * from './models/autodiff.ts';
export * from './models/online-linear.ts';
export * from './models/hypergradient.ts';
export * from './models/rate-reduction.ts';
export * from './models/random-features.ts';
export * from './models/online-mirror-descent.ts';
export * from './models/fourier-prior.ts';
export * from './models/gru-optimizer.ts';
export * as patchCnn from './models/patch-cnn.ts';
