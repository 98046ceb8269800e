/**
 * ReduNet (Chan et al. 2020): a layer is a gradient-ascent step on the rate reduction ΔR = R − R_c
 * because, exactly,
 *   ∇_Z R(Z) = E Z,                 E   = α(I + αZZᵀ)⁻¹,      α   = d/(mε²),
 *   ∇_{Z_j} R_c(Z | Π) = γ_j C_j Z_j, C_j = α_j(I + α_j Z_jZ_jᵀ)⁻¹, α_j = d/(m_jε²), γ_j = m_j/m.
 * Checked on drawn features (any Z: the identity needs no structure) by the engine's gradient of
 * the two log-determinants (tfjs: reverse-mode autodiff through an unrolled Cholesky, float32; f64:
 * central differences) and by float64 central differences, against E Z and γ_j C_j Z_j computed
 * in float64.
 *
 * Tolerance: a float32 gradient of ½ logdet(I + αZZᵀ) carries about ε·κ(A)·α‖Z‖ of rounding
 * (κ the condition number), so each side allows 2ε·d·Σ α κ(A) over its log-determinants; float64
 * differences allow 1e-10 times the same scale.
 *
 * The mutation weights the classes uniformly, γ_j = 1/k — the value ReduNet's vector layer
 * initialises γ to before compute_gam sets m_j/m — which is wrong whenever the classes are unbalanced.
 */
import { type Budget, type DualFunction, codingRateTf, compressionRateTf, centralDifferences, codingRate, compressionRate, classMembers, defineTheorem, engineGradient, fc, inverseSPD, maxAbsDiff, rateOperators, applyToColumns, type Features } from 'provably';
import { CODE_NOTE, REDUNET_2020, clusters, seed } from './_redunet.ts';

type Weights = 'proportional' | 'uniform';

interface Params {
  readonly d: number;
  readonly sizes: readonly number[];
  readonly sigma: number;
  readonly eps2: number;
  readonly seed: number;
  readonly weights: Weights;
}

interface Instance extends Params {
  readonly f: Features;
}

/** ‖A‖_F‖A⁻¹‖_F of I + αZ_SZ_Sᵀ, times α: the float32 error scale of its logdet's gradient. */
function conditionScale(f: Features, alpha: number, cols: readonly number[]): number {
  const { d, m, Z } = f;
  const A = new Float64Array(d * d);
  for (let a = 0; a < d; a++)
    for (let b = 0; b < d; b++) {
      let s = a === b ? 1 : 0;
      for (const i of cols) s += alpha * Z[a * m + i] * Z[b * m + i];
      A[a * d + b] = s;
    }
  const fro = (M: ArrayLike<number>) => Math.sqrt(Array.from(M).reduce((s, v) => s + v * v, 0));
  return alpha * fro(A) * fro(inverseSPD(A, d));
}

/** CI draws d ≤ 4 and classes of ≤ 5: the unrolled tfjs Cholesky costs O(d²) ops per log-determinant. */
const maxSize = (budget: Budget) => (budget === 'ci' ? 5 : 8);

/**
 * Unbalanced classes, built so that shrinking reaches two classes of one and two: a first class of
 * `first`, a second of any other size (`other` skips `first`), then at most one more class. A filter
 * on drawn sizes blocked that: fast-check shrinks an array by dropping its head, so 2+1+1 (CI seed
 * 11) could only become 1+1, balanced and filtered out, and shrinking stopped at three classes.
 */
const unbalancedSizes = (budget: Budget) =>
  fc
    .record({
      first: fc.integer({ min: 1, max: maxSize(budget) }),
      other: fc.integer({ min: 1, max: maxSize(budget) - 1 }),
      more: fc.array(fc.integer({ min: 1, max: maxSize(budget) }), { maxLength: 1 }),
    })
    .map(({ first, other, more }) => [first, other < first ? other : other + 1, ...more]);

