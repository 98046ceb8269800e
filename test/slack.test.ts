/** Hypothesis-slack search: the boundary, the slack factor, determinism, validation, and the report. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkRegime } from '../src/check/runner.ts';
import { logGrid, logMid, slackText } from '../src/check/slack.ts';
import { defineTheorem, TheoremSpecError } from '../src/theorem/define.ts';
import { renderPage } from '../src/report/markdown.ts';
import { figuresFor } from '../src/report/figures.ts';
import { serialize, type Result } from '../src/record/result.ts';
import type { TheoremSpec } from '../src/theorem/types.ts';

interface P {
  m: number;
  eta: number;
  seed: number;
}

/**
 * "Training" that converges iff m ≥ 37 + (seed mod 3) and η ≤ 0.3: the conclusion holds on a
 * replicate exactly then. The theorem asks for m ≥ 1e6 and η ≤ 1e-3.
 */
function toySpec(): TheoremSpec<P, P, 'm' | 'eta', 'x'> {
  return {
    id: 'toy/slack',
    title: 'toy',
    provenance: { authors: ['Nobody'], year: 2026, title: 'Conservative hypotheses', locator: 'Claim 1', fidelity: 'derived' },
    kind: 'bound',
    statement: 'toy',
    engines: { default: 'f64', supported: ['f64'] },
    build: (p) => p,
    summarize: (p) => ({ m: p.m, eta: p.eta, seed: p.seed }),
    constants: { m: { tex: 'm' }, eta: { tex: '\\eta' } },
    computeConstants: (p) => ({ m: p.m, eta: p.eta }),
    hypotheses: [
      { name: 'width', tex: 'm \\ge 10^6', measure: (_p, c) => ({ measured: c.m, relation: '>=', required: 1e6 }) },
      { name: 'step size', tex: '\\eta \\le 10^{-3}', measure: (_p, c) => ({ measured: c.eta, relation: '<=', required: 1e-3 }) },
      { name: 'data', tex: '\\text{data}', measure: () => ({ measured: 1, relation: '>=', required: 1 }), noSlack: 'a condition on the data, not a size' },
    ],
    series: { x: { tex: 'x' } },
    run: async (p) => ({ series: { x: [1, p.m >= 37 + (p.seed % 3) && p.eta <= 0.3 ? 0 : 1] }, steps: 1 }),
    conclusions: [{ kind: 'bound', name: 'converges', measured: 'x', relation: '<=', bound: '0.5', floor: '0' }],
    regimes: {
      proxy: {
        about: 'practical sizes',
        draw: fc.record({ m: fc.constant(64), eta: fc.constant(0.1), seed: fc.integer({ min: 0, max: 9 }) }),
        expect: 'holds',
        runs: { ci: 2, full: 2 },
        search: false,
        slack: [
          {
            hypothesis: 'width',
            symbol: 'm',
            conclusion: 'converges',
            about: 'η = 0.1, the seed varied',
            base: { m: 64, eta: 0.1, seed: 0 },
            at: (p, m) => ({ ...p, m }),
            replicate: (p, seed) => ({ ...p, seed }),
            range: { from: 1, to: 4096, integer: true },
            grid: 7,
            refine: 8,
            seeds: 6,
          },
          {
            hypothesis: 'step size',
            symbol: 'η',
            conclusion: 'converges',
            about: 'm = 64',
            base: { m: 64, eta: 0.1, seed: 0 },
            at: (p, eta) => ({ ...p, eta }),
            replicate: (p, seed) => ({ ...p, seed }),
            range: { from: 1e-4, to: 10 },
            grid: 6,
            refine: 12,
            seeds: 4,
          },
        ],
      },
      'broken:width': { about: 'm = 1', draw: fc.record({ m: fc.constant(1), eta: fc.constant(0.1), seed: fc.integer({ min: 0, max: 9 }) }), expect: 'violated', runs: { ci: 2, full: 2 } },
    },
  };
}

