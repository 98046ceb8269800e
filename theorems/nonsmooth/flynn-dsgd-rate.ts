/**
 * Duality structure gradient descent (Flynn, arXiv 1708.00523) on a two-layer tanh network
 * f(x) = W_2 tanh(W_1 x) with square loss J = (1/2n) Σ ‖f(x_i) − y_i‖²: a loss whose gradient is
 * not globally Lipschitz (its curvature in W_1 grows with ‖W_2‖ and in W_2 with the hidden
 * activations), handled with layer-wise norms that depend on the other layer's weights.
 *
 * Per step, each layer i gets a constant L_i(w) that bounds J's curvature along that layer at the
 * current weights; in the norm ‖δ‖_{w,i} = √L_i(w)·‖δ‖_F the loss is 1-smooth along layer i. DSGD
 * updates the one layer with the best guaranteed decrease and steps by the duality map:
 *   i_t = argmax_i ‖∇_i J‖²/L_i,   W_{i_t} ← W_{i_t} − ∇_{i_t}J / L_{i_t},
 * so J(w_{t+1}) ≤ J(w_t) − max_i ‖∇_iJ‖²/(2L_i) (sufficient decrease), and telescoping with J ≥ 0:
 *   min_{t<T} max_i ‖∇_iJ(w_t)‖²_{w_t,i,*} ≤ 2 (J(w_0) − J_inf)/T.
 *
 * The layer constants, derived here (the paper's own norms were not read):
 *   L_2(W_1) = λmax(HᵀH)/n with H = tanh(X W_1ᵀ): J is exactly quadratic in W_2;
 *   L_1(W_2) = (‖X‖²/n)·[‖W_2‖² + c·max_r‖W_2[:,r]‖·(‖W_2‖√m + max_i‖y_i‖)], c = sup|tanh''| = 4/(3√3),
 * from J'' = (1/n)Σ[‖W_2(σ'⊙u_i)‖² + (f_i − y_i)ᵀW_2(σ''⊙u_i²)] with u_i = Δx_i, |σ'| ≤ 1, |σ| ≤ 1.
 * Broken by a deliberately wrong algorithm: constants at a tenth of these (steps 10× too long).
 */
import { defineTheorem, fc, mlp, numerics, optim, type Budget } from 'provably';

const { rng, normals, spectralNorm, frobeniusNorm } = numerics;

/** sup |tanh''| = 4/(3√3). */
const TANH_CURVATURE = 4 / (3 * Math.sqrt(3));

interface Params {
  readonly inputs: number;
  readonly hidden: number;
  readonly outputs: number;
  readonly samples: number;
  /** Multiplies both layer constants: 1 is DSGD, below 1 a wrong algorithm. */
  readonly constantScale: number;
  readonly dataSeed: number;
  readonly initSeed: number;
  readonly steps: number;
}

interface Instance {
  readonly p: Params;
  readonly dims: number[];
  readonly data: mlp.Dataset;
  readonly W0: Float64Array[];
  readonly xNorm2: number;
  readonly yMax: number;
}

/** Gaussian inputs; targets from a random two-layer tanh teacher of the same shape, plus noise 0.1. */
function build(p: Params): Instance {
  const dims = [p.inputs, p.hidden, p.outputs];
  const X = normals(rng(p.dataSeed, 1), p.samples * p.inputs);
  const teacher: mlp.Mlp = { dims, W: mlp.gaussianInit(dims, p.dataSeed + 1, 2), act: 'tanh' };
  const noise = normals(rng(p.dataSeed, 2), p.samples * p.outputs, 0.1);
  const Y = new Float64Array(p.samples * p.outputs);
  for (let i = 0; i < p.samples; i++) {
    const out = mlp.output(teacher, X.subarray(i * p.inputs, (i + 1) * p.inputs));
    for (let o = 0; o < p.outputs; o++) Y[i * p.outputs + o] = out[o] + noise[i * p.outputs + o];
  }
  let yMax = 0;
  for (let i = 0; i < p.samples; i++) yMax = Math.max(yMax, Math.hypot(...Y.subarray(i * p.outputs, (i + 1) * p.outputs)));
  return { p, dims, data: { n: p.samples, X, Y }, W0: mlp.gaussianInit(dims, p.initSeed), xNorm2: spectralNorm(X, p.samples, p.inputs) ** 2, yMax };
}

const net = (q: Instance, W: readonly Float64Array[]): mlp.Mlp => ({ dims: q.dims, W, act: 'tanh' });

/** The hidden activations H = tanh(X W_1ᵀ), n × m. */
function hidden(q: Instance, W1: Float64Array): Float64Array {
  const { inputs: d, hidden: m, samples: n } = q.p;
  const H = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let r = 0; r < m; r++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += W1[r * d + c] * q.data.X[i * d + c];
      H[i * m + r] = Math.tanh(s);
    }
  return H;
}

