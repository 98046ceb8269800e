/**
 * Gradient descent on an L-smooth convex function: f(x_k) − f* ≤ ‖x_0 − x*‖²/(2ηk), the classical
 * O(1/k) rate, beside the exact worst case L‖x_0 − x*‖²/(4kLη + 2) of Drori & Teboulle (2014).
 *
 * Why the classical bound holds: the descent lemma gives f(x_{k+1}) ≤ f(x_k) − (η/2)‖∇f(x_k)‖² for
 * η ≤ 1/L, convexity gives f(x_k) − f* ≤ ⟨∇f(x_k), x_k − x*⟩, and together
 * f(x_{k+1}) − f* ≤ (‖x_k − x*‖² − ‖x_{k+1} − x*‖²)/(2η); sum and use monotonicity.
 *
 * Drawn: convex quadratics (eigenvalues down to exactly 0) and radial Huber functions, on which the
 * exact worst case is attained. On quadratics the classical bound is loose (ratio ≤ 1/(2e)); the
 * Huber functions let the targeted search approach 1/2 of it, and 1 of the tight bound.
 * With η ≥ 1.8/L gradient descent still converges on a quadratic but the bound fails at once:
 * the broken regime finds that and shrinks it to one dimension.
 */
import { defineTheorem, fc, numerics, optim, type Summary } from 'provably';
import { build, hubers, positive, quadratics, withZeros } from './_smooth-convex.ts';

const { norm2, dot } = numerics;

export default defineTheorem({
  id: 'classic/gd-smooth-convex-rate',
  title: 'Gradient descent on a smooth convex function: the O(1/k) rate, and its exact worst case',
  provenance: {
    authors: ['Guillaume Garrigos', 'Robert M. Gower'],
    year: 2023,
    title: 'Handbook of Convergence Theorems for (Stochastic) Gradient Methods',
    arxiv: '2301.11235',
    locator: 'Theorem 3.4 (gradient descent, convex and smooth); tight bound: Drori & Teboulle 2014, Theorem 3.1',
    fidelity: 'recalled',
    fidelityNote:
      'The classical bound (0 < η ≤ 1/L ⇒ f(x_k) − inf f ≤ ‖x_0 − x*‖²/(2ηk)) is as the research notes quote the handbook through a third-party summary; the handbook itself and its theorem number were not read. Its two-line proof is in this file. The tight bound L‖x_0 − x*‖²/(4kLη + 2) for η ≤ 1/L, attained on Huber functions, was read in the docstring of PEPit’s example gradient_descent.py (citing Drori & Teboulle 2014, Theorem 3.1), not in the paper.',
  },
  kind: 'bound',
  statement: String.raw`Let $f:\mathbb{R}^d\to\mathbb{R}$ be convex and $L$-smooth with a minimiser $x^\star$. Gradient descent $x_{k+1} = x_k - \eta\nabla f(x_k)$ with $0<\eta\le 1/L$ satisfies, for every $k\ge1$, $f(x_k)-f^\star \le \frac{\|x_0-x^\star\|^2}{2\eta k}$. The exact worst case over the class is $f(x_k)-f^\star \le \frac{L\|x_0-x^\star\|^2}{4kL\eta+2}$ (Drori & Teboulle), attained by a Huber function.`,
  engines: { default: 'f64', supported: ['f64'] },

  build,
  summarize: (q): Summary => (q.params.fn === 'quadratic' ? { f: 'quadratic', d: q.d, 'η·L': q.params.stepTimesL, steps: q.params.steps } : { f: 'Huber', d: q.d, τ: q.params.tau, 'η·L': q.params.stepTimesL, steps: q.params.steps }),

  constants: {
    L: { tex: 'L', about: 'smoothness: λmax(A) measured for a quadratic, the Huber curvature otherwise' },
    curvatureMin: { tex: '\\lambda_{\\min}(\\nabla^2 f)', about: 'smallest Hessian eigenvalue: ≥ 0 is convexity' },
    eta: { tex: '\\eta', about: 'step size η·L / L' },
    r2: { tex: '\\|x_0-x^\\star\\|^2' },
    gap0: { tex: 'f(x_0)-f^\\star' },
    xscale: { tex: 'x_{\\mathrm{scale}}', about: 'max(‖x*‖, ‖x_0‖): sets the float noise floor' },
  },
  computeConstants(q) {
    const e = q.x0.map((v, i) => v - q.xStar[i]);
    return { L: q.L, curvatureMin: q.curvatureMin, eta: q.params.stepTimesL / q.L, r2: dot(e, e), gap0: q.f.value(q.x0), xscale: Math.max(norm2(q.xStar), norm2(q.x0)) };
  },

  hypotheses: [
    { name: 'convex', tex: '\\nabla^2 f \\succeq 0', measure: (_q, c) => ({ measured: c.curvatureMin, relation: '>=', required: -1e-12 * c.L, note: 'below −1e-12·L counts as negative (rounding)' }) },
    { name: 'step size', tex: '0<\\eta\\le 1/L', measure: (_q, c) => ({ measured: c.eta, relation: '<=', required: 1 / c.L }) },
  ],

  series: { gap: { tex: 'f(x_k)-f^\\star' } },
  async run(q, c) {
    const gap = new Float64Array(q.params.steps + 1);
    const r = optim.minimize(q.f, optim.sgd(c.eta), q.x0, q.params.steps, ({ k, x }) => (gap[k] = q.f.value(x)));
    return { series: { gap }, ...r };
  },

  conclusions: [
    {
      kind: 'bound',
      name: 'O(1/k) rate',
      measured: 'gap',
      relation: '<=',
      bound: 'r2 / (2 * eta * k)',
      trivial: 'gap0',
      // f is evaluated from x − x* (entries rounded at eps·xscale): a few eps of L·xscale².
      floor: '64 * eps * L * xscale^2',
      guarantee: 'upper',
    },
    {
      kind: 'bound',
      name: 'exact worst case',
      about: 'Drori & Teboulle',
      measured: 'gap',
      relation: '<=',
      bound: 'L * r2 / (4 * k * L * eta + 2)',
      trivial: 'gap0',
      floor: '64 * eps * L * xscale^2',
      guarantee: 'tight',
    },
  ],

  regimes: {
    theorem: {
      about: 'convex quadratics in dimension 1–12 with eigenvalues in {0} ∪ [1e-3, 10], and radial Huber functions (L ∈ [0.1, 10], τ ∈ [1e-3, 10], d ≤ 6); η = c/L with c ∈ [0.05, 1], ‖x_0 − x*‖ ∈ [0.1, 10]',
      draw: (budget) => fc.oneof(quadratics(fc.double({ min: 0.05, max: 1, noNaN: true }), withZeros)(budget), hubers(budget)),
      expect: 'holds',
      runs: { ci: 16, full: 100 },
    },
    'broken:step-size': {
      about: 'strongly convex quadratics (eigenvalues in [1e-3, 10]) with η = c/L, c ∈ [1.8, 1.99]: gradient descent still converges, the bound does not hold',
      draw: quadratics(fc.double({ min: 1.8, max: 1.99, noNaN: true }), positive),
      expect: 'violated',
      runs: { ci: 8, full: 30 },
      shrinksTo: { about: 'a one-dimensional quadratic', check: (p) => p.fn === 'quadratic' && p.spectrum.length === 1 },
    },
  },
});
