/**
 * Newton's method is affine-invariant and exact in one step on a quadratic (Nagwekar, arXiv
 * 2512.18373, the argument for second-order and preconditioned methods under anisotropy): for
 * f(x) = ½(x − x*)ᵀA(x − x*), x_1 = x_0 − A⁻¹∇f(x_0) = x* whatever the conditioning of A; and on
 * g(y) = f(By) (B invertible), Newton from y_0 = B⁻¹x_0 gives By_1 = x_1: its iterates transform
 * covariantly, so no change of basis helps or hurts it.
 *
 * Both are identities checked to rounding (the Hessians are inverted through their float64
 * eigen-decomposition, so rounding grows with κ). Broken regime: the diagonal (Jacobi)
 * preconditioner diag(A)⁻¹ in place of A⁻¹ (the cheapest "second-order" method) is exact only
 * on axis-aligned quadratics: on rotated ones it is neither one-step nor affine-invariant.
 */
import { defineTheorem, fc, numerics, type Summary } from 'provably';

const { rng, orthogonal, fromSpectrum, matVec, norm2, normals, symEig } = numerics;

interface Params {
  /** log10 of the eigenvalues, in hundredths. */
  readonly logSpectrum: readonly number[];
  readonly seed: number;
  readonly method: 'newton' | 'jacobi';
}

interface Instance {
  readonly p: Params;
  readonly d: number;
  readonly A: Float64Array;
  readonly xStar: Float64Array;
  readonly x0: Float64Array;
  /** A well-conditioned random change of variables x = By. */
  readonly B: Float64Array;
}

function build(p: Params): Instance {
  const d = p.logSpectrum.length;
  if (d < 2) throw new Error('need at least two eigenvalues');
  const A = fromSpectrum(orthogonal(rng(p.seed, 1), d), p.logSpectrum.map((e) => 10 ** (e / 100)));
  // B = U diag(s) Vᵀ with singular values in [0.5, 2].
  const U = orthogonal(rng(p.seed, 4), d);
  const V = orthogonal(rng(p.seed, 5), d);
  const s = numerics.uniforms(rng(p.seed, 6), d, 0.5, 2);
  const B = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) B[i * d + j] += U[i * d + k] * s[k] * V[j * d + k];
  return { p, d, A, xStar: normals(rng(p.seed, 2), d), x0: normals(rng(p.seed, 3), d, 3), B };
}

function matMul(X: Float64Array, Y: Float64Array, d: number, transposeX = false): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) out[i * d + j] += (transposeX ? X[k * d + i] : X[i * d + k]) * Y[k * d + j];
  return out;
}

/** H⁻¹g for the method's Hessian stand-in: A itself (Newton, through its eigen-decomposition) or diag(A) (Jacobi). */
function precondition(H: Float64Array, g: Float64Array, d: number, method: Params['method']): Float64Array {
  if (method === 'jacobi') return g.map((v, i) => v / H[i * d + i]);
  const { values, vectors } = symEig({ n: d, data: H }, true);
  const out = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let c = 0;
    for (let i = 0; i < d; i++) c += vectors![i * d + j] * g[i];
    for (let i = 0; i < d; i++) out[i] += (c / values[j]) * vectors![i * d + j];
  }
  return out;
}

/** One step on f from x_0, and one step on g(y) = f(By) from y_0 = B⁻¹x_0, mapped back by B. */
function steps(q: Instance): { x1: Float64Array; Bys: Float64Array } {
  const { d, A, xStar, x0, B } = q;
  const grad = (x: Float64Array) => matVec(A, d, d, x.map((v, i) => v - xStar[i]));
  const x1 = x0.map((v, i) => v - precondition(A, grad(x0), d, q.p.method)[i]);
  // y_0 = B⁻¹x_0 through BᵀB (symmetric positive definite): y_0 = (BᵀB)⁻¹Bᵀx_0.
  const BtB = matMul(B, B, d, true);
  const Btx0 = new Float64Array(d);
  for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) Btx0[i] += B[k * d + i] * x0[k];
  const y0 = precondition(BtB, Btx0, d, 'newton');
  // ∇g(y) = Bᵀ∇f(By), ∇²g = BᵀAB.
  const By0 = matVec(B, d, d, y0);
  const gy = new Float64Array(d);
  const gf = grad(By0);
  for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) gy[i] += B[k * d + i] * gf[k];
  const Hy = matMul(B, matMul(A, B, d), d, true);
  const y1 = y0.map((v, i) => v - precondition(Hy, gy, d, q.p.method)[i]);
  return { x1, Bys: matVec(B, d, d, y1) };
}

/**
 * log10-eigenvalues (hundredths) in [0, 300] with κ ≥ 2 by construction: a pair `low` and
 * `low + spread` (spread ≥ 30), then up to six more, so shrinking drops the extras and reaches the
 * two-dimensional [0, 30]. A filter on a drawn array (max − min ≥ 30) blocked that: fast-check
 * shrinks an array by dropping its head, and at CI seed 20 the counterexample [30, 0, 0] (κ = 2,
 * d = 3) could only become [0, 0] (κ = 1, filtered out), so it stayed at d = 3.
 */