describe('hypothesis-slack search', () => {
  it('log grids and midpoints', () => {
    expect(logGrid(1, 4096, 7, true)).toEqual([1, 4, 16, 64, 256, 1024, 4096]);
    expect(logGrid(1, 3, 5, true)).toEqual([1, 2, 3]);
    expect(logMid(36, 38, true)).toBe(37);
    expect(logMid(37, 38, true)).toBeNull();
  });

  it('finds the boundary of a ≥ and a ≤ hypothesis and reports required ÷ empirical', async () => {
    const r = await checkRegime(defineTheorem(toySpec()), 'proxy', { budget: 'ci', seed: 1 });
    const [width, step] = r.slack!;
    // Seeds 0..5 need m ≥ 37, 38, 39: every seed holds from m = 39 on (95% of 6 allows no failure).
    expect(width.status).toBe('found');
    expect(width.boundary).toBe(39);
    expect(width.required).toBe(1e6);
    expect(width.slack).toBeCloseTo(1e6 / 39, 6);
    expect(width.text).toBe(`requires m ≥ 1.00e6; held from m ≈ 39 in ≥ 95% of 6 seeds: slack 25600`);
    expect(width.points.map((p) => p.x)).toEqual([...width.points.map((p) => p.x)].sort((a, b) => a - b));
    expect(width.points.find((p) => p.x === 16)).toMatchObject({ held: 0, of: 1, abandoned: true, passed: false });
    // The step size holds up to 0.3: bisection brackets it from below.
    expect(step.relation).toBe('<=');
    expect(step.status).toBe('found');
    expect(step.boundary!).toBeLessThanOrEqual(0.3);
    expect(step.boundary!).toBeGreaterThan(0.29);
    expect(step.slack!).toBeCloseTo(step.boundary! / 1e-3, 6);
    expect(r.expectation.met).toBe(true);
  });

  it('is deterministic: the same seed gives the same bytes', async () => {
    const thm = defineTheorem(toySpec());
    const strip = ({ run: _run, ...rest }: Result) => serialize(rest);
    const a = await checkRegime(thm, 'proxy', { budget: 'ci', seed: 3 });
    const b = await checkRegime(thm, 'proxy', { budget: 'ci', seed: 3 });
    expect(strip(a)).toBe(strip(b));
  });

  it('says when every value held or none did', () => {
    const base = { symbol: 'm', relation: '>=' as const, required: 100, target: 0.95, seeds: 10, points: [{ x: 1 }, { x: 8 }] as never };
    expect(slackText({ ...base, status: 'everywhere', boundary: 1, slack: 100 })).toBe('requires m ≥ 100; held in ≥ 95% of 10 seeds at every value tried, down to m = 1: slack ≥ 100');
    expect(slackText({ ...base, status: 'nowhere', boundary: null, slack: null })).toBe('requires m ≥ 100; did not hold in ≥ 95% of 10 seeds at any value tried (up to m = 8): no slack found');
  });

  it('is validated when the theorem loads', () => {
    const bad = (patch: Record<string, unknown>) => {
      const spec = toySpec();
      const proxy = spec.regimes.proxy!;
      return () => defineTheorem({ ...spec, regimes: { ...spec.regimes, proxy: { ...proxy, slack: [{ ...proxy.slack![0], ...patch }] } } });
    };
    expect(bad({ hypothesis: 'widht' })).toThrow(/regimes\['proxy'\]\.slack\[0\]\.hypothesis.*'widht' is not a hypothesis/);
    expect(bad({ conclusion: 'nope' })).toThrow(TheoremSpecError);
    expect(bad({ range: { from: 0, to: 10 } })).toThrow(/log-spaced/);
    expect(bad({ seeds: 0 })).toThrow(/seeds/);
  });

  it('shows on the page: the table, the curve, and the hypotheses not searched', async () => {
    const r = await checkRegime(defineTheorem(toySpec()), 'proxy', { budget: 'ci', seed: 1 });
    const figures = figuresFor([r]);
    const slack = figures.filter((f) => f.section === 'slack');
    expect(slack.map((f) => f.plot.kind)).toEqual(['slackCurve', 'slackCurve']);
    const page = renderPage([r], slack.map((f) => ({ ...f, theorem: 'toy/slack' })));
    expect(page).toContain('## Hypothesis slack');
    expect(page).toContain('requires m ≥ 1.00e6; held from m ≈ 39 in ≥ 95% of 6 seeds');
    expect(page).toContain('not searched: a condition on the data, not a size');
    expect(page).toMatch(/!\[converges: fraction of 6 seeds.*\]\(slack\/slack-proxy-width-converges\.svg\)/);
  });
});
