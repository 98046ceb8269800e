/**
 * Bengio's rule of thumb (arXiv 1206.5533, §3.1): the best constant learning rate is usually within
 * a factor 2 of the largest one that does not make training diverge. For gradient descent on a
 * quadratic with spectrum [μ, L] it is a theorem: GD diverges for η > 2/L, the best worst-case
 * contraction max_i |1 − ηλ_i| is at η* = 2/(L + μ), and (2/L)/(2/(L + μ)) = 1 + μ/L ∈ (1, 2].
 *
 * Checked here as practice would find it, on both ends: each learning rate of a log grid
 * η = 2^{j/8}/L is run for K steps from a start with equal weight on every eigendirection; the
 * largest rate whose loss stays below 10⁶ × the initial one is the "largest non-divergent" rate,
 * the one with the smallest final loss the "best". Their ratio must lie in [1, 2], up to one grid
 * step (2^{1/8}) at either end. The rule is about GD: Adam's steps are bounded by a multiple of its
 * learning rate whatever the curvature, so it never diverges on a quadratic and the largest
 * non-divergent rate runs off the grid (the broken regime: the ratio is far above 2).
 */
import { defineTheorem, fc, numerics, objectives, optim, type Summary } from 'provably';
import { BENGIO_2012 } from './_bengio.ts';

const { rng, orthogonal, fromSpectrum, matVec } = numerics;

interface Params {
  readonly spectrum: readonly number[];
  readonly seed: number;
  readonly method: 'gd' | 'adam';
}

interface Instance {
  readonly p: Params;
  readonly d: number;
  readonly A: Float64Array;
  readonly Q: Float64Array;
  readonly L: number;
  readonly mu: number;
}

const K = 200;
/** Grid exponents j: η = 2^{j/8}/L from 2^{−5}/L to 2^{20}/L. */
const GRID = Array.from({ length: 201 }, (_, i) => i - 40);
const DIVERGED = 1e6;

function build(p: Params): Instance {
  const d = p.spectrum.length;
  const Q = orthogonal(rng(p.seed, 1), d);
  const A = fromSpectrum(Q, p.spectrum);
  const { min, max } = objectives.extremeEigenvalues(A, d);
  return { p, d, A, Q, L: max, mu: min };
}

/** The start: Σ_i q_i (every eigenvector of A with weight 1), so each mode is excited. */
function start(q: Instance): Float64Array {
  const x = new Float64Array(q.d);
  for (let i = 0; i < q.d; i++) for (let j = 0; j < q.d; j++) x[i] += q.Q[i * q.d + j];
  return x;
}

/** Final loss over initial loss after K steps at η. */
function finalRatio(q: Instance, eta: number): number {
  const f = objectives.quadratic(q.A, new Float64Array(q.d));
  const x0 = start(q);
  const method = q.p.method === 'gd' ? optim.sgd(eta) : optim.adam(eta, { beta1: 0.9, beta2: 0.999, eps: 1e-8 });
  let last = NaN;
  optim.minimize(f, method, x0, K, ({ x }) => (last = f.value(x)));
  return last / f.value(x0);
}

/** The measured edge and best rate on the grid, as multiples of 1/L. */
function sweep(q: Instance): { div: number; best: number; bestRatio: number } {
  let div = NaN;
  let best = NaN;
  let bestRatio = Infinity;
  for (const j of GRID) {
    const eta = 2 ** (j / 8) / q.L;
    const r = finalRatio(q, eta);
    if (Number.isFinite(r) && r <= DIVERGED) div = eta;
    if (Number.isFinite(r) && r < bestRatio) {
      bestRatio = r;
      best = eta;
    }
  }
  return { div, best, bestRatio };
}

