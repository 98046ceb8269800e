import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkRegime } from '../src/check/runner.ts';
import { olsSlope, oneSidedP } from '../src/check/stats.ts';
import { trendPValues } from '../src/check/trend.ts';
import { renderPage } from '../src/report/markdown.ts';
import { trendFigures, trendPoints } from '../src/report/figures.ts';
import { parseResultFile, resultFileText, slimResult } from '../src/record/result.ts';
import { defineTheorem } from '../src/theorem/define.ts';
import { rng } from '../src/numerics/index.ts';
import type { TheoremSpec, TrendConclusion } from '../src/theorem/types.ts';

describe('trend statistics', () => {
  it('gives textbook p-values: t test (t = 2.132, 4 dof → 0.05) and exact sign test (2⁻ⁿ)', () => {
    // mean 2.132·sd/√5 above 0 with 5 values: p = P(T₄ ≥ 2.132) = 0.05.
    const sd = 1;
    const base = [-2, -1, 0, 1, 2].map((v) => v / Math.sqrt(2.5)); // sample sd exactly 1
    const shift = (2.132 * sd) / Math.sqrt(5);
    expect(oneSidedP('t', base.map((v) => v + shift), 0, 'greater')).toBeCloseTo(0.05, 4);
    expect(oneSidedP('t', base.map((v) => v + shift), 0, 'less')).toBeCloseTo(0.95, 4);
    expect(oneSidedP('sign', [1, 2, 3, 4, 5, 6], 0, 'greater')).toBeCloseTo(1 / 64, 12);
    expect(oneSidedP('sign', [1, 2, 3, 4, 5, -6], 0, 'greater')).toBeCloseTo(7 / 64, 12);
    expect(oneSidedP('sign', [1, 2, 3, 4, 5, 6], 0, 'less')).toBe(1);
  });

  it('tests an interval claim by two one-sided tests, and its negation with a Bonferroni factor', () => {
    const inside = [-0.01, 0.02, 0, 0.01, -0.02, 0.005];
    expect(trendPValues('t', { within: [-0.1, 0.1] }, inside).pHolds).toBeLessThan(1e-4);
    const outside = inside.map((v) => v + 1);
    const p = trendPValues('t', { within: [-0.1, 0.1] }, outside);
    expect(p.pHolds).toBeGreaterThan(0.99);
    expect(p.pViolated).toBeLessThan(1e-4);
  });

  it('fits least-squares slopes exactly on lines', () => {
    expect(olsSlope([1, 2, 3, 4], [3, 5, 7, 9])).toBeCloseTo(2, 14);
    expect(Number.isNaN(olsSlope([1, 1], [0, 1]))).toBe(true);
  });
});

/** A toy trend: y = x^exponent · (1 + 0.1·noise); the claim is that the log–log slope is −½. */
interface P {
  exponent: number;
  seed: number;
}
function toy(seeds: number, test: 't' | 'sign' = 't'): TheoremSpec<P, P, 'exponent', 'y'> {
  const trend: TrendConclusion<P, 'exponent'> = {
    kind: 'trend',
    name: 'inverse square root',
    tex: 'y \\sim x^{-1/2}',
    x: { name: 'x', tex: 'x', scale: 'log' },
    y: { name: 'y', tex: 'y', scale: 'log' },
    claim: { within: [-0.6, -0.4] },
    test,
    seeds,
    alpha: 0.05,
    observe: async (p, _c, { seed }) => {
      const r = rng(p.seed * 1000 + seed, 9);
      const x = [10, 30, 100, 300, 1000];
      return { x, y: x.map((v) => v ** p.exponent * (1 + 0.1 * (r.uniform() - 0.5))) };
    },
  };
  return {
    id: 'toy/trend',
    title: 'toy trend',
    provenance: { authors: ['Nobody'], year: 2026, title: 'A toy power law', locator: 'Claim 1', fidelity: 'derived' },
    kind: 'trend',
    statement: 'y decays like x^{-1/2}',
    engines: { default: 'f64', supported: ['f64'] },
    build: (p) => p,
    summarize: (p) => ({ exponent: p.exponent }),
    constants: { exponent: { tex: 'a' } },
    computeConstants: (p) => ({ exponent: p.exponent }),
    hypotheses: [{ name: 'exponent', tex: 'a = -1/2', measure: (_p, c) => ({ measured: Math.abs(c.exponent + 0.5), relation: '<=', required: 0 }) }],
    series: { y: { tex: 'y' } },
    run: async () => ({ series: { y: [0] }, steps: 0 }),
    conclusions: [trend],
    regimes: {
      theorem: { about: 'exponent −½', draw: fc.record({ exponent: fc.constant(-0.5), seed: fc.integer({ min: 0, max: 99 }) }), expect: 'holds', runs: { ci: 3, full: 3 } },
      'broken:exponent': {
        about: 'exponent in [−0.2, 0]: y decays too slowly',
        draw: fc.record({ exponent: fc.double({ min: -0.2, max: 0, noNaN: true }), seed: fc.integer({ min: 0, max: 99 }) }),
        expect: 'violated',
        runs: { ci: 3, full: 3 },
        shrinksTo: { about: 'exponent 0', check: (p) => p.exponent === 0 },
      },
    },
  };
}

