/**
 * Online mirror descent with a quadratic mirror map ψ(x) = ½‖x‖²_M (the simplest divergence MetaMD
 * learns), unconstrained, x_{t+1} = x_t − ηM⁻¹g_t, satisfies for every comparator u the identity
 *   Σ_t ⟨g_t, x_t − u⟩ = (‖x_1 − u‖²_M − ‖x_{T+1} − u‖²_M)/(2η) + (η/2) Σ_t ‖g_t‖²_{M⁻¹},
 * (expand ‖x_{t+1} − u‖²_M and telescope), hence for convex f_t the regret bound
 *   Regret_T(u) = Σ_t f_t(x_t) − f_t(u) ≤ ‖x_1 − u‖²_M/(2η) + (η/2) Σ_t ‖g_t‖²_{M⁻¹}.
 * Both sides of the identity are affine in u with the same slope exactly when M(x_1 − x_{T+1}) =
 * ηΣ_t g_t, which the run also checks: with the identity at u = 0 that proves it for every u.
 * Checked in float64 on online least squares (diagonal M, per-coordinate feature scales), at the
 * comparators 0, the best in hindsight, random ones and the final iterate x_{T+1} (where the
 * bound has no distance term to spare).
 *
 * Broken: the identity written with the Euclidean metric while the update uses M; concave losses
 * (−f_t), where the regret exceeds its linearisation by Σ_t ½(a_tᵀ(u − x_t))² and the bound fails.
 */
import { bestInHindsight, defineTheorem, drawOnlineTask, fc, metricNorm2, numerics, omdBound, onlineMirrorDescent, regret, type Budget, type OnlineTask } from 'provably';
import { ABSTRACT_NOTE, METAMD_2022 } from './_metamd.ts';

type Variant = 'matched' | 'euclidean-statement' | 'concave';

interface Params {
  /** Per coordinate: log10 of its feature scale and of its metric entry m_i. */
  readonly coords: readonly (readonly [number, number])[];
  readonly T: number;
  readonly stepFraction: number;
  readonly seed: number;
  readonly variant: Variant;
}

interface Instance extends Params {
  readonly task: OnlineTask;
  readonly m: Float64Array;
  readonly eta: number;
  readonly comparators: Float64Array[];
}

function build(p: Params): Instance {
  const scales = p.coords.map(([e]) => 10 ** e);
  const task = drawOnlineTask(scales, p.T, p.seed);
  const m = Float64Array.from(p.coords, ([, e]) => 10 ** e);
  // η = c / max_t ‖a_t‖²_{M⁻¹}: each step contracts its own loss for c < 2.
  let worst = 0;
  for (let t = 0; t < p.T; t++) worst = Math.max(worst, metricNorm2(task.A.slice(t * task.d, (t + 1) * task.d), Array.from(m, (v) => 1 / v)));
  const r = numerics.rng(p.seed, 5);
  const comparators = [new Float64Array(task.d), bestInHindsight(task), numerics.normals(r, task.d), numerics.normals(r, task.d, 10)];
  return { ...p, task, m, eta: p.stepFraction / Math.max(worst, 1e-300), comparators };
}

const draw = (variant: Variant) => (budget: Budget) =>
  fc.record({
    // The mutated statement differs only where m_i ≠ 1: it draws m_i ∈ [2, 10].
    coords: fc.array(fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: variant === 'euclidean-statement' ? 0.3 : -1, max: 1, noNaN: true })), { minLength: 1, maxLength: 8 }),
    T: fc.integer({ min: 1, max: variant === 'concave' ? 30 : budget === 'ci' ? 100 : 400 }),
    stepFraction: fc.double({ min: 0.01, max: 2, noNaN: true }),
    seed: fc.integer({ min: 0, max: 2 ** 30 }),
    variant: fc.constant(variant),
  });

