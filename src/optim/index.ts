export * from './flow.ts';
export * from './gradient-flow.ts';
export * from './gd.ts';