describe('trend conclusions in the runner', () => {
  it('hold where the claimed power law is true, and report per-seed statistics and observations', async () => {
    const r = await checkRegime(defineTheorem(toy(6)), 'theorem', { budget: 'ci', seed: 1 });
    expect(r.expectation.met, r.expectation.observed).toBe(true);
    expect(r.counts.holds).toBe(3);
    const tr = r.instances[0].conclusions[0].trend!;
    expect(tr.values).toHaveLength(6);
    expect(tr.observations[0].x).toEqual([10, 30, 100, 300, 1000]);
    expect(tr.mean).toBeCloseTo(-0.5, 1);
    expect(tr.pHolds).toBeLessThan(0.05);
    expect(r.theorem.conclusions[0].trend?.claimText).toBe('slope of log y against log x within [-0.6, -0.4]');
    const page = renderPage([r]);
    expect(page).toContain('## Trends');
    expect(page).toContain('p(holds)');
  });

  it('are violated, and shrink, where the claim is false: a broken trend regime can fail', async () => {
    const r = await checkRegime(defineTheorem(toy(6)), 'broken:exponent', { budget: 'ci', seed: 1 });
    expect(r.expectation.met, r.expectation.observed).toBe(true);
    expect(r.counterexample?.conclusions[0].trend?.pViolated).toBeLessThan(0.05);
    expect(r.counterexample?.shrinksTo?.met).toBe(true);
  });

  it('give the same result bytes for the same seed', async () => {
    const thm = defineTheorem(toy(6));
    const strip = ({ run: _run, ...rest }: Awaited<ReturnType<typeof checkRegime>>) => JSON.stringify(rest);
    const a = await checkRegime(thm, 'theorem', { budget: 'ci', seed: 4 });
    const b = await checkRegime(thm, 'theorem', { budget: 'ci', seed: 4 });
    expect(strip(a)).toBe(strip(b));
  });

  it('in a results file: the tabulated instance keeps its observations, the other plotted ones only their plotted points, the page is the same', async () => {
    const r = await checkRegime(defineTheorem(toy(6)), 'theorem', { budget: 'ci', seed: 1, runs: 7 });
    const trendOf = (i: (typeof r.instances)[number]) => i.conclusions[0].trend!;
    expect(r.instances.every((i) => trendOf(i).observations.length === 6)).toBe(true);
    const [back] = parseResultFile(resultFileText([r]), 'toy.json');
    const [first, ...rest] = back.instances.map(trendOf);
    expect(first).toEqual(trendOf(r.instances[0])); // tabulated: whole
    for (const [j, t] of rest.entries()) {
      const was = trendOf(r.instances[j + 1]);
      expect(t.observations).toEqual([]);
      expect(t.values).toEqual([]);
      expect(t.observationsOmitted).toBe(6);
      expect([t.mean, t.sd, t.median, t.pHolds, t.pViolated, t.seeds]).toEqual([was.mean, was.sd, was.median, was.pHolds, was.pViolated, was.seeds]);
      // Instances 1–3 are plotted: they keep the very points the plot draws; the rest keep none.
      if (j < 3) expect(t.points).toEqual(trendPoints(was.observations, 'log'));
      else expect(t.points).toBeUndefined();
    }
    expect(slimResult(back)).toEqual(back); // idempotent: a file read back slims to itself
    expect(renderPage([back])).toBe(renderPage([r]));
    expect(JSON.stringify(trendFigures([back]))).toBe(JSON.stringify(trendFigures([r])));
    const plot = trendFigures([r])[0].plot;
    expect(plot.kind === 'trendBand' ? plot.series.length : 0).toBe(4);
  });

  it('are a load error when the test cannot reach significance with the seeds given', () => {
    expect(() => defineTheorem(toy(4, 'sign'))).toThrow(/sign test with 4 seeds gives p ≥ 0.0625/);
    expect(() => defineTheorem(toy(2))).toThrow(/at least 3 seeds/);
  });
});
