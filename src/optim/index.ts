export * from './flow.ts';
export * from './gradient-flow.ts';
