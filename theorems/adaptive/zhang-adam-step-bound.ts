/**
 * How far can one Adam step move a coordinate? Zhang's survey (arXiv 1903.03614) presents Adam as
 * Kingma & Ba's Algorithm 1; Kingma & Ba (§2.1) bound the effective step by
 *   |Δ_t| ≤ α(1 − β1)/√(1 − β2)  when (1 − β1) > √(1 − β2),   |Δ_t| ≤ α otherwise,
 * derived for the most severe sparsity (one non-zero gradient, at the current step), adding that
 * less sparse gradients give smaller steps. That heuristic is false. What is true (derived here,
 * Cauchy–Schwarz on m_t = (1−β1)Σ_s β1^{t−s}g_s against v_t = (1−β2)Σ_s β2^{t−s}g_s², with
 * γ = β1²/β2 and ε = 0; ε > 0 only shrinks the step):
 *   |Δ_t| ≤ α (1−β1) √(1−β2^t) √((1−γ^t)/(1−γ)) / ((1−β1^t) √(1−β2)),
 * attained by gradients growing geometrically by β2/β1 per step; for the defaults (0.9, 0.999) it
 * tends to 7.27α, not 3.16α.
 *
 * Regimes: `theorem` draws the sparse sequences the heuristic is derived for (both bounds hold);
 * `proxy:arbitrary-gradients` draws any gradient sequence and checks the rigorous bound alone (it
 * holds; the targeted search pushes it towards attainment); `broken:sparsity` draws sequences that
 * are not sparse, where the heuristic fails.
 */
import { defineTheorem, fc, optim, type Summary } from 'provably';

interface Params {
  /** Gradients g_1..g_T (Adam is scale-invariant with ε = 0: integers lose nothing and never underflow). */
  readonly grads: readonly number[];
  readonly alpha: number;
  readonly beta2: number;
  /** β1 = beta1Frac · √β2, so that β1² < β2 (γ < 1). */
  readonly beta1Frac: number;
}

interface Instance {
  readonly p: Params;
  readonly beta1: number;
}

/** Adam's step Δ_t = θ_t − θ_{t−1} at each t (ε = 0; a step with v = 0 has m = 0 and is 0). */
function steps(q: Instance): Float64Array {
  const adam = optim.scaleByAdam({ beta1: q.beta1, beta2: q.p.beta2, eps: 0 });
  let state = adam.init([new Float64Array(1)]);
  const out = new Float64Array(q.p.grads.length + 1);
  q.p.grads.forEach((g, i) => {
    const r = adam.update([Float64Array.of(g)], state, [new Float64Array(1)]);
    state = r.state;
    const u = r.updates[0][0];
    out[i + 1] = Number.isNaN(u) && state.v[0][0] === 0 ? 0 : q.p.alpha * Math.abs(u);
  });
  return out;
}

const gradient = fc.integer({ min: -1_000_000, max: 1_000_000 });
const hyper = { alpha: fc.double({ min: 1e-4, max: 1, noNaN: true }), beta2: fc.double({ min: 0.5, max: 0.9999, noNaN: true }), beta1Frac: fc.double({ min: 0, max: 0.999, noNaN: true }) };

/** Is at most one gradient non-zero, and is it the last one (Kingma & Ba's "most severe case of sparsity")? */
function severelySparse(grads: readonly number[]): boolean {
  return grads.slice(0, -1).every((g) => g === 0);
}

