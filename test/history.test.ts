/**
 * The results store: every check adds a run; the index shows what changed since the previous run
 * and flags a claim that used to hold and now does not.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareWithHistory, historyEntryOf, readHistory, HISTORY_SCHEMA, type HistoryRun } from '../src/report/history.ts';
import { writeReports } from '../src/report/write.ts';
import { readResults, type Result } from '../src/record/result.ts';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'provably.js');
// Inside the package, so the copied theorem file resolves `import … from 'provably'`.
const tmp = mkdtempSync(join(ROOT, 'test', '.tmp-history-'));
afterAll(() => (process.env.KEEP_TMP ? undefined : rmSync(tmp, { recursive: true, force: true })));

function provably(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: tmp, env: { ...process.env, FORCE_COLOR: '0' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a second check after changing a theorem’s bound shows the change in the index', () => {
  it('records both runs and flags the claim that used to hold and now does not', async () => {
    const theorems = join(tmp, 'theorems');
    const file = join(theorems, 'classic', 'gd-quadratic-linear-rate.ts');
    mkdirSync(join(theorems, 'classic'), { recursive: true });
    copyFileSync(join(ROOT, 'theorems', 'classic', 'gd-quadratic-linear-rate.ts'), file);
    const check = ['check', '--theorems', theorems, '--regime', 'theorem', '--runs', '4', '--budget', 'ci', '--out', 'out'];

    const first = await provably(check);
    expect(first.code, first.stderr).toBe(0);
    const before = readFileSync(join(tmp, 'out', 'README.md'), 'utf8');
    expect(before).toContain('## Changes since the previous run');
    expect(before).toMatch(/\| `theorem` \| — \| new: no earlier run recorded \|/);
    expect(before).not.toContain('⚠️');

    // Determinism across processes: the pages and SVG plots the CLI wrote are byte for byte those
    // this process writes from the same results (the index differs only by its history section).
    const again = join(tmp, 'again');
    await writeReports([join(tmp, 'out', 'results')], again, { history: null });
    const written = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(md|svg)$/.test(f) && f !== 'README.md').sort();
    expect(written(again).filter((f) => f.endsWith('.svg')).length).toBeGreaterThanOrEqual(2);
    expect(written(join(tmp, 'out'))).toEqual(written(again));
    expect(written(again).filter((f) => !readFileSync(join(again, f)).equals(readFileSync(join(tmp, 'out', f))))).toEqual([]);

    // The bound made ten times stronger: false from the first step on.
    const source = readFileSync(file, 'utf8');
    const changed = source.replace("bound: '(1 - eta*mu)^k * gap0'", "bound: '(1 - eta*mu)^k * gap0 / 10'");
    expect(changed).not.toBe(source);
    writeFileSync(file, changed);

    const second = await provably(check);
    expect(second.code, second.stderr).toBe(1); // refuted: the regime no longer behaves as it expects
    const after = readFileSync(join(tmp, 'out', 'README.md'), 'utf8');
    expect(after).toMatch(/⚠️ \*\*Since the previous run, 1 regime stopped behaving as before: `classic\/gd-quadratic-linear-rate` · `theorem` \(linear rate used to hold, now does not\)/);
    const row = after.split('\n').find((l) => l.startsWith('| [classic/gd-quadratic-linear-rate]') && l.includes('`theorem`') && l.includes('→'));
    expect(row).toBeDefined();
    expect(row).toContain('⚠️ **linear rate: used to hold, now does not.**');
    expect(row).toContain('linear rate: `<= (1 - eta*mu)^k * gap0` → `<= (1 - eta*mu)^k * gap0 / 10`');
    expect(row).toContain('linear rate: holds 4/4 → violated 4/4');
    expect(row).toContain('**no longer behaves as it expects (holds)** ❌');
    expect(row).toMatch(/\| \d{4}-\d\d-\d\d \d\d:\d\d UTC/); // the previous run, when

    const runs = readHistory(join(tmp, 'out', 'history'));
    expect(runs).toHaveLength(2);
    expect(runs.every((r) => r.schema === HISTORY_SCHEMA && r.complete && r.entries.length === 1)).toBe(true);
    expect(runs[0].command).toBe('check --budget ci --seed 1 --runs 4 --regime theorem');
    expect(runs.map((r) => r.entries[0].conclusions[0].statement)).toEqual(['<= (1 - eta*mu)^k * gap0', '<= (1 - eta*mu)^k * gap0 / 10']);

    // The HTML index shows the same flag; rebuilding reports adds no run to the store.
    await writeReports([join(tmp, 'out', 'results')], join(tmp, 'out'), { html: true });
    expect(readFileSync(join(tmp, 'out', 'html', 'index.html'), 'utf8')).toContain('linear rate used to hold, now does not');
    expect(readdirSync(join(tmp, 'out', 'history'))).toHaveLength(2);
  });
});

describe('compareWithHistory', () => {
  // The tests' own copy of a full check's results (reports/ is the user's: any check rewrites it).
  const results = readResults([join(ROOT, 'test', 'fixtures', 'results', 'classic', 'gd-quadratic-linear-rate')]);
  const theorem = results.find((r) => r.regime.name === 'theorem')!;
  const run = (id: string, entries: Result[]): HistoryRun => ({ schema: HISTORY_SCHEMA, id, startedAt: id, finishedAt: id, command: 'check', provably: '0.1.0', commit: null, node: 'v20', complete: true, entries: entries.map(historyEntryOf) });
  const worse: Result = { ...theorem, counts: { ...theorem.counts, holds: 90, violated: 10, refutations: 10 }, expectation: { ...theorem.expectation, met: false } };
  const instancesWorse: Result = {
    ...worse,
    instances: theorem.instances.map((i, n) => (n < 10 ? { ...i, verdict: 'violated' as const, conclusions: i.conclusions.map((c) => ({ ...c, verdict: 'violated' as const })) } : i)),
  };

  it('with no history every regime is new; with the same results recorded before, unchanged', () => {
    expect(compareWithHistory(results, []).changes.map((c) => c.status)).toEqual(['new', 'new']);
    const same = compareWithHistory(results, [run('2026-01-01T00:00:00.000Z', results), run('2026-01-02T00:00:00.000Z', results)]);
    expect(same.changes.map((c) => c.status)).toEqual(['unchanged', 'unchanged']);
  });

  it('the previous run is the one before the latest run with these very results (A, B, A compares A with B)', () => {
    const h = [run('2026-01-01T00:00:00.000Z', [theorem]), run('2026-01-02T00:00:00.000Z', [instancesWorse]), run('2026-01-03T00:00:00.000Z', [theorem])];
    const c = compareWithHistory([theorem], h).changes[0];
    expect(c.status).toBe('changed');
    expect(c.previous?.id).toBe('2026-01-02T00:00:00.000Z');
    expect(c.changes).toContain('linear rate: violated 10/100 → holds 100/100');
    expect(c.noLongerHold).toEqual([]); // it got better
    const back = compareWithHistory([instancesWorse], h.slice(0, 2)).changes[0];
    expect(back.noLongerHold).toEqual(['linear rate']);
    expect(back.expectationLost).toBe(true);
  });

  it('results never recorded are compared with the latest run; a regime the store had and the results lack is reported removed', () => {
    const h = [run('2026-01-01T00:00:00.000Z', results)];
    const c = compareWithHistory([instancesWorse], h).changes;
    expect(c.find((x) => x.regime === 'theorem')?.noLongerHold).toEqual(['linear rate']);
    expect(c.find((x) => x.regime === 'broken:step-size')).toMatchObject({ status: 'removed' });
  });

  it('a broken regime violating its conclusion is no regression; one that stops finding a violation is flagged', () => {
    const broken = results.find((r) => r.regime.name === 'broken:step-size')!;
    const lost: Result = { ...broken, expectation: { ...broken.expectation, met: false, observed: 'no violation found' }, counterexample: null };
    const c = compareWithHistory([lost], [run('2026-01-01T00:00:00.000Z', [broken])]).changes[0];
    expect(c.noLongerHold).toEqual([]);
    expect(c.expectationLost).toBe(true);
    expect(c.changes.join(' ')).toContain('**no longer behaves as it expects (violated)** ❌: no violation found');
  });

  it('a malformed history file is a clear error', () => {
    const dir = mkdtempSync(join(tmp, 'bad-'));
    writeFileSync(join(dir, 'x.json'), '{"schema": "other"}');
    expect(() => readHistory(dir)).toThrow(/x\.json: schema "other" is not provably\.history\/1/);
  });
});
