/**
 * Automatic Gradient Descent trained for real (Bernstein et al. 2023): its per-step decrease
 * ℓ_t − ℓ_{t+1} ≥ G_t²/11 and the rate to a critical point min_{t<T} G_t² ≤ 11/T, with no
 * global smoothness anywhere: the step η = log((1 + √(1 + 4G))/2) comes from a majorisation of
 * the loss built from the architecture (deep relative trust), not from a Lipschitz constant.
 *
 * The proof needs Prescription 1 (‖x‖ = √d_0, ‖y‖ = √d_L, ‖W_k‖_* = √(d_k/d_{k−1})) and two
 * assumptions about the trajectory: A1, the linearisation error of the model is orthogonal to the
 * loss gradient, and A2, every layer's gradient has stable rank 1. All are measured on each
 * instance (at initialisation and the first step), never assumed:
 *   - `theorem`: one layer and one sample, where A1 (the model is linear) and A2 (the gradient is
 *     an outer product) hold exactly and P1 holds at initialisation;
 *   - `proxy`: deep networks on several samples, where A1 and A2 are approximations, as in the
 *     paper's experiments: the empirical question;
 *   - `broken:input-scale`: inputs 10× the prescribed norm, where the decrease fails.
 * The majorisation itself (the lemma the step is derived from) is a soft claim: it rests on A1
 * along the whole run, and its violation rate is reported, not judged.
 */
import { defineTheorem, fc, mlp, numerics, optim, trainAgd, type Budget } from 'provably';

const { rng, normals, frobeniusNorm, spectralNorm, stableRank, norm2 } = numerics;

interface Params {
  readonly dims: readonly number[];
  readonly samples: number;
  readonly inputScale: number;
  readonly dataSeed: number;
  readonly initSeed: number;
  readonly steps: number;
}

interface Instance {
  readonly p: Params;
  readonly L: number;
  readonly data: mlp.Dataset;
  readonly W0: Float64Array[];
}

/** Inputs on the sphere of radius inputScale·√d_0, targets ±1 from a random linear teacher (‖y‖ = √d_L). */
function build(p: Params): Instance {
  const d0 = p.dims[0];
  const dL = p.dims[p.dims.length - 1];
  const X = normals(rng(p.dataSeed, 1), p.samples * d0);
  for (let i = 0; i < p.samples; i++) {
    const row = X.subarray(i * d0, (i + 1) * d0);
    const s = (p.inputScale * Math.sqrt(d0)) / norm2(row);
    for (let j = 0; j < d0; j++) row[j] *= s;
  }
  const V = normals(rng(p.dataSeed, 2), dL * d0);
  const Y = new Float64Array(p.samples * dL);
  for (let i = 0; i < p.samples; i++)
    for (let o = 0; o < dL; o++) {
      let s = 0;
      for (let j = 0; j < d0; j++) s += V[o * d0 + j] * X[i * d0 + j];
      Y[i * dL + o] = s >= 0 ? 1 : -1;
    }
  return { p, L: p.dims.length - 1, data: { n: p.samples, X, Y }, W0: mlp.semiOrthogonalInit(p.dims, p.initSeed) };
}

const net = (q: Instance, W: readonly Float64Array[]): mlp.Mlp => ({ dims: q.p.dims, W, act: 'relu' });

/** The first AGD step from W: the loss, its gradient and the update (for measuring A1 and A2). */
function firstStep(q: Instance) {
  const { loss, gW } = mlp.lossGrad(net(q, q.W0), q.data, q.p.dims[q.L]);
  const opt = optim.agd(q.p.dims);
  return { loss, gW, updates: opt.update(gW, opt.init(q.W0), q.W0).updates };
}

const seed = fc.integer({ min: 0, max: 2 ** 30 });
const stepsFor = (budget: Budget) => fc.constant(budget === 'ci' ? 100 : 300);

