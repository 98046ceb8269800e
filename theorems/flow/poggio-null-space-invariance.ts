/**
 * Poggio et al., Theory of Deep Learning III: the Hessian of the square loss at a minimum is
 * degenerate, and gradient descent never corrects the degenerate directions. For least squares this
 * is exact: the gradient Xᵀ(Xw − y)/n lies in the row space of X, so the component of w in the null
 * space of X never changes,
 *   (I − P) w_k = (I − P) w_0   for every k, every step size and every initialisation,
 * which is why the limit depends on w_0 (see flow/poggio-min-norm-least-squares).
 *
 * The mutation adds weight decay (GD on L + (λ/2)‖w‖²): the null-space component then shrinks by
 * (1 − ηλ) per step, and the identity must fail.
 */
import { defineTheorem, fc, interpolants, leastSquaresGD, gramOfRows, numerics, type Budget } from 'provably';

const { rng, normals, symEig, norm2 } = numerics;

interface Params {
  readonly n: number;
  readonly d: number;
  readonly stepTimesL: number;
  readonly weightDecay: number;
  readonly seed: number;
  readonly steps: number;
}

interface Instance extends Params {
  readonly X: Float64Array;
  readonly y: Float64Array;
  readonly w0: Float64Array;
}

const draw = (weightDecay: fc.Arbitrary<number>, maxStep: number) => (budget: Budget) =>
  fc
    .record({ n: fc.integer({ min: 1, max: 6 }), extra: fc.integer({ min: 0, max: 10 }), stepTimesL: fc.double({ min: 0.1, max: maxStep, noNaN: true }), weightDecay, seed: fc.integer({ min: 0, max: 2 ** 30 }) })
    .map(({ n, extra, stepTimesL, weightDecay, seed }): Params => ({ n, d: 2 * n + extra, stepTimesL, weightDecay, seed, steps: budget === 'ci' ? 300 : 1500 }));

export default defineTheorem({
  id: 'flow/poggio-null-space-invariance',
  title: 'Gradient descent on least squares never changes the null-space component of the weights',
  provenance: {
    authors: ['Tomaso Poggio', 'Kenji Kawaguchi', 'Qianli Liao', 'Brando Miranda', 'Lorenzo Rosasco', 'Xavier Boix', 'Jack Hidary', 'Hrushikesh Mhaskar'],
    year: 2017,
    title: 'Theory of Deep Learning III: explaining the non-overfitting puzzle',
    arxiv: '1801.00173',
    locator: 'abstract: degenerate Hessian of the square loss; the linear case',
    fidelity: 'derived',
    fidelityNote:
      'Only the abstract was read (degenerate Hessian, minimum norm "for appropriate initial conditions"). The exact invariance (I − P)w_k = (I − P)w_0 is derived here from the form of the least-squares gradient (research notes theorems-A.md §4, P1, [DER]).',
  },
  kind: 'identity',
  statement: String.raw`Let $L(w)=\frac1{2n}\|Xw-y\|^2$ with $X\in\mathbb{R}^{n\times d}$ and $P=X^+X$ the projection onto the row space of $X$. Gradient descent $w_{k+1}=w_k-\eta\nabla L(w_k)$ satisfies $(I-P)\,w_k=(I-P)\,w_0$ for every $k$, every $\eta$ and every $w_0$.`,
  engines: { default: 'f64', supported: ['f64'] },

  build(p: Params): Instance {
    return { ...p, X: normals(rng(p.seed, 1), p.n * p.d, 1 / Math.sqrt(p.d)), y: normals(rng(p.seed, 2), p.n), w0: normals(rng(p.seed, 3), p.d) };
  },
  summarize: (q) => ({ n: q.n, d: q.d, 'η·λmax': q.stepTimesL, ...(q.weightDecay ? { 'weight decay': q.weightDecay } : {}), steps: q.steps }),

  constants: {
    lambdaMax: { tex: '\\lambda_{\\max}(XX^\\top/n)' },
    lambdaMin: { tex: '\\lambda_{\\min}(XX^\\top/n)' },
    eta: { tex: '\\eta' },
    weightDecay: { tex: '\\lambda_{\\mathrm{wd}}', about: 'weight decay actually applied (0 for plain GD)' },
    d: { tex: 'd' },
  },
  computeConstants(q) {
    const { values } = symEig({ n: q.n, data: gramOfRows(q) });
    return { lambdaMax: values[q.n - 1], lambdaMin: values[0], eta: q.stepTimesL / values[q.n - 1], weightDecay: q.weightDecay, d: q.d };
  },

  hypotheses: [
    { name: 'plain least-squares gradient', tex: '\\nabla L(w) = X^\\top(Xw-y)/n', measure: (_q, c) => ({ measured: c.weightDecay, relation: '<=', required: 0, note: 'weight decay adds λw, which leaves the row space' }) },
  ],

  series: {
    nullDrift: { tex: '\\|(I-P)(w_k-w_0)\\|' },
    path: { tex: '\\sum_{j<k}\\|w_{j+1}-w_j\\| + \\max_{j\\le k}\\|w_j\\|', about: 'scale of the rounding the projection sees' },
  },
  run: async (q, c) => {
    const ws = leastSquaresGD(q, { w0: q.w0, eta: c.eta, steps: q.steps, weightDecay: q.weightDecay });
    const null0 = interpolants.nullSpaceComponent(q.X, q.n, q.d, q.w0);
    let length = 0;
    let biggest = norm2(q.w0);
    const path = new Float64Array(ws.length);
    const nullDrift = ws.map((w, k) => {
      if (k > 0) length += Math.hypot(...w.map((v, j) => v - ws[k - 1][j]));
      biggest = Math.max(biggest, norm2(w));
      path[k] = length + biggest;
      const z = interpolants.nullSpaceComponent(q.X, q.n, q.d, w);
      return Math.hypot(...z.map((v, j) => v - null0[j]));
    });
    return { series: { nullDrift, path }, steps: ws.length - 1 };
  },

  conclusions: [
    {
      kind: 'identity',
      name: 'null-space component unchanged',
      tex: '\\max_k \\|(I-P)(w_k-w_0)\\| = 0',
      check(trace, c, _q, engine) {
        let error = 0;
        let tolerance = 0;
        for (let k = 0; k <= trace.steps; k++) {
          error = Math.max(error, trace.series.nullDrift[k]);
          // Each update and each projection rounds at eps relative to the iterate (the projection's
          // rounding grows with the conditioning of XXᵀ).
          tolerance = Math.max(tolerance, 64 * engine.eps * Math.sqrt(c.d) * (c.lambdaMax / c.lambdaMin) * trace.series.path[k]);
        }
        return { error, tolerance };
      },
    },
  ],

  regimes: {
    theorem: {
      about: 'Gaussian X with n ≤ 6 rows and d ≥ 2n columns, random w_0, η = c/λmax with c ∈ [0.1, 1.9]',
      draw: draw(fc.constant(0), 1.9),
      expect: 'holds',
      runs: { ci: 12, full: 60 },
    },
    'broken:plain-gradient': {
      about: 'the same with weight decay λ ∈ [0.01, 0.5] (GD on L + (λ/2)‖w‖²) and c ≤ 1 so that it converges: the null-space component decays by (1 − ηλ) per step',
      draw: draw(fc.double({ min: 0.01, max: 0.5, noNaN: true }), 1),
      expect: 'violated',
      runs: { ci: 6, full: 30 },
      maxShrinks: 100,
      shrinksTo: { about: 'one equation in two unknowns (n = 1, d = 2)', check: (p) => p.n === 1 && p.d === 2 },
    },
  },
});
