/**
 * Poggio et al., Theory of Deep Learning III: near a degenerate minimum, gradient descent behaves
 * like a linear gradient system, and on the square loss it converges to the minimum-norm solution
 * "for appropriate initial conditions". The quantitative core is the classical Landweber fact for
 * underdetermined least squares: with w_0 = 0, every iterate lies in the row space of X, and
 *   w_k − w† = −(I − ηH)^k w†,   H = XᵀX/n,   w† = Xᵀ(XXᵀ)⁻¹y (the minimum-norm interpolant),
 * so ‖w_k − w†‖² ≤ (1 − ημ⁺)^{2k}‖w†‖² for 0 < η ≤ 1/λmax(H), μ⁺ the smallest non-zero eigenvalue.
 *
 * w† is computed independently in float64 (Cholesky of XXᵀ with iterative refinement), never from
 * the run. The broken regime starts from a random w_0: GD then converges to w† + (I − P)w_0, an
 * interpolant that is not the minimum-norm one, and the bound fails once it drops below
 * ‖(I − P)w_0‖²; the minimal counterexample is one equation in two unknowns.
 */
import { defineTheorem, fc, interpolants, leastSquaresGD, gramOfRows, numerics, type Budget } from 'provably';

const { rng, normals, symEig, sumSquares } = numerics;

interface Params {
  readonly n: number;
  readonly d: number;
  readonly stepTimesL: number;
  readonly seed: number;
  readonly init: 'zero' | 'random';
  readonly steps: number;
}

interface Instance extends Params {
  readonly X: Float64Array;
  readonly y: Float64Array;
  readonly w0: Float64Array;
  readonly wMin: Float64Array;
}

function build(p: Params): Instance {
  const X = normals(rng(p.seed, 1), p.n * p.d, 1 / Math.sqrt(p.d));
  const y = normals(rng(p.seed, 2), p.n);
  const w0 = p.init === 'zero' ? new Float64Array(p.d) : normals(rng(p.seed, 3), p.d);
  return { ...p, X, y, w0, wMin: interpolants.minL2Interpolant(X, y, p.n, p.d) };
}

const draw = (init: 'zero' | 'random') => (budget: Budget) =>
  fc
    .record({ n: fc.integer({ min: 1, max: 6 }), extra: fc.integer({ min: 0, max: 10 }), stepTimesL: fc.double({ min: 0.1, max: 1, noNaN: true }), seed: fc.integer({ min: 0, max: 2 ** 30 }) })
    .map(({ n, extra, stepTimesL, seed }): Params => ({ n, d: 2 * n + extra, stepTimesL, seed, init, steps: budget === 'ci' ? 400 : 2000 }));

