/**
 * Robin, Scaman & Lelarge (ICLR 2025): given a witness (a small network that reaches low loss),
 * training a random sparse lift of it reaches arbitrarily low loss with high probability once the
 * lift is large enough. The paper proves it for gradient flow, without constants; what can be
 * checked is the trend: the probability of reaching low loss rises with the size N of the lift.
 *
 * Setting (derived, see src/models/sparse-lift.ts): the base network is d → k tanh units → 1, the
 * target is a base network with random weights (so a witness exists), a lift of size N replaces
 * every vertex by N copies and keeps each lifted edge with probability min(1, c/N), and gradient
 * descent with a small step (the flow's explicit Euler scheme) runs for a fixed number of steps.
 * "Low loss" is ½‖f − y‖² ≤ 10⁻³ of its initial value. Per seed, R independent lifts of each size
 * N ∈ {1, 2, 4, 8, 16, 32} give the fraction y(N) that reached low loss; two claims over seeds, each
 * an exact sign test at α = 0.05:
 *   the fraction rises with N (slope of y against log N > 0; seeds where it is flat drop out);
 *   at N = 32 it exceeds 1/2.
 * A soft per-instance claim (the instance's own lift of size 32 reaches low loss) feeds the slack
 * search over c.
 *
 * Negative control: `broken:witness` uses linear units: every lift then computes a linear function
 * of x, the nonlinear target has no witness, and the fraction at N = 32 must be significantly
 * below 1/2.
 *
 * What was measured against the research notes' expectation. The notes proposed a subcritical lift
 * (mean degree c < 1, no giant component) as the negative control. In this construction the
 * prediction averages all N output copies, so Θ(N) input–output paths survive for any c > 0, and
 * sparse lifts do reach low loss once N is large: in a first measurement (d = k = 2, n = 8, 12
 * seeds, c = 0.5) the fraction went 0, 0.33, 0.25, 0.92, 1, 1 for N = 1 … 32. Sparse lifts are
 * therefore where the rise is visible, and they are the `theorem` regime (c ∈ [0.6, 0.75], more data
 * points than the base network has weights, targets no linear map fits, step 0.2: see the regime);
 * dense lifts (c ≥ 2,
 * where the lift of size 1 is the whole base network and already succeeds) are reported in
 * `proxy:dense`. The slack search measures from which c the lift of size 32 reaches low loss in
 * 95% of seeds, against the c > 1 of the heuristic.
 */
import { defineTheorem, fc, numerics, randomSparseLift, trainSparseLift, type Budget, type LiftActivation } from 'provably';

const { rng, normals, unitRows } = numerics;

interface Params {
  readonly d: number;
  readonly k: number;
  readonly n: number;
  /** Mean number of lifted parents per base parent. */
  readonly c: number;
  readonly activation: LiftActivation;
  readonly dataSeed: number;
  readonly seed: number;
  /** Lifts of each size per trend seed (R). */
  readonly lifts: number;
  /** Gradient-descent step (the flow's Euler step). */
  readonly eta: number;
}

interface Instance extends Params {
  readonly X: Float64Array;
  readonly y: Float64Array;
  /** ½ min_w ‖Xw − y‖²: what a linear network can reach at best. */
  readonly linearFloor: number;
}

const SIZES = [1, 2, 4, 8, 16, 32];
const N_MAX = 32;
/** Lifts per size and trend seed: 3 at the full budget; in CI 2 for the theorem regime and 1 for the
 * others (the negative control's fraction is 0 at every seed, and proxy:dense only observes), so
 * that the CI check stays cheap. */
const REPLICATES = { ci: 2, full: 3 };
const lifts = (budget: Budget, ci: number) => (budget === 'ci' ? ci : REPLICATES.full);
const STEPS = 1000;
/** The step: 0.05 for dense lifts and linear units, 0.2 (four times the flow time in the same steps)
 * for the sparse lifts of the theorem regime. At 0.05 and 1000 steps the lift of size 32 of some
 * nonlinear targets had not yet reached 10⁻³·L(0) (loss ratios 1–4·10⁻³, 0 of 8 lifts; at 0.2: 8 of
 * 8). Not more: at 0.3 every lift of CI seed 9's instance (d = k = 3, n = 13; the loss sums n
 * points, so its curvature grows with n) diverged, and at 0.2 the dense lifts of proxy:dense do.
 * Still open at 0.2: CI seed 19's instance (d = k = 3, n = 15, c = 0.63) has p_32 = 0.67 over 24
 * lifts (0.92 at step 0.3) and its check is inconclusive. */