/** L_1(W_2) and L_2(W_1) as derived above (before the regime's scale). */
function layerConstants(q: Instance, W: readonly Float64Array[]): [number, number] {
  const { hidden: m, outputs: p, samples: n } = q.p;
  const W2 = W[1];
  const op2 = spectralNorm(W2, p, m);
  let colMax = 0;
  for (let r = 0; r < m; r++) {
    let s = 0;
    for (let o = 0; o < p; o++) s += W2[o * m + r] ** 2;
    colMax = Math.max(colMax, Math.sqrt(s));
  }
  const L1 = (q.xNorm2 / n) * (op2 * op2 + TANH_CURVATURE * colMax * (op2 * Math.sqrt(m) + q.yMax));
  const L2 = spectralNorm(hidden(q, W[0]), n, m) ** 2 / n;
  return [L1, L2];
}

/** J's second derivative along the direction D of layer 1 at W, by central differences. */
function curvatureAlong(q: Instance, W: readonly Float64Array[], D: Float64Array): number {
  const h = 1e-4 / frobeniusNorm(D);
  const J = (t: number) => mlp.loss(net(q, [W[0].map((v, j) => v + t * h * D[j]), W[1]]), q.data, 1);
  return (J(1) - 2 * J(0) + J(-1)) / (h * h * frobeniusNorm(D) ** 2);
}

const seed = fc.integer({ min: 0, max: 2 ** 30 });
const draw = (constantScale: fc.Arbitrary<number>) => (budget: Budget) =>
  fc.record({
    inputs: fc.integer({ min: 1, max: 8 }),
    hidden: fc.integer({ min: 1, max: budget === 'ci' ? 16 : 32 }),
    outputs: fc.integer({ min: 1, max: 3 }),
    samples: fc.integer({ min: 2, max: budget === 'ci' ? 32 : 64 }),
    constantScale,
    dataSeed: seed,
    initSeed: seed,
    steps: fc.constant(budget === 'ci' ? 100 : 400),
  });

