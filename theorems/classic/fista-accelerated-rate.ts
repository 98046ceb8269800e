/**
 * Nesterov's accelerated gradient method, in Beck & Teboulle's FISTA form without the prox:
 * f(x_k) − f* ≤ 2L'‖x_0 − x*‖²/(k + 1)² on an L-smooth convex function, for the step 1/L' with
 * L' ≥ L. An O(1/k²) rate where gradient descent has O(1/k).
 *
 * Drawn: convex quadratics (with exact zero eigenvalues) and radial Huber functions, as for
 * gradient descent. Acceleration is not monotone, so the bound is checked at every step, never a
 * monotonicity. With a step beyond 2/L the top eigendirection diverges and the broken regime
 * catches the bound failing, shrunk to one dimension.
 */
import { defineTheorem, fc, numerics, optim, type Summary } from 'provably';
import { build, hubers, positive, quadratics, withZeros } from './_smooth-convex.ts';

const { norm2, dot } = numerics;

export default defineTheorem({
  id: 'classic/fista-accelerated-rate',
  title: 'Nesterov acceleration (FISTA) converges at rate O(1/k²) on smooth convex functions',
  provenance: {
    authors: ['Amir Beck', 'Marc Teboulle'],
    year: 2009,
    title: 'A Fast Iterative Shrinkage-Thresholding Algorithm for Linear Inverse Problems',
    venue: 'SIAM Journal on Imaging Sciences 2(1)',
    locator: 'Theorem 4.4 (FISTA with constant step), here without the non-smooth term',
    fidelity: 'recalled',
    fidelityNote:
      'Recalled, not checked against the paper: the iteration (y_1 = x_0, t_1 = 1, x_k = y_k − ∇f(y_k)/L, t_{k+1} = (1 + √(1 + 4t_k²))/2, y_{k+1} = x_k + ((t_k − 1)/t_{k+1})(x_k − x_{k−1})) and the bound 2L‖x_0 − x*‖²/(k + 1)² for every k ≥ 1 with any L ≥ the smoothness constant.',
  },
  kind: 'bound',
  statement: String.raw`Let $f$ be convex and $L$-smooth with a minimiser $x^\star$, and $L'\ge L$. FISTA with step $1/L'$: $y_1=x_0$, $t_1=1$, $x_k=y_k-\nabla f(y_k)/L'$, $t_{k+1}=\frac{1+\sqrt{1+4t_k^2}}{2}$, $y_{k+1}=x_k+\frac{t_k-1}{t_{k+1}}(x_k-x_{k-1})$, satisfies $f(x_k)-f^\star\le\frac{2L'\|x_0-x^\star\|^2}{(k+1)^2}$ for every $k\ge1$.`,
  engines: { default: 'f64', supported: ['f64'] },

  build,
  summarize: (q): Summary => (q.params.fn === 'quadratic' ? { f: 'quadratic', d: q.d, 'L/L′': q.params.stepTimesL, steps: q.params.steps } : { f: 'Huber', d: q.d, τ: q.params.tau, 'L/L′': q.params.stepTimesL, steps: q.params.steps }),

  constants: {
    L: { tex: 'L', about: 'smoothness: λmax(A), or the Huber curvature' },
    Lstep: { tex: "L'", about: 'the constant the method uses: step 1/L′, L′ = L/c' },
    curvatureMin: { tex: '\\lambda_{\\min}(\\nabla^2 f)' },
    r2: { tex: '\\|x_0-x^\\star\\|^2' },
    gap0: { tex: 'f(x_0)-f^\\star' },
    xscale: { tex: 'x_{\\mathrm{scale}}' },
  },
  computeConstants(q) {
    const e = q.x0.map((v, i) => v - q.xStar[i]);
    return { L: q.L, Lstep: q.L / q.params.stepTimesL, curvatureMin: q.curvatureMin, r2: dot(e, e), gap0: q.f.value(q.x0), xscale: Math.max(norm2(q.xStar), norm2(q.x0)) };
  },

  hypotheses: [
    { name: 'convex', tex: '\\nabla^2 f\\succeq 0', measure: (_q, c) => ({ measured: c.curvatureMin, relation: '>=', required: -1e-12 * c.L }) },
    { name: 'step size', tex: "L'\\ge L", measure: (_q, c) => ({ measured: c.Lstep, relation: '>=', required: c.L }) },
  ],

  series: { gap: { tex: 'f(x_k)-f^\\star' } },
  async run(q, c) {
    const gap = new Float64Array(q.params.steps + 1);
    // FISTA's parameters are the extrapolated points y_k; the iterate x_k the bound speaks of is in its state.
    const r = optim.minimize(q.f, optim.fista(1 / c.Lstep), q.x0, q.params.steps, ({ k, x, state }) => (gap[k] = q.f.value(state?.x?.[0] ?? x)));
    return { series: { gap }, ...r };
  },

  conclusions: [
    {
      kind: 'bound',
      name: 'O(1/k²) rate',
      measured: 'gap',
      relation: '<=',
      bound: '2 * Lstep * r2 / (k + 1)^2',
      trivial: 'Lstep * r2 / 2',
      floor: '64 * eps * L * xscale^2',
      guarantee: 'upper',
    },
  ],

  regimes: {
    theorem: {
      about: 'convex quadratics in dimension 1–12 (eigenvalues in {0} ∪ [1e-3, 10]) and radial Huber functions (d ≤ 6); step 1/L′ with L′ = L/c, c ∈ [0.05, 1]; ‖x_0 − x*‖ ∈ [0.1, 10]',
      draw: (budget) => fc.oneof(quadratics(fc.double({ min: 0.05, max: 1, noNaN: true }), withZeros)(budget), hubers(budget)),
      expect: 'holds',
      runs: { ci: 16, full: 100 },
    },
    'broken:step-size': {
      about: 'strongly convex quadratics with step c/L, c ∈ [2.2, 3] (L′ < L/2): the top eigendirection diverges',
      draw: quadratics(fc.double({ min: 2.2, max: 3, noNaN: true }), positive),
      expect: 'violated',
      runs: { ci: 8, full: 30 },
      shrinksTo: { about: 'a one-dimensional quadratic', check: (p) => p.fn === 'quadratic' && p.spectrum.length === 1 },
    },
  },
});
