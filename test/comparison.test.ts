import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkRegime } from '../src/check/runner.ts';
import { comparisonPValues, pairedMargin, tooFewSeeds } from '../src/check/comparison.ts';
import { comparisonFigures } from '../src/report/figures.ts';
import { renderPage } from '../src/report/markdown.ts';
import { parseResultFile, resultFileText, slimResult } from '../src/record/result.ts';
import { renderPlot } from '../src/report/plots.ts';
import { defineTheorem } from '../src/theorem/define.ts';
import { rng } from '../src/numerics/index.ts';
import type { ComparisonConclusion, TheoremSpec } from '../src/theorem/types.ts';

/**
 * A toy paired comparison: on replicate s both "methods" share the noise of that seed (paired), B's
 * final loss is A's plus `gap` (and a little noise of its own). The claim: A beats B by `margin`.
 */
interface P {
  gap: number;
  seed: number;
}
interface Options {
  seeds?: number;
  test?: 't' | 'sign';
  margin?: number;
  diverge?: boolean;
}
function toy({ seeds = 8, test = 'sign', margin = 0.5, diverge = false }: Options = {}): TheoremSpec<P, P, 'gap', 'y'> {
  const comparison: ComparisonConclusion<P, 'gap'> = {
    kind: 'comparison',
    name: 'A beats B',
    tex: 'L_A(T) < L_B(T) - \\delta',
    a: { name: 'A' },
    b: { name: 'B' },
    measure: { name: 'loss at T', tex: 'L(T)', better: 'lower', scale: 'linear' },
    margin,
    test,
    seeds,
    alpha: 0.05,
    curves: { x: { name: 'step', tex: 't', scale: 'linear' }, y: { name: 'loss', tex: 'L', scale: 'log' } },
    observe: async (p, c, { seed }) => {
      const r = rng(p.seed * 1000 + seed, 3);
      const shared = 1 + r.uniform();
      const own = 0.05 * (r.uniform() - 0.5);
      const a = shared;
      const b = diverge ? NaN : shared + c.gap + own;
      const steps = [0, 1, 2, 3, 4];
      return { x: steps, a: { value: a, curve: steps.map((k) => 5 * 0.5 ** k + a) }, b: { value: b, curve: steps.map((k) => 5 * 0.5 ** k + (Number.isFinite(b) ? b : 10)) } };
    },
  };
  return {
    id: 'toy/comparison',
    title: 'toy comparison',
    provenance: { authors: ['Nobody'], year: 2026, title: 'A toy comparison', locator: 'Claim 1', fidelity: 'derived' },
    kind: 'comparison',
    statement: 'A ends below B by more than the margin',
    engines: { default: 'f64', supported: ['f64'] },
    build: (p) => p,
    summarize: (p) => ({ gap: p.gap }),
    constants: { gap: { tex: 'g' } },
    computeConstants: (p) => ({ gap: p.gap }),
    hypotheses: [{ name: 'gap', tex: 'g \\ge 1', measure: (_p, c) => ({ measured: c.gap, relation: '>=', required: 1 }) }],
    series: { y: { tex: 'y' } },
    run: async () => ({ series: { y: [0] }, steps: 0 }),
    conclusions: [comparison],
    regimes: {
      theorem: { about: 'gap 1', draw: fc.record({ gap: fc.constant(1), seed: fc.integer({ min: 0, max: 99 }) }), expect: 'holds', runs: { ci: 3, full: 3 } },
      'broken:gap': {
        about: 'gap in [−0.3, 0]: the gap vanishes or flips',
        draw: fc.record({ gap: fc.double({ min: -0.3, max: 0, noNaN: true }), seed: fc.integer({ min: 0, max: 99 }) }),
        expect: 'violated',
        runs: { ci: 3, full: 3 },
        shrinksTo: { about: 'gap 0', check: (p) => p.gap === 0 },
      },
    },
  };
}

