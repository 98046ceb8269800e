/**
 * Gradient descent on an L-smooth function bounded below (no convexity): the smallest gradient
 * seen in K steps satisfies min_{k<K} ‖∇f(x_k)‖² ≤ 2(f(x_0) − f_inf)/(ηK).
 *
 * Why (the whole proof, Nesterov 2004 §1.2.3): for η ≤ 1/L the descent lemma gives
 * f(x_{k+1}) ≤ f(x_k) − (η/2)‖∇f(x_k)‖²; summing over k < K telescopes to
 * (η/2) Σ_{k<K} ‖∇f(x_k)‖² ≤ f(x_0) − f_inf, which bounds the average, hence the minimum.
 *
 * Drawn: f(x) = Σ_i a_i log(1 + (q_iᵀx − c_i)²) in a random orthonormal basis: non-convex,
 * L = 2·max a_i, f_inf = 0. With η ≥ 2.5/L the minimiser is unstable, the iterates settle on a
 * 2-cycle with a gradient bounded away from 0, and the bound fails; it shrinks to one dimension.
 */
import { defineTheorem, fc, numerics, objectives, optim, type Budget } from 'provably';

const { rng, orthogonal, normals, uniforms, norm2 } = numerics;

interface Params {
  readonly a: readonly number[];
  readonly stepTimesL: number;
  readonly spread: number;
  readonly seed: number;
  readonly steps: number;
}

interface Instance {
  readonly p: Params;
  readonly d: number;
  readonly f: objectives.Objective;
  readonly x0: Float64Array;
}

function build(p: Params): Instance {
  const d = p.a.length;
  const Q = orthogonal(rng(p.seed, 1), d);
  const c = normals(rng(p.seed, 2), d, 2);
  const x0 = uniforms(rng(p.seed, 3), d, -p.spread, p.spread);
  return { p, d, f: objectives.sumLogOnePlusSquares(Q, Float64Array.from(p.a), c), x0 };
}

const seed = fc.integer({ min: 0, max: 2 ** 30 });
const draw = (stepTimesL: fc.Arbitrary<number>) => (budget: Budget) =>
  fc.record({
    a: fc.array(fc.double({ min: 0.1, max: 2, noNaN: true }), { minLength: 1, maxLength: 10 }),
    stepTimesL,
    spread: fc.double({ min: 0.5, max: 10, noNaN: true }),
    seed,
    steps: fc.constant(budget === 'ci' ? 300 : 1000),
  });

export default defineTheorem({
  id: 'classic/gd-nonconvex-stationarity',
  title: 'Gradient descent on a smooth non-convex function finds an approximate stationary point at rate O(1/K)',
  provenance: {
    authors: ['Yurii Nesterov'],
    year: 2004,
    title: 'Introductory Lectures on Convex Optimization: A Basic Course',
    venue: 'Kluwer',
    locator: '§1.2.3 (gradient method, smooth non-convex case)',
    fidelity: 'recalled',
    fidelityNote:
      'The statement is the standard one the research notes give (theorems-B.md §2.3), recalled, not checked against the book; its proof (descent lemma, then telescoping) is in this file and is what is encoded. The test function Σ log(1 + x_i²) and its constants L = 2, f_inf = 0 are derived here (its second derivative lies in [−1/4, 2]).',
  },
  kind: 'bound',
  statement: String.raw`Let $f:\mathbb{R}^d\to\mathbb{R}$ be $L$-smooth and bounded below by $f_{\inf}$. Gradient descent with $0<\eta\le 1/L$ satisfies, for every $K\ge1$, $\min_{0\le k<K}\|\nabla f(x_k)\|^2 \le \frac1K\sum_{k<K}\|\nabla f(x_k)\|^2 \le \frac{2(f(x_0)-f_{\inf})}{\eta K}$.`,
  engines: { default: 'f64', supported: ['f64'] },

  build,
  summarize: (q) => ({ d: q.d, 'η·L': q.p.stepTimesL, '‖x_0‖∞ ≤': q.p.spread, steps: q.p.steps }),

  constants: {
    L: { tex: 'L', about: '2·max a_i: the second derivative of log(1 + s²) lies in [−1/4, 2]' },
    eta: { tex: '\\eta' },
    f0: { tex: 'f(x_0)' },
    finf: { tex: 'f_{\\inf}', about: '0, attained at q_iᵀx = c_i' },
    g0: { tex: '\\|\\nabla f(x_0)\\|^2', about: 'sets the float noise floor' },
  },
  computeConstants(q) {
    const L = 2 * Math.max(...q.p.a);
    return { L, eta: q.p.stepTimesL / L, f0: q.f.value(q.x0), finf: 0, g0: norm2(q.f.grad(q.x0)) ** 2 };
  },

  hypotheses: [{ name: 'step size', tex: '0<\\eta\\le 1/L', measure: (_q, c) => ({ measured: c.eta, relation: '<=', required: 1 / c.L }) }],

  series: {
    minGrad2: { tex: String.raw`\min_{i<k}\|\nabla f(x_i)\|^2` },
    avgGrad2: { tex: String.raw`\tfrac1k\sum_{i<k}\|\nabla f(x_i)\|^2` },
  },
  async run(q, c) {
    const n = q.p.steps;
    const minGrad2 = new Float64Array(n + 1).fill(NaN);
    const avgGrad2 = new Float64Array(n + 1).fill(NaN);
    let best = Infinity;
    let sum = 0;
    const g = new Float64Array(q.d);
    // Series index k covers the iterates x_0 … x_{k−1}: the K of the statement.
    const r = optim.minimize(q.f, optim.sgd(c.eta), q.x0, n - 1, ({ k, x }) => {
      const g2 = norm2(q.f.grad(x, g)) ** 2;
      best = Math.min(best, g2);
      sum += g2;
      minGrad2[k + 1] = best;
      avgGrad2[k + 1] = sum / (k + 1);
      return g2;
    });
    return { series: { minGrad2, avgGrad2 }, steps: r.steps + 1, ...(r.stopped ? { stopped: r.stopped } : {}) };
  },

  conclusions: [
    {
      kind: 'bound',
      name: 'smallest gradient',
      measured: 'minGrad2',
      relation: '<=',
      bound: '2 * (f0 - finf) / (eta * k)',
      // ‖∇f‖² is a sum of d squares of O(L·x) terms each rounded at a few eps.
      floor: '64 * eps * (g0 + L^2)',
      guarantee: 'upper',
    },
    {
      kind: 'bound',
      name: 'average gradient',
      measured: 'avgGrad2',
      relation: '<=',
      bound: '2 * (f0 - finf) / (eta * k)',
      floor: '64 * eps * (g0 + L^2)',
      guarantee: 'upper',
    },
  ],

  regimes: {
    theorem: {
      about: 'f = Σ a_i log(1 + (q_iᵀx − c_i)²), d ≤ 10, a_i ∈ [0.1, 2], x_0 uniform in [−s, s]^d with s ∈ [0.5, 10], η = c/L with c ∈ [0.05, 1]',
      draw: draw(fc.double({ min: 0.05, max: 1, noNaN: true })),
      expect: 'holds',
      runs: { ci: 16, full: 100 },
    },
    'broken:step-size': {
      about: 'the same functions with η = c/L, c ∈ [2.5, 4]: the minimisers are unstable',
      draw: draw(fc.double({ min: 2.5, max: 4, noNaN: true })),
      expect: 'violated',
      runs: { ci: 8, full: 30 },
      shrinksTo: { about: 'a one-dimensional function', check: (p) => p.a.length === 1 },
    },
  },
});