export default defineTheorem({
  id: 'nonsmooth/agd-training-rate',
  title: 'Automatic gradient descent: per-step decrease G²/11 and min_t G_t² ≤ 11/T, without a smoothness constant',
  provenance: {
    authors: ['Jeremy Bernstein', 'Chris Mingard', 'Kevin Huang', 'Navid Azizan', 'Yisong Yue'],
    year: 2023,
    title: 'Automatic Gradient Descent: Deep Learning without Hyperparameters',
    arxiv: '2304.05187',
    locator: 'Lemma 8 (Convergence rate to critical point, §3.2) with its proof (Appendix A); Lemma 5 (Exponential majorisation, §3.1); Algorithm 1',
    fidelity: 'read',
    fidelityNote:
      'Checked against the paper’s LaTeX in jxbz/agd (latex/section/04-bounds.tex, 99-appendix.tex, latex/algorithm/agd.tex) and its agd.py: the algorithm, Prescription 1, Assumptions A1–A2, the majorisation, and the per-step decrease ℓ(w + Δw) − ℓ(w) ≤ −½(log 2 − ½)G² ≤ −G²/11 stated inside the proof of the rate. The paper writes min over t ∈ {1..T} of G_t² with T updates; here index k counts updates, so min_{t<k} G_t² ≤ 11/k is the same statement. The lemma numbers are by order of appearance. Numbering checked in the same LaTeX (jxbz/agd at 1f8454d): the lemma environment has one counter through the paper (Lemmas 1–2 are the Bregman divergences of §2), and the deep-network section, 04-bounds.tex, is §3 (§3.1 deriving AGD, §3.2 convergence analysis).',
  },
  kind: 'bound',
  statement: String.raw`Train a bias-free ReLU network of depth $L$ with square loss $\ell(w)=\frac1{|S|}\sum\frac{1}{2d_L}\|f(x;w)-y\|^2$ by automatic gradient descent: $G=\frac1L\sum_k\sqrt{d_k/d_{k-1}}\|\nabla_{W_k}\ell\|_F$, $\eta=\log\frac{1+\sqrt{1+4G}}2$, $W_k\leftarrow W_k-\frac\eta L\sqrt{d_k/d_{k-1}}\frac{\nabla_{W_k}\ell}{\|\nabla_{W_k}\ell\|_F}$. Under Prescription 1 and Assumptions A1 (orthogonality of the model's linearisation error) and A2 ($\mathrm{srank}\,\nabla_{W_k}\ell=1$), each step decreases the loss by $\ell_t-\ell_{t+1}\ge G_t^2/11$, and so $\min_{t\le T}G_t^2\le 11/T$.`,
  engines: { default: 'f64', supported: ['f64', 'tfjs'] },

  build,
  summarize: (q) => ({ widths: q.p.dims.join('-'), samples: q.p.samples, 'input ×': q.p.inputScale, steps: q.p.steps }),

  constants: {
    loss0: { tex: '\\ell(w_0)' },
    inputScaling: { tex: '\\max_x|\\|x\\|/\\sqrt{d_0}-1|', about: 'Prescription 1, inputs' },
    targetScaling: { tex: '\\max_y|\\|y\\|/\\sqrt{d_L}-1|', about: 'Prescription 1, targets' },
    weightScaling: { tex: '\\max_k|\\|W_k\\|_*/\\sqrt{d_k/d_{k-1}}-1|', about: 'Prescription 1, weights at initialisation' },
    a1Residual: { tex: '|\\mathrm{A1}|', about: 'relative orthogonality residual of the first step: |(1/|S|)Σ ∇_fℓᵀΔf − ⟨∇ℓ, Δw⟩| / |⟨∇ℓ, Δw⟩|' },
    a2StableRank: { tex: '\\max_k\\mathrm{srank}\\nabla_{W_k}\\ell-1', about: 'at initialisation' },
  },
  computeConstants(q) {
    const d0 = q.p.dims[0];
    const dL = q.p.dims[q.L];
    const rowDev = (A: Float64Array, d: number) => Math.max(...Array.from({ length: q.p.samples }, (_, i) => Math.abs(norm2(A.subarray(i * d, (i + 1) * d)) / Math.sqrt(d) - 1)));
    const first = firstStep(q);
    // A1 at the first step: compare the loss-gradient-weighted output change with ⟨∇ℓ, Δw⟩.
    const W1 = q.W0.map((w, k) => w.map((v, j) => v + first.updates[k][j]));
    let lhs = 0;
    for (let i = 0; i < q.p.samples; i++) {
      const x = q.data.X.subarray(i * d0, (i + 1) * d0);
      const f0 = mlp.output(net(q, q.W0), x);
      const f1 = mlp.output(net(q, W1), x);
      for (let o = 0; o < dL; o++) lhs += ((f0[o] - q.data.Y[i * dL + o]) / dL) * (f1[o] - f0[o]);
    }
    lhs /= q.p.samples;
    let inner = 0;
    first.gW.forEach((g, k) => g.forEach((v, j) => (inner += v * first.updates[k][j])));
    return {
      loss0: first.loss,
      inputScaling: rowDev(q.data.X, d0),
      targetScaling: rowDev(q.data.Y, dL),
      weightScaling: Math.max(...q.W0.map((w, k) => Math.abs(spectralNorm(w, q.p.dims[k + 1], q.p.dims[k]) / Math.sqrt(q.p.dims[k + 1] / q.p.dims[k]) - 1))),
      a1Residual: inner === 0 ? 0 : Math.abs(lhs - inner) / Math.abs(inner),
      a2StableRank: Math.max(...first.gW.map((g, k) => (frobeniusNorm(g) === 0 ? 1 : stableRank(g, q.p.dims[k + 1], q.p.dims[k])))) - 1,
    };
  },

  hypotheses: [
    { name: 'input scaling (P1)', tex: '\\|x\\|_2=\\sqrt{d_0}', measure: (_q, c) => ({ measured: c.inputScaling, relation: '<=', required: 1e-9 }) },
    { name: 'target scaling (P1)', tex: '\\|y\\|_2=\\sqrt{d_L}', measure: (_q, c) => ({ measured: c.targetScaling, relation: '<=', required: 1e-9 }) },
    { name: 'weight scaling (P1)', tex: '\\|W_k\\|_*=\\sqrt{d_k/d_{k-1}}', measure: (_q, c) => ({ measured: c.weightScaling, relation: '<=', required: 1e-9, note: 'at initialisation (the paper’s Weyl argument bounds the drift afterwards)' }) },
    { name: 'A1 orthogonality', tex: '\\tfrac1{|S|}\\sum\\nabla_f\\ell^\\top[\\Delta f-\\nabla_wf\\,\\Delta w]=0', measure: (_q, c) => ({ measured: c.a1Residual, relation: '<=', required: 1e-9, note: 'relative residual at the first step' }) },
    { name: 'A2 gradient conditioning', tex: '\\mathrm{srank}\\,\\nabla_{W_k}\\ell=1', measure: (_q, c) => ({ measured: c.a2StableRank, relation: '<=', required: 1e-9, note: 'at initialisation' }) },
  ],

  series: {
    loss: { tex: '\\ell(w_k)' },
    drop: { tex: '\\ell_{k-1}-\\ell_k' },
    G2: { tex: 'G_{k-1}^2', about: 'gradient summary of the step that led to w_k, squared' },
    minG2: { tex: '\\min_{t<k}G_t^2' },
    majorant: { tex: 'M_{k-1}', about: 'the exponential majorant of ℓ(w_k) built at w_{k−1}' },
  },
  async run(q, _c, { engine }) {
    const t = await trainAgd(engine, { dims: q.p.dims, data: q.data, W0: q.W0 }, q.p.steps);
    const n = t.steps;
    const drop = new Float64Array(n + 1).fill(NaN);
    const G2 = new Float64Array(n + 1).fill(NaN);
    const minG2 = new Float64Array(n + 1).fill(NaN);
    const majorant = new Float64Array(n + 1).fill(NaN);
    let best = Infinity;
    // Index k is w_k: the step that led to it was taken from w_{k−1} with summary G_{k−1}.
    for (let k = 1; k <= n; k++) {
      drop[k] = t.loss[k - 1] - t.loss[k];
      G2[k] = t.G[k - 1] ** 2;
      best = Math.min(best, G2[k]);
      minG2[k] = best;
      majorant[k] = t.majorant[k - 1];
    }
    return { series: { loss: t.loss, drop, G2, minG2, majorant }, steps: n, ...(t.stopped ? { stopped: t.stopped } : {}) };
  },

  conclusions: [
    {
      kind: 'bound',
      name: 'per-step decrease',
      about: 'from the proof of the rate',
      measured: 'drop',
      relation: '>=',
      bound: 'G2 / 11',
      floor: '64 * eps * (1 + loss0)',
    },
    {
      kind: 'bound',
      name: 'rate to a critical point',
      measured: 'minG2',
      relation: '<=',
      bound: '11 / k',
      floor: '64 * eps',
      guarantee: 'upper',
    },
    {
      kind: 'bound',
      name: 'majorisation',
      about: 'rests on A1 along the run',
      measured: 'loss',
      relation: '<=',
      bound: 'majorant',
      floor: '64 * eps * (1 + loss0)',
      soft: true,
    },
  ],

  regimes: {
    theorem: {
      about: 'one layer (d_0 ∈ 1…16, d_L ∈ 1…4) and one sample, P1 at initialisation: A1 and A2 hold exactly',
      draw: (budget) =>
        fc.record({ dims: fc.tuple(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 4 })), samples: fc.constant(1), inputScale: fc.constant(1), dataSeed: seed, initSeed: seed, steps: stepsFor(budget) }),
      expect: 'holds',
      runs: { ci: 6, full: 40 },
    },
    proxy: {
      about: 'depth 2–4, widths 2–32, output 1–4, 4–32 samples, P1 at initialisation; A1 and A2 only approximately true',
      draw: (budget) =>
        fc.record({
          dims: fc.tuple(fc.integer({ min: 2, max: 16 }), fc.array(fc.integer({ min: 2, max: 32 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 4 })).map(([a, h, b]) => [a, ...h, b]),
          samples: fc.integer({ min: 4, max: 32 }),
          inputScale: fc.constant(1),
          dataSeed: seed,
          initSeed: seed,
          steps: stepsFor(budget),
        }),
      expect: 'observe',
      runs: { ci: 4, full: 30 },
    },
    'broken:input-scale': {
      about: 'deep networks as in `proxy` with inputs 10× the prescribed norm √d_0 (P1 broken)',
      draw: (budget) =>
        fc.record({
          dims: fc.tuple(fc.integer({ min: 2, max: 16 }), fc.array(fc.integer({ min: 2, max: 32 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 4 })).map(([a, h, b]) => [a, ...h, b]),
          samples: fc.integer({ min: 4, max: 32 }),
          inputScale: fc.constant(10),
          dataSeed: seed,
          initSeed: seed,
          steps: stepsFor(budget),
        }),
      expect: 'violated',
      runs: { ci: 3, full: 10 },
      maxShrinks: 40,
    },
  },
});
