/**
 * Under the Polyak–Łojasiewicz inequality ½‖∇L(x)‖² ≥ μ(L(x) − L*), gradient flow converges
 * exponentially in function value:
 *   d/dt (L − L*) = −‖∇L‖² ≤ −2μ(L − L*)   ⇒   L(x(t)) − L* ≤ e^{−2μt}(L(x(0)) − L*)   (Grönwall).
 *
 * The constant μ is measured on each instance, never trusted: for least squares it is the smallest
 * non-zero eigenvalue of XᵀX/n (PL holds globally with it, even when the minimiser is not unique),
 * for the nonconvex Σ a_i(x_i² + 3 sin² x_i) it is min_i a_i times the PL constant of
 * x² + 3 sin² x, computed by a grid plus golden-section search (0.1755; Karimi et al. quote the
 * valid but smaller 1/32). On least squares with XᵀX/n = μI the bound is attained.
 *
 * The broken regime drops the inequality: L = Σ a_i x_i⁴ has ½‖∇L‖²/L → 0 at the minimiser, so its
 * flow decays polynomially; μ is then the PL ratio at the initial point only (a tempting mistake),
 * and the exponential bound fails once the flow slows down.
 */
import { defineTheorem, fc, optim, numerics, seededObjective, sinePlusQuadraticPL, type Budget, type ObjectiveKind, type SeededObjective } from 'provably';

const { gradientFlow, flowTolerance, FLOW_ERROR_FACTOR, uniformTimes } = optim;
const { symEig } = numerics;

interface Params {
  readonly kind: ObjectiveKind;
  readonly n: number;
  readonly d: number;
  readonly seed: number;
}

type Instance = Params & SeededObjective;

const OUTPUTS = 200;
/** The horizon: the bound has decayed by this factor at the last output. */
const DECAY = 1e-8;
const MU_G = sinePlusQuadraticPL();

/** PL constant of least squares: λmin⁺(XᵀX/n), its minimum value L* and the minimiser's loss. */
function leastSquaresConstants(q: Instance): { mu: number; lossStar: number } {
  const { n, d } = q;
  const X = q.X!, y = q.y!;
  const H = new Float64Array(d * d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) H[a * d + b] += (X[i * d + a] * X[i * d + b]) / n;
  const { values, vectors } = symEig({ n: d, data: H }, true);
  const top = values[d - 1];
  const positive = [...values].filter((v) => v > 1e-10 * top);
  // w* = H⁺ Xᵀy/n through the eigendecomposition, then L* = L(w*).
  const b = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) b[a] += (X[i * d + a] * y[i]) / n;
  const w = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    if (values[j] <= 1e-10 * top) continue;
    let c = 0;
    for (let a = 0; a < d; a++) c += vectors![a * d + j] * b[a];
    for (let a = 0; a < d; a++) w[a] += (vectors![a * d + j] * c) / values[j];
  }
  return { mu: Math.min(...positive), lossStar: q.objective.value(w) };
}

const seed = fc.integer({ min: 0, max: 2 ** 30 });
/** Least squares, wide (n < d) or tall (n > d) with aspect ratio ≥ 2, so that XᵀX/n is well conditioned. */
const leastSquares = fc
  .record({ small: fc.integer({ min: 1, max: 4 }), extra: fc.integer({ min: 0, max: 4 }), wide: fc.boolean(), seed })
  .map(({ small, extra, wide, seed }): Params => {
    const big = 2 * small + extra;
    return wide ? { kind: 'least-squares', n: small, d: big, seed } : { kind: 'least-squares', n: big, d: small, seed };
  });
const separable = (kind: ObjectiveKind) => fc.record({ kind: fc.constant(kind), n: fc.constant(0), d: fc.integer({ min: 1, max: 8 }), seed });

