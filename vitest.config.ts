import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Training runs and CLI subprocesses take seconds, not milliseconds.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: one worker on a 2-core machine. The test
    // files are CPU-bound training runs, so use every core.
    maxWorkers: availableParallelism(),
  },
});
