/**
 * A published counterexample, reproduced: Polyak's heavy ball with the tuning that is optimal on
 * quadratics, α = 4/(√L + √μ)², β = ρ², ρ = (√κ − 1)/(√κ + 1), converges at the accelerated rate
 * on every μ-strongly convex L-smooth quadratic, and does not converge at all on Lessard, Recht &
 * Packard's μ = 1-strongly convex, L = 25-smooth piecewise quadratic: from x_0 = 3.3 it enters the
 * 3-cycle {−1.8024, 2.1159, 0.6465}.
 *
 * The claim checked is the quadratic rate, with explicit constants derived here: for each
 * eigenvalue λ ∈ [μ, L] the error obeys e_{k+1} = (1 + β − αλ)e_k − βe_{k−1} (e_{−1} = e_0), whose
 * characteristic roots both have modulus ρ, so e_k = (U_k − βU_{k−1})e_0 with |U_k| ≤ (k + 1)ρ^k:
 *   ‖x_k − x*‖ ≤ ((k + 1) + kρ) ρ^k ‖x_0 − x*‖.
 * It holds on quadratics (the `theorem` regime) and fails on the LRP function (the broken regime,
 * which drops "f is quadratic"): the iterates cycle at distance ≈ 2 from x* while the bound decays.
 * The cycle itself is computed on each instance (3000 float64 steps) and shown with it.
 */
import { defineTheorem, fc, numerics, objectives, optim, type Summary } from 'provably';

const { rng, orthogonal, normals, fromSpectrum, norm2 } = numerics;

type Params = { readonly fn: 'quadratic'; readonly spectrum: readonly number[]; readonly seed: number; readonly steps: number } | { readonly fn: 'lrp'; readonly x0: number; readonly steps: number };

interface Instance {
  readonly p: Params;
  readonly f: objectives.Objective;
  readonly d: number;
  readonly mu: number;
  readonly L: number;
  readonly x0: Float64Array;
  readonly xStar: Float64Array;
}

function build(p: Params): Instance {
  if (p.fn === 'lrp') return { p, f: objectives.lessardRechtPackard(), d: 1, mu: 1, L: 25, x0: Float64Array.of(p.x0), xStar: Float64Array.of(0) };
  const d = p.spectrum.length;
  const A = fromSpectrum(orthogonal(rng(p.seed, 1), d), p.spectrum);
  const { min, max } = objectives.extremeEigenvalues(A, d);
  const xStar = normals(rng(p.seed, 2), d);
  return { p, f: objectives.quadratic(A, xStar), d, mu: min, L: max, x0: normals(rng(p.seed, 3), d, 3), xStar };
}

function tuning(mu: number, L: number) {
  const rho = (Math.sqrt(L / mu) - 1) / (Math.sqrt(L / mu) + 1);
  return { alpha: 4 / (Math.sqrt(L) + Math.sqrt(mu)) ** 2, beta: rho * rho, rho };
}

/**
 * The largest variation of the directional curvature vᵀ(∇f(x + v) − ∇f(x))/‖v‖² over 64 sample
 * points, per direction (4 fixed directions): 0 for a quadratic, whose Hessian is constant.
 */
function curvatureVariation(q: Instance): number {
  const r = rng(9, 9);
  const spread = 3 * (1 + norm2(q.x0.map((w, i) => w - q.xStar[i])));
  const points = Array.from({ length: 64 }, () => q.xStar.map((v) => v + spread * r.normal()));
  const g0 = new Float64Array(q.d);
  const g1 = new Float64Array(q.d);
  let worst = 0;
  for (let j = 0; j < 4; j++) {
    const v = normals(r, q.d);
    let lo = Infinity;
    let hi = -Infinity;
    for (const x of points) {
      q.f.grad(x, g0);
      q.f.grad(x.map((xi, i) => xi + v[i]), g1);
      let s = 0;
      for (let i = 0; i < q.d; i++) s += v[i] * (g1[i] - g0[i]);
      const c = s / norm2(v) ** 2;
      lo = Math.min(lo, c);
      hi = Math.max(hi, c);
    }
    worst = Math.max(worst, hi - lo);
  }
  return worst;
}

