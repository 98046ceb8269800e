/** Run the real `provably` binary in a subprocess, in a temporary working directory. */
import { afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'provably.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `interrupt` sends the child a signal, SIGINT (Ctrl-C) unless told otherwise. */
export type Provably = (args: string[], onStderr?: (chunk: string, interrupt: (signal?: NodeJS.Signals) => void) => void) => Promise<Run>;

/** A fresh working directory (removed after the file's tests) and a runner bound to it. */
export function cliSandbox(prefix: string): { tmp: string; provably: Provably } {
  const tmp = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const provably: Provably = (args, onStderr) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: tmp, env: { ...process.env, FORCE_COLOR: '0' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => {
        stderr += d;
        onStderr?.(String(d), (signal = 'SIGINT') => child.kill(signal));
      });
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  return { tmp, provably };
}
