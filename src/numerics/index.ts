export * from './eigen.ts';
export * from './random.ts';
export * from './linalg.ts';
export * from './gram.ts';
export * from './spectral.ts';
export * from './special.ts';
export * from './ntk-erf.ts';
