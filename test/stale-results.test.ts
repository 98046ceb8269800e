// Reports tell the truth about the current theorem files (issue 13, item 1): a result of a regime
// since removed from its file, or of a theorem file since deleted, never reaches a page, and pages
// no result refers to any more are removed. Through the CLI, as a user meets it.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from './helpers/cli.ts';
import { readResults } from '../src/record/result.ts';

// Under the package, so the theorem files' `import ... from 'provably'` resolves.
const tmp = mkdtempSync(join(import.meta.dirname, '.tmp-stale-'));
afterAll(() => { if (!process.env.KEEP) rmSync(tmp, { recursive: true, force: true }); });
const theorems = join(tmp, 'theorems');
const file = join(theorems, 'x', 'y.ts');
const out = join(tmp, 'out');

function provably(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, stderr: r.stderr };
}
const papers = () => readdirSync(join(out, 'papers')).sort();

describe('stale results and pages', () => {
  it('a regime removed from its theorem file leaves no trace in check or report; a paper page no theorem cites is removed', () => {
    expect(provably('new', 'x/y', '--theorems', theorems).code).toBe(0);
    // A second theorem keeps the folder non-empty once x/y is deleted below.
    expect(provably('new', 'x/z', '--theorems', theorems).code).toBe(0);
    const first = provably('check', 'x/y', '--budget', 'ci', '--jobs', '1', '--theorems', theorems, '--out', out);
    expect(first.code, first.stderr).toBe(0);
    expect(readFileSync(join(out, 'x', 'y.md'), 'utf8')).toContain('broken:step-size');
    const placeholderPaper = papers();
    expect(placeholderPaper).toHaveLength(1);

    // The author replaces the placeholder's regimes and its paper.
    const src = readFileSync(file, 'utf8');
    writeFileSync(file, src.replaceAll("'broken:step-size'", "'broken:step-too-large'").replace("title: 'TODO: the paper’s title'", "title: 'The real paper'"));
    const second = provably('check', 'x/y', '--budget', 'ci', '--jobs', '1', '--theorems', theorems, '--out', out);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/removed stale result x\/y · broken:step-size from .*y\.json: x\/y has no regime broken:step-size any more/);
    expect(readResults([join(out, 'results')]).map((r) => `${r.theorem.id} · ${r.regime.name}`)).not.toContain('x/y · broken:step-size');
    for (const page of [join(out, 'x', 'y.md'), join(out, 'README.md')]) {
      // The index's history section may say the regime was removed; nothing else may name it.
      const text = readFileSync(page, 'utf8').split('\n## Changes since the previous run')[0];
      expect(text).not.toContain('broken:step-size');
      expect(text).toContain('broken:step-too-large');
    }
    expect(papers()).toHaveLength(1);
    expect(papers()).not.toEqual(placeholderPaper);
    expect(second.stderr).toContain(`removed ${join(out, 'papers', placeholderPaper[0])}: no result refers to it any more`);
  });

  it('report leaves out (without deleting) a result whose regime is gone, and drops a deleted theorem’s page', () => {
    // A shard from before the change comes back: report must not show it, nor delete someone's input.
    const shard = join(tmp, 'shard');
    expect(provably('check', 'x/z', '--budget', 'ci', '--jobs', '1', '--theorems', theorems, '--out', shard, '--no-report').code).toBe(0);
    writeFileSync(join(theorems, 'x', 'z.ts'), readFileSync(join(theorems, 'x', 'z.ts'), 'utf8').replaceAll("'broken:step-size'", "'broken:step-too-large'"));
    rmSync(file); // x/y is gone entirely
    const r = provably('report', '--results', join(out, 'results'), join(shard, 'results'), '--theorems', theorems, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: left out of the reports: x\/z · broken:step-size: x\/z has no regime broken:step-size any more/);
    expect(r.stderr).toMatch(/warning: left out of the reports: x\/y · theorem: no theorem x\/y exists any more/);
    expect(readResults([join(shard, 'results')]).map((r) => `${r.theorem.id} · ${r.regime.name}`)).toContain('x/z · broken:step-size');
    expect(existsSync(join(out, 'x', 'y.md'))).toBe(false);
    expect(existsSync(join(out, 'x', 'y'))).toBe(false);
    const index = readFileSync(join(out, 'README.md'), 'utf8').split('\n## Changes since the previous run')[0];
    expect(index).not.toContain('x/y');
    expect(index).not.toContain('broken:step-size');
    expect(readFileSync(join(out, 'x', 'z.md'), 'utf8')).not.toContain('broken:step-size');
  });
});