/** Heavy ball's limit behaviour from x_0: the period of the tail (0: converged) and its points. */
function limitCycle(q: Instance): { period: number; points: number[] } {
  const { alpha, beta } = tuning(q.mu, q.L);
  const xs: Float64Array[] = [];
  optim.minimize(q.f, optim.heavyBall(alpha, beta), q.x0, 3000, ({ x }) => (xs.push(Float64Array.from(x)), 1));
  const last = xs[xs.length - 1];
  const dist = (a: Float64Array, b: Float64Array) => norm2(a.map((v, i) => v - b[i]));
  if (dist(last, q.xStar) < 1e-9 * (1 + norm2(q.xStar))) return { period: 0, points: [] };
  for (let p = 1; p <= 12; p++) if (dist(last, xs[xs.length - 1 - p]) < 1e-9) return { period: p, points: xs.slice(-p).map((x) => x[0]).sort((a, b) => a - b) };
  return { period: -1, points: [] };
}

const seed = fc.integer({ min: 0, max: 2 ** 30 });

export default defineTheorem({
  id: 'classic/heavy-ball-lrp-cycle',
  title: 'Heavy ball tuned for quadratics cycles on a strongly convex function (Lessard, Recht & Packard)',
  provenance: {
    authors: ['Laurent Lessard', 'Benjamin Recht', 'Andrew Packard'],
    year: 2016,
    title: 'Analysis and Design of Optimization Algorithms via Integral Quadratic Constraints',
    arxiv: '1408.3595',
    venue: 'SIAM Journal on Optimization 26(1)',
    locator: '§4.6 (heavy ball counterexample)',
    fidelity: 'recalled',
    fidelityNote:
      'Recalled, not checked against the paper: the function (25x²/2 for x < 1; x²/2 + 24x − 12 for 1 ≤ x < 2; 25x²/2 − 24x + 36 for x ≥ 2), the tuning, and the section number. Reproduced here in float64 (and by the research notes’ numpy run): from x_0 = 3.07, 3.1, …, 3.4 the iterates enter the 3-cycle {−1.8024, 2.1159, 0.6465}; from 3.0, 3.5 and 2.5 they converge. The explicit quadratic rate ((k + 1) + kρ)ρ^k is derived in this file.',
  },
  kind: 'counterexample',
  statement: String.raw`Heavy ball $x_{k+1}=x_k-\alpha\nabla f(x_k)+\beta(x_k-x_{k-1})$ with $\alpha=\frac{4}{(\sqrt L+\sqrt\mu)^2}$, $\beta=\rho^2$, $\rho=\frac{\sqrt\kappa-1}{\sqrt\kappa+1}$ satisfies $\|x_k-x^\star\|\le((k+1)+k\rho)\rho^k\|x_0-x^\star\|$ on every quadratic with spectrum in $[\mu,L]$, but on $f(x)=\tfrac{25}{2}x^2$ $(x<1)$, $\tfrac12x^2+24x-12$ $(1\le x<2)$, $\tfrac{25}{2}x^2-24x+36$ $(x\ge2)$, which is $1$-strongly convex and $25$-smooth, it started at $x_0=3.3$ converges to the 3-cycle $\{-1.8024,\,2.1159,\,0.6465\}$.`,
  engines: { default: 'f64', supported: ['f64'] },

  build,
  summarize: (q): Summary => (q.p.fn === 'lrp' ? { f: 'Lessard–Recht–Packard', x0: q.p.x0, steps: q.p.steps } : { f: 'quadratic', d: q.d, κ: q.L / q.mu, steps: q.p.steps }),

  constants: {
    period: { tex: 'p', about: 'period of heavy ball’s limit from x_0 over 3000 float64 steps (0: converges)' },
    cycleLow: { tex: 'c_1', about: 'smallest point of the limit cycle (NaN if none)' },
    cycleMid: { tex: 'c_2' },
    cycleHigh: { tex: 'c_3' },
    mu: { tex: '\\mu' },
    L: { tex: 'L' },
    rho: { tex: '\\rho', about: '(√κ − 1)/(√κ + 1)' },
    dist0: { tex: '\\|x_0-x^\\star\\|' },
    curvatureVariation: { tex: '\\Delta_{\\nabla^2 f}', about: 'variation of the directional curvature over sample points: 0 for a quadratic' },
  },
  computeConstants(q) {
    const { period, points } = limitCycle(q);
    return {
      period,
      cycleLow: points.length === 3 ? points[0] : NaN,
      cycleMid: points.length === 3 ? points[1] : NaN,
      cycleHigh: points.length === 3 ? points[2] : NaN,
      mu: q.mu,
      L: q.L,
      rho: tuning(q.mu, q.L).rho,
      dist0: norm2(q.x0.map((v, i) => v - q.xStar[i])),
      curvatureVariation: curvatureVariation(q),
    };
  },

  hypotheses: [
    { name: 'f is quadratic', tex: '\\nabla^2 f\\ \\text{constant}', measure: (_q, c) => ({ measured: c.curvatureVariation, relation: '<=', required: 1e-9 * c.L, note: 'directional curvature variation' }) },
    { name: 'strongly convex', tex: '\\mu>0', measure: (_q, c) => ({ measured: c.mu, relation: '>', required: 0 }) },
  ],

  series: { dist: { tex: '\\|x_k-x^\\star\\|' } },
  async run(q) {
    const { alpha, beta } = tuning(q.mu, q.L);
    const dist = new Float64Array(q.p.steps + 1);
    const r = optim.minimize(q.f, optim.heavyBall(alpha, beta), q.x0, q.p.steps, ({ k, x }) => (dist[k] = norm2(x.map((v, i) => v - q.xStar[i]))));
    return { series: { dist }, ...r };
  },

  conclusions: [
    {
      kind: 'bound',
      name: 'accelerated rate',
      measured: 'dist',
      relation: '<=',
      bound: '((k + 1) + k * rho) * rho^k * dist0',
      floor: '64 * eps * (dist0 + 1)',
      // Attained: at λ = L the double root is −ρ and |e_k| = ((k + 1) + kρ)ρ^k |e_0| exactly.
      guarantee: 'tight',
    },
  ],

  regimes: {
    theorem: {
      about: 'quadratics in dimension 1–8 with eigenvalues in [1, 25] (κ measured), x_0 at distance ~3√d',
      draw: fc.record({ fn: fc.constant('quadratic' as const), spectrum: fc.array(fc.double({ min: 1, max: 25, noNaN: true }), { minLength: 1, maxLength: 8 }), seed, steps: fc.constant(200) }),
      expect: 'holds',
      runs: { ci: 12, full: 60 },
    },
    'broken:quadratic': {
      about: 'the Lessard–Recht–Packard function (1-strongly convex, 25-smooth, not quadratic), x_0 ∈ [3.07, 3.4] around the published 3.3',
      draw: fc.record({ fn: fc.constant('lrp' as const), x0: fc.double({ min: 3.07, max: 3.4, noNaN: true }), steps: fc.constant(200) }),
      expect: 'violated',
      runs: { ci: 4, full: 10 },
      shrinksTo: { about: 'an instance whose heavy-ball iterates end in the published 3-cycle {−1.8024, 2.1159, 0.6465}', check: (p) => p.fn === 'lrp' && cycleMatches(p.x0) },
    },
  },
});

/** Whether heavy ball from x_0 on the LRP function ends in the published cycle (to its 4 decimals). */
function cycleMatches(x0: number): boolean {
  const { period, points } = limitCycle(build({ fn: 'lrp', x0, steps: 0 }));
  const published = [-1.8024, 0.6465, 2.1159];
  return period === 3 && points.every((v, i) => Math.abs(v - published[i]) < 5e-5);
}
