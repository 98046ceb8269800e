/** A theorem file that is broken, or whose run traces a series of the wrong length, as the command line meets it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliSandbox } from './helpers/cli.ts';

const { provably } = cliSandbox('provably-cli-files-');
const dir = join(import.meta.dirname, '.tmp-files'); // inside the package, so `import … from 'provably'` resolves

beforeAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const made = await provably(['new', 'scratch/good', '--theorems', dir]);
  expect(made.code, made.stderr).toBe(0);
  const good = readFileSync(join(dir, 'scratch', 'good.ts'), 'utf8');
  // The same theorem, but its run traces five values fewer than its steps.
  const short = good.replace("id: 'scratch/good'", "id: 'scratch/short'").replace('new Float64Array(q.steps + 1)', 'new Float64Array(q.steps - 4)');
  expect(short).not.toBe(good);
  writeFileSync(join(dir, 'scratch', 'short.ts'), short);
  mkdirSync(join(dir, 'other'));
  writeFileSync(join(dir, 'other', 'broken.ts'), "import { defineTheorem } from 'provably';\nexport default defineTheorem({ id: 'other/broken', title: '' } as never);\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('one malformed theorem file', () => {
  it('does not stop `list`: the others are listed, with a warning naming the file', async () => {
    const r = await provably(['list', '--theorems', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('scratch/good');
    expect(r.stderr).toMatch(/warning: skipped a theorem file that does not load: .*other\/broken\.ts: field/);
  });

  it('does not stop a check of other theorems', async () => {
    const r = await provably(['check', 'scratch/good', '--theorems', dir, '--budget', 'ci', '--jobs', '1', '--no-report', '--out', 'good-out']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/other\/broken\.ts/);
    expect(r.stderr).toMatch(/2 of 2 regimes as expected/);
  });

  it('is named when the check asks for it', async () => {
    const r = await provably(['check', 'other/broken', '--theorems', dir, '--budget', 'ci', '--jobs', '1', '--out', 'broken-out']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no theorem matches 'other\/broken'.*1 theorem file could not be loaded/);
  });
});

describe('a traced series of the wrong length', () => {
  it.each([['1'], ['2']])('is an error in the theorem file, naming the file and the series (--jobs %s)', async (jobs) => {
    const r = await provably(['check', 'scratch/short', '--theorems', dir, '--budget', 'ci', '--jobs', jobs, '--no-report', '--out', `short-out-${jobs}`]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/provably: .*scratch\/short\.ts: field 'run': scratch\/short: the series 'gap' has 96 values, but the run recorded steps 0\.\.100 \(101 values/);
    expect(r.stderr).not.toMatch(/    at /);
  });
});
