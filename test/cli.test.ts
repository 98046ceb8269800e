/** The command line as a user meets it, part 2: check → reports → replay, and interrupting a check. */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import MarkdownIt from 'markdown-it';
import { cliSandbox } from './helpers/cli.ts';

const { tmp, provably } = cliSandbox('provably-cli-');

describe('provably check → reports → replay', () => {
  it('writes results and Markdown reports, byte-identical on a second run, whose replay command reproduces the counterexample', async () => {
    const first = await provably(['check', 'classic/gd-quadratic-linear-rate', '--budget', 'ci', '--jobs', '1', '--out', 'out1']);
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

    const second = await provably(['check', 'classic/gd-quadratic-linear-rate', '--budget', 'ci', '--jobs', '1', '--out', 'out2']);
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
    const r = await provably(['check', '--budget', 'ci', '--jobs', '1', '--out', 'out3'], (chunk, kill) => {
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

describe('provably new', () => {
  const dir = join(import.meta.dirname, '.tmp-new'); // inside the package, so `import … from 'provably'` resolves
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a theorem file that checks as it stands (a regime that holds, a broken one caught), and never overwrites', async () => {
    rmSync(dir, { recursive: true, force: true });
    const made = await provably(['new', 'scratch/my-rate', '--theorems', dir]);
    expect(made.code, made.stderr).toBe(0);
    expect(readFileSync(join(dir, 'scratch', 'my-rate.ts'), 'utf8')).toMatch(/id: 'scratch\/my-rate'/);
    const checked = await provably(['check', 'scratch/my-rate', '--theorems', dir, '--budget', 'ci', '--out', 'new-out']);
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stderr).toMatch(/2 of 2 regimes as expected/);
    // No --jobs: one worker per core (os.availableParallelism()), one process on a single core.
    const cores = availableParallelism();
    if (cores > 1) expect(checked.stderr).toMatch(/\(worker \d of 2;/); // which worker takes which regime depends on timing
    else expect(checked.stderr).not.toMatch(/worker \d of/);
    const again = await provably(['new', 'scratch/my-rate', '--theorems', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists; not overwritten/);
    const bad = await provably(['new', 'NoFamily', '--theorems', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/<family>\/<claim>/);
  });
});
