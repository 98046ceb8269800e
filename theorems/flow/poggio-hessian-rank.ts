/**
 * Poggio et al., Theory of Deep Learning III: at a global minimum of the square loss that
 * interpolates the data, the Hessian is degenerate. Quantitatively: with zero residuals,
 *   ∇²L(θ*) = (1/n) Σ_i J_iᵀJ_i + (1/n) Σ_i Σ_k r_ik ∇²f_k(x_i; θ*) = (1/n) JᵀJ,
 * because every r_ik = 0, so rank ∇²L(θ*) ≤ nK (K outputs): at least p − nK eigenvalues vanish.
 *
 * The check trains a one-hidden-layer tanh network (p = m(d + 1 + K) parameters ≫ nK) to
 * interpolation by Gauss–Newton in float64 (loss ≤ 1e-26), then computes the full Hessian
 * independently, by central differences of the exact gradient, and counts eigenvalues above
 * τ·λmax with τ = 1e-6 (the finite-difference error is about 1e-8·λmax).
 *
 * The broken regime drops interpolation: the Hessian at a point with non-zero residuals (Gauss–
 * Newton stopped after 0–2 iterations) has the residual-curvature term and many more non-zero
 * eigenvalues.
 */
import { defineTheorem, fc, numerics, gaussNewton, tanhHessianFD, tanhLoss, tanhParamCount, type TanhNet, type Budget } from 'provably';

const { rng, normals, symEig } = numerics;

/** Relative threshold below which an eigenvalue counts as zero. */
const TAU = 1e-6;
/** Loss at which Gauss–Newton counts the data as interpolated. */
const INTERPOLATED = 1e-26;

interface Params {
  readonly n: number;
  readonly d: number;
  readonly m: number;
  readonly K: number;
  readonly seed: number;
  /** Gauss–Newton iterations allowed: enough to interpolate (theorem), or a few (broken). */
  readonly iterations: number;
}

interface Instance extends TanhNet {
  readonly iterations: number;
  readonly theta: Float64Array;
  readonly lossAtPoint: number;
}

function build(p: Params): Instance {
  const { n, d, m, K } = p;
  const net: TanhNet = { n, d, m, K, X: normals(rng(p.seed, 1), n * d), Y: normals(rng(p.seed, 2), n * K, 0.5) };
  const theta0 = Float64Array.from([...normals(rng(p.seed, 3), m * d, 1 / Math.sqrt(d)), ...normals(rng(p.seed, 4), m, 0.1), ...normals(rng(p.seed, 5), K * m, 1 / Math.sqrt(m))]);
  const { theta, loss } = gaussNewton(net, theta0, { stopAt: INTERPOLATED, maxIterations: p.iterations });
  return { ...net, iterations: p.iterations, theta, lossAtPoint: loss };
}

/**
 * Networks of n ≤ 6 points in dMin ≤ d ≤ 4 dimensions. The theorem regime draws d ≥ 2: in one
 * dimension Gauss–Newton from the random initialisation stalls at a non-interpolating point on
 * about 6% of draws (measured: 6 of ~100 d = 1 draws, 0 of 1500 draws with d ≥ 2), so a draw with
 * d = 1 would not meet the theorem's own hypothesis L(θ*) = 0 (it is measured either way).
 */
const draw = (iterations: fc.Arbitrary<number>, dMin: number) => (_b: Budget) =>
  fc.record({ n: fc.integer({ min: 1, max: 6 }), d: fc.integer({ min: dMin, max: 4 }), m: fc.integer({ min: 4, max: 12 }), K: fc.integer({ min: 1, max: 2 }), seed: fc.integer({ min: 0, max: 2 ** 30 }), iterations });

