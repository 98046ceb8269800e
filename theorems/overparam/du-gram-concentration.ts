/**
 * Du, Zhai, Póczos & Singh (ICLR 2019), Lemma 3.1: at a random initialisation the Gram matrix
 *   H_ij(0) = x_iᵀx_j · (1/m) Σ_r 1{w_r(0)ᵀx_i ≥ 0, w_r(0)ᵀx_j ≥ 0}
 * is close to its expectation H∞, so λmin(H(0)) ≥ ¾λ0. No training: it is a statement about the
 * initialisation only, checked exactly in float64.
 *
 * The width it needs, with explicit constants (derived here): each entry of H(0) averages m
 * independent terms in a range of length ≤ 1, so by Hoeffding and a union bound over the n²
 * entries, with probability ≥ 1 − δ every entry is within √(log(2n²/δ)/(2m)) of H∞, hence
 * ‖H(0) − H∞‖₂ ≤ ‖·‖_F ≤ n√(log(2n²/δ)/(2m)) ≤ λ0/4 once m ≥ 8n² log(2n²/δ)/λ0²; Weyl's
 * inequality then gives λmin(H(0)) ≥ λ0 − λ0/4. With small n and a well-spread data set this width
 * is reachable, so the `theorem` regime meets every hypothesis (unlike Theorem 4.1's m ≈ 1e16).
 * δ = 0.01 keeps the chance that a `theorem` instance fails by bad luck, if the lemma is right, at
 * most 1% (and far less: Hoeffding and Frobenius are loose).
 *
 * Two trends say the probabilities rise with m (0/1 outcomes per width, exact sign test over
 * seeds), and the slack searches measure from which width each inequality holds in 95% of
 * initialisations, against the width required. `broken:width` (m ≤ 4) must violate both.
 */
import { defineTheorem, fc, numerics, type Budget } from 'provably';
import { gramAt, gramInfinitySpectrum, initialise, unitData, DU_2019 } from './_two-layer.ts';

const { reluGramInfinity, rowNorms, maxAbs } = numerics;

/** m: a width, or 'required' (the explicit requirement, rounded up). */
interface Params {
  readonly n: number;
  readonly d: number;
  readonly m: number | 'required';
  readonly dataSeed: number;
  readonly initSeed: number;
}

interface Instance {
  readonly n: number;
  readonly d: number;
  readonly m: number;
  readonly X: Float64Array;
  readonly W0: Float64Array;
  readonly dataSeed: number;
  readonly initSeed: number;
  readonly lambda0: number;
}

const DELTA = 0.01;
/** Widths of the trends: from where neither inequality can hold to where both usually do. */
const WIDTHS = [2, 8, 32, 128, 512, 2048, 8192, 32768];
const MAX_WIDTH = 1 << 20;

function widthRequired(n: number, lambda0: number): number {
  return (8 * n ** 2 * Math.log((2 * n ** 2) / DELTA)) / lambda0 ** 2;
}

function build(p: Params): Instance {
  const { X } = unitData(p.n, p.d, p.dataSeed);
  const { lambda0 } = gramInfinitySpectrum(X, p.n, p.d);
  const m = p.m === 'required' ? Math.min(MAX_WIDTH, Math.ceil(widthRequired(p.n, lambda0))) : p.m;
  return { n: p.n, d: p.d, m, X, W0: initialise(m, p.d, p.initSeed).W0, dataSeed: p.dataSeed, initSeed: p.initSeed, lambda0 };
}

/** Both inequalities at a fresh initialisation of width m (replicate `seed` of the instance's). */
function outcomeAt(q: Instance, m: number, seed: number, Hinf: Float64Array): { lambdaMin: number; deviation: number } {
  const W = initialise(m, q.d, q.initSeed * 7919 + 104729 * (seed + 1) + m).W0;
  return gramAt(q.X, q.n, q.d, W, m, Hinf);
}

/**
 * Both inequalities at every width for replicate `seed`: the two trends read the same
 * initialisations, so they are computed once per (instance, seed).
 */
const outcomesCache = new WeakMap<Instance, Map<number, { lambdaMin: number; deviation: number }[]>>();
function outcomes(q: Instance, seed: number): { lambdaMin: number; deviation: number }[] {
  let bySeed = outcomesCache.get(q);
  if (!bySeed) outcomesCache.set(q, (bySeed = new Map()));
  let out = bySeed.get(seed);
  if (!out) {
    const Hinf = reluGramInfinity(q.X, q.n, q.d).data;
    bySeed.set(seed, (out = WIDTHS.map((m) => outcomeAt(q, m, seed, Hinf))));
  }
  return out;
}