export default defineTheorem({
  id: 'learned/metamd-omd-regret',
  title: 'Mirror descent with a quadratic mirror map: the regret identity for every comparator, and its bound',
  provenance: {
    ...METAMD_2022,
    locator: 'the mirror-descent regret bound MetaMD meta-learns against (quadratic mirror map); the textbook OMD analysis, e.g. Bubeck (2015), Convex Optimization: Algorithms and Complexity, ch. 4',
    fidelity: 'derived',
    fidelityNote: `${ABSTRACT_NOTE} The identity and bound are the textbook unconstrained OMD analysis specialised to ψ = ½‖·‖²_M, derived here (the telescoping in the file header); Bubeck's chapter is recalled, not read for this file.`,
  },
  kind: 'identity',
  statement: String.raw`Let $M\succ0$, $\eta>0$, $x_{t+1}=x_t-\eta M^{-1}g_t$ with $g_t=\nabla f_t(x_t)$. For every $u$: $\ \sum_{t=1}^T\langle g_t,x_t-u\rangle=\frac{\|x_1-u\|_M^2-\|x_{T+1}-u\|_M^2}{2\eta}+\frac\eta2\sum_{t=1}^T\|g_t\|_{M^{-1}}^2$; if every $f_t$ is convex, $\mathrm{Regret}_T(u)=\sum_t f_t(x_t)-f_t(u)\le\frac{\|x_1-u\|_M^2}{2\eta}+\frac\eta2\sum_t\|g_t\|_{M^{-1}}^2$.`,
  engines: { default: 'f64', supported: ['f64'] },

  build,
  summarize: (q) => ({ d: q.task.d, T: q.T, eta: q.eta, variant: q.variant }),

  constants: {
    eta: { tex: '\\eta' },
    metricSpread: { tex: '\\max_i m_i/\\min_i m_i' },
    statementMetric: { tex: '\\max_i|m^{\\mathrm{stated}}_i/m_i-1|', about: 'the metric the identity is written with, against the update’s' },
    sign: { tex: '\\pm1', about: '+1: the losses f_t; −1: the concave −f_t' },
  },
  computeConstants: (q) => ({
    eta: q.eta,
    metricSpread: Math.max(...q.m) / Math.min(...q.m),
    statementMetric: q.variant === 'euclidean-statement' ? Math.max(...Array.from(q.m, (v) => Math.abs(1 / v - 1))) : 0,
    sign: q.variant === 'concave' ? -1 : 1,
  }),

  hypotheses: [
    { name: 'matched metric', tex: '\\|\\cdot\\|_M \\text{ in the statement} = M \\text{ of the update}', measure: (_q, c) => ({ measured: c.statementMetric, relation: '<=', required: 0 }), noSlack: 'which metric, not a size' },
    { name: 'convex losses', tex: 'f_t\\ \\text{convex}', measure: (_q, c) => ({ measured: c.sign, relation: '>', required: 0, note: c.sign > 0 ? '½(a_tᵀx − b_t)²' : '−½(a_tᵀx − b_t)², concave' }), noSlack: 'a property of the losses' },
  ],

  series: {
    linearRegret: { tex: '\\sum_t\\langle g_t,x_t-u_k\\rangle', about: 'comparators u_k: 0, best in hindsight, N(0, I), N(0, 100 I), the final iterate x_{T+1}' },
    reach: { tex: '\\|u_k\\|_1' },
    telescoped: { tex: '\\frac{\\|x_1-u_k\\|_M^2-\\|x_{T+1}-u_k\\|_M^2}{2\\eta}+\\frac\\eta2\\sum_t\\|g_t\\|_{M^{-1}}^2' },
    slope: { tex: '\\|M(x_1-x_{T+1})-\\eta\\textstyle\\sum_t g_t\\|_\\infty', about: 'the same at every k' },
    scale: { tex: '\\text{size of the terms}' },
    regret: { tex: '\\mathrm{Regret}_T(u_k)' },
    regretBound: { tex: '\\frac{\\|x_1-u_k\\|_M^2}{2\\eta}+\\frac\\eta2\\sum_t\\|g_t\\|_{M^{-1}}^2' },
  },
  run: async (q) => {
    const sign = q.variant === 'concave' ? -1 : 1;
    const run = onlineMirrorDescent(q.task, q.m, q.eta, new Float64Array(q.task.d), sign);
    const stated = q.variant === 'euclidean-statement' ? new Float64Array(q.task.d).fill(1) : q.m;
    const inv = Array.from(stated, (v) => 1 / v);
    const xT = run.xs[q.T];
    const gSum = run.gs.reduce((s, g) => s.map((v, i) => v + g[i]), new Float64Array(q.task.d));
    const slopeErr = Math.max(...Array.from(gSum, (g, i) => Math.abs(stated[i] * (run.xs[0][i] - xT[i]) - q.eta * g)));
    const gTerm = (q.eta / 2) * run.gs.reduce((s, g) => s + metricNorm2(g, inv), 0);
    // The last comparator is the final iterate: where the bound has no distance term to spare.
    const us = [...q.comparators, Float64Array.from(xT)];
    const K = us.length;
    const out = { reach: Float64Array.from(us, (u) => u.reduce((a, v) => a + Math.abs(v), 0)), linearRegret: new Float64Array(K), telescoped: new Float64Array(K), slope: new Float64Array(K).fill(slopeErr), scale: new Float64Array(K), regret: new Float64Array(K), regretBound: new Float64Array(K) };
    us.forEach((u, k) => {
      let lin = 0, size = 0;
      run.gs.forEach((g, t) => g.forEach((v, i) => {
        lin += v * (run.xs[t][i] - u[i]);
        size += Math.abs(v * (run.xs[t][i] - u[i]));
      }));
      const d1 = metricNorm2(run.xs[0].map((v, i) => v - u[i]), stated) / (2 * q.eta);
      const dT = metricNorm2(xT.map((v, i) => v - u[i]), stated) / (2 * q.eta);
      out.linearRegret[k] = lin;
      out.telescoped[k] = d1 - dT + gTerm;
      out.scale[k] = size + d1 + dT + gTerm;
      out.regret[k] = regret(q.task, run, u, sign);
      out.regretBound[k] = omdBound(run, q.m, q.eta, u);
    });
    return { series: out, steps: K - 1 };
  },

  conclusions: [
    {
      kind: 'identity',
      name: 'regret identity, every comparator',
      tex: '\\max_k\\Big|\\sum_t\\langle g_t,x_t-u_k\\rangle-\\text{telescoped}(u_k)\\Big| + \\|M(x_1-x_{T+1})-\\eta\\textstyle\\sum_t g_t\\|_\\infty\\,\\max_k\\|u_k\\|_1/\\eta \\le 10^{-12}\\max_k\\text{scale}_k',
      sides: { measured: 'linearRegret', against: 'telescoped' },
      check: (t, c) => {
        let error = 0, size = 0, reach = 0;
        for (let k = 0; k <= t.steps; k++) {
          error = Math.max(error, Math.abs(t.series.linearRegret[k] - t.series.telescoped[k]));
          size = Math.max(size, t.series.scale[k]);
          reach = Math.max(reach, t.series.reach[k]);
        }
        // The slope mismatch, times how far the comparators reach, is what the affine sides would differ by.
        return { error: error + (t.series.slope[0] * reach) / c.eta, tolerance: 1e-12 * size };
      },
    },
    {
      kind: 'bound',
      name: 'regret bound (convex losses)',
      measured: 'regret',
      relation: '<=',
      bound: 'regretBound',
      floor: '1e3 * eps * scale',
      from: 0,
      guarantee: 'upper',
    },
  ],

  regimes: {
    theorem: {
      about: 'online least squares in d ≤ 8 with feature scales and a diagonal metric each in [0.1, 10] per coordinate, T ≤ 100 (ci) or 400 rounds, η = c/max_t‖a_t‖²_{M⁻¹}, c ∈ [0.01, 2], from x_1 = 0',
      draw: draw('matched'),
      expect: 'holds',
      runs: { ci: 30, full: 300 },
    },
    'broken:matched-metric': {
      about: 'the identity written with the Euclidean metric (M = I) while the update uses M, m_i ∈ [2, 10]',
      draw: draw('euclidean-statement'),
      expect: 'violated',
      runs: { ci: 10, full: 50 },
      shrinksTo: { about: 'one coordinate, one round', check: (p) => p.coords.length === 1 && p.T === 1 },
    },
    'broken:convex-losses': {
      about: 'concave losses −½(a_tᵀx − b_t)², T ≤ 30',
      draw: draw('concave'),
      expect: 'violated',
      runs: { ci: 10, full: 50 },
      shrinksTo: { about: 'one coordinate, one round', check: (p) => p.coords.length === 1 && p.T === 1 },
    },
  },
});
