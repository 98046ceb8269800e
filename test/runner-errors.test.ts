/**
 * Theorem code that throws — in summarize() or a hypothesis's measure() — during the draw, the
 * targeted search, the slack search and shrinking: an inconclusive instance carrying the error,
 * never a crash, and never a fast-check shrink candidate counted as a drawn instance.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkRegime, replay } from '../src/check/runner.ts';
import { defineTheorem, TheoremSpecError } from '../src/theorem/define.ts';
import type { TheoremSpec } from '../src/theorem/types.ts';

interface P {
  m: number;
  seed: number;
}

const draw = fc.record({ m: fc.integer({ min: 1, max: 100 }), seed: fc.integer({ min: 0, max: 9 }) });

/** "Training" that fails (x_1 = 1 > 0.5) iff m > 50; measure() throws on multiples of 3, summarize() on multiples of 7. */
function spec(): TheoremSpec<P, P, 'm', 'x'> {
  return {
    id: 'toy/throws',
    title: 'toy',
    provenance: { authors: ['Nobody'], year: 2026, title: 'Throwing theorem code', locator: 'Claim 1', fidelity: 'derived' },
    kind: 'bound',
    statement: 'toy',
    engines: { default: 'f64', supported: ['f64'] },
    build: (p) => p,
    summarize: (p) => {
      if (p.m % 7 === 0) throw new Error(`cannot summarize m = ${p.m}`);
      return { m: p.m };
    },
    constants: { m: { tex: 'm' } },
    computeConstants: (p) => ({ m: p.m }),
    hypotheses: [
      {
        name: 'width',
        tex: 'm \\ge 1',
        measure: (_p, c) => {
          if (c.m % 3 === 0) throw new Error(`m = ${c.m} divisible by 3`);
          return { measured: c.m, relation: '>=', required: 1 };
        },
      },
    ],
    series: { x: { tex: 'x' } },
    run: async (p) => ({ series: { x: [1, p.m > 50 ? 1 : 0] }, steps: 1 }),
    conclusions: [{ kind: 'bound', name: 'converges', measured: 'x', relation: '<=', bound: '0.5', floor: '0' }],
    regimes: {
      theorem: {
        about: 'small m',
        draw: fc.record({ m: fc.integer({ min: 1, max: 50 }), seed: fc.integer({ min: 0, max: 9 }) }),
        expect: 'holds',
        runs: { ci: 12, full: 12 },
        search: { evaluations: { ci: 30, full: 30 } },
        slack: [
          {
            hypothesis: 'width',
            symbol: 'm',
            conclusion: 'converges',
            about: 'the seed varied',
            base: { m: 10, seed: 0 },
            at: (p, m) => ({ ...p, m }),
            replicate: (p, seed) => ({ ...p, seed }),
            range: { from: 1, to: 64, integer: true },
            grid: 7,
            refine: 2,
            seeds: 1,
          },
        ],
      },
      'broken:width': { about: 'any m', draw, expect: 'violated', runs: { ci: 12, full: 12 } },
    },
  };
}

describe('throwing theorem code', () => {
  it('is an inconclusive instance with the error, in the draw, the targeted search and the slack search; the instance count is the run count', async () => {
    const r = await checkRegime(defineTheorem(spec()), 'theorem', { budget: 'ci', seed: 4 });
    expect(r.counts.instances).toBe(12);
    expect(r.instances.map((i) => i.path)).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
    const failing = r.instances.filter((i) => i.error);
    expect(failing.length).toBeGreaterThan(0);
    for (const i of r.instances) {
      const m = (i.params as P).m;
      if (m % 7 === 0) expect(i.error).toBe(`summarizing the instance failed: cannot summarize m = ${m}`);
      else if (m % 3 === 0) expect(i.error).toBe(`measuring the hypothesis 'width' failed: m = ${m} divisible by 3`);
      else expect(i.error).toBeUndefined();
      expect(i.verdict).toBe(i.error ? 'inconclusive' : 'holds');
    }
    expect(r.counts.inconclusive).toBe(failing.length);
    expect(r.search?.evaluations).toBeGreaterThan(0);
    expect(r.slack?.[0].points.length).toBeGreaterThan(0);
  });

  it('is not a violation while shrinking, and the counterexample replays from its path', async () => {
    const thm = defineTheorem(spec());
    const r = await checkRegime(thm, 'broken:width', { budget: 'ci', seed: 2 });
    expect(r.counts.instances).toBe(12);
    const cx = r.counterexample!;
    expect(cx.verdict).toBe('violated');
    expect(cx.error).toBeUndefined();
    const again = await replay(thm, { regime: 'broken:width', seed: 2, path: cx.path, budget: 'ci' });
    expect(again.params).toEqual(cx.params);
    expect(again.verdict).toBe('violated');
  });
});

describe('a traced series of the wrong length', () => {
  it.each([
    ['too short', [1, 0], 5, /the series 'x' has 2 values, but the run recorded steps 0\.\.5 \(6 values/],
    ['missing', undefined, 1, /traced no series 'x'/],
  ])('(%s) is an error in the theorem file naming the series, not a verdict', async (_what, x, steps, message) => {
    const base = spec();
    const thm = defineTheorem({ ...base, summarize: (p: P) => ({ m: p.m }), hypotheses: [{ ...base.hypotheses[0], measure: () => ({ measured: 1, relation: '>=', required: 1 }) }], run: async () => ({ series: (x ? { x } : {}) as { x: number[] }, steps }) });
    const run = checkRegime(thm, 'theorem', { budget: 'ci', seed: 1, runs: 3 });
    await expect(run).rejects.toBeInstanceOf(TheoremSpecError);
    await expect(run).rejects.toThrow(message);
    await expect(run).rejects.toThrow(/field 'run': toy\/throws: /);
  });
});

it('a series longer than the steps (a trainer that stopped early keeps its arrays) is read up to the last step', async () => {
  const base = spec();
  const thm = defineTheorem({ ...base, summarize: (p: P) => ({ m: p.m }), hypotheses: [{ ...base.hypotheses[0], measure: () => ({ measured: 1, relation: '>=', required: 1 }) }], run: async () => ({ series: { x: [1, 0, 7, 7] }, steps: 1 }) });
  const r = await checkRegime(thm, 'theorem', { budget: 'ci', seed: 1, runs: 2 });
  expect(r.counts.holds).toBe(2);
});

it('a slack search whose hypothesis throws at every value is an error in the theorem file naming the search and the error', async () => {
  const base = spec();
  const always = { ...base.hypotheses[0], measure: (): never => { throw new Error('no width here'); } };
  const thm = defineTheorem({ ...base, summarize: (p: P) => ({ m: p.m }), hypotheses: [always] });
  const run = checkRegime(thm, 'theorem', { budget: 'ci', seed: 1, runs: 2 });
  await expect(run).rejects.toBeInstanceOf(TheoremSpecError);
  await expect(run).rejects.toThrow(/field 'slack': toy\/throws: the slack search on 'width' could not measure it at any value \(measuring the hypothesis 'width' failed: no width here\)/);
});