export default defineTheorem({
  id: 'nonsmooth/flynn-dsgd-rate',
  title: 'Duality structure gradient descent: layer-wise sufficient decrease and an O(1/T) stationarity rate without a global Lipschitz gradient',
  provenance: {
    authors: ['Thomas Flynn'],
    year: 2017,
    title: 'The duality structure gradient descent algorithm: analysis and applications to neural networks',
    arxiv: '1708.00523',
    locator: 'the deterministic convergence theorem (§3–4 of v8; number not read)',
    fidelity: 'derived',
    fidelityNote:
      'Read: the abstract of v7/v8 (layer-wise coordinate descent that updates, at each iteration, the one layer with the best rigorous lower bound on the improvement; time to approximate stationary points; a parameter-dependent family of norms derived from the architecture). Not read: the paper’s theorem statements and its layer norms, which the search could not reach. Derived here, with the proofs in this file: the layer constants of a two-layer tanh network, the sufficient decrease and the O(1/T) bound in the generic form the research notes give (theorems-A.md §3).',
  },
  kind: 'bound',
  statement: String.raw`Let $J(w)=\frac1{2n}\sum_i\|W_2\tanh(W_1x_i)-y_i\|^2$ and, at each $w$, let $L_1(w),L_2(w)$ bound the curvature of $J$ along layer 1 and layer 2 (so $J$ is 1-smooth along layer $i$ in the norm $\|\delta\|_{w,i}=\sqrt{L_i(w)}\|\delta\|_F$). DSGD, $i_t=\arg\max_i\|\nabla_iJ(w_t)\|_F^2/L_i(w_t)$, $W_{i_t}\leftarrow W_{i_t}-\nabla_{i_t}J/L_{i_t}$, satisfies $J(w_{t+1})\le J(w_t)-\max_i\frac{\|\nabla_iJ(w_t)\|_F^2}{2L_i(w_t)}$, and hence $\min_{t<T}\max_i\frac{\|\nabla_iJ(w_t)\|_F^2}{L_i(w_t)}\le\frac{2(J(w_0)-J_{\inf})}{T}$ with $J_{\inf}=0$.`,
  engines: { default: 'f64', supported: ['f64'] },

  build,
  summarize: (q) => ({ widths: q.dims.join('-'), samples: q.p.samples, 'constants ×': q.p.constantScale, steps: q.p.steps }),

  constants: {
    J0: { tex: 'J(w_0)' },
    Jinf: { tex: 'J_{\\inf}', about: '0: a square loss' },
    layer2Ratio: { tex: 'L_2^{\\mathrm{used}}/L_2^{\\mathrm{exact}}', about: 'at w_0: the layer-2 constant against J’s exact curvature in W_2' },
    layer1Ratio: { tex: 'L_1^{\\mathrm{used}}/\\partial^2_{g_1}J', about: 'at w_0: the layer-1 constant against J’s curvature along its gradient (finite differences)' },
  },
  computeConstants(q) {
    const [L1, L2] = layerConstants(q, q.W0);
    const { gW } = mlp.lossGrad(net(q, q.W0), q.data, 1);
    const curv1 = curvatureAlong(q, q.W0, gW[0]);
    return {
      J0: mlp.loss(net(q, q.W0), q.data, 1),
      Jinf: 0,
      // J is quadratic in W_2 with Hessian (HᵀH/n) ⊗ I: L_2 is its exact top curvature.
      layer2Ratio: q.p.constantScale,
      layer1Ratio: curv1 > 0 ? (q.p.constantScale * L1) / curv1 : Infinity,
    };
  },

  hypotheses: [
    { name: 'layer-2 constant bounds its curvature', tex: 'L_2\\ge\\lambda_{\\max}(H^\\top H)/n', measure: (_q, c) => ({ measured: c.layer2Ratio, relation: '>=', required: 1, note: 'ratio at w_0' }) },
    { name: 'layer-1 constant bounds its curvature', tex: 'L_1\\ge\\partial^2_{g_1}J', measure: (_q, c) => ({ measured: c.layer1Ratio, relation: '>=', required: 1, note: 'along the layer-1 gradient at w_0' }) },
  ],

  series: {
    loss: { tex: 'J(w_k)' },
    drop: { tex: 'J(w_{k-1})-J(w_k)' },
    guaranteed: { tex: '\\max_i\\|\\nabla_iJ(w_{k-1})\\|^2/(2L_i)', about: 'the decrease DSGD’s choice guarantees' },
    minStationarity: { tex: '\\min_{t<k}\\max_i\\|\\nabla_iJ(w_t)\\|^2_{w_t,i,*}' },
  },
  async run(q) {
    const T = q.p.steps;
    const loss = new Float64Array(T + 1);
    const drop = new Float64Array(T + 1).fill(NaN);
    const guaranteed = new Float64Array(T + 1).fill(NaN);
    const minStationarity = new Float64Array(T + 1).fill(NaN);
    const opt = optim.dsgd((W) => layerConstants(q, W).map((v) => q.p.constantScale * v));
    let W: Float64Array[] = q.W0.map((w) => Float64Array.from(w));
    let state = opt.init(W);
    let best = Infinity;
    for (let k = 0; ; k++) {
      const { loss: J, gW } = mlp.lossGrad(net(q, W), q.data, 1);
      loss[k] = J;
      if (k > 0) drop[k] = loss[k - 1] - J;
      if (!Number.isFinite(J)) return { series: { loss, drop, guaranteed, minStationarity }, steps: k, stopped: `non-finite loss at step ${k}` };
      if (k === T) return { series: { loss, drop, guaranteed, minStationarity }, steps: T };
      const r = opt.update(gW, state, W);
      state = r.state;
      best = Math.min(best, state.stationarity);
      guaranteed[k + 1] = state.stationarity / 2;
      minStationarity[k + 1] = best;
      W = optim.applyUpdates(W, r.updates);
    }
  },

  conclusions: [
    {
      kind: 'bound',
      name: 'sufficient decrease',
      measured: 'drop',
      relation: '>=',
      bound: 'guaranteed',
      floor: '64 * eps * (1 + J0)',
      // Attained when layer 2 (exactly quadratic) is chosen and its gradient lies along the top curvature.
      guarantee: 'tight',
    },
    {
      kind: 'bound',
      name: 'O(1/T) stationarity',
      measured: 'minStationarity',
      relation: '<=',
      bound: '2 * (J0 - Jinf) / k',
      floor: '64 * eps * (1 + J0)',
      guarantee: 'upper',
    },
  ],

  regimes: {
    theorem: {
      about: 'two-layer tanh networks d–m–p with d ≤ 8, m ≤ 16 (CI) or 32, p ≤ 3, on 2–32 (CI) or 2–64 Gaussian samples labelled by a random tanh teacher plus noise; Gaussian initialisation',
      draw: draw(fc.constant(1)),
      expect: 'holds',
      runs: { ci: 6, full: 40 },
    },
    'broken:smoothness-constants': {
      about: 'the same with both layer constants at 0.1 of the derived ones (a deliberately wrong algorithm: steps 10× too long)',
      draw: draw(fc.constant(0.1)),
      expect: 'violated',
      runs: { ci: 4, full: 10 },
      maxShrinks: 60,
      shrinksTo: { about: 'a single hidden unit (widths 1-1-1)', check: (p) => p.inputs === 1 && p.hidden === 1 && p.outputs === 1 },
    },
  },
});
