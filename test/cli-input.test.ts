/** The command line as a user meets it, part 1: listing, bad input, a user's own instance (real subprocesses, real files). */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eigs } from 'mathjs';
import { cliSandbox } from './helpers/cli.ts';

const { tmp, provably } = cliSandbox('provably-cli-input-');

describe('provably list', () => {
  it('shows every theorem by family', async () => {
    const r = await provably(['list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('classic/gd-quadratic-linear-rate');
    expect(r.stdout).toContain('overparam/du-two-layer-gd-rate');
  });
});

describe('bad input gets a clear message and exit code 2', () => {
  it.each([
    // With more than ten theorems the message points to `provably list` instead of naming them all.
    [['check', 'no-such-theorem'], /no theorem matches 'no-such-theorem'\. (The theorems are: .*classic\/gd-quadratic-linear-rate|`provably list` shows all \d+)/s],
    [['check', 'overparam/du-two-layr-gd-rate'], /Did you mean: overparam\/du-two-layer-gd-rate[,?]/],
    [['check', '--budget', 'huge'], /Allowed choices are ci, full/],
    [['check', '--runs', 'many'], /--runs must be an integer/],
    [['check', 'classic/*', '--regime', 'nope'], /no regime named nope/],
    [['check', 'classic/*', '--engine', 'f64', '--backend', 'wasm'], /applies to --engine tfjs/],
    [['replay', 'classic/gd-quadratic-linear-rate', '--regime', 'theorem', '--seed', '1', '--path', 'x'], /not a fast-check path/],
    [['replay', 'classic/gd-quadratic-linear-rate', '--seed', '1', '--path', '0'], /several regimes.*--regime/],
    [['check', 'overparam/du-two-layer-gd-rate', '--instance', 'missing.json'], /missing\.json: no such file/],
  ])('%j', async (args, message) => {
    const r = await provably(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('a malformed instance file names the field', async () => {
    writeFileSync(join(tmp, 'ragged.json'), JSON.stringify({ X: [[1, 0], [0, 1, 0]], y: [1, -1] }));
    writeFileSync(join(tmp, 'broken.json'), '{"X": [[1, 0]], ');
    const ragged = await provably(['check', 'overparam/du-two-layer-gd-rate', '--instance', 'ragged.json']);
    expect(ragged.code).toBe(2);
    expect(ragged.stderr).toMatch(/ragged\.json: field 'X\[1\]': expected 2 numbers, got 3/);
    const broken = await provably(['check', 'overparam/du-two-layer-gd-rate', '--instance', 'broken.json']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json: not valid JSON/);
  });
});

describe('provably check --instance: the format and the size', () => {
  it('an unknown field is an error naming it, and Infinity is called Infinity', async () => {
    writeFileSync(join(tmp, 'typo.json'), JSON.stringify({ X: [[1, 0], [0, 1]], y: [1, -1], M: 64 }));
    const typo = await provably(['check', 'overparam/du-two-layer-gd-rate', '--instance', 'typo.json']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/typo\.json: field 'M': unknown field 'M'; the fields are 'X', 'y', 'm', 'eta', 'steps', 'seed'/);
    writeFileSync(join(tmp, 'inf.json'), '{"X": [[1, 0], [0, 1]], "y": [1, -1], "m": 1e999}');
    const inf = await provably(['check', 'overparam/du-two-layer-gd-rate', '--instance', 'inf.json']);
    expect(inf.code).toBe(2);
    expect(inf.stderr).toMatch(/inf\.json: field 'm': expected a finite number, got number Infinity/);
  });

  it('says what the instance will cost before it starts, then each stage; refuses one beyond the documented limit without --force', async () => {
    writeFileSync(join(tmp, 'small.json'), JSON.stringify({ X: [[1, 0], [0, 1]], y: [1, -1], m: 16, steps: 20 }));
    const small = await provably(['check', 'overparam/du-two-layer-gd-rate', '--instance', 'small.json', '--engine', 'f64']);
    expect(small.code, small.stderr).toBe(0);
    expect(small.stderr).toMatch(/^overparam\/du-two-layer-gd-rate on small\.json: n = 2 rows of d = 2, m = 16, 20 steps: eigenvalues of the 2×2 Gram matrix/);
    expect(small.stderr).toMatch(/… computing the constants \([\d.]+ s\)\n.*… measuring the hypotheses[^\n]*\n.*… training[^\n]*\n.*… evaluating the conclusions/s);
    const X = Array.from({ length: 1001 }, (_, i) => [Math.cos(i), Math.sin(i)]);
    writeFileSync(join(tmp, 'big.json'), JSON.stringify({ X, y: X.map(() => 1), steps: 1 }));
    const big = await provably(['check', 'overparam/du-two-layer-gd-rate', '--instance', 'big.json']);
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/big\.json: beyond the size limit of overparam\/du-two-layer-gd-rate --instance \(n ≤ 1000 rows .*this one has n = 1001.*\); pass --force to check it anyway/);
    expect(big.stderr).not.toMatch(/computing the constants/);
  });
});

describe('provably check --instance', () => {
  it("checks Du et al.'s theorem on a user's dataset and reports λ0 correctly", async () => {
    const X = [[1, 0, 0], [0, 0.6, 0.8], [0.6, -0.8, 0], [-1, 0, 0]];
    const y = [0.5, -1, 1, 0.25];
    writeFileSync(join(tmp, 'my.json'), JSON.stringify({ X, y, m: 256, steps: 200 }));
    const r = await provably(['check', 'overparam/du-two-layer-gd-rate', '--instance', 'my.json', '--json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    const inst = result.instances[0];
    // λ0 recomputed here from the definition, with mathjs's eigensolver.
    const H = X.map((xi) => X.map((xj) => {
      const ip = xi.reduce((s, v, k) => s + v * xj[k], 0);
      return (ip * (Math.PI - Math.acos(Math.max(-1, Math.min(1, ip))))) / (2 * Math.PI);
    }));
    const lambda0 = Math.min(...(eigs(H).values as number[]));
    expect(inst.constants.lambda0).toBeCloseTo(lambda0, 10);
    expect(inst.hypotheses.find((h: { name: string }) => h.name === 'unit-norm inputs').holds).toBe(true);
    expect(result.settings.engine).toMatchObject({ id: 'tfjs', backend: 'wasm' });
    expect(['holds', 'violated', 'vacuous', 'inconclusive']).toContain(inst.verdict);
  });

  it('reports rows that are not unit norm as a hypothesis not met', async () => {
    writeFileSync(join(tmp, 'scaled.json'), JSON.stringify({ X: [[2, 0], [0, 3]], y: [1, 1], m: 64, steps: 50, eta: 0.01 }));
    const r = await provably(['check', 'overparam/du-two-layer-gd-rate', '--instance', 'scaled.json', '--json', '--engine', 'f64']);
    expect(r.code).toBe(0);
    const unit = JSON.parse(r.stdout).instances[0].hypotheses.find((h: { name: string }) => h.name === 'unit-norm inputs');
    expect(unit).toMatchObject({ holds: false, measured: 2 });
    expect(r.stderr).toMatch(/NOT met unit-norm inputs/);
  });
});