const ETA = { sparse: 0.2, dense: 0.05 };
/** Low loss: ½‖f − y‖² ≤ EPS · its initial value. */
const EPS = 1e-3;

function build(p: Params): Instance {
  const X = unitRows(rng(p.dataSeed, 1), p.n, p.d);
  // The target: a base network d → k tanh → 1 with Gaussian weights (the witness).
  const W = normals(rng(p.dataSeed, 2), p.k * p.d);
  const v = normals(rng(p.dataSeed, 3), p.k);
  const y = Float64Array.from({ length: p.n }, (_, i) => {
    let f = 0;
    for (let j = 0; j < p.k; j++) {
      let z = 0;
      for (let l = 0; l < p.d; l++) z += W[j * p.d + l] * X[i * p.d + l];
      f += v[j] * Math.tanh(z);
    }
    return f;
  });
  return { ...p, X, y, linearFloor: linearLeastSquares(X, y, p.n, p.d) };
}

/** ½ min_w ‖Xw − y‖² by the normal equations (d ≤ 4, well conditioned for Gaussian rows). */
function linearLeastSquares(X: Float64Array, y: Float64Array, n: number, d: number): number {
  const A = new Float64Array(d * d);
  const b = new Float64Array(d);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < d; a++) {
      b[a] += X[i * d + a] * y[i];
      for (let c = 0; c < d; c++) A[a * d + c] += X[i * d + a] * X[i * d + c];
    }
  const { values, vectors } = numerics.symEig({ n: d, data: A }, true);
  const w = new Float64Array(d);
  for (let e = 0; e < d; e++) {
    if (!(values[e] > 1e-12 * values[d - 1])) continue;
    let proj = 0;
    for (let a = 0; a < d; a++) proj += vectors![a * d + e] * b[a];
    for (let a = 0; a < d; a++) w[a] += (vectors![a * d + e] * proj) / values[e];
  }
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let a = 0; a < d; a++) f += X[i * d + a] * w[a];
    loss += 0.5 * (f - y[i]) ** 2;
  }
  return loss;
}

/** Train a lift of size N drawn from `liftSeed`: its loss at every step. */
function trainLift(q: Instance, N: number, liftSeed: number): Float64Array {
  const lift = randomSparseLift({ d: q.d, hidden: [q.k], activation: q.activation }, N, q.c, liftSeed);
  return trainSparseLift(lift, q.X, q.y, q.n, q.eta, STEPS);
}

/** The instance's own lift of size N_MAX, trained once: its initial loss is a constant, its losses the run. */
const ownLift = new WeakMap<Instance, Float64Array>();
function ownLiftLosses(q: Instance): Float64Array {
  let losses = ownLift.get(q);
  if (!losses) ownLift.set(q, (losses = trainLift(q, N_MAX, q.seed)));
  return losses;
}

const reachedLow = (losses: Float64Array) => losses[losses.length - 1] <= EPS * losses[0];

/** Per seed and size: the fraction of R lifts of size N that reached low loss (cached per instance). */
const cache = new WeakMap<Instance, Map<string, number>>();
function fractionAt(q: Instance, seed: number, budget: Budget, N: number): number {
  const byKey = cache.get(q) ?? new Map<string, number>();
  cache.set(q, byKey);
  const key = `${seed}/${budget}/${N}`;
  let out = byKey.get(key);
  if (out === undefined) {
    const R = q.lifts;
    let ok = 0;
    for (let j = 0; j < R; j++) if (reachedLow(trainLift(q, N, q.seed * 7919 + 104729 * (seed + 1) + 31 * N + j))) ok++;
    byKey.set(key, (out = ok / R));
  }
  return out;
}
const fractions = (q: Instance, seed: number, budget: Budget): number[] => SIZES.map((N) => fractionAt(q, seed, budget, N));

