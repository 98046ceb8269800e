// Entry of a `provably check --jobs N` worker process: theorem files are TypeScript, so register
// tsx's loader first (as bin/provably.js does), then run the worker.
import { register } from 'tsx/esm/api';

register();
await import('./pool-worker.ts');
