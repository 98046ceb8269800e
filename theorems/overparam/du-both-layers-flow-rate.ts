/**
 * Du, Zhai, Póczos & Singh (ICLR 2019), Theorem 3.3: the exponential rate of Theorem 3.2 survives
 * when both layers are trained. With a trained too, the kernel of the flow in function space is
 * H(t) + G(t), G_ij = (1/m) Σ_r relu(w_rᵀx_i) relu(w_rᵀx_j) ⪰ 0, so the residual decays at least as
 * fast as with the first layer alone:
 *   ‖y − u(t)‖² ≤ e^{−λ0 t} ‖y − u(0)‖².
 *
 * The flow of θ = (W, a) runs through the suite's Dormand–Prince integrator, on the gradient of
 * both layers from the suite's two-layer model (src/models/two-layer-relu.ts, issue 3), with the
 * same tolerance treatment as Theorem 3.2 (overparam/du-gradient-flow-rate): ReLU sliding modes
 * make the integrator crawl at the suite's tolerance, so it runs at 10⁴× it (1e-6 by default),
 * the floor is kFlow·flowTol·‖y − u(0)‖², and a run that spends 20 000 steps stops (reported).
 * The width requirement is Theorem 3.2's, made explicit the same way; `broken:width` (one hidden
 * unit, slightly more data than its d + 1 weights) must violate the rate. (With many more data,
 * the flow of a tiny network slides along activation boundaries and stalls the integrator before
 * the bound has decayed below its plateau: those runs are inconclusive, measured.)
 */
import { defineTheorem, fc, numerics, optim, type Budget } from 'provably';
import { bothLayersObjective, gramInfinitySpectrum, twoLayerNet } from './_two-layer.ts';
import type { TwoLayerRelu } from 'provably';

const { rowNorms, maxAbs, sumSquares } = numerics;
const { gradientFlow, flowTolerance, FLOW_ERROR_FACTOR, uniformTimes } = optim;

interface Params {
  readonly n: number;
  readonly d: number;
  readonly m: number;
  readonly dataSeed: number;
  readonly initSeed: number;
}

type Instance = TwoLayerRelu;

const DELTA = 0.1;
const OUTPUTS = 120;
/** The bound's decay at the horizon: e^{−λ0 T} = DECAY. */
const DECAY = 1e-3;
/** ReLU flows slide along activation boundaries: integrate at this multiple of the suite's tolerance. */
const RELU_TOLERANCE_FACTOR = 10_000;
/** Steps the integrator may take (a sliding mode can exhaust any budget; the run then stops, reported). */
const MAX_STEPS = 20_000;

/** Explicit width for the flow proof (theorems-A.md §5a, derived; δ split in three). */
function widthRequired(n: number, lambda0: number, ynorm2: number): number {
  const lemma31 = (8 * n ** 2 * Math.log((6 * n ** 2) / DELTA)) / lambda0 ** 2;
  const movement = ((13824 / Math.PI) * n ** 5 * (ynorm2 + n / 2)) / (DELTA ** 3 * lambda0 ** 4);
  return Math.max(lemma31, movement);
}

const seed = fc.integer({ min: 0, max: 2 ** 30 });
const widths = (...ms: number[]) => (_b: Budget) => fc.record({ n: fc.integer({ min: 2, max: 6 }), d: fc.integer({ min: 2, max: 8 }), m: fc.constantFrom(...ms), dataSeed: seed, initSeed: seed });