/** "The probability that `event` holds at initialisation rises with m": a sign test on the slope of the 0/1 outcomes against log m. */
function risesWithM(name: string, event: string, held: (o: { lambdaMin: number; deviation: number }, lambda0: number) => boolean) {
  return {
    kind: 'trend',
    name,
    tex: `\\Pr\\big[${event}\\big] \\uparrow \\text{ in } m`,
    about: 'per seed: 1 where the inequality holds at a fresh initialisation of each width, else 0',
    x: { name: 'm', tex: 'm', scale: 'log' },
    y: { name: 'held', tex: `\\mathbb 1[${event}]`, scale: 'linear' },
    claim: { relation: '>', value: 0 },
    test: 'sign',
    seeds: TREND_SEEDS,
    alpha: 0.05,
    observe: async (q: Instance, c: { readonly lambda0: number }, { seed }: { seed: number }) => ({ x: WIDTHS, y: outcomes(q, seed).map((o) => (held(o, c.lambda0) ? 1 : 0)) }),
  } as const;
}

const seed = fc.integer({ min: 0, max: 2 ** 30 });
const data = { n: fc.integer({ min: 2, max: 6 }), d: fc.integer({ min: 6, max: 12 }), dataSeed: seed, initSeed: seed };
const TREND_SEEDS = { ci: 10, full: 16 };

