/** Small theorems built to test the runner: a false one, a vacuous one, a float32-only violation. */
import fc from 'fast-check';
import { defineTheorem } from '../../src/theorem/define.ts';
import { quadraticGD, quadraticGap, type Quadratic } from '../../src/models/quadratic.ts';
import { fromSpectrum, normals, orthogonal, rng, symEig } from '../../src/numerics/index.ts';
import type { TheoremSpec } from '../../src/theorem/types.ts';

interface P {
  spectrum: number[];
  seed: number;
}
type Q = Quadratic & { x0: Float64Array };

const draw = fc.record({ spectrum: fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: 1, maxLength: 6 }), seed: fc.integer({ min: 0, max: 1000 }) });

function quadraticSpec(bound: string, trivial?: string): TheoremSpec<P, Q, 'L' | 'mu' | 'eta' | 'gap0', 'gap'> {
  return {
    id: 'toy/quadratic',
    title: 'toy',
    provenance: { authors: ['Nobody'], year: 2026, title: 'A deliberately wrong claim', locator: 'Claim 1', fidelity: 'derived' },
    kind: 'bound',
    statement: 'toy',
    engines: { default: 'f64', supported: ['f64', 'tfjs'] },
    build: (p) => {
      const d = p.spectrum.length;
      return { d, A: fromSpectrum(orthogonal(rng(p.seed, 1), d), p.spectrum), xStar: normals(rng(p.seed, 2), d), x0: normals(rng(p.seed, 3), d) };
    },
    summarize: (q) => ({ d: q.d }),
    constants: { L: { tex: 'L' }, mu: { tex: '\\mu' }, eta: { tex: '\\eta' }, gap0: { tex: 'g_0' } },
    computeConstants: (q) => {
      const v = symEig({ n: q.d, data: q.A }).values;
      return { L: v[q.d - 1], mu: v[0], eta: 1 / v[q.d - 1], gap0: quadraticGap(q, q.x0) };
    },
    hypotheses: [{ name: 'step size', tex: '\\eta \\le 1/L', measure: (_q, c) => ({ measured: c.eta, relation: '<=', required: 1 / c.L }) }],
    series: { gap: { tex: 'g_k' } },
    run: async (q, c, { engine }) => {
      const t = await quadraticGD(engine, q, { x0: q.x0, eta: c.eta, steps: 50 });
      return { series: { gap: t.series.gap }, steps: t.steps };
    },
    conclusions: [{ kind: 'bound', name: 'claimed rate', measured: 'gap', relation: '<=', bound, trivial, floor: 'gap0 * (8*eps)^2' }],
    regimes: {
      theorem: { about: 'hypotheses met', draw, expect: 'holds', runs: { ci: 8, full: 8 } },
      'broken:nothing': { about: 'the same draws, expecting a violation', draw, expect: 'violated', runs: { ci: 8, full: 8 } },
    },
  };
}

/** GD contracts the gap by (1 − ημ)² per step, not (1 − 2ημ): false whenever ημ > 0. */
export const falseTheorem = defineTheorem(quadraticSpec('(1 - 2*eta*mu)^k * gap0'));

/** The bound is the initial gap itself: true, and saying nothing. */
export const vacuousTheorem = defineTheorem(quadraticSpec('gap0', 'gap0'));

/** Its run reports a violation in float32 only, as rounding near a float floor would. */
export const float32OnlyTheorem = defineTheorem({
  id: 'toy/float32-only',
  title: 'toy',
  provenance: { authors: ['Nobody'], year: 2026, title: 'Rounding', locator: 'Claim 2', fidelity: 'derived' },
  kind: 'bound',
  statement: 'toy',
  engines: { default: 'tfjs', supported: ['tfjs', 'f64'] },
  build: (p: { seed: number }) => p,
  summarize: () => ({}),
  constants: {},
  computeConstants: () => ({}),
  hypotheses: [],
  series: { x: { tex: 'x_k' } },
  run: async (_p, _c, { engine }) => ({ series: { x: [1, engine.precision === 'float32' ? 0.6 : 0.4] }, steps: 1 }),
  conclusions: [{ kind: 'bound', name: 'half', measured: 'x', relation: '<=', bound: '0.5', floor: '0' }],
  regimes: {
    theorem: { about: 'all', draw: fc.record({ seed: fc.integer({ min: 0, max: 9 }) }), expect: 'holds', runs: { ci: 3, full: 3 } },
    'broken:none': { about: 'all', draw: fc.record({ seed: fc.integer({ min: 0, max: 9 }) }), expect: 'violated', runs: { ci: 3, full: 3 } },
  },
});