export default defineTheorem({
  id: 'adaptive/zhang-adam-step-bound',
  title: "Adam's per-step bound: the rigorous α(1−β1)√((1−γ^t)/(1−γ))·… holds for any gradients; Kingma & Ba's heuristic α(1−β1)/√(1−β2) does not",
  provenance: {
    authors: ['Jiawei Zhang'],
    year: 2019,
    title: 'Gradient Descent based Optimization Algorithms for Deep Learning Models Training',
    arxiv: '1903.03614',
    locator: 'Adam (the survey’s presentation of Kingma & Ba’s Algorithm 1); bound derived here',
    fidelity: 'derived',
    fidelityNote:
      "Read: the survey's abstract (vanilla GD, Momentum, Adagrad, Adam and Gadam are introduced). Adam's update rule is Kingma & Ba's Algorithm 1 as tfjs implements it (tfjs-core adam_optimizer.js read). The rigorous bound is derived in this file (Cauchy–Schwarz, above) and was checked in the research notes' float64 simulation (geometric gradients attain it to 15 digits; 2000 random Cauchy sequences never exceed it). Kingma & Ba's §2.1 heuristic, its case split and the 'most severe case of sparsity' wording are recalled, not checked against arXiv 1412.6980.",
  },
  kind: 'bound',
  statement: String.raw`For Adam (Algorithm 1, $\epsilon=0$) with $\beta_1^2<\beta_2<1$ and $\gamma=\beta_1^2/\beta_2$, on any gradient sequence, $|\Delta_t|\le\alpha\frac{(1-\beta_1)\sqrt{1-\beta_2^t}}{(1-\beta_1^t)\sqrt{1-\beta_2}}\sqrt{\frac{1-\gamma^t}{1-\gamma}}$, attained by $g_s\propto(\beta_2/\beta_1)^s$. Kingma & Ba's heuristic $|\Delta_t|\le\alpha\max\{1,(1-\beta_1)/\sqrt{1-\beta_2}\}$ holds when only the current gradient is non-zero, and fails in general.`,
  engines: { default: 'f64', supported: ['f64'] },

  build: (p: Params): Instance => ({ p, beta1: p.beta1Frac * Math.sqrt(p.beta2) }),
  summarize: (q): Summary => ({ T: q.p.grads.length, α: q.p.alpha, β1: q.beta1, β2: q.p.beta2 }),

  constants: {
    alpha: { tex: '\\alpha' },
    beta1: { tex: '\\beta_1' },
    beta2: { tex: '\\beta_2' },
    gamma: { tex: '\\gamma', about: 'β1²/β2' },
    nonzeroBefore: { tex: '\\#\\{s<T: g_s\\neq0\\}', about: 'non-zero gradients before the last step' },
  },
  computeConstants: (q) => ({ alpha: q.p.alpha, beta1: q.beta1, beta2: q.p.beta2, gamma: q.beta1 ** 2 / q.p.beta2, nonzeroBefore: q.p.grads.slice(0, -1).filter((g) => g !== 0).length }),

  hypotheses: [
    { name: 'gamma < 1', tex: '\\gamma=\\beta_1^2/\\beta_2<1', measure: (_q, c) => ({ measured: c.gamma, relation: '<', required: 1 }), noSlack: 'a hyperparameter condition' },
    {
      name: 'severe sparsity',
      tex: 'g_s=0\\ (s<T)',
      measure: (_q, c) => ({ measured: c.nonzeroBefore, relation: '<=', required: 0, note: 'needed by the heuristic only' }),
      noSlack: 'a property of the gradient sequence, not a size',
    },
  ],

  series: { step: { tex: '|\\Delta_t|', about: 'α·|m̂_t|/√v̂_t' } },
  async run(q) {
    return { series: { step: steps(q) }, steps: q.p.grads.length };
  },

  conclusions: [
    {
      kind: 'bound',
      name: 'rigorous step bound',
      measured: 'step',
      relation: '<=',
      bound: 'alpha * (1 - beta1) * sqrt(1 - beta2^k) * sqrt((1 - gamma^k) / (1 - gamma)) / ((1 - beta1^k) * sqrt(1 - beta2))',
      floor: '64 * eps * alpha',
      // From t = 2: at t = 1 every sequence attains it (|m̂_1|/√v̂_1 = 1), which says nothing.
      from: 2,
      guarantee: 'tight',
    },
    {
      kind: 'bound',
      name: 'heuristic step bound',
      about: 'Kingma & Ba §2.1',
      measured: 'step',
      relation: '<=',
      bound: 'alpha * max(1, (1 - beta1) / sqrt(1 - beta2))',
      floor: '64 * eps * alpha',
      from: 2,
      guarantee: 'upper',
    },
  ],

  regimes: {
    theorem: {
      about: 'Kingma & Ba’s case: zeros, then one non-zero gradient at the last step (T ≤ 200); β2 ∈ [0.5, 0.9999], β1 = f·√β2 with f ∈ [0, 0.999]',
      draw: fc.record({ grads: fc.tuple(fc.integer({ min: 1, max: 199 }), gradient.filter((g) => g !== 0)).map(([zeros, g]) => [...Array<number>(zeros).fill(0), g]), ...hyper }),
      expect: 'holds',
      runs: { ci: 20, full: 100 },
      search: false,
    },
    'proxy:arbitrary-gradients': {
      about: 'any integer gradient sequence of length 1–60 (the heuristic’s sparsity not met; only the rigorous bound is checked); the targeted search pushes its tightness towards 1',
      draw: fc.record({ grads: fc.array(gradient, { minLength: 1, maxLength: 60 }), ...hyper }),
      expect: 'holds',
      runs: { ci: 30, full: 200 },
      conclusions: ['rigorous step bound'],
    },
    'broken:sparsity': {
      about: 'dense gradients growing geometrically by β2/β1 per step (the rigorous bound’s extremal sequence), T ∈ [300, 400], β2 ∈ [0.95, 0.99], β1 = f·√β2 with f ∈ [0.8, 0.9] (where the rigorous bound exceeds the heuristic by ≥ 1.26×): the heuristic fails, the rigorous bound is attained',
      draw: fc
        .record({ length: fc.integer({ min: 300, max: 400 }), alpha: hyper.alpha, beta2: fc.double({ min: 0.95, max: 0.99, noNaN: true }), beta1Frac: fc.double({ min: 0.8, max: 0.9, noNaN: true }) })
        .map(({ length, ...h }) => {
          const ratio = Math.sqrt(h.beta2) / h.beta1Frac; // β2/β1 with β1 = f√β2
          return { ...h, grads: Array.from({ length }, (_, s) => Math.round(1000 * ratio ** s)) };
        }),
      expect: 'violated',
      runs: { ci: 6, full: 20 },
      maxShrinks: 40,
    },
  },
});
