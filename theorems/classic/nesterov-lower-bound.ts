/**
 * The first-order lower bound: on Nesterov's worst function in dimension n = 2K + 1, no method
 * whose iterates stay in x_0 + span{∇f(x_0), …, ∇f(x_{k−1})} can have
 * f(x_K) − f* < 3L‖x_0 − x*‖²/(32(K + 1)²). Every first-order method of the suite (gradient
 * descent, heavy ball, FISTA, Nesterov with constant momentum, at any step and momentum) is run on
 * it, and none may beat it.
 *
 * Why: from x_0 = 0 each gradient adds one coordinate (the Hessian is tridiagonal), so x_k has
 * zeros beyond coordinate k, where f is at least f_k* = (L/8)(−1 + 1/(k + 1)); and
 * f* = (L/8)(−1 + 1/(n + 1)), ‖x*‖² ≤ (n + 1)/3. For k ≤ K the first fact also gives the
 * per-step bound f(x_k) − f* ≥ (L/8)(1/(k + 1) − 1/(n + 1)), checked as a second conclusion.
 *
 * The span condition is measured on each instance (the largest coordinate of x_k beyond k), not
 * assumed. Newton's method leaves the span (it jumps to x* in one step) and the broken regime
 * catches the bound failing.
 */
import { defineTheorem, fc, numerics, objectives, optim, type Budget } from 'provably';

const { dot } = numerics;

type Method = 'gd' | 'heavy-ball' | 'fista' | 'nesterov-constant' | 'newton';

interface Params {
  readonly K: number;
  readonly L: number;
  readonly method: Method;
  /** Step c/L (first-order methods). */
  readonly stepTimesL: number;
  /** Momentum (heavy ball, Nesterov with constant momentum). */
  readonly momentum: number;
}

interface Instance extends Params {
  readonly n: number;
  readonly f: ReturnType<typeof objectives.nesterovWorst>;
}

/** Solve the tridiagonal system (L/4)·tridiag(−1, 2, −1)·v = r (Thomas algorithm). */
function solveHessian(n: number, L: number, r: Float64Array): Float64Array {
  const c = new Float64Array(n);
  const d = new Float64Array(n);
  const s = 4 / L;
  c[0] = -1 / 2;
  d[0] = (s * r[0]) / 2;
  for (let i = 1; i < n; i++) {
    const m = 2 + c[i - 1];
    c[i] = -1 / m;
    d[i] = (s * r[i] + d[i - 1]) / m;
  }
  const v = new Float64Array(n);
  v[n - 1] = d[n - 1];
  for (let i = n - 2; i >= 0; i--) v[i] = d[i] - c[i] * v[i + 1];
  return v;
}

/** Newton's method as a transformation: u = −(∇²f)⁻¹ g. Not first-order: it leaves the span. */
function newton(n: number, L: number): optim.GradientTransformation<null> {
  return { init: () => null, update: (g) => ({ updates: [solveHessian(n, L, g[0]).map((v) => -v)], state: null }) };
}

function method(q: Instance): optim.GradientTransformation<any> {
  const step = q.stepTimesL / q.L;
  switch (q.method) {
    case 'gd':
      return optim.sgd(step);
    case 'heavy-ball':
      return optim.heavyBall(step, q.momentum);
    case 'fista':
      return optim.fista(step);
    case 'nesterov-constant':
      return optim.nesterovConstant(step, q.momentum);
    case 'newton':
      return newton(q.n, q.L);
  }
}

/** The iterate the method reports (accelerated methods keep it in their state). */
function iterate(x: Float64Array, state: any): Float64Array {
  return state?.x?.[0] ?? x;
}

/** Run K steps: the gap f(x_k) − f* and the largest |x_k[i]| for i ≥ k (0-based), the span leak. */
function runMethod(q: Instance): { gap: Float64Array; leak: number; steps: number; stopped?: string } {
  const gap = new Float64Array(q.K + 1);
  let leak = 0;
  const r = optim.minimize(q.f, method(q), new Float64Array(q.n), q.K, ({ k, x, state }) => {
    const xk = iterate(x, state);
    for (let i = k; i < q.n; i++) leak = Math.max(leak, Math.abs(xk[i]));
    return (gap[k] = q.f.value(xk) - q.f.fStar);
  });
  return { gap, leak, ...r };
}

const firstOrder = (budget: Budget) =>
  fc.record({
    K: fc.integer({ min: 1, max: budget === 'ci' ? 30 : 100 }),
    L: fc.double({ min: 0.1, max: 10, noNaN: true }),
    method: fc.constantFrom<Method>('gd', 'heavy-ball', 'fista', 'nesterov-constant'),
    stepTimesL: fc.double({ min: 0.05, max: 2, noNaN: true }),
    momentum: fc.double({ min: 0, max: 0.99, noNaN: true }),
  });

