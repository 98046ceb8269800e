/** The smaller CLI probes of issue 15: EPIPE, 32-bit seeds, a hanging run, family typos, id length, up-front validation, one check per --out. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli.ts';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, cliSandbox } from './helpers/cli.ts';

const { tmp, provably } = cliSandbox('provably-cli-small-');

/** The command in this process (no start-up of its own): its exit code and what it wrote to stderr. */
async function inProcess(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const code = await main(args);
    return { code, stderr };
  } finally {
    spy.mockRestore();
    process.exitCode = undefined; // the command sets it; the test runner's own must stay untouched
  }
}
const dir = join(import.meta.dirname, '.tmp-small'); // inside the package, so `import … from 'provably'` resolves

beforeAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const made = await provably(['new', 'scratch/hangs', '--theorems', dir]);
  expect(made.code, made.stderr).toBe(0);
  const file = join(dir, 'scratch', 'hangs.ts');
  const hangs = readFileSync(file, 'utf8').replace('run: async (q, c) => {', 'run: async (q, c) => {\n    if (q.d > 0) await new Promise(() => {}); // never settles');
  expect(hangs).toContain('never settles');
  writeFileSync(file, hangs);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('small ones', () => {
  it('a reader that closes the pipe (`provably list | head -2`) gets a quiet exit', async () => {
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'list'], { cwd: tmp });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.destroy(); // the reader is gone before the first line is written
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('rejects a --seed beyond 32 bits (fast-check would fold 4294967296 to 0)', async () => {
    const r = await inProcess(['check', 'classic/gd-quadratic-linear-rate', '--seed', '4294967296']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--seed must be an integer from -2147483648 to 2147483647/);
  });

  it('a run that never finishes is inconclusive after --time-limit, with the limit in the result', async () => {
    const r = await provably(['check', 'scratch/hangs', '--theorems', dir, '--regime', 'theorem', '--runs', '2', '--time-limit', '1', '--budget', 'ci', '--jobs', '1', '--no-report', '--json', '--out', 'hang-out']);
    expect(r.code, r.stderr).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result.counts).toMatchObject({ instances: 2, inconclusive: 2 });
    expect(result.instances[0].error).toBe('the run did not finish within the per-instance time limit of 1 s (check --time-limit)');
  });

  it.each([
    ['clasic', /no theorem matches 'clasic'\. Did you mean: classic\?/],
    ['overparm/*', /no theorem matches 'overparm\/\*'\. Did you mean: overparam\/\*\?/],
  ])('a family typo (%s) gets the near family', async (pattern, message) => {
    const r = await inProcess(['check', pattern]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("a bare '*' matches every family", async () => {
    const r = await inProcess(['check', '*', '--regime', 'no-such-regime']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no regime named no-such-regime in adaptive\/.*classic\/gd-quadratic-linear-rate.*overparam\//);
  });

  it('an id too long is refused by `provably new`, which leaves no folder behind', async () => {
    const r = await inProcess(['new', `scratch/${'a'.repeat(300)}`, '--theorems', join(tmp, 'long-ids')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has 308 characters; ids have at most 100/);
    expect(existsSync(join(tmp, 'long-ids'))).toBe(false);
  });
});

describe('the whole selection is validated before the first regime runs', () => {
  it.each([
    ['an engine a later theorem does not support', () => {}, ['--engine', 'tfjs'], /classic\/fista-accelerated-rate supports the engines f64, not 'tfjs'/],
    ['a broken history file', (out: string) => (mkdirSync(join(out, 'history'), { recursive: true }), writeFileSync(join(out, 'history', 'x.json'), '{')), [], /history\/x\.json: not valid JSON/],
    ['a stray .json in results/', (out: string) => (mkdirSync(join(out, 'results'), { recursive: true }), writeFileSync(join(out, 'results', 'notes.json'), '{"a": 1}')), [], /results\/notes\.json: schema undefined is not one/],
  ])('%s', async (_what, make, extra, message) => {
    const out = join(tmp, `upfront-${Math.random().toString(36).slice(2)}`);
    make(out);
    const r = await inProcess(['check', 'classic/*', '--budget', 'ci', '--jobs', '1', '--out', out, ...(extra as string[])]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/^(…|ok)/m);
  });
});

describe('one check at a time per --out', () => {
  it('refuses an --out another live check holds, takes over a lock whose process is gone, and warns of results from another seed', async () => {
    const out = join(tmp, 'locked');
    mkdirSync(out);
    writeFileSync(join(out, '.provably-check.lock'), `${process.ppid}\n`); // the test runner: alive, and not this process
    const busy = await inProcess(['check', 'classic/gd-quadratic-linear-rate', '--budget', 'ci', '--jobs', '1', '--out', out]);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toMatch(new RegExp(`another check \\(pid ${process.ppid}\\) is writing there`));
    writeFileSync(join(out, '.provably-check.lock'), '2147483646\n'); // no such process
    const first = await provably(['check', 'classic/gd-quadratic-linear-rate', '--regime', 'theorem', '--runs', '1', '--budget', 'ci', '--jobs', '1', '--no-report', '--out', out]);
    expect(first.code, first.stderr).toBe(0);
    expect(existsSync(join(out, '.provably-check.lock'))).toBe(false);
    const other = await provably(['check', 'classic/gd-smooth-convex-rate', '--regime', 'theorem', '--runs', '1', '--seed', '2', '--budget', 'ci', '--jobs', '1', '--no-report', '--out', out]);
    expect(other.code, other.stderr).toBe(0);
    expect(other.stderr).toMatch(/warning: 1 result in .*locked\/results is from another check \(seed 1, budget ci; this one: seed 2, budget ci\).*classic\/gd-quadratic-linear-rate · theorem/);
  });
});
