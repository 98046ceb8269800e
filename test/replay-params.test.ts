/** `provably replay --params`: check again an instance given by its parameters (a targeted-search worst case). */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli.ts';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', 'bin', 'provably.js');
const tmp = mkdtempSync(join(tmpdir(), 'provably-params-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function provably(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: tmp });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

// Each case is a CLI process (about 2 s to start): run them side by side.
describe.concurrent('provably replay --params', () => {
  it('checks the instance the parameters build, from a file, and prints its verdict', async () => {
    const params = { fn: 'huber', L: 1.42, tau: 0.0194, d: 5, stepTimesL: 1, scale: 9.85, seed: 419451192, steps: 200 };
    writeFileSync(join(tmp, 'params.json'), JSON.stringify(params));
    const r = await provably(['replay', 'classic/gd-smooth-convex-rate', '--regime', 'theorem', '--params', 'params.json', '--budget', 'ci', '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/verdict: holds/);
    expect(JSON.parse(r.stdout).params).toEqual(params);
  });

  it('bad JSON exits 2 with a clear message', async () => {
    const r = await provably(['replay', 'classic/gd-smooth-convex-rate', '--params', '{not json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not valid JSON/);
  });
});

// The same command in-process (no process start-up) for the other bad inputs.
describe('provably replay: which instance to replay', () => {
  it.each([
    [['--params', 'missing.json'], /missing\.json: no such file/],
    [['--params', '{}', '--seed', '1', '--path', '0'], /either --params or --seed and --path/],
    [[], /needs --seed and --path .* or --params/],
  ])('%j exits 2 with a clear message', async (extra, message) => {
    let stderr = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
    const cwd = process.cwd();
    process.chdir(tmp);
    try {
      expect(await main(['replay', 'classic/gd-smooth-convex-rate', ...(extra as string[])])).toBe(2);
    } finally {
      process.chdir(cwd);
      spy.mockRestore();
    }
    expect(stderr).toMatch(message);
  });
});