/** The target is far from linear: no linear map fits it within 10× the low-loss threshold of ½‖y‖². */
const nonlinearTarget = (q: Instance) => q.linearFloor >= 10 * EPS * 0.5 * q.y.reduce((a, v) => a + v * v, 0);

// CI: 12 seeds of 2 lifts per size. With 6 seeds of one lift the sign test could not decide the
// rise at seeds 2–5 (a seed whose lifts all succeed is flat and drops out; 3 of 3 rising seeds give
// p = 1/8), nor the fraction at N = 32 once one of 6 seeds failed (p = 7/64).
const TREND = { test: 'sign', seeds: { ci: 12, full: 12 }, alpha: 0.05 } as const;
const seed = fc.integer({ min: 0, max: 2 ** 30 });
const draw = (c: fc.Arbitrary<number>, activation: LiftActivation, liftsInCi = 1) => (b: Budget) =>
  fc.record({ d: fc.integer({ min: 2, max: 3 }), k: fc.integer({ min: 2, max: 3 }), n: fc.integer({ min: 6, max: 10 }), c, activation: fc.constant(activation), dataSeed: seed, seed, lifts: fc.constant(lifts(b, liftsInCi)), eta: fc.constant(ETA.dense) });
/** More data points than the base network has weights (d·k + k): n = d·k + k + 1 … d·k + k + 3. */
const drawUnderparam = (c: fc.Arbitrary<number>, liftsInCi: number) => (b: Budget) =>
  fc
    .record({ d: fc.integer({ min: 2, max: 3 }), k: fc.integer({ min: 2, max: 3 }), extra: fc.integer({ min: 1, max: 3 }), c, activation: fc.constant<LiftActivation>('tanh'), dataSeed: seed, seed, lifts: fc.constant(lifts(b, liftsInCi)), eta: fc.constant(ETA.sparse) })
    .map(({ extra, ...p }): Params => ({ ...p, n: p.d * p.k + p.k + extra }));