describe('comparison statistics', () => {
  it('takes the margin as B − A (lower is better), A − B (higher), or the log ratio, a diverged run being the worst', () => {
    const lower = { a: { name: 'A' }, b: { name: 'B' }, margin: 0, measure: { name: 'm', tex: 'm', better: 'lower', scale: 'linear' } } as const;
    expect(pairedMargin(lower, 1, 3)).toBe(2);
    expect(pairedMargin({ ...lower, measure: { ...lower.measure, better: 'higher' } }, 1, 3)).toBe(-2);
    expect(pairedMargin({ ...lower, measure: { ...lower.measure, scale: 'log' } }, 1, 4)).toBeCloseTo(Math.log(4), 15);
    expect(pairedMargin(lower, 1, NaN)).toBe(Infinity); // B diverged: A beat it by everything
    expect(pairedMargin(lower, Infinity, 2)).toBe(-Infinity);
    expect(Number.isNaN(pairedMargin(lower, NaN, NaN))).toBe(true); // both diverged: no margin
  });

  it('gives exact sign-test p-values (2⁻ⁿ) on the margins against the threshold, and says when seeds are too few', () => {
    expect(comparisonPValues('sign', [1, 2, 3, 4, 5, 6], 0.5).pHolds).toBeCloseTo(1 / 64, 14);
    expect(comparisonPValues('sign', [1, 2, 3, 4, 5, 0.1], 0.5).pHolds).toBeCloseTo(7 / 64, 14);
    expect(comparisonPValues('sign', [0.1, 0.2, 0.3, 0, 0.4, 0.2], 0.5).pViolated).toBeCloseTo(1 / 64, 14);
    expect(tooFewSeeds('sign', 4, 0.05)).toMatch(/p ≥ 0.0625/);
    expect(tooFewSeeds('sign', 5, 0.05)).toBeNull();
    expect(tooFewSeeds('t', 2, 0.05)).toMatch(/at least 3/);
  });
});

