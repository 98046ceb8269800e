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

  it('--expect: exit 1 when the replayed verdict is not the one expected, 0 when it is', async () => {
    const params = JSON.stringify({ fn: 'huber', L: 1.42, tau: 0.0194, d: 5, stepTimesL: 1, scale: 9.85, seed: 419451192, steps: 200 });
    const [wrong, right] = await Promise.all([
      provably(['replay', 'classic/gd-smooth-convex-rate', '--regime', 'theorem', '--params', params, '--budget', 'ci', '--expect', 'violated']),
      provably(['replay', 'classic/gd-smooth-convex-rate', '--regime', 'theorem', '--params', params, '--budget', 'ci', '--expect', 'holds']),
    ]);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/expected `violated`; this instance replayed as `holds`/);
    expect(right.status).toBe(0);
  });

  it('a --path not in the shrink tree (another budget or version) is exit 2 saying so, not a fast-check stack trace', async () => {
    const r = await provably(['replay', 'classic/gd-quadratic-linear-rate', '--regime', 'broken:step-size', '--seed', '1', '--path', Array(40).fill(0).join(':'), '--budget', 'ci']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--path 0:0:.* is not in the shrink tree of seed 1 for classic\/gd-quadratic-linear-rate · broken:step-size at --budget ci: a path is valid only for the seed, regime, budget and code version/);
    expect(r.stderr).not.toMatch(/    at /);
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
    // Parameters that do not have the shape the theorem's regimes draw name the field.
    [['--params', '{}'], /--params: field 'fn': missing/],
    [['--params', '{"fn":"huber","L":1.42,"tau":0.0194,"d":5,"stepTimesL":1,"scale":9.85,"seed":4}'], /--params: field 'steps': missing/],
    [['--params', '{"fn":"huber","L":1.42,"tau":0.0194,"d":"abc","stepTimesL":1,"scale":9.85,"seed":4,"steps":200}'], /field 'd': expected a finite number, got a string "abc"/],
    [['--params', '{"fn":"huber","L":1.42,"tau":0.0194,"d":5,"stepTimesL":1,"scale":9.85,"seed":4,"steps":200,"M":64}'], /unknown field 'M'/],
    [['--params', '{"fn":"huber","L":1.42,"tau":0.0194,"d":5,"stepTimesL":1,"scale":9.85,"seed":4,"steps":200}', '--regime', 'nope'], /no regime 'nope'/],
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

describe('provably replay --params on a theorem whose spectrum is an array', () => {
  it("rejects \"spectrum\": \"abc\" (which would be a 3-dimensional problem)", async () => {
    let stderr = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
    try {
      const params = { spectrum: 'abc', stepTimesL: 0.5, seed: 1, steps: 10 };
      expect(await main(['replay', 'classic/gd-quadratic-linear-rate', '--params', JSON.stringify(params), '--budget', 'ci'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(stderr).toMatch(/--params: field 'spectrum': expected an array, got a string "abc"/);
  });
});