export default defineTheorem({
  id: 'overparam/robin-sparse-lift',
  title: 'Training a random sparse lift of a network reaches low loss with a probability that rises with the size of the lift',
  provenance: {
    authors: ['David A. R. Robin', 'Kevin Scaman', 'Marc Lelarge'],
    year: 2025,
    title: 'Random Sparse Lifts: Construction, Analysis and Convergence of finite sparse networks',
    arxiv: '2501.05930',
    venue: 'ICLR 2025',
    locator: 'the main convergence result (Theorem 4.3 in the research notes), as a trend',
    fidelity: 'derived',
    fidelityNote:
      'Read via the search tool (sciencestack page of 2501.05930: abstract and summary): networks defined by lifting a computation graph, "training by gradient flow provably reaches arbitrarily low loss when the number of parameters grows", given a witness network that achieves low loss, with high probability. Not read: the theorem itself, the lift distribution it needs, how a lift\'s output is read, the tangent-approximation assumption\'s constants. The construction (edge probability c/N, output = mean of the output copies), the success threshold, gradient descent as the flow\'s Euler scheme, and the claims as trends are derived here.',
  },
  kind: 'trend',
  statement: String.raw`Let a base perceptron network admit a witness reaching loss $\le\epsilon$. For a random sparse lift $G_N$ of size $N$ (each vertex replaced by $N$ copies, each lifted edge kept with probability $\min(1,c/N)$), gradient flow from a random initialisation reaches loss $\le\epsilon$ with a probability $p_N$ that tends to 1 as $N\to\infty$; in particular $p_N$ rises with $N$.`,
  engines: { default: 'f64', supported: ['f64'] },

  build,
  summarize: (q) => ({ d: q.d, k: q.k, n: q.n, c: q.c, units: q.activation }),

  constants: {
    c: { tex: 'c', about: 'mean number of lifted parents per base parent' },
    linearFloor: { tex: '\\tfrac12\\min_w\\|Xw-y\\|^2', about: 'the best a linear network can do' },
    witnessLoss: { tex: 'L_{\\mathrm{witness}}', about: '0 with tanh units (the target is a base network); the linear floor with linear units' },
    loss0: { tex: 'L(0)', about: 'initial loss of the instance’s own lift of size 32' },
  },
  computeConstants: (q) => ({
    c: q.c,
    linearFloor: q.linearFloor,
    witnessLoss: q.activation === 'tanh' ? 0 : q.linearFloor,
    loss0: ownLiftLosses(q).at(0)!,
  }),

  hypotheses: [
    {
      name: 'a witness exists',
      tex: '\\exists\\,\\text{base network with } L \\le \\epsilon L(0)',
      measure: (_q, c) => ({ measured: c.witnessLoss, relation: '<=', required: EPS * c.loss0, note: 'tanh: the target is a base network; linear units reach the least-squares floor at best' }),
      noSlack: 'a condition on the target, not a size',
    },
    {
      name: 'supercritical lift',
      tex: 'c > 1',
      measure: (_q, c) => ({ measured: c.c, relation: '>=', required: 1, note: 'a random-graph heuristic of the research notes (a giant component), not a hypothesis read in the paper' }),
    },
  ],

  series: { lossRatio: { tex: 'L_k/L_0', about: 'the instance’s own lift of size 32' } },
  run: async (q) => {
    const losses = ownLiftLosses(q);
    return { series: { lossRatio: losses.map((v) => v / losses[0]) }, steps: losses.length - 1 };
  },

  conclusions: [
    {
      kind: 'trend',
      name: 'P(low loss) rises with N',
      tex: 'p_N \\uparrow \\text{ in } N',
      about: `per seed: the fraction of ${REPLICATES.full} lifts (in CI ${REPLICATES.ci} in the theorem regime, 1 in the others) of each size reaching ½‖f − y‖² ≤ ${EPS}·L(0) after ${STEPS} steps`,
      x: { name: 'N', tex: 'N', scale: 'log' },
      y: { name: 'fraction reaching low loss', tex: '\\hat p_N', scale: 'linear' },
      claim: { relation: '>', value: 0 },
      ...TREND,
      observe: async (q, _c, { seed: s, budget }) => ({ x: SIZES, y: fractions(q, s, budget) }),
    },
    {
      kind: 'trend',
      name: `P(low loss) > 1/2 at N = ${N_MAX}`,
      tex: `p_{${N_MAX}} > \\tfrac12`,
      about: 'per seed: the fraction at the largest lift, against 1/2',
      x: { name: 'N', tex: 'N', scale: 'log' },
      y: { name: 'fraction reaching low loss', tex: '\\hat p_N', scale: 'linear' },
      statistic: { name: `fraction at N = ${N_MAX}`, tex: `\\hat p_{${N_MAX}}`, of: (o) => o.y[o.y.length - 1] },
      claim: { relation: '>', value: 0.5 },
      ...TREND,
      // Only the largest lift: the negative control checks this claim alone, without training the rest.
      observe: async (q, _c, { seed: s, budget }) => ({ x: [N_MAX], y: [fractionAt(q, s, budget, N_MAX)] }),
    },
    {
      kind: 'bound',
      name: `the lift of size ${N_MAX} reaches low loss`,
      about: 'one lift per instance; soft: the theorem promises it with high probability, not always',
      measured: 'lossRatio',
      relation: '<=',
      bound: `${EPS}`,
      from: STEPS,
      floor: '64 * eps',
      soft: true,
    },
  ],

  regimes: {
    theorem: {
      about: `tanh units, a random base network as target (a witness) that no linear map fits, d, k ∈ {2, 3}, n = d·k + k + 1 … d·k + k + 3 data points (more than the base network has weights), sparse lifts with mean degree c ∈ [0.6, 0.75] (small lifts are mostly disconnected), gradient descent with step ${ETA.sparse} for ${STEPS} steps`,
      // The rise can only show where small lifts fail. Measured with 24 lifts per size on the
      // instances CI seeds 1–30 drew from the previous draw (c ∈ [0.6, 1], n ∈ [6, 10], step 0.05):
      //  - at c = 1 the lift of size 1 keeps every edge (min(1, c/N) = 1): it is the witness's own
      //    architecture and fits from most initialisations. CI seed 19 drew c = 1 − 9·10⁻¹⁶ with a
      //    nearly linear target (linear floor 0.27% of ½‖y‖²): p_N = 1, 0.88, 1, 1, 1, 1, so 10 of
      //    12 seeds were flat and the sign test had 2 of 2 rising (p = 0.25, inconclusive); seeds
      //    11, 17, 26 (c = 1, 1, 0.92) had p_1 = 1, 1, 0.96 (simulated chance the rise is undecided:
      //    0.55, 0.31, 0.98). Hence c ≤ 0.75: at c = 0.85, d = k = 2, p_1 was still 0.7–0.88.
      //  - where the base network has at least as many weights as points (k = 3, n ≤ 9, or d = k = 3,
      //    n ≤ 12) a lift of size 1 with missing edges still interpolates: p_1 = 0.75–0.92 at seeds
      //    4, 9, 15 (c = 0.72–0.85). Hence n > d·k + k.
      //  - nearly linear targets (floor < 1% of ½‖y‖²) are fitted by a few units (seed 19 at
      //    c = 0.85: p_1 = 0.88). Hence the same filter as broken:witness.
      //  - at step 0.05 some nonlinear targets were too slow for N = 32 (p_32 = 0.08, 0.54, 0.71 at
      //    three seeds): the sparse lifts take step 0.2 (see ETA).
      // With this draw, p_1 ≤ 0.67 and p_32 ≥ 0.96 at 29 of the 30 instances of CI seeds 1–30; the
      // exception (seed 19: d = k = 3, n = 15, c = 0.63) has p_32 = 0.67 (see ETA), so "> 1/2 at
      // N = 32" is inconclusive there (p = 0.109). Hence 2 instances at the CI budget: with about 1
      // inconclusive instance in 30, both are inconclusive at about 1 seed in 900 (seed 19: the
      // second instance holds; CI seeds 1–30 all as expected with 2).
      draw: (b: Budget) => drawUnderparam(fc.double({ min: 0.6, max: 0.75, noNaN: true }), REPLICATES.ci)(b).filter((p) => nonlinearTarget(build(p))),
      expect: 'holds',
      runs: { ci: 2, full: 3 },
      slack: [
        {
          hypothesis: 'supercritical lift',
          symbol: 'c',
          conclusion: `the lift of size ${N_MAX} reaches low loss`,
          about: 'd = 2, k = 2, n = 8, fixed data and target; the lift and its initialisation varied',
          base: { d: 2, k: 2, n: 8, c: 1, activation: 'tanh', dataSeed: 5, seed: 0, lifts: 1, eta: ETA.dense },
          at: (p: Params, c: number) => ({ ...p, c }),
          replicate: (p: Params, s: number) => ({ ...p, seed: s }),
          range: { from: 0.05, to: 4 },
          grid: { ci: 4, full: 7 },
          refine: { ci: 1, full: 4 },
          seeds: { ci: 3, full: 20 },
        },
      ],
    },
    'proxy:dense': {
      about: 'mean degree c ∈ [2, 4]: the lift of size 1 is the whole base network, which already reaches low loss from most initialisations, so the fraction is near 1 at every size and the rise can hardly show',
      draw: draw(fc.double({ min: 2, max: 4, noNaN: true }), 'tanh'),
      expect: 'observe',
      runs: { ci: 1, full: 2 },
    },
    'broken:witness': {
      about: 'linear units: every lift computes a linear function of x; targets drawn far from linear (least-squares floor ≥ 1% of ½‖y‖²), so no witness exists',
      // Only targets a linear map cannot fit: with Gaussian base weights on unit inputs the tanh
      // target is often nearly linear (the least-squares floor was below 1% of ½‖y‖² on half of 300
      // draws), and then a linear lift has a witness after all: at seeds 3 and 5 the drawn instance
      // met 'a witness exists' and its lifts reached low loss.
      draw: (b: Budget) => draw(fc.double({ min: 0.4, max: 4, noNaN: true }), 'linear')(b).filter((p) => nonlinearTarget(build(p))),
      expect: 'violated',
      runs: { ci: 1, full: 2 },
      maxShrinks: 2,
      // The negative control is the fraction at N = 32 (with no witness the rise is flat, inconclusive).
      conclusions: [`P(low loss) > 1/2 at N = ${N_MAX}`, `the lift of size ${N_MAX} reaches low loss`],
    },
  },
});