export default defineTheorem({
  id: 'flow/pl-exponential-rate',
  title: 'Gradient flow converges exponentially under the Polyak–Łojasiewicz inequality',
  provenance: {
    authors: ['Hamed Karimi', 'Julie Nutini', 'Mark Schmidt'],
    year: 2016,
    title: 'Linear Convergence of Gradient and Proximal-Gradient Methods Under the Polyak-Łojasiewicz Condition',
    arxiv: '1608.04636',
    venue: 'ECML PKDD 2016',
    locator: 'the continuous-time form of Theorem 1 (Polyak 1963); the example x² + 3 sin² x',
    fidelity: 'derived',
    fidelityNote:
      'The flow statement is derived here by Grönwall (file header); Karimi et al. state the discrete-time rate (recalled, see classic/gd-quadratic-linear-rate) and give x² + 3 sin² x as a nonconvex PL function with μ = 1/32 (recalled, not read). The PL constant used here is computed, not quoted.',
  },
  kind: 'bound',
  statement: String.raw`Let $L$ be $C^1$ with minimum value $L^\star$ and satisfy $\tfrac12\|\nabla L(x)\|^2 \ge \mu\,(L(x)-L^\star)$ for all $x$, with $\mu>0$. Then the gradient flow $\dot x = -\nabla L(x)$ satisfies $L(x(t))-L^\star \le e^{-2\mu t}\,(L(x(0))-L^\star)$ for all $t\ge 0$.`,
  engines: { default: 'f64', supported: ['f64'] },

  build: (p: Params): Instance => ({ ...p, ...seededObjective(p) }),
  summarize: (q) => ({ objective: q.kind, d: q.d, ...(q.kind === 'least-squares' ? { n: q.n } : {}) }),

  constants: {
    mu: { tex: '\\mu', about: 'PL constant used in the bound (for the quartic: the PL ratio at x(0) only)' },
    muGlobal: { tex: '\\mu_{\\mathrm{global}}', about: 'inf over x of ½‖∇L‖²/(L − L*), measured' },
    lossStar: { tex: 'L^\\star' },
    gap0: { tex: 'L(x_0)-L^\\star' },
    dt: { tex: '\\Delta t', about: `t_k = k·Δt; the horizon is where e^{−2μt} = ${DECAY}` },
    flowTol: { tex: '\\mathrm{tol}', about: 'relative tolerance of the Dormand–Prince integrator' },
    kFlow: { tex: 'K_{\\mathrm{flow}}', about: 'global error allowed, in tolerances' },
  },
  computeConstants(q) {
    const loss0 = q.objective.value(q.x0);
    let mu: number, muGlobal: number, lossStar: number;
    if (q.kind === 'least-squares') ({ mu, lossStar } = leastSquaresConstants(q)), (muGlobal = mu);
    else if (q.kind === 'sine-pl') (mu = MU_G * Math.min(...q.a!)), (muGlobal = mu), (lossStar = 0);
    else {
      // quartic: not PL. μ is the ratio at the starting point.
      const g = new Float64Array(q.d);
      q.objective.grad(q.x0, g);
      mu = (0.5 * g.reduce((s, v) => s + v * v, 0)) / loss0;
      muGlobal = 0;
      lossStar = 0;
    }
    return { mu, muGlobal, lossStar, gap0: loss0 - lossStar, dt: Math.log(1 / DECAY) / (2 * mu) / OUTPUTS, flowTol: flowTolerance(), kFlow: FLOW_ERROR_FACTOR };
  },

  hypotheses: [
    { name: 'PL inequality', tex: '\\tfrac12\\|\\nabla L(x)\\|^2 \\ge \\mu\\,(L(x)-L^\\star)\\ \\forall x', measure: (_q, c) => ({ measured: c.muGlobal, relation: '>=', required: c.mu, note: 'global PL constant against the μ the bound uses' }) },
    { name: 'μ > 0', tex: '\\mu > 0', measure: (_q, c) => ({ measured: c.mu, relation: '>', required: 0 }) },
  ],

  series: { gap: { tex: 'L(x(t_k))-L^\\star' } },
  run: async (q, c) => {
    const t = gradientFlow(q.objective, { x0: q.x0, times: uniformTimes(OUTPUTS, c.dt) });
    return { series: { gap: t.loss.map((v) => v - c.lossStar) }, steps: t.times.length - 1, ...(t.stopped ? { stopped: t.stopped } : {}) };
  },

  conclusions: [
    {
      kind: 'bound',
      name: 'exponential rate',
      measured: 'gap',
      relation: '<=',
      bound: 'exp(-2 * mu * k * dt) * gap0',
      trivial: 'gap0',
      // Integration error (K·tol of the loss scale) and the rounding of L − L*.
      floor: 'kFlow * flowTol * (gap0 + lossStar) + 64 * eps * (gap0 + lossStar)',
      guarantee: 'tight',
    },
  ],

  regimes: {
    theorem: {
      about: 'least squares (aspect ratio ≥ 2, μ = λmin⁺(XᵀX/n)) and the nonconvex Σ a_i(x_i² + 3 sin² x_i), a_i ∈ [0.2, 2], d ≤ 8; horizon where e^{−2μt} = 1e-8',
      draw: (_b: Budget) => fc.oneof(leastSquares, separable('sine-pl')),
      expect: 'holds',
      runs: { ci: 12, full: 80 },
    },
    'broken:pl-inequality': {
      about: 'Σ a_i x_i⁴ (not PL: the ratio ½‖∇L‖²/L vanishes at the minimiser) with μ the ratio at x(0)',
      draw: separable('quartic'),
      expect: 'violated',
      runs: { ci: 6, full: 30 },
      maxShrinks: 100,
      shrinksTo: { about: 'a one-dimensional quartic', check: (p) => p.d === 1 },
    },
  },
});