describe('comparison conclusions in the runner', () => {
  it('hold where A beats B by the margin on paired seeds, and store measures, margins, p-values and both curves', async () => {
    const r = await checkRegime(defineTheorem(toy()), 'theorem', { budget: 'ci', seed: 1 });
    expect(r.expectation.met, r.expectation.observed).toBe(true);
    expect(r.counts.holds).toBe(3);
    const k = r.instances[0].conclusions[0].comparison!;
    expect(k.margins).toHaveLength(8);
    // Paired: the shared noise cancels, so each margin is the gap up to B's own noise.
    for (let s = 0; s < 8; s++) {
      expect(k.margins[s]).toBeCloseTo(k.b[s] - k.a[s], 14);
      expect(Math.abs(k.margins[s] - 1)).toBeLessThanOrEqual(0.025);
    }
    expect(k.pHolds).toBeCloseTo(1 / 256, 12);
    expect(k.curves?.a).toHaveLength(8);
    expect(k.curves?.x).toEqual([0, 1, 2, 3, 4]);
    expect(r.theorem.conclusions[0].comparison?.claimText).toBe('A beats B on loss at T (lower is better): loss at T(B) − loss at T(A) > 0.5');
    const page = renderPage([r]);
    expect(page).toContain('## Comparisons');
    expect(page).toContain('Per-seed margins of instance');
    expect(page).toContain('paired over 8 seeds');
  });

  it('draws both methods on one plot', async () => {
    const r = await checkRegime(defineTheorem(toy()), 'theorem', { budget: 'ci', seed: 1 });
    const [fig] = comparisonFigures([r]);
    expect(fig.section).toBe('comparisons');
    expect(fig.plot.kind).toBe('trendBand');
    if (fig.plot.kind !== 'trendBand') return;
    expect(fig.plot.series.map((s) => s.label)).toEqual(['A: A', 'B: B']);
    const { svg, warnings } = await renderPlot(fig.plot);
    expect(warnings).toEqual([]);
    expect(svg).toContain('A: A');
    expect(svg).toContain('B: B');
  });

  it('in a results file: the tabulated instance keeps its per-seed measures, the plotted one its bands for its curves, the page is the same', async () => {
    const r = await checkRegime(defineTheorem(toy()), 'theorem', { budget: 'ci', seed: 1 });
    const k = (i: (typeof r.instances)[number]) => i.conclusions[0].comparison!;
    expect(k(r.instances[0]).bands?.seeds).toBe(8);
    const [back] = parseResultFile(resultFileText([r]), 'toy.json');
    const [first, ...rest] = back.instances.map(k);
    // Instance 0 is both tabulated and plotted: its measures and margins stay, its curves give way to their bands.
    expect(first.margins).toEqual(k(r.instances[0]).margins);
    expect(first.curves).toBeUndefined();
    expect(first.bands).toEqual(k(r.instances[0]).bands);
    for (const c of rest) expect([c.a, c.b, c.margins, c.curves, c.bands]).toEqual([[], [], [], undefined, undefined]);
    expect(slimResult(back)).toEqual(back);
    expect(renderPage([back])).toBe(renderPage([r]));
    expect(JSON.stringify(comparisonFigures([back]))).toBe(JSON.stringify(comparisonFigures([r])));
  });

  it('are violated, and shrink, where the gap vanishes or flips: a broken regime can expect it', async () => {
    const r = await checkRegime(defineTheorem(toy()), 'broken:gap', { budget: 'ci', seed: 1 });
    expect(r.expectation.met, r.expectation.observed).toBe(true);
    expect(r.counterexample?.conclusions[0].comparison?.pViolated).toBeLessThan(0.05);
    expect(r.counterexample?.shrinksTo?.met).toBe(true);
  });

  it('mutation: a margin made false on purpose (A beats B by 1, claimed 2) is violated', async () => {
    const r = await checkRegime(defineTheorem(toy({ margin: 2 })), 'theorem', { budget: 'ci', seed: 1 });
    expect(r.counts.violated).toBe(3);
    expect(r.expectation.met).toBe(false);
  });

  it('mutation: too few seeds to decide is inconclusive, never holds, however large the gap', async () => {
    for (const opts of [{ seeds: 4, test: 'sign' as const }, { seeds: 2, test: 't' as const }]) {
      const r = await checkRegime(defineTheorem(toy(opts)), 'theorem', { budget: 'ci', seed: 1 });
      expect(r.counts.holds).toBe(0);
      expect(r.counts.inconclusive).toBe(3);
      expect(r.instances[0].conclusions[0].reason).toMatch(/too few seeds to decide/);
    }
  });

  it('count a diverged B as the worst value: the sign test still decides, the t test says it cannot', async () => {
    const sign = await checkRegime(defineTheorem(toy({ diverge: true })), 'theorem', { budget: 'ci', seed: 1 });
    expect(sign.counts.holds).toBe(3);
    const t = await checkRegime(defineTheorem(toy({ diverge: true, test: 't' })), 'theorem', { budget: 'ci', seed: 1 });
    expect(t.counts.inconclusive).toBe(3);
    expect(t.instances[0].conclusions[0].reason).toMatch(/the t test cannot weigh/);
  });

  it('give the same result bytes for the same seed', async () => {
    const thm = defineTheorem(toy());
    const strip = ({ run: _run, ...rest }: Awaited<ReturnType<typeof checkRegime>>) => JSON.stringify(rest);
    expect(strip(await checkRegime(thm, 'theorem', { budget: 'ci', seed: 4 }))).toBe(strip(await checkRegime(thm, 'theorem', { budget: 'ci', seed: 4 })));
  });

  it('are load errors naming the field for a malformed comparison', () => {
    const base = toy();
    const withC = (patch: Record<string, unknown>) => ({ ...base, conclusions: [{ ...base.conclusions[0], ...patch }] }) as unknown as TheoremSpec<P, P, 'gap', 'y'>;
    expect(() => defineTheorem(withC({ measure: { name: 'm', tex: 'm', better: 'smaller', scale: 'linear' } }))).toThrow(/field 'conclusions\[0\].measure.better'/);
    expect(() => defineTheorem(withC({ b: { name: 'A' } }))).toThrow(/field 'conclusions\[0\].b.name'/);
    expect(() => defineTheorem(withC({ margin: 0, measure: { name: 'm', tex: 'm', better: 'lower', scale: 'log' } }))).toThrow(/field 'conclusions\[0\].margin'/);
    expect(() => defineTheorem(withC({ seeds: 0 }))).toThrow(/field 'conclusions\[0\].seeds'/);
  });

  it('are compile errors for a wrong comparison (checked by tsc)', () => {
    const c: Omit<ComparisonConclusion<P, 'gap'>, 'measure' | 'observe'> = toy().conclusions[0] as ComparisonConclusion<P, 'gap'>;
    // @ts-expect-error 'better' is 'lower' | 'higher'
    const m: ComparisonConclusion<P, 'gap'>['measure'] = { name: 'm', tex: 'm', better: 'smaller', scale: 'linear' };
    // @ts-expect-error observe returns one run per method, not bare numbers ('a' is a ComparisonRun)
    const o: ComparisonConclusion<P, 'gap'>['observe'] = async () => ({ a: 1, b: 2 });
    // @ts-expect-error a constant the theorem does not declare
    const o2: ComparisonConclusion<P, 'gap'>['observe'] = async (_p, k) => ({ a: { value: k.lambda }, b: { value: 0 } });
    expect([c, m, o, o2]).toHaveLength(4);
  });
});