const spreadSpectrum = fc
  .record({ low: fc.integer({ min: 0, max: 270 }), spread: fc.integer({ min: 30, max: 300 }), more: fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 6 }) })
  .map(({ low, spread, more }) => [low, Math.min(300, low + spread), ...more]);

export default defineTheorem({
  id: 'adaptive/nagwekar-newton-one-step',
  title: "Newton's method is exact in one step on a quadratic and affine-invariant; the diagonal preconditioner is neither",
  provenance: {
    authors: ['Ansh Nagwekar'],
    year: 2025,
    title: 'Towards Guided Descent: Optimization Algorithms for Training Neural Networks At Scale',
    arxiv: '2512.18373',
    locator: 'second-order methods (abstract; C8.2 of the research notes)',
    fidelity: 'derived',
    fidelityNote:
      'Read: the abstract (which motivates second-order approximations and layer-wise preconditioning by anisotropy). The thesis body was not read; the two identities are the classical properties of Newton\'s method (Boyd & Vandenberghe §9.5), derived here in two lines: x_1 − x* = (I − A⁻¹A)(x_0 − x*) = 0, and ∇²g = BᵀAB, ∇g = Bᵀ∇f give y_1 = y_0 − B⁻¹A⁻¹∇f(By_0).',
  },
  kind: 'identity',
  statement: String.raw`For $f(x)=\tfrac12(x-x^\star)^\top A(x-x^\star)$, $A\succ0$: $x_1=x_0-A^{-1}\nabla f(x_0)=x^\star$; and for $g(y)=f(By)$, $B$ invertible, Newton from $y_0=B^{-1}x_0$ gives $By_1=x_1$.`,
  engines: { default: 'f64', supported: ['f64'] },

  build,
  summarize: (q): Summary => ({ d: q.d, κ: 10 ** ((Math.max(...q.p.logSpectrum) - Math.min(...q.p.logSpectrum)) / 100), method: q.p.method }),

  constants: {
    kappa: { tex: '\\kappa' },
    oneStepError: { tex: '\\|x_1-x^\\star\\|/\\|x_0-x^\\star\\|' },
    covarianceError: { tex: '\\|By_1-x_1\\|/\\|x_0-x^\\star\\|' },
    exactHessian: { tex: '\\mathbb 1[\\text{exact Hessian}]', about: '1 for Newton, 0 for the diagonal preconditioner' },
  },
  computeConstants(q) {
    const { x1, Bys } = steps(q);
    const e0 = norm2(q.x0.map((v, i) => v - q.xStar[i]));
    const { values } = symEig({ n: q.d, data: q.A });
    return {
      kappa: values[q.d - 1] / values[0],
      oneStepError: norm2(x1.map((v, i) => v - q.xStar[i])) / e0,
      covarianceError: norm2(Bys.map((v, i) => v - x1[i])) / e0,
      exactHessian: q.p.method === 'newton' ? 1 : 0,
    };
  },

  hypotheses: [
    { name: 'exact Hessian', tex: 'H=\\nabla^2 f', measure: (_q, c) => ({ measured: c.exactHessian, relation: '>=', required: 1 }), noSlack: 'which method, not a size' },
    { name: 'positive definite', tex: 'A\\succ0', measure: (_q, c) => ({ measured: c.kappa, relation: '<', required: Infinity }), noSlack: 'a property of A' },
  ],

  series: { error: { tex: '\\|x_k-x^\\star\\|/\\|x_0-x^\\star\\|', about: 'at k = 0 and k = 1' } },
  async run(_q, c) {
    return { series: { error: [1, c.oneStepError] }, steps: 1 };
  },

  conclusions: [
    {
      kind: 'identity',
      name: 'one step to the minimiser',
      tex: 'x_1=x^\\star',
      // Rounding of the eigen-decomposition solve: a few ulps times κ and the dimension.
      check: (_t, c, q: Instance, engine) => ({ error: c.oneStepError, tolerance: 64 * q.d * engine.eps * c.kappa }),
    },
    {
      kind: 'identity',
      name: 'affine invariance',
      tex: 'By_1=x_1',
      check: (_t, c, q: Instance, engine) => ({ error: c.covarianceError, tolerance: 256 * q.d * engine.eps * c.kappa }),
    },
  ],

  regimes: {
    theorem: {
      about: 'Newton on quadratics of dimension 2–8 with log10-eigenvalues in [0, 3] (κ up to 1000), B with singular values in [0.5, 2]',
      draw: fc.record({ logSpectrum: fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 2, maxLength: 8 }), seed: fc.integer({ min: 0, max: 2 ** 30 }), method: fc.constant('newton' as const) }),
      expect: 'holds',
      runs: { ci: 15, full: 60 },
    },
    'broken:exact-hessian': {
      about: 'the diagonal preconditioner diag(A)⁻¹ in place of A⁻¹ on the same (rotated) quadratics, with κ ≥ 2 (for A = cI it would be exact)',
      draw: fc.record({ logSpectrum: spreadSpectrum, seed: fc.integer({ min: 0, max: 2 ** 30 }), method: fc.constant('jacobi' as const) }),
      expect: 'violated',
      runs: { ci: 4, full: 12 },
      maxShrinks: 40,
      shrinksTo: { about: 'a two-dimensional quadratic', check: (p) => p.logSpectrum.length === 2 },
    },
  },
});