export default defineTheorem({
  id: 'adaptive/bengio-lr-near-divergence',
  title: 'The best constant learning rate is within a factor 2 of the largest non-divergent one (Bengio), exact for GD on quadratics',
  provenance: {
    ...BENGIO_2012,
    locator: '§3.1 (the initial learning rate)',
    fidelity: 'recalled',
    fidelityNote:
      "Read: the chapter's abstract, and via a secondary source the sentence that the initial learning rate \"is often the single most important hyper-parameter and one should always make sure that it has been tuned (up to approximately a factor of 2)\". Recalled, not checked against the chapter: the rule that the optimal rate is usually close to (by a factor of 2) the largest rate that does not cause divergence. The quadratic case (2/L against 2/(L + μ)) is derived here.",
  },
  kind: 'bound',
  statement: String.raw`For gradient descent on $f(x)=\tfrac12x^\top Ax$ with spectrum in $[\mu,L]$, $\mu>0$: the largest non-divergent constant step is $\eta_{\mathrm{div}}=2/L$, the step with the best worst-case contraction is $\eta^\star=2/(L+\mu)$, and $1<\eta_{\mathrm{div}}/\eta^\star=1+\mu/L\le2$. (Bengio: the optimal learning rate is usually within a factor 2 of the largest one that does not cause divergence.)`,
  engines: { default: 'f64', supported: ['f64'] },

  build,
  summarize: (q): Summary => ({ d: q.d, κ: q.L / q.mu, method: q.p.method }),

  constants: {
    L: { tex: 'L' },
    mu: { tex: '\\mu' },
    etaDiv: { tex: '\\eta_{\\mathrm{div}}', about: 'largest grid rate whose loss stays below 10⁶ × the initial one after K steps' },
    etaBest: { tex: '\\eta_{\\mathrm{best}}', about: 'grid rate with the smallest loss after K steps' },
    gridStep: { tex: '2^{1/8}', about: 'ratio of neighbouring grid rates' },
    exactRatio: { tex: '1+\\mu/L', about: '(2/L)/(2/(L + μ)), the quadratic theory' },
  },
  computeConstants(q) {
    const { div, best } = sweep(q);
    return { L: q.L, mu: q.mu, etaDiv: div, etaBest: best, gridStep: 2 ** (1 / 8), exactRatio: 1 + q.mu / q.L };
  },

  hypotheses: [
    { name: 'gradient descent', tex: '\\text{method}=\\mathrm{GD}', measure: (q) => ({ measured: q.p.method === 'gd' ? 1 : 0, relation: '>=', required: 1, note: q.p.method }), noSlack: 'which method, not a size' },
    { name: 'strongly convex', tex: '\\mu>0', measure: (_q, c) => ({ measured: c.mu, relation: '>', required: 0 }), noSlack: 'a property of the spectrum' },
  ],

  series: { ratio: { tex: '\\eta_{\\mathrm{div}}/\\eta_{\\mathrm{best}}' } },
  async run(_q, c) {
    return { series: { ratio: [c.etaDiv / c.etaBest] }, steps: 0 };
  },

  conclusions: [
    { kind: 'bound', name: 'within a factor 2', measured: 'ratio', relation: '<=', bound: '2 * gridStep', floor: '0', from: 0, guarantee: 'tight' },
    { kind: 'bound', name: 'best below the edge', measured: 'ratio', relation: '>=', bound: '1 / gridStep', floor: '0', from: 0 },
  ],

  regimes: {
    theorem: {
      about: 'GD on quadratics of dimension 2–6 with eigenvalues in [0.1, 10] (κ up to 100), K = 200 steps, grid 2^{j/8}/L',
      draw: fc.record({ spectrum: fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: 2, maxLength: 6 }), seed: fc.integer({ min: 0, max: 2 ** 30 }), method: fc.constant('gd' as const) }),
      expect: 'holds',
      runs: { ci: 8, full: 40 },
      search: { evaluations: { ci: 8, full: 40 } },
    },
    'broken:gradient-descent': {
      about: 'Adam (β = 0.9, 0.999) instead of GD on the same quadratics: it never diverges, so the largest non-divergent rate is the top of the grid',
      draw: fc.record({ spectrum: fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: 2, maxLength: 6 }), seed: fc.integer({ min: 0, max: 2 ** 30 }), method: fc.constant('adam' as const) }),
      expect: 'violated',
      runs: { ci: 3, full: 10 },
      maxShrinks: 20,
      shrinksTo: { about: 'a two-dimensional quadratic', check: (p) => p.spectrum.length === 2 },
    },
  },
});
