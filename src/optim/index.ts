export * from './transform.ts';
export * from './first-order.ts';
export * from './minimize.ts';
export * from './agd.ts';
export * from './nero.ts';
export * from './dsgd.ts';
