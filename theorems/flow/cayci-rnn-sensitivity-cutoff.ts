/**
 * Cayci & Eryilmaz (2024) analyse recurrent networks with diagonal hidden-to-hidden weights and
 * identify "a cutoff point that depends on the Lipschitz continuity of the activation": long-term
 * dependencies are harmless when β·ρ < 1 (β the activation's Lipschitz constant, ρ = max_i |w_i|)
 * and dominate above it. The checkable core (research notes §10, R1): with W = diag(w),
 *   ∂h_T/∂x_1 = D_T W D_{T−1} W ⋯ D_1 U,   |D_t| ≤ β,
 * so the output's sensitivity to the first input obeys
 *   S(T) = ‖∂f_T/∂x_1‖₂ ≤ β^T ρ^{T−1} · (1/√m) Σ_i |c_i| ‖U_i‖₂      (bound, for every T),
 * which is bounded in T iff βρ ≤ 1. In the activation's linear region (tanh′ ≈ 1 = β) the bound
 * is attained in rate: S(T) decays or grows like (βρ)^T. That rate is a trend over seeds: per seed
 * (a fresh network and input sequence) the slope of ln S(T)/ln(βρ) against T over T ∈ [16, 30]
 * is claimed within [0.8, 1.2] (one-sample t test, α = 0.05), below the cutoff (ρ ≤ 0.85) and
 * above it (ρ ≥ 1.15) alike.
 *
 * Broken: a full recurrent matrix (the bound uses the diagonal), and saturating inputs (outside the
 * linear region tanh′ < 1, so above the cutoff the sensitivity need not grow: the cutoff is where
 * the bound stops being bounded, not a guarantee of explosion).
 */
import { defineTheorem, fc, numerics, sensitivities, type Rnn, type Budget } from 'provably';

const { rng, normals, uniforms, signs } = numerics;

interface Params {
  readonly m: number;
  readonly d: number;
  readonly rho: number;
  readonly inputScale: number;
  /** Scale of the off-diagonal recurrent weights (0: diagonal). */
  readonly offDiagonal: number;
  readonly seed: number;
}

const T_MAX = 30;
const LATE = 16;
const BETA = 1; // tanh

function network(p: Params, replicate: number): { net: Rnn; X: Float64Array } {
  const r = (s: number) => rng(p.seed * 31 + replicate, s);
  const { m, d } = p;
  const w = uniforms(r(1), m, -1, 1).map((v) => p.rho * v);
  w[0] = p.rho * signs(r(2), 1)[0]; // ρ is attained
  const off = normals(r(3), m * m, p.offDiagonal / Math.sqrt(m));
  const W = Float64Array.from({ length: m * m }, (_, q) => (q % (m + 1) === 0 ? w[q / (m + 1)] : off[q]));
  return { net: { m, d, W, U: normals(r(4), m * d, 1 / Math.sqrt(d)), c: signs(r(5), m) }, X: normals(r(6), T_MAX * d, p.inputScale) };
}