export default defineTheorem({
  id: 'classic/nesterov-lower-bound',
  title: 'No first-order method beats 3L‖x_0 − x*‖²/(32(K+1)²) on Nesterov’s worst function',
  provenance: {
    authors: ['Yurii Nesterov'],
    year: 2004,
    title: 'Introductory Lectures on Convex Optimization: A Basic Course',
    venue: 'Kluwer',
    locator: 'Theorem 2.1.7 (and the function of §2.1.2)',
    fidelity: 'recalled',
    fidelityNote:
      'Recalled, not checked against the book: the function (L/4)(½[x_1² + Σ(x_i − x_{i+1})² + x_n²] − x_1), its minimiser x*_i = 1 − i/(n + 1), f* = (L/8)(−1 + 1/(n + 1)), the span assumption, and the bound at k = K with n = 2K + 1. Derived here: the per-step form (L/8)(1/(k + 1) − 1/(n + 1)) from the same proof, and checking the theorem’s bound at every k ≤ K (the span, and so the bound, only grows with k).',
  },
  kind: 'bound',
  statement: String.raw`Let $K\ge1$, $n=2K+1$ and $f(x)=\frac L4\big(\tfrac12[x_1^2+\sum_{i=1}^{n-1}(x_i-x_{i+1})^2+x_n^2]-x_1\big)$, which is convex and $L$-smooth. Any method with $x_k\in x_0+\mathrm{span}\{\nabla f(x_0),\dots,\nabla f(x_{k-1})\}$ started at $x_0=0$ satisfies $f(x_K)-f^\star\ge\frac{3L\|x_0-x^\star\|^2}{32(K+1)^2}$.`,
  engines: { default: 'f64', supported: ['f64'] },

  build: (p: Params): Instance => ({ ...p, n: 2 * p.K + 1, f: objectives.nesterovWorst(2 * p.K + 1, p.L) }),
  summarize: (q) => ({ method: q.method, K: q.K, n: q.n, 'η·L': q.stepTimesL, momentum: q.method === 'heavy-ball' || q.method === 'nesterov-constant' ? q.momentum : '—' }),

  constants: {
    L: { tex: 'L' },
    K: { tex: 'K' },
    n: { tex: 'n', about: '2K + 1' },
    r2: { tex: '\\|x_0-x^\\star\\|^2' },
    leak: { tex: '\\max_{k\\le K,\\,i>k}|x_k^{(i)}|', about: 'largest coordinate outside the span of the gradients so far' },
    gscale: { tex: 'L', about: 'scale of f for the float noise floor' },
  },
  computeConstants(q) {
    return { L: q.L, K: q.K, n: q.n, r2: dot(q.f.xStar, q.f.xStar), leak: runMethod(q).leak, gscale: q.L };
  },

  hypotheses: [
    { name: 'first-order span', tex: 'x_k\\in x_0+\\mathrm{span}\\{\\nabla f(x_0),\\dots,\\nabla f(x_{k-1})\\}', measure: (_q, c) => ({ measured: c.leak, relation: '<=', required: 0, note: 'measured by running the method: coordinates beyond k must be exactly 0' }) },
  ],

  series: { gap: { tex: 'f(x_k)-f^\\star' } },
  async run(q) {
    const { gap, steps, stopped } = runMethod(q);
    return { series: { gap }, steps, ...(stopped ? { stopped } : {}) };
  },

  conclusions: [
    {
      kind: 'bound',
      name: 'lower bound',
      about: 'Theorem 2.1.7, checked at every k ≤ K',
      measured: 'gap',
      relation: '>=',
      bound: '3 * L * r2 / (32 * (K + 1)^2)',
      floor: '64 * eps * gscale',
      guarantee: 'lower',
    },
    {
      kind: 'bound',
      name: 'per-step lower bound',
      about: 'from the proof: f restricted to the first k coordinates',
      measured: 'gap',
      relation: '>=',
      bound: 'L / 8 * (1 / (k + 1) - 1 / (n + 1))',
      floor: '64 * eps * gscale',
      guarantee: 'lower',
    },
  ],

  regimes: {
    theorem: {
      about: 'gradient descent, heavy ball, FISTA and Nesterov with constant momentum, steps c/L with c ∈ [0.05, 2] and momentum in [0, 0.99], K ≤ 30 (CI) or 100 (full), L ∈ [0.1, 10]',
      draw: firstOrder,
      expect: 'holds',
      runs: { ci: 16, full: 100 },
    },
    'broken:first-order': {
      about: 'Newton’s method (a second-order method: its iterates leave the span of the gradients)',
      draw: (budget) => firstOrder(budget).map((p): Params => ({ ...p, method: 'newton' })),
      expect: 'violated',
      runs: { ci: 4, full: 10 },
      shrinksTo: { about: 'K = 1 (dimension 3)', check: (p) => p.K === 1 },
    },
  },
});
