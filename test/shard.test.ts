/** `provably check --shard i/N` and merging shards with `provably report --results ...`. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseShard, shardOf } from '../src/check/shard.ts';
import { readResults, serialize } from '../src/record/result.ts';
import { cliSandbox } from './helpers/cli.ts';

const { tmp, provably } = cliSandbox('provably-shard-');

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => readdirSync(d).forEach((e) => (statSync(join(d, e)).isDirectory() ? walk(join(d, e)) : out.push(relative(dir, join(d, e)))));
  walk(dir);
  return out.sort();
}

/** A theorem's result file without its regimes' `run` blocks (times, host, commit, shard). */
function withoutRun(path: string): unknown {
  const file = JSON.parse(readFileSync(path, 'utf8')) as { regimes: { run?: unknown }[] };
  return { ...file, regimes: file.regimes.map(({ run: _run, ...rest }) => rest) };
}

/** Each (theorem, regime) result under a results folder, without its `run` block. */
function records(dir: string): Map<string, string> {
  return new Map(readResults([dir]).map(({ run: _run, ...r }) => [`${r.theorem.id} · ${r.regime.name}`, serialize(r)]));
}

describe('shards', () => {
  it('i/N slices are disjoint, cover the work list and differ in size by at most one, for any N', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 12 }), (len, count) => {
        const work = Array.from({ length: len }, (_, j) => j);
        const slices = Array.from({ length: count }, (_, i) => shardOf(work, { index: i + 1, count }));
        expect(slices.flat().sort((a, b) => a - b)).toEqual(work);
        const sizes = slices.map((s) => s.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it.each(['0/2', '3/2', '1/0', 'a/b', '1', '1/2/3'])('rejects --shard %s', (text) => {
    expect(() => parseShard(text)).toThrow(/--shard/);
  });

  it('two shards merged by `provably report` give the same reports as one unsharded run with the same seed', async () => {
    // Four regimes of two theorems.
    const common = ['check', 'classic/gd-quadratic-linear-rate', 'overparam/du-two-layer-gd-rate', '--regime', 'theorem', 'broken:step-size', 'proxy:narrow', '--budget', 'ci', '--runs', '2', '--seed', '7', '--engine', 'f64'];
    const [one, s1, s2, jobs] = await Promise.all([
      provably([...common, '--jobs', '1', '--out', 'whole']),
      provably([...common, '--jobs', '1', '--shard', '1/2', '--out', 'shard1']),
      provably([...common, '--jobs', '1', '--shard', '2/2', '--out', 'shard2']),
      provably([...common, '--jobs', '2', '--out', 'jobs']),
    ]);
    for (const r of [one, s1, s2, jobs]) expect(r.code, r.stderr).toBe(0);
    // --jobs: the same regimes in two worker processes give the same records.
    expect(jobs.stderr).toMatch(/worker 2 of 2/);
    expect(files(join(tmp, 'jobs', 'results'))).toEqual(files(join(tmp, 'whole', 'results')));
    for (const f of files(join(tmp, 'whole', 'results'))) expect(withoutRun(join(tmp, 'jobs', 'results', f)), f).toEqual(withoutRun(join(tmp, 'whole', 'results', f)));
    expect(s1.stderr).toMatch(/shard 1\/2: 2 of 4 regimes/);
    expect(s2.stderr).toMatch(/shard 2\/2: 2 of 4 regimes/);

    // Each shard wrote its own, disjoint regimes' results; together they are the unsharded run's.
    const whole = records(join(tmp, 'whole', 'results'));
    const r1 = records(join(tmp, 'shard1', 'results'));
    const r2 = records(join(tmp, 'shard2', 'results'));
    expect([...r1.keys()].filter((k) => r2.has(k))).toEqual([]);
    expect([...r1.keys(), ...r2.keys()].sort()).toEqual([...whole.keys()].sort());
    for (const part of [r1, r2]) for (const [k, text] of part) expect(text, k).toBe(whole.get(k));

    // Both reports compare with the same (empty) results store: history is not what is merged here.
    mkdirSync(join(tmp, 'no-history'));
    const merged = await provably(['report', '--results', 'shard1/results', 'shard2/results', '--out', 'merged', '--history', 'no-history']);
    expect(merged.code, merged.stderr).toBe(0);
    // The same warnings as the unsharded results get (the regimes --regime left out), no others.
    const wholeReport = await provably(['report', '--results', 'whole/results', '--out', 'whole', '--history', 'no-history']);
    const warnings = (s: string) => s.split('\n').filter((l) => l.includes('warning'));
    expect(warnings(merged.stderr)).toEqual(warnings(wholeReport.stderr));
    expect(warnings(merged.stderr).join('\n')).not.toMatch(/is in both|different settings/);
    const pages = files(join(tmp, 'whole')).filter((f) => f.endsWith('.md'));
    expect(pages).toContain('README.md');
    expect(files(join(tmp, 'merged')).filter((f) => f.endsWith('.md'))).toEqual(pages);
    for (const p of pages) expect(readFileSync(join(tmp, 'merged', p), 'utf8'), p).toBe(readFileSync(join(tmp, 'whole', p), 'utf8'));

    // A shard left out, or a result given twice, is reported, not silently merged.
    const partial = await provably(['report', '--results', 'shard1/results', '--out', 'partial']);
    expect(partial.stderr).toMatch(/warning: .*no result for regime/);
    const twice = await provably(['report', '--results', 'shard1/results', 'whole/results', '--out', 'twice']);
    expect(twice.stderr).toMatch(/warning: .* is in both .*shard1.* and .*whole/);
  });

  it('--shard with --instance, or a malformed --shard, is bad input (exit 2)', async () => {
    const bad = await provably(['check', 'classic', '--shard', '2/1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/need 1 ≤ i ≤ N/);
    const inst = await provably(['check', 'overparam/du-two-layer-gd-rate', '--instance', 'x.json', '--shard', '1/2']);
    expect(inst.code).toBe(2);
    expect(inst.stderr).toMatch(/does not apply to --instance/);
  });
});