export default defineTheorem({
  id: 'overparam/du-gram-concentration',
  title: 'At initialisation the Gram matrix of a wide two-layer ReLU network is close to H∞, and λmin(H(0)) ≥ 3λ0/4',
  provenance: {
    ...DU_2019,
    locator: 'Lemma 3.1',
    fidelity: 'recalled',
    fidelityNote:
      'The paper could not be read here (the search tool returns only the opening of its text). From the research notes (theorems-A.md §5a): the part "λmin(H(0)) ≥ 3λ0/4" was read there from a text conversion with the formulas stripped; the companion "‖H(0) − H∞‖₂ ≤ λ0/4" and the order m = Ω(n²/λ0² · log(n/δ)) are recalled. Derived here: the explicit constant m ≥ 8n² log(2n²/δ)/λ0² (Hoeffding, union bound, Frobenius ≥ spectral norm, Weyl), with δ = 0.01.',
  },
  kind: 'bound',
  statement: String.raw`Let $\|x_i\|_2 = 1$ for $i\in[n]$, $\lambda_0 = \lambda_{\min}(H^\infty) > 0$, $w_r(0)\sim N(0,I)$ i.i.d. and $H_{ij}(0) = \frac{x_i^\top x_j}{m}\sum_{r=1}^m \mathbb 1\{w_r(0)^\top x_i\ge 0,\ w_r(0)^\top x_j\ge 0\}$. If $m = \Omega\big(\frac{n^2}{\lambda_0^2}\log\frac{n}{\delta}\big)$, then with probability at least $1-\delta$: $\|H(0)-H^\infty\|_2 \le \frac{\lambda_0}{4}$ and $\lambda_{\min}(H(0)) \ge \frac34\lambda_0$.`,
  engines: { default: 'f64', supported: ['f64'] },

  build,
  summarize: (q) => ({ n: q.n, d: q.d, m: q.m }),

  constants: {
    lambda0: { tex: '\\lambda_0', about: 'λmin(H∞), float64' },
    lambdaH0: { tex: '\\lambda_{\\min}(H(0))' },
    deviation: { tex: '\\|H(0)-H^\\infty\\|_2' },
    n: { tex: 'n' },
    m: { tex: 'm' },
    mRequired: { tex: 'm_{\\mathrm{req}}', about: `8n² log(2n²/δ)/λ0² at δ = ${DELTA} (derived)` },
    unitDeviation: { tex: '\\max_i\\,|\\|x_i\\|-1|' },
  },
  computeConstants(q) {
    const { lambdaMin, deviation } = gramAt(q.X, q.n, q.d, q.W0, q.m);
    return {
      lambda0: q.lambda0,
      lambdaH0: lambdaMin,
      deviation,
      n: q.n,
      m: q.m,
      mRequired: widthRequired(q.n, q.lambda0),
      unitDeviation: maxAbs(rowNorms(q.X, q.n, q.d).map((v) => Math.abs(v - 1))),
    };
  },

  hypotheses: [
    { name: 'unit-norm inputs', tex: '\\|x_i\\|_2 = 1', measure: (_q, c) => ({ measured: c.unitDeviation, relation: '<=', required: 1e-9 }), noSlack: 'the scale of the data, not a size' },
    { name: 'λ0 > 0', tex: '\\lambda_0 > 0', measure: (_q, c) => ({ measured: c.lambda0, relation: '>', required: 1e-12, note: 'below 1e-12 counts as 0' }), noSlack: 'a condition on the data, not a size' },
    { name: 'width', tex: 'm \\ge 8n^2\\log(2n^2/\\delta)/\\lambda_0^2', measure: (_q, c) => ({ measured: c.m, relation: '>=', required: c.mRequired, note: `explicit constant derived here, δ = ${DELTA}` }) },
  ],

  // Nothing is trained: the "run" reports the two measured quantities at step 0.
  series: { lambdaMinH0: { tex: '\\lambda_{\\min}(H(0))' }, gramDeviation: { tex: '\\|H(0)-H^\\infty\\|_2' } },
  run: async (_q, c) => ({ series: { lambdaMinH0: [c.lambdaH0], gramDeviation: [c.deviation] }, steps: 0 }),

  conclusions: [
    {
      kind: 'bound',
      name: 'λmin(H(0)) ≥ 3λ0/4',
      measured: 'lambdaMinH0',
      relation: '>=',
      bound: '3 * lambda0 / 4',
      from: 0,
      // Eigenvalues of an n×n matrix with O(1) entries, by a backward-stable solver.
      floor: '64 * n * eps',
      guarantee: 'upper',
    },
    {
      kind: 'bound',
      name: '‖H(0) − H∞‖₂ ≤ λ0/4',
      measured: 'gramDeviation',
      relation: '<=',
      bound: 'lambda0 / 4',
      from: 0,
      floor: '64 * n * eps',
      guarantee: 'upper',
    },
    risesWithM('P[λmin(H(0)) ≥ 3λ0/4] rises with m', '\\lambda_{\\min}(H(0)) \\ge \\tfrac34\\lambda_0', (o, lambda0) => o.lambdaMin >= 0.75 * lambda0),
    risesWithM('P[‖H(0) − H∞‖₂ ≤ λ0/4] rises with m', '\\|H(0)-H^\\infty\\|_2 \\le \\tfrac14\\lambda_0', (o, lambda0) => o.deviation <= 0.25 * lambda0),
  ],

  regimes: {
    theorem: {
      about: `m set to the explicit requirement 8n² log(2n²/δ)/λ0² (δ = ${DELTA}, at most 2^20), Gaussian unit inputs, n ≤ 6, d ∈ [6, 12]`,
      draw: fc.record({ ...data, m: fc.constant<'required'>('required') }),
      expect: 'holds',
      runs: { ci: 2, full: 10 },
      search: { evaluations: { ci: 1, full: 10 } },
      slack: (['λmin(H(0)) ≥ 3λ0/4', '‖H(0) − H∞‖₂ ≤ λ0/4'] as const).map((conclusion) => ({
        hypothesis: 'width',
        symbol: 'm',
        conclusion,
        about: 'n = 6, d = 8, fixed data; the initialisation varied',
        base: { n: 6, d: 8, m: 64, dataSeed: 11, initSeed: 0 } as Params,
        at: (p: Params, m: number) => ({ ...p, m }),
        replicate: (p: Params, s: number) => ({ ...p, initSeed: s }),
        range: { from: 2, to: 1 << 17, integer: true },
        grid: { ci: 4, full: 9 },
        refine: { ci: 1, full: 5 },
        seeds: { ci: 4, full: 40 },
      })),
    },
    'broken:width': {
      about: 'm ≤ 4 hidden units: H(0) has rank ≤ m and entries that are multiples of 1/m',
      draw: (_b: Budget) => fc.record({ n: fc.integer({ min: 2, max: 6 }), d: fc.integer({ min: 2, max: 12 }), m: fc.integer({ min: 1, max: 4 }), dataSeed: seed, initSeed: seed }),
      expect: 'violated',
      runs: { ci: 3, full: 10 },
      shrinksTo: { about: 'n = 2 with a single hidden unit', check: (p) => p.n === 2 && p.m === 1 },
    },
  },
});