export default defineTheorem({
  id: 'flow/poggio-min-norm-least-squares',
  title: 'Gradient descent from zero on underdetermined least squares converges to the minimum-norm interpolant',
  provenance: {
    authors: ['Tomaso Poggio', 'Kenji Kawaguchi', 'Qianli Liao', 'Brando Miranda', 'Lorenzo Rosasco', 'Xavier Boix', 'Jack Hidary', 'Hrushikesh Mhaskar'],
    year: 2017,
    title: 'Theory of Deep Learning III: explaining the non-overfitting puzzle',
    arxiv: '1801.00173',
    locator: 'abstract: GD "converges asymptotically to the minimum norm solution for appropriate initial conditions"; the linear (square-loss) case',
    fidelity: 'derived',
    fidelityNote:
      'Only the abstract was read (research notes theorems-A.md §4, [READ: abstract]): the paper states the minimum-norm claim qualitatively. The rate (1 − ημ⁺)^k and the zero-initialisation condition are derived here from the closed form of GD on least squares (Landweber iteration), not taken from the paper.',
  },
  kind: 'bound',
  statement: String.raw`Let $X\in\mathbb{R}^{n\times d}$ have rank $n<d$, $L(w)=\frac1{2n}\|Xw-y\|^2$, $H=X^\top X/n$ and $w^\dagger = X^\top(XX^\top)^{-1}y$ the minimum-norm interpolant. Gradient descent $w_{k+1}=w_k-\eta\nabla L(w_k)$ from $w_0=0$ with $0<\eta\le 1/\lambda_{\max}(H)$ satisfies $\|w_k-w^\dagger\|^2\le(1-\eta\mu^+)^{2k}\|w^\dagger\|^2$, where $\mu^+$ is the smallest non-zero eigenvalue of $H$; in particular $w_k\to w^\dagger$.`,
  engines: { default: 'f64', supported: ['f64'] },

  build,
  summarize: (q) => ({ n: q.n, d: q.d, 'η·λmax': q.stepTimesL, init: q.init, steps: q.steps }),

  constants: {
    lambdaMax: { tex: '\\lambda_{\\max}(H)' },
    muPlus: { tex: '\\mu^+', about: 'smallest non-zero eigenvalue of H = XᵀX/n (= λmin(XXᵀ/n))' },
    eta: { tex: '\\eta' },
    normMin2: { tex: '\\|w^\\dagger\\|^2' },
    nullInit: { tex: '\\|(I-P)w_0\\|', about: 'component of w_0 outside the row space' },
    d: { tex: 'd' },
    n: { tex: 'n' },
  },
  computeConstants(q) {
    const { values } = symEig({ n: q.n, data: gramOfRows(q) });
    const lambdaMax = values[q.n - 1];
    return {
      lambdaMax,
      muPlus: values[0],
      eta: q.stepTimesL / lambdaMax,
      normMin2: sumSquares(q.wMin),
      nullInit: Math.sqrt(sumSquares(interpolants.nullSpaceComponent(q.X, q.n, q.d, q.w0))),
      d: q.d,
      n: q.n,
    };
  },

  hypotheses: [
    { name: 'underdetermined, full row rank', tex: '\\operatorname{rank}X = n < d', measure: (_q, c) => ({ measured: c.muPlus, relation: '>', required: 1e-10 * c.lambdaMax, note: 'λmin(XXᵀ/n) against 1e-10·λmax' }) },
    { name: 'zero initialisation', tex: 'w_0 = 0', measure: (_q, c) => ({ measured: c.nullInit, relation: '<=', required: 0, note: 'what matters is (I − P)w_0 = 0' }) },
    { name: 'step size', tex: '0 < \\eta \\le 1/\\lambda_{\\max}(H)', measure: (_q, c) => ({ measured: c.eta, relation: '<=', required: 1 / c.lambdaMax }) },
  ],

  series: { dist2: { tex: '\\|w_k-w^\\dagger\\|^2' } },
  run: async (q, c) => {
    const ws = leastSquaresGD(q, { w0: q.w0, eta: c.eta, steps: q.steps });
    const dist2 = ws.map((w) => w.reduce((s, v, j) => s + (v - q.wMin[j]) ** 2, 0));
    return { series: { dist2 }, steps: ws.length - 1 };
  },

  conclusions: [
    {
      kind: 'bound',
      name: 'converges to the minimum-norm interpolant',
      measured: 'dist2',
      relation: '<=',
      bound: '(1 - eta * muPlus)^(2 * k) * normMin2',
      trivial: 'normMin2',
      // ‖w_k − w†‖² from iterates and a w† each carrying rounding δ ≈ 64·eps·√d·(λmax/μ⁺)·‖w†‖:
      // the cross term 2‖w_k − w†‖δ (with the bound for ‖w_k − w†‖) plus δ².
      floor: '2 * 64 * eps * sqrt(d) * (lambdaMax / muPlus) * normMin2 * (1 - eta * muPlus)^k + d * (64 * eps * lambdaMax / muPlus)^2 * normMin2',
      guarantee: 'upper',
    },
  ],

  regimes: {
    theorem: {
      about: 'w_0 = 0, Gaussian X with n ≤ 6 rows and d ≥ 2n columns, η = c/λmax with c ∈ [0.1, 1]',
      draw: draw('zero'),
      expect: 'holds',
      runs: { ci: 12, full: 60 },
    },
    'broken:zero-initialisation': {
      about: 'the same problems from a random w_0 ~ N(0, I): GD converges to w† + (I − P)w_0',
      draw: draw('random'),
      expect: 'violated',
      runs: { ci: 6, full: 30 },
      maxShrinks: 100,
      shrinksTo: { about: 'one equation in two unknowns (n = 1, d = 2)', check: (p) => p.n === 1 && p.d === 2 },
    },
  },
});