export default defineTheorem({
  id: 'flow/poggio-hessian-rank',
  title: 'At an interpolating minimum of the square loss the Hessian has rank at most nK',
  provenance: {
    authors: ['Tomaso Poggio', 'Kenji Kawaguchi', 'Qianli Liao', 'Brando Miranda', 'Lorenzo Rosasco', 'Xavier Boix', 'Jack Hidary', 'Hrushikesh Mhaskar'],
    year: 2017,
    title: 'Theory of Deep Learning III: explaining the non-overfitting puzzle',
    arxiv: '1801.00173',
    locator: 'abstract: "the Hessian ... is degenerate for square loss"; the rank bound nK',
    fidelity: 'derived',
    fidelityNote:
      'Only the abstract was read (the Hessian is degenerate for the square loss at asymptotically stable minima). The bound rank ≤ nK at an interpolating minimum is derived here from the Gauss–Newton decomposition of the Hessian (research notes theorems-A.md §4, P2, [DER]).',
  },
  kind: 'bound',
  statement: String.raw`Let $f(\cdot;\theta):\mathbb{R}^d\to\mathbb{R}^K$ be twice differentiable in $\theta\in\mathbb{R}^p$ and $L(\theta)=\frac1{2n}\sum_{i=1}^n\|f(x_i;\theta)-y_i\|^2$. At any $\theta^\star$ with $L(\theta^\star)=0$, $\nabla^2L(\theta^\star)=\frac1n\sum_i J_i^\top J_i$ with $J_i=\partial f(x_i;\theta^\star)/\partial\theta$, so $\operatorname{rank}\nabla^2L(\theta^\star)\le nK$: at least $p-nK$ eigenvalues are zero.`,
  engines: { default: 'f64', supported: ['f64'] },

  build,
  summarize: (q) => ({ n: q.n, d: q.d, m: q.m, K: q.K, p: tanhParamCount(q), 'Gauss–Newton iterations': q.iterations }),

  constants: {
    n: { tex: 'n' },
    K: { tex: 'K' },
    p: { tex: 'p', about: 'number of parameters m(d + 1 + K)' },
    lossAtPoint: { tex: 'L(\\theta^\\star)' },
    tau: { tex: '\\tau', about: 'an eigenvalue counts as non-zero above τ·max|λ|' },
  },
  computeConstants: (q) => ({ n: q.n, K: q.K, p: tanhParamCount(q), lossAtPoint: tanhLoss(q, q.theta), tau: TAU }),

  hypotheses: [{ name: 'interpolation', tex: 'L(\\theta^\\star) = 0', measure: (_q, c) => ({ measured: c.lossAtPoint, relation: '<=', required: INTERPOLATED, note: 'zero up to float64 rounding' }) }],

  series: {
    rank: { tex: '\\#\\{j: |\\lambda_j(\\nabla^2L(\\theta^\\star))| > \\tau\\max|\\lambda|\\}' },
  },
  run: async (q, c) => {
    const H = tanhHessianFD(q, q.theta);
    const { values } = symEig({ n: c.p, data: H });
    const top = Math.max(...values.map(Math.abs));
    return { series: { rank: [values.filter((v) => Math.abs(v) > c.tau * top).length] }, steps: 0 };
  },

  conclusions: [
    {
      kind: 'bound',
      name: 'rank at most nK',
      measured: 'rank',
      relation: '<=',
      bound: 'n * K',
      trivial: 'p',
      floor: '0',
      from: 0,
      guarantee: 'tight',
    },
  ],

  regimes: {
    theorem: {
      about: 'tanh networks with n ≤ 6 points in 2 ≤ d ≤ 4 dimensions, width m ∈ [4, 12], K ∈ {1, 2} outputs, trained to interpolation (loss ≤ 1e-26) by Gauss–Newton (in d = 1 it stalls short of interpolation on ~6% of draws)',
      draw: draw(fc.constant(100), 2),
      expect: 'holds',
      runs: { ci: 8, full: 40 },
    },
    'broken:interpolation': {
      about: 'the same networks after 0–2 Gauss–Newton iterations: the residuals are not zero',
      draw: draw(fc.integer({ min: 0, max: 2 }), 1),
      expect: 'violated',
      runs: { ci: 4, full: 20 },
      maxShrinks: 60,
      shrinksTo: { about: 'one data point with one output, at the initialisation', check: (p) => p.n === 1 && p.K === 1 && p.iterations === 0 },
    },
  },
});
