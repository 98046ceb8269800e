/**
 * Gradient descent on an L-smooth function satisfying the Polyak–Łojasiewicz inequality converges
 * linearly in function value; checked on μ-strongly convex quadratics.
 *
 * Why it holds (the whole proof): the descent lemma gives
 *   f(x_{k+1}) ≤ f(x_k) − η(1 − Lη/2)‖∇f(x_k)‖² ≤ f(x_k) − (η/2)‖∇f(x_k)‖²   for η ≤ 1/L,
 * and PL, ½‖∇f‖² ≥ μ(f − f*), turns this into f(x_{k+1}) − f* ≤ (1 − ημ)(f(x_k) − f*).
 *
 * Not tight on quadratics (they contract by max_i (1 − ηλ_i)² per step), hence `upper`.
 * With η ≥ 2/L the top eigendirection no longer contracts and the bound fails at once: the
 * broken regime finds that and shrinks it to a one-dimensional quadratic.
 */
import { defineTheorem, fc, numerics, quadraticGD, quadraticGap, type Quadratic } from 'provably';

const { rng, orthogonal, normals, fromSpectrum, symEig, norm2 } = numerics;

/** What fast-check draws: the spectrum of A (its length is the dimension), η·L, and seeds. */
interface Params {
  readonly spectrum: readonly number[];
  readonly stepTimesL: number;
  readonly seed: number;
  readonly steps: number;
}

interface Instance extends Quadratic {
  readonly x0: Float64Array;
  readonly stepTimesL: number;
  readonly steps: number;
}

const eigenvalue = fc.double({ min: 0.01, max: 10, noNaN: true });
const seed = fc.integer({ min: 0, max: 2 ** 30 });
const steps = { ci: 200, full: 1000 } as const;

const draw = (stepTimesL: fc.Arbitrary<number>) => (budget: 'ci' | 'full') =>
  fc.record({ spectrum: fc.array(eigenvalue, { minLength: 1, maxLength: 12 }), stepTimesL, seed, steps: fc.constant(steps[budget]) });

export default defineTheorem({
  id: 'classic/gd-quadratic-linear-rate',
  title: 'Gradient descent converges linearly under the PL inequality',
  provenance: {
    authors: ['Hamed Karimi', 'Julie Nutini', 'Mark Schmidt'],
    year: 2016,
    title: 'Linear Convergence of Gradient and Proximal-Gradient Methods Under the Polyak-Łojasiewicz Condition',
    arxiv: '1608.04636',
    venue: 'ECML PKDD 2016',
    locator: 'Theorem 1',
    fidelity: 'recalled',
    fidelityNote:
      'Theorem 1 is recalled for η = 1/L, giving (1 − μ/L)^k; the abstract was read, the theorem text was not. The form for any 0 < η ≤ 1/L follows from the two-line proof in this file (descent lemma + PL) and is also how Garrigos & Gower (arXiv 2301.11235) state it, recalled.',
  },
  kind: 'bound',
  statement: String.raw`Let $f:\mathbb{R}^d\to\mathbb{R}$ be $L$-smooth with minimum value $f^\star$ and satisfy the Polyak–Łojasiewicz inequality $\tfrac12\|\nabla f(x)\|^2 \ge \mu\,(f(x)-f^\star)$ for all $x$ (every $\mu$-strongly convex quadratic does). Then gradient descent $x_{k+1} = x_k - \eta\nabla f(x_k)$ with $0 < \eta \le 1/L$ satisfies $f(x_k)-f^\star \le (1-\eta\mu)^k\,(f(x_0)-f^\star)$ for every $k \ge 0$.`,
  engines: { default: 'f64', supported: ['f64', 'tfjs'] },

  build(p: Params): Instance {
    const d = p.spectrum.length;
    const A = fromSpectrum(orthogonal(rng(p.seed, 1), d), p.spectrum);
    return { d, A, xStar: normals(rng(p.seed, 2), d), x0: normals(rng(p.seed, 3), d, 3), stepTimesL: p.stepTimesL, steps: p.steps };
  },
  summarize: (q) => ({ d: q.d, 'η·L': q.stepTimesL, steps: q.steps }),

  constants: {
    L: { tex: 'L', about: 'smoothness: λmax(A), measured' },
    mu: { tex: '\\mu', about: 'PL / strong convexity constant: λmin(A), measured' },
    eta: { tex: '\\eta', about: 'step size' },
    gap0: { tex: 'f(x_0)-f^\\star', about: 'initial gap' },
    d: { tex: 'd', about: 'dimension' },
    xscale: { tex: 'x_{\\mathrm{scale}}', about: 'max(‖x*‖, ‖x0‖): sets the float noise floor of the gap' },
  },
  computeConstants(q) {
    const { values } = symEig({ n: q.d, data: q.A });
    const L = values[q.d - 1];
    return { L, mu: values[0], eta: q.stepTimesL / L, gap0: quadraticGap(q, q.x0), d: q.d, xscale: Math.max(norm2(q.xStar), norm2(q.x0)) };
  },

  hypotheses: [
    { name: 'PL constant positive', tex: '\\mu > 0', measure: (_q, c) => ({ measured: c.mu, relation: '>', required: 0 }) },
    { name: 'step size', tex: '0 < \\eta \\le 1/L', measure: (_q, c) => ({ measured: c.eta, relation: '<=', required: 1 / c.L }) },
  ],

  series: {
    gap: { tex: 'f(x_k)-f^\\star' },
    dist2: { tex: '\\|x_k-x^\\star\\|^2' },
  },
  run: (q, c, { engine }) => quadraticGD(engine, q, { x0: q.x0, eta: c.eta, steps: q.steps }),

  conclusions: [
    {
      kind: 'bound',
      name: 'linear rate',
      measured: 'gap',
      relation: '<=',
      bound: '(1 - eta*mu)^k * gap0',
      trivial: 'gap0',
      // The gap ½eᵀAe is computed from e = x − x*, whose entries carry rounding of order eps·xscale.
      floor: 'd * L * (8 * eps * xscale)^2',
      guarantee: 'upper',
    },
  ],

  regimes: {
    theorem: {
      about: 'random μ-strongly convex quadratics in dimension 1–12, eigenvalues in [0.01, 10], η = c/L with c ∈ [0.05, 1]',
      draw: draw(fc.double({ min: 0.05, max: 1, noNaN: true })),
      expect: 'holds',
      runs: { ci: 20, full: 100 },
    },
    'broken:step-size': {
      about: 'the same quadratics with η = c/L, c ∈ [2, 3]: the top eigendirection stops contracting',
      draw: draw(fc.double({ min: 2, max: 3, noNaN: true })),
      expect: 'violated',
      runs: { ci: 10, full: 30 },
      shrinksTo: { about: 'a one-dimensional quadratic', check: (p) => p.spectrum.length === 1 },
    },
  },
});