const lateSlope = (o: { x: readonly number[]; y: readonly number[] }) => {
  const idx = o.x.map((_, j) => j).filter((j) => o.x[j] >= LATE);
  const xs = idx.map((j) => o.x[j]), ys = idx.map((j) => o.y[j]);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length, my = ys.reduce((a, b) => a + b, 0) / ys.length;
  return xs.reduce((a, x, j) => a + (x - mx) * (ys[j] - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
};

const rhoAwayFromCutoff = fc.oneof(fc.double({ min: 0.5, max: 0.85, noNaN: true }), fc.double({ min: 1.15, max: 1.35, noNaN: true }));
const draw = (inputScale: fc.Arbitrary<number>, offDiagonal: fc.Arbitrary<number>) => (_b: Budget) =>
  fc.record({ m: fc.integer({ min: 1, max: 16 }), d: fc.integer({ min: 1, max: 3 }), rho: rhoAwayFromCutoff, inputScale, offDiagonal, seed: fc.integer({ min: 0, max: 2 ** 20 }) });

export default defineTheorem({
  id: 'flow/cayci-rnn-sensitivity-cutoff',
  title: 'Diagonal RNNs: sensitivity to early inputs is bounded below the cutoff βρ = 1 and grows exponentially above it',
  provenance: {
    authors: ['Semih Cayci', 'Atilla Eryilmaz'],
    year: 2024,
    title: 'Convergence of Gradient Descent for Recurrent Neural Networks: A Nonasymptotic Analysis',
    arxiv: '2402.12241',
    locator: 'abstract: the cutoff point depending on the Lipschitz continuity of the activation; the sensitivity bound R1 (research notes §10)',
    fidelity: 'derived',
    fidelityNote:
      'Read via the search tool: the abstract (arXiv v2 and a LaTeX copy): diagonal hidden-to-hidden weights, width bounds in T, n, d, and "a cutoff point that depends on the Lipschitz continuity of the activation function". The theorem text and its constants were not read. The bound and the rate claim are derived here from the chain rule (file header); that they are the paper\'s "cutoff" is the research notes\' reading, to confirm against Theorem 1 of v2. The width-versus-sample-size claim (m growing like log n) is not checked.',
  },
  kind: 'bound',
  statement: String.raw`Let $h_t=\sigma(w\odot h_{t-1}+Ux_t)$, $h_0=0$, $f_T=\frac1{\sqrt m}c^\top h_T$, with $\sigma$ $\beta$-Lipschitz and $\rho=\max_i|w_i|$. Then $\big\|\partial f_T/\partial x_1\big\|_2\le\beta^T\rho^{T-1}\frac1{\sqrt m}\sum_i|c_i|\,\|U_{i}\|_2$ for every $T$: bounded over the sequence length when $\beta\rho<1$, and (in the activation's linear region) growing like $(\beta\rho)^T$ when $\beta\rho>1$.`,
  engines: { default: 'f64', supported: ['f64'] },

  build: (p: Params) => ({ ...p, ...network(p, 0) }),
  summarize: (q) => ({ m: q.m, d: q.d, ρ: q.rho, 'input scale': q.inputScale, ...(q.offDiagonal ? { 'off-diagonal scale': q.offDiagonal } : {}) }),

  constants: {
    beta: { tex: '\\beta', about: 'Lipschitz constant of tanh' },
    rho: { tex: '\\rho', about: 'max_i |W_ii|, measured' },
    cu: { tex: '\\tfrac1{\\sqrt m}\\sum_i|c_i|\\|U_i\\|_2' },
    offDiag: { tex: '\\max_{i\\ne j}|W_{ij}|' },
    maxPre: { tex: '\\max_{t,i}|z_{t,i}|', about: 'largest pre-activation along the sequence (tanh′ ≥ 1 − maxPre²)' },
    logCutoff: { tex: '|\\ln(\\beta\\rho)|' },
  },
  computeConstants(q) {
    const { m, W, U, c, d } = q.net;
    let rho = 0, off = 0, cu = 0;
    for (let i = 0; i < m; i++) {
      rho = Math.max(rho, Math.abs(W[i * m + i]));
      for (let j = 0; j < m; j++) if (j !== i) off = Math.max(off, Math.abs(W[i * m + j]));
      cu += Math.abs(c[i]) * Math.hypot(...U.slice(i * d, (i + 1) * d));
    }
    return { beta: BETA, rho, cu: cu / Math.sqrt(m), offDiag: off, maxPre: sensitivities(q.net, q.X).maxPre, logCutoff: Math.abs(Math.log(BETA * rho)) };
  },

  hypotheses: [
    { name: 'diagonal recurrence', tex: 'W=\\mathrm{diag}(w)', measure: (_q, c) => ({ measured: c.offDiag, relation: '<=', required: 0 }) },
    { name: 'linear region', tex: '\\max_{t,i}|z_{t,i}|\\le0.05', measure: (_q, c) => ({ measured: c.maxPre, relation: '<=', required: 0.05, note: 'needed for the growth rate, not for the bound' }) },
    { name: 'away from the cutoff', tex: '|\\ln(\\beta\\rho)|\\ge0.1', measure: (_q, c) => ({ measured: c.logCutoff, relation: '>=', required: 0.1 }) },
  ],

  series: { S: { tex: '\\|\\partial f_T/\\partial x_1\\|_2', about: 'index k = sequence length T (k = 0 unused)' } },
  run: async (q) => {
    const { S } = sensitivities(q.net, q.X);
    return { series: { S: [NaN, ...S] }, steps: T_MAX };
  },

  conclusions: [
    {
      kind: 'bound',
      name: 'sensitivity bound',
      measured: 'S',
      relation: '<=',
      bound: 'beta^k * rho^(k - 1) * cu',
      floor: '0',
      guarantee: 'upper',
    },
    {
      kind: 'trend',
      name: 'rate (βρ)^T',
      tex: '\\|\\partial f_T/\\partial x_1\\| \\approx C(\\beta\\rho)^T',
      about: 'slope of ln S(T)/ln(βρ) against T over T ∈ [16, 30]: 1 when S(T) ∝ (βρ)^T',
      x: { name: 'T', tex: 'T', scale: 'linear' },
      y: { name: 'ln S(T)/ln(βρ)', tex: '\\ln S(T)/\\ln(\\beta\\rho)', scale: 'linear' },
      statistic: { name: 'slope of ln S(T)/ln(βρ) against T for T ≥ 16', tex: '\\frac{d\\ln S/d T}{\\ln(\\beta\\rho)}', of: lateSlope },
      claim: { within: [0.8, 1.2] },
      test: 't',
      seeds: { ci: 6, full: 10 },
      alpha: 0.05,
      observe: async (p, c, { seed }) => {
        const { net, X } = network(p, seed);
        const { S } = sensitivities(net, X);
        return { x: Array.from(S, (_, t) => t + 1), y: Array.from(S, (v) => Math.log(v) / Math.log(c.beta * p.rho)) };
      },
    },
  ],

  regimes: {
    theorem: {
      about: 'diagonal tanh RNNs, width m ≤ 16, input dimension d ≤ 3, ρ ∈ [0.5, 0.85] ∪ [1.15, 1.35] (ρ attained by one unit), inputs N(0, 10⁻¹²) (linear region), T ≤ 30',
      draw: draw(fc.constant(1e-6), fc.constant(0)),
      expect: 'holds',
      runs: { ci: 8, full: 24 },
    },
    'broken:diagonal-recurrence': {
      about: 'a full recurrent matrix: the same diagonal plus off-diagonal entries N(0, 0.6²/m)',
      draw: draw(fc.constant(1e-6), fc.constant(0.6)),
      expect: 'violated',
      runs: { ci: 6, full: 12 },
      maxShrinks: 60,
    },
    'broken:linear-region': {
      about: 'diagonal, but inputs N(0, 1): tanh saturates and its slope falls below β = 1',
      draw: draw(fc.constant(1), fc.constant(0)),
      expect: 'violated',
      runs: { ci: 6, full: 12 },
      maxShrinks: 60,
    },
  },
});
