/**
 * Oursland (2025), Theorem 1: for any real distances (energies) d_1, …, d_K,
 *   ∂/∂d_j log Σ_k exp(−d_k) = −r_j,   r_j = exp(−d_j) / Σ_k exp(−d_k),
 * so the gradient with respect to each distance is minus that component's posterior
 * responsibility (and the gradients sum to −1). An algebraic identity: the check is of the
 * statement as encoded, by tfjs reverse-mode autodiff (float32) against the closed form, and by
 * float64 five-point central differences against it, on every instance.
 *
 * The mutation drops the normalisation, as the paper's own limits section says it must not:
 * L' = Σ_k exp(−d_k) has ∂L'/∂d_j = −exp(−d_j), which is −r_j only where Σ_k exp(−d_k) = 1.
 */
import { centralDifferences, defineTheorem, engineGradient, fc, maxAbsDiff, type DualFunction } from 'provably';
import { OURSLAND_2025, READ_NOTE, distances, logSumExpNeg, responsibilities } from './_oursland.ts';

type Objective = 'log-sum-exp' | 'unnormalised';

interface Params {
  readonly d: readonly number[];
  readonly objective: Objective;
}

const OBJECTIVES: Record<Objective, DualFunction> = {
  'log-sum-exp': { f64: logSumExpNeg, tf: (tf, d) => tf.logSumExp(tf.neg(d)) },
  unnormalised: { f64: (d) => d.reduce((s, v) => s + Math.exp(-v), 0), tf: (tf, d) => tf.sum(tf.exp(tf.neg(d))) },
};

/** Float64 central differences of a function of O(1) derivatives: about 1e-12; 1e-10 leaves room. */
const FD_TOL = 1e-10;

export default defineTheorem({
  id: 'representation/oursland-lse-responsibility',
  title: 'The gradient of log-sum-exp over distances is minus the responsibilities',
  provenance: {
    ...OURSLAND_2025,
    locator: 'Theorem 1 (loss-level log-sum-exp identity), §3',
    fidelity: 'read',
    fidelityNote: `${READ_NOTE} The statement here is the abstract's, word for word in its mathematics (L = log Σ_j exp(−d_j), ∂L/∂d_j = −r_j).`,
  },
  kind: 'identity',
  statement: String.raw`For any $K\ge 1$ and any $d\in\mathbb{R}^K$, with $L(d)=\log\sum_{k=1}^K e^{-d_k}$ and $r_j = e^{-d_j}/\sum_k e^{-d_k}$: $\ \partial L/\partial d_j = -r_j$ for every $j$ (hence $\sum_j \partial L/\partial d_j = -1$).`,
  engines: { default: 'tfjs', supported: ['tfjs', 'f64'] },

  build: (p: Params) => p,
  summarize: (p) => ({ K: p.d.length, objective: p.objective }),

  constants: {
    K: { tex: 'K' },
    span: { tex: '\\max_j d_j - \\min_j d_j', about: 'sets the float32 rounding of the exponentials' },
    normalisationGap: { tex: '|\\log\\sum_k e^{-d_k}| \\text{ if unnormalised}', about: '0 for the log-sum-exp objective' },
  },
  computeConstants: (p) => ({
    K: p.d.length,
    span: Math.max(...p.d) - Math.min(...p.d),
    normalisationGap: p.objective === 'log-sum-exp' ? 0 : Math.abs(logSumExpNeg(p.d)),
  }),

  hypotheses: [
    {
      name: 'log-sum-exp objective',
      tex: 'L = \\log\\sum_k e^{-d_k}',
      measure: (p) => ({ measured: p.objective === 'log-sum-exp' ? 0 : 1, relation: '<=', required: 0, note: p.objective === 'log-sum-exp' ? 'log Σ exp(−d)' : 'Σ exp(−d), not normalised' }),
      noSlack: 'the form of the objective, not a size',
    },
  ],

  series: {
    engineGrad: { tex: '\\partial L/\\partial d_j\\ \\text{(engine: tfjs autodiff, or f64 differences)}' },
    finiteDiff: { tex: '\\partial L/\\partial d_j\\ \\text{(float64 central differences)}' },
    closedForm: { tex: '-r_j' },
  },
  run: async (p, _c, { engine }) => {
    const f = OBJECTIVES[p.objective];
    const r = responsibilities(p.d);
    return {
      series: { engineGrad: engineGradient(engine, f, p.d), finiteDiff: centralDifferences(f.f64, p.d), closedForm: r.map((v) => -v) },
      steps: p.d.length - 1,
    };
  },

  conclusions: [
    {
      kind: 'identity',
      name: 'engine gradient = −r',
      tex: '\\max_j\\,\\big|\\partial L/\\partial d_j + r_j\\big| \\le 2\\,\\varepsilon\\,(K + \\mathrm{span})\\ \\text{(float32) or } 10^{-10}\\ \\text{(f64 differences)}',
      about: 'tfjs autodiff in float32, whose exponentials carry a relative error of about ε times the span of d',
      sides: { measured: 'engineGrad', against: 'closedForm' },
      check: (t, c, _p, engine) => ({
        error: maxAbsDiff(t.series.engineGrad, t.series.closedForm),
        tolerance: engine.precision === 'float64' ? FD_TOL : 2 * engine.eps * (c.K + c.span),
      }),
    },
    {
      kind: 'identity',
      name: 'float64 differences = −r',
      tex: '\\max_j\\,\\big|D_j L + r_j\\big| \\le 10^{-10}',
      sides: { measured: 'finiteDiff', against: 'closedForm' },
      check: (t) => ({ error: maxAbsDiff(t.series.finiteDiff, t.series.closedForm), tolerance: FD_TOL }),
    },
  ],

  regimes: {
    theorem: {
      about: 'K ∈ [1, 16] distances drawn in [−30, 30]',
      draw: fc.record({ d: distances(1, 16), objective: fc.constant<Objective>('log-sum-exp') }),
      expect: 'holds',
      runs: { ci: 30, full: 300 },
    },
    'broken:log-sum-exp-objective': {
      about: 'the unnormalised Σ_k exp(−d_k): its gradient −exp(−d_j) is not a responsibility',
      draw: fc.record({ d: distances(1, 16), objective: fc.constant<Objective>('unnormalised') }),
      expect: 'violated',
      runs: { ci: 10, full: 50 },
      shrinksTo: { about: 'at most two distances (every seed reaches d = (0, 0): −1 against −1/2)', check: (p) => p.d.length <= 2 },
    },
  },
});
