/** The command line as a user meets it: a real subprocess, real files. */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { eigs } from 'mathjs';

const BIN = join(import.meta.dirname, '..', 'bin', 'provably.js');
const tmp = mkdtempSync(join(tmpdir(), 'provably-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function provably(args: string[], onStderr?: (chunk: string, kill: () => void) => void): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: tmp, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      onStderr?.(String(d), () => child.kill('SIGINT'));
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

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
    [['check', 'overparam/du-two-layr-gd-rate'], /Did you mean: overparam\/du-two-layer-gd-rate\?/],
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

describe('provably check → reports → replay', () => {
  it('writes results and Markdown reports, byte-identical on a second run, whose replay command reproduces the counterexample', async () => {
    const first = await provably(['check', 'classic/gd-quadratic-linear-rate', '--budget', 'ci', '--out', 'out1']);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/2 of 2 regimes as expected/);
    const index = readFileSync(join(tmp, 'out1', 'README.md'), 'utf8');
    const page = readFileSync(join(tmp, 'out1', 'classic', 'gd-quadratic-linear-rate.md'), 'utf8');
    expect(existsSync(join(tmp, 'out1', 'results', 'classic', 'gd-quadratic-linear-rate', 'broken~step-size.json'))).toBe(true);

    const md = new MarkdownIt();
    expect(md.render(index)).toMatch(/<table>[\s\S]*gd-quadratic-linear-rate\.md/);
    const html = md.render(page);
    expect(html).toContain('<table>');
    expect(page).toMatch(/\$f\(x_k\)-f\^\\star \\le /); // the conclusion in TeX

    const second = await provably(['check', 'classic/gd-quadratic-linear-rate', '--budget', 'ci', '--out', 'out2']);
    expect(second.code).toBe(0);
    expect(readFileSync(join(tmp, 'out2', 'classic', 'gd-quadratic-linear-rate.md'), 'utf8')).toBe(page);
    expect(readFileSync(join(tmp, 'out2', 'README.md'), 'utf8')).toBe(index);

    const command = /```sh\n(npx provably replay [^\n]+--seed [^\n]+)\n```/.exec(page)?.[1];
    expect(command).toBeTruthy();
    const replayed = await provably(command!.split(' ').slice(2));
    expect(replayed.code).toBe(0);
    expect(replayed.stderr).toMatch(/verdict: violated/);
    expect(replayed.stderr).toMatch(/d = 1/);
  });

  it('keeps finished regimes when interrupted', async () => {
    let sent = false;
    const r = await provably(['check', '--budget', 'ci', '--out', 'out3'], (chunk, kill) => {
      if (!sent && /^ok .*broken:step-size/m.test(chunk)) {
        sent = true;
        kill();
      }
    });
    expect(sent).toBe(true);
    expect(r.code).toBe(130);
    expect(existsSync(join(tmp, 'out3', 'results', 'classic', 'gd-quadratic-linear-rate', 'broken~step-size.json'))).toBe(true);
    expect(readFileSync(join(tmp, 'out3', 'README.md'), 'utf8')).toContain('classic/gd-quadratic-linear-rate');
  });
});