export default defineTheorem({
  id: 'overparam/du-both-layers-flow-rate',
  title: 'Gradient flow on both layers of an over-parameterised two-layer ReLU network converges exponentially at rate λ0',
  provenance: {
    authors: ['Simon S. Du', 'Xiyu Zhai', 'Barnabás Póczos', 'Aarti Singh'],
    year: 2019,
    title: 'Gradient Descent Provably Optimizes Over-parameterized Neural Networks',
    arxiv: '1810.02054',
    venue: 'ICLR 2019',
    locator: 'Theorem 3.3',
    fidelity: 'recalled',
    fidelityNote:
      'The paper could not be read here (the search tool returns only the opening of its text). The research notes (theorems-A.md §5a) record as read only that Theorem 3.3 exists and says the same result holds when both layers are trained by gradient flow; its exact hypotheses (any extra logarithmic factor in the width, the initialisation of a) are not known here. Encoded as Theorem 3.2\'s statement with both layers trained (recalled), with Theorem 3.2\'s explicit width (derived).',
  },
  kind: 'bound',
  statement: String.raw`Let $f(W,a,x)=\frac1{\sqrt m}\sum_{r=1}^m a_r\,\mathrm{relu}(w_r^\top x)$ with $w_r(0)\sim N(0,I)$, $a_r(0)\sim\mathrm{unif}\{-1,1\}$, $\|x_i\|_2=1$, $|y_i|\le C$ and $\lambda_0=\lambda_{\min}(H^\infty)>0$. If $m=\Omega\big(\frac{n^6}{\lambda_0^4\delta^3}\big)$ (up to logarithmic factors), then with probability at least $1-\delta$ over the initialisation, the gradient flow on both layers, $\frac{dw_r}{dt} = -\frac{\partial L}{\partial w_r}$, $\frac{da_r}{dt} = -\frac{\partial L}{\partial a_r}$, on $L(W,a)=\frac12\sum_i(f(W,a,x_i)-y_i)^2$ satisfies $\|y-u(t)\|_2^2 \le e^{-\lambda_0 t}\,\|y-u(0)\|_2^2$ for all $t\ge0$.`,
  engines: { default: 'f64', supported: ['f64'] },

  build: (p: Params): Instance => twoLayerNet(p.n, p.d, p.m, p.dataSeed, p.initSeed),
  summarize: (net) => ({ n: net.n, d: net.d, m: net.m }),

  constants: {
    lambda0: { tex: '\\lambda_0', about: 'λmin(H∞), float64' },
    r0: { tex: '\\|y-u(0)\\|_2^2' },
    n: { tex: 'n' },
    m: { tex: 'm' },
    mRequired: { tex: 'm_{\\mathrm{req}}', about: `explicit width requirement at δ = ${DELTA} (derived)` },
    unitDeviation: { tex: '\\max_i\\,|\\|x_i\\|-1|' },
    horizon: { tex: 'T', about: `where e^{−λ0 T} = ${DECAY}; output times t_k = T(k/K)², dense at the start` },
    flowTol: { tex: '\\mathrm{tol}', about: `relative tolerance of the Dormand–Prince integrator (${RELU_TOLERANCE_FACTOR}× the suite's)` },
    kFlow: { tex: 'K_{\\mathrm{flow}}', about: 'global error allowed, in tolerances' },
  },
  computeConstants(net) {
    const { lambda0 } = gramInfinitySpectrum(net.X, net.n, net.d);
    const obj = bothLayersObjective(net);
    return {
      lambda0,
      r0: 2 * obj.value([...net.W0, ...net.a]),
      n: net.n,
      m: net.m,
      mRequired: widthRequired(net.n, lambda0, sumSquares(net.y)),
      unitDeviation: maxAbs(rowNorms(net.X, net.n, net.d).map((v) => Math.abs(v - 1))),
      horizon: lambda0 > 0 ? Math.log(1 / DECAY) / lambda0 : OUTPUTS,
      flowTol: RELU_TOLERANCE_FACTOR * flowTolerance(),
      kFlow: FLOW_ERROR_FACTOR,
    };
  },

  hypotheses: [
    { name: 'unit-norm inputs', tex: '\\|x_i\\|_2 = 1', measure: (_n, c) => ({ measured: c.unitDeviation, relation: '<=', required: 1e-9 }), noSlack: 'the scale of the data, not a size' },
    { name: 'λ0 > 0', tex: '\\lambda_0 > 0', measure: (_n, c) => ({ measured: c.lambda0, relation: '>', required: 1e-12 }), noSlack: 'a condition on the data, not a size' },
    { name: 'width', tex: 'm = \\Omega\\big(n^6/(\\lambda_0^4\\delta^3)\\big)', measure: (_n, c) => ({ measured: c.m, relation: '>=', required: c.mRequired, note: `explicit constants derived from the proof, δ = ${DELTA}` }) },
  ],

  series: { residual2: { tex: '\\|y-u(t_k)\\|_2^2' }, t: { tex: 't_k' } },
  run: async (net, c) => {
    const times = Array.from({ length: OUTPUTS + 1 }, (_, k) => c.horizon * (k / OUTPUTS) ** 2);
    const t = gradientFlow(bothLayersObjective(net), { x0: [...net.W0, ...net.a], times, scale: 1, rtol: c.flowTol, maxSteps: MAX_STEPS });
    // A run that stopped early is judged on the times it reached; after them NaN, so that it can
    // show a violation but never "holds" for times it did not reach.
    const residual2 = Float64Array.from({ length: OUTPUTS + 1 }, (_, k) => (k < t.loss.length ? 2 * t.loss[k] : NaN));
    return { series: { residual2, t: times }, steps: OUTPUTS, ...(t.stopped ? { stopped: t.stopped } : {}) };
  },

  conclusions: [
    {
      kind: 'bound',
      name: 'exponential rate',
      measured: 'residual2',
      relation: '<=',
      bound: 'exp(-lambda0 * t) * r0',
      trivial: 'r0',
      // Integration error (K tolerances of the residual's scale) and rounding of the residual.
      floor: 'kFlow * flowTol * r0 + n * (64 * eps)^2 * (1 + r0)',
      guarantee: 'upper',
    },
  ],

  regimes: {
    theorem: {
      about: `Gaussian unit inputs, n ≤ 6, d ≤ 8, widths 512 and 1024; horizon where e^{−λ0 t} = ${DECAY}; the width hypothesis cannot be met at any testable size and is reported as measured`,
      draw: widths(512, 1024),
      expect: 'holds',
      runs: { ci: 1, full: 8 },
      search: { evaluations: { ci: 0, full: 6 } },
      slack: [
        {
          hypothesis: 'width',
          symbol: 'm',
          conclusion: 'exponential rate',
          about: 'n = 4, d = 5, fixed data; the initialisation of both layers varied',
          base: { n: 4, d: 5, m: 64, dataSeed: 3, initSeed: 0 },
          at: (p: Params, m: number) => ({ ...p, m }),
          replicate: (p: Params, s: number) => ({ ...p, initSeed: s }),
          range: { from: 1, to: 1024, integer: true },
          grid: { ci: 3, full: 6 },
          refine: { ci: 1, full: 3 },
          seeds: { ci: 2, full: 10 },
        },
      ],
    },
    'proxy:narrow': {
      about: 'narrow widths m ∈ {8, 32, 128}: how often does the flow still decay at rate λ0?',
      draw: widths(8, 32, 128),
      expect: 'observe',
      runs: { ci: 2, full: 10 },
    },
    'broken:width': {
      about: 'under-parameterised: one hidden unit, d ∈ {2, 3}, n = (d + 1) + 1 or 2 data points (more than the d + 1 trained weights)',
      draw: (_b: Budget) =>
        fc
          .record({ d: fc.integer({ min: 2, max: 3 }), excess: fc.integer({ min: 1, max: 2 }), dataSeed: seed, initSeed: seed })
          .map(({ d, excess, dataSeed, initSeed }): Params => ({ n: d + 1 + excess, d, m: 1, dataSeed, initSeed })),
      expect: 'violated',
      runs: { ci: 3, full: 10 },
      maxShrinks: 60,
    },
  },
});
