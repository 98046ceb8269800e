/** The command line as a user meets it, part 2: check → reports → replay, and interrupting a check. */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import MarkdownIt from 'markdown-it';
import { BIN, cliSandbox } from './helpers/cli.ts';
import { readResults } from '../src/record/result.ts';

const { tmp, provably } = cliSandbox('provably-cli-');

describe('provably check → reports → replay', () => {
  it('writes results and Markdown reports, byte-identical on a second run, whose replay command reproduces the counterexample', async () => {
    const first = await provably(['check', 'classic/gd-quadratic-linear-rate', '--budget', 'ci', '--jobs', '1', '--out', 'out1']);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/2 of 2 regimes as expected/);
    const index = readFileSync(join(tmp, 'out1', 'README.md'), 'utf8');
    const page = readFileSync(join(tmp, 'out1', 'classic', 'gd-quadratic-linear-rate.md'), 'utf8');
    // One results file per theorem, holding each regime's record.
    expect(readResults([join(tmp, 'out1', 'results', 'classic', 'gd-quadratic-linear-rate.json')]).map((r) => r.regime.name)).toEqual(['theorem', 'broken:step-size']);

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

  // classic/* at the full budget trains only in float64, synchronously: before the runner yielded
  // to the event loop once per instance, Ctrl-C was not seen until the whole check ended (rc 0).
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s inside classic/* finishes the current instance, keeps the finished regimes and rebuilds the reports (exit %i)', async (signal, code) => {
    let sent = false;
    const out = `out-${signal}`;
    const r = await provably(['check', 'classic/*', '--budget', 'full', '--jobs', '1', '--out', out], (chunk, interrupt) => {
      if (!sent && /^ok /m.test(chunk)) {
        sent = true;
        interrupt(signal);
      }
    });
    expect(sent).toBe(true);
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr).toMatch(/classic\/[a-z-]+ · \S+: interrupted (after \d+ of \d+ instances|during|while)/);
    expect(r.stderr).not.toMatch(/regimes as expected/);
    const kept = readResults([join(tmp, out, 'results', 'classic')]);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(16);
    expect(readFileSync(join(tmp, out, 'README.md'), 'utf8')).toContain('classic/');
  });

  it('with --jobs 2, a Ctrl-C stops the workers after their current instance, not their current regime', async () => {
    let started = 0;
    let sent = false;
    const r = await provably(['check', 'classic/*', '--budget', 'full', '--jobs', '2', '--out', 'out-jobs'], (chunk, interrupt) => {
      started += (chunk.match(/^… /gm) ?? []).length;
      if (!sent && started >= 3) {
        sent = true;
        setTimeout(() => interrupt('SIGINT'), 300);
      }
    });
    expect(sent).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/classic\/[a-z-]+ · \S+: interrupted (after \d+ of \d+ instances|during|while)/);
  });

  it('with --jobs 2, a second Ctrl-C quits at once and leaves no worker running', async () => {
    const child = spawn(process.execPath, [BIN, 'check', 'classic/*', '--budget', 'full', '--jobs', '2', '--out', join(tmp, 'out-twice')], { cwd: tmp, detached: true, env: { ...process.env, FORCE_COLOR: '0' } });
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        if ((stderr.match(/^… /gm) ?? []).length >= 2) resolve();
      });
    });
    // 'exit', not 'close': the workers share the parent's stderr, so 'close' would wait for them.
    const code = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    expect(await code).toBe(130);
    await new Promise((r) => setTimeout(r, 300));
    // The parent led its own process group; its workers would be left in it.
    // (A <defunct> entry is a worker already dead, waiting to be reaped: it uses no CPU.)
    const left = spawnSync('ps', ['-e', '-o', 'pgid=,pid=,stat=,args=']).stdout.toString().split('\n')
      .filter((l) => l.trim().split(/\s+/)[0] === String(child.pid) && !/<defunct>/.test(l) && l.trim().split(/\s+/)[2][0] !== 'Z');
    expect(left).toEqual([]);
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