const draw = (weights: Weights) => (budget: Budget) =>
  fc.record({
    d: fc.integer({ min: 1, max: budget === 'ci' ? 4 : 6 }),
    // Uniform weights are right for balanced classes: the mutation draws unbalanced ones.
    sizes: weights === 'proportional' ? fc.array(fc.integer({ min: 1, max: maxSize(budget) }), { minLength: 1, maxLength: 3 }) : unbalancedSizes(budget),
    sigma: fc.double({ min: 0.05, max: 1, noNaN: true }),
    eps2: fc.double({ min: 0.05, max: 1, noNaN: true }),
    seed,
    weights: fc.constant(weights),
  });

export default defineTheorem({
  id: 'representation/redunet-rate-gradients',
  title: 'The gradients of the coding rates are E Z and γ_j C_j Z_j (a ReduNet layer is a gradient step)',
  provenance: {
    ...REDUNET_2020,
    locator: 'the layer as projected gradient ascent on ΔR (§2 of the journal version, arXiv 2105.10446)',
    fidelity: 'derived',
    fidelityNote: `${CODE_NOTE} The two gradient formulas are derived here (d/dZ ½logdet(I + αZZᵀ) = α(I + αZZᵀ)⁻¹Z) and match the operators the code builds; the paper's statement of them was not read.`,
  },
  kind: 'identity',
  statement: String.raw`For $Z\in\mathbb{R}^{d\times m}$ with classes $Z_j$ of $m_j$ columns, $R(Z)=\tfrac12\log\det(I+\alpha ZZ^\top)$, $\alpha=\frac{d}{m\epsilon^2}$, and $R_c(Z\mid\Pi)=\sum_j\frac{m_j}{2m}\log\det(I+\alpha_jZ_jZ_j^\top)$, $\alpha_j=\frac{d}{m_j\epsilon^2}$: $\ \nabla_Z R = EZ$ with $E=\alpha(I+\alpha ZZ^\top)^{-1}$, and $\nabla_{Z_j}R_c = \gamma_j C_jZ_j$ with $C_j=\alpha_j(I+\alpha_jZ_jZ_j^\top)^{-1}$, $\gamma_j=\frac{m_j}{m}$.`,
  engines: { default: 'tfjs', supported: ['tfjs', 'f64'] },

  build: (p: Params): Instance => ({ ...p, f: clusters(p.d, p.sizes, p.sigma, p.seed) }),
  summarize: (q) => ({ d: q.d, m: q.f.m, classes: q.sizes.join('+'), eps2: q.eps2, weights: q.weights }),

  constants: {
    scaleR: { tex: '\\alpha\\,\\kappa(I+\\alpha ZZ^\\top)' },
    scaleRc: { tex: '\\sum_j \\gamma_j\\alpha_j\\,\\kappa(I+\\alpha_jZ_jZ_j^\\top)' },
    gammaError: { tex: '\\max_j|\\gamma_j - m_j/m|', about: 'of the class weights in the closed form checked' },
    d: { tex: 'd' },
  },
  computeConstants: (q) => {
    const members = classMembers(q.f);
    const gamma = members.map((c) => (q.weights === 'uniform' ? 1 / q.f.k : c.length / q.f.m));
    return {
      scaleR: conditionScale(q.f, q.d / (q.f.m * q.eps2), members.flat().sort((a, b) => a - b)),
      scaleRc: members.reduce((s, cols) => s + (cols.length / q.f.m) * conditionScale(q.f, q.d / (cols.length * q.eps2), cols), 0),
      gammaError: Math.max(...members.map((c, j) => Math.abs(gamma[j] - c.length / q.f.m))),
      d: q.d,
    };
  },

  hypotheses: [
    { name: 'class weights m_j/m', tex: '\\gamma_j = m_j/m', measure: (_q, c) => ({ measured: c.gammaError, relation: '<=', required: 1e-15, note: 'largest |γ_j − m_j/m| in the closed form' }), noSlack: 'a property of the formula, not a size' },
  ],

  series: {
    gradR: { tex: '\\nabla_Z R\\ \\text{(engine)}' },
    EZ: { tex: 'EZ' },
    gradRc: { tex: '\\nabla_Z R_c\\ \\text{(engine)}' },
    CZ: { tex: '[\\gamma_j C_jZ_j]_j' },
    fdR: { tex: '\\nabla_Z R\\ \\text{(float64 differences)}' },
    fdRc: { tex: '\\nabla_Z R_c\\ \\text{(float64 differences)}' },
  },
  run: async (q, _c, { engine }) => {
    const { d, m } = q.f;
    const members = classMembers(q.f);
    const at = (x: Float64Array): Features => ({ ...q.f, Z: x });
    const R: DualFunction = { f64: (x) => codingRate(at(x), q.eps2), tf: (tf, x) => codingRateTf(tf, x, q.f, q.eps2) };
    const Rc: DualFunction = { f64: (x) => compressionRate(at(x), q.eps2), tf: (tf, x) => compressionRateTf(tf, x, q.f, q.eps2) };
    const { E, C } = rateOperators(q.f, q.eps2);
    const EZ = applyToColumns(E, q.f, members.flat());
    const CZ = new Float64Array(d * m);
    members.forEach((cols, j) => applyToColumns(C[j], q.f, cols, q.weights === 'uniform' ? 1 / q.f.k : cols.length / m, CZ));
    return {
      series: { gradR: engineGradient(engine, R, q.f.Z), EZ, gradRc: engineGradient(engine, Rc, q.f.Z), CZ, fdR: centralDifferences(R.f64, q.f.Z, 1e-4), fdRc: centralDifferences(Rc.f64, q.f.Z, 1e-4) },
      steps: d * m - 1,
    };
  },

  conclusions: [
    {
      kind: 'identity',
      name: '∇R = EZ (engine)',
      tex: '\\max|\\nabla_Z R - EZ| \\le 2\\,\\varepsilon\\, d\\,\\alpha\\,\\kappa\\ \\text{(f64 differences: } 10^{-10}\\,d\\,\\alpha\\kappa)',
      sides: { measured: 'gradR', against: 'EZ' },
      check: (t, c, _q, engine) => ({ error: maxAbsDiff(t.series.gradR, t.series.EZ), tolerance: (engine.precision === 'float64' ? 1e-10 : 2 * engine.eps) * c.d * c.scaleR }),
    },
    {
      kind: 'identity',
      name: '∇R_c = γ_j C_j Z_j (engine)',
      tex: '\\max|\\nabla_Z R_c - [\\gamma_jC_jZ_j]| \\le 2\\,\\varepsilon\\, d\\sum_j\\gamma_j\\alpha_j\\kappa_j',
      sides: { measured: 'gradRc', against: 'CZ' },
      check: (t, c, _q, engine) => ({ error: maxAbsDiff(t.series.gradRc, t.series.CZ), tolerance: (engine.precision === 'float64' ? 1e-10 : 2 * engine.eps) * c.d * c.scaleRc }),
    },
    {
      kind: 'identity',
      name: 'float64 differences, both',
      tex: '\\max|D R - EZ| + \\max|D R_c - [\\gamma_jC_jZ_j]| \\le 10^{-10}\\,d\\,(\\alpha\\kappa + \\textstyle\\sum_j\\gamma_j\\alpha_j\\kappa_j)',
      check: (t, c) => ({ error: maxAbsDiff(t.series.fdR, t.series.EZ) + maxAbsDiff(t.series.fdRc, t.series.CZ), tolerance: 1e-10 * c.d * (c.scaleR + c.scaleRc) }),
    },
  ],

  regimes: {
    theorem: {
      about: 'd ≤ 6 (ci: 4), one to three classes of 1–8 (ci: 5) unit vectors around random directions (noise σ ∈ [0.05, 1]), ε² ∈ [0.05, 1]',
      draw: draw('proportional'),
      expect: 'holds',
      runs: { ci: 4, full: 100 },
      search: { evaluations: { ci: 2, full: 100 } },
    },
    'broken:class-weights': {
      about: 'the closed form with uniform class weights γ_j = 1/k (ReduNet’s initial γ), on unbalanced classes',
      draw: draw('uniform'),
      expect: 'violated',
      runs: { ci: 4, full: 40 },
      maxShrinks: 40,
      shrinksTo: { about: 'two classes of one and two samples', check: (p) => p.sizes.length === 2 && p.sizes[0] + p.sizes[1] === 3 },
    },
  },
});
