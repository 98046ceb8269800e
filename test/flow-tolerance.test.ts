/**
 * The integrator's error control is part of the verdicts: halving its tolerance must change no
 * verdict of the flow theorems that integrate (and their constants record the tolerance used).
 */
import { describe, expect, it } from 'vitest';
import { checkRegime } from '../src/check/runner.ts';
import { flowTolerance, withFlowTolerance } from '../src/optim/flow.ts';
import { loadTheorems } from '../src/theorem/registry.ts';
import type { Result } from '../src/record/result.ts';

const verdicts = (r: Result) => r.instances.map((i) => `${i.path}: ${i.verdict} [${(i.confirmation?.conclusions ?? i.conclusions).map((c) => `${c.name}=${c.verdict}`).join(', ')}]`);

const CASES: [string, string, number?][] = [
  ['flow/energy-identity', 'theorem'],
  ['flow/energy-identity', 'broken:gradient-field', 3],
  ['flow/pl-exponential-rate', 'theorem'],
  ['flow/pl-exponential-rate', 'broken:pl-inequality', 3],
  ['flow/woodworth-kernel-rich-regimes', 'theorem'],
  ['flow/jacobs-saddle-escape', 'theorem'],
];

describe('halving the flow tolerance', async () => {
  const theorems = new Map((await loadTheorems()).map(({ theorem }) => [theorem.id, theorem]));
  it.each(CASES)('changes no verdict of %s · %s', async (id, regime, runs) => {
    const thm = theorems.get(id)!;
    const tol = flowTolerance();
    const a = await checkRegime(thm, regime, { budget: 'ci', seed: 1, runs });
    const b = await withFlowTolerance(tol / 2, () => checkRegime(thm, regime, { budget: 'ci', seed: 1, runs }));
    expect(verdicts(b)).toEqual(verdicts(a));
    expect(b.expectation.met).toBe(a.expectation.met);
    // The tolerance is a recorded constant where the theorem's tolerance model uses it.
    if ('flowTol' in a.instances[0].constants) {
      expect(a.instances[0].constants.flowTol).toBe(tol);
      expect(b.instances[0].constants.flowTol).toBe(tol / 2);
    }
    // ... and the runs really were integrated differently (not a cached or tolerance-blind run).
    const numbers = (r: Result) => JSON.stringify(r.instances.map((i) => (i.confirmation?.conclusions ?? i.conclusions).map((c) => [c.tightness, c.trend?.values])));
    expect(numbers(b)).not.toBe(numbers(a));
  });
});

describe('PROVABLY_FLOW_RTOL', () => {
  it('sets the tolerance of a whole check, and a bad value is bad input (exit 2) before any work', async () => {
    const { execFile } = await import('node:child_process');
    const { join } = await import('node:path');
    const run = (value: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = execFile(process.execPath, [join(import.meta.dirname, '..', 'bin', 'provably.js'), 'check', 'flow/energy-identity', '--regime', 'theorem', '--runs', '1', '--budget', 'ci', '--no-report', '--json', '--out', join(import.meta.dirname, '.tmp-rtol')], { env: { ...process.env, PROVABLY_FLOW_RTOL: value } }, (err, stdout, stderr) =>
          resolve({ code: err ? (err as { code?: number }).code ?? 1 : 0, stdout, stderr }),
        );
        void child;
      });
    const bad = await run('1e5');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/PROVABLY_FLOW_RTOL=1e5: expected a number in \(0, 0\.01\)/);
    const good = await run('3e-11');
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout).instances[0].constants.flowTol).toBe(3e-11);
    (await import('node:fs')).rmSync(join(import.meta.dirname, '.tmp-rtol'), { recursive: true, force: true });
  });
});
