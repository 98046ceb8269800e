#!/usr/bin/env node
// Theorem files are TypeScript: register tsx's loader, then run the CLI from source.
import { register } from 'tsx/esm/api';

// A reader that closed the pipe (`provably list | head -2`) has all it wanted: exit quietly.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
