/**
 * Woodworth et al. (2020): for the diagonal linear network w = u⊙u − v⊙v trained by gradient flow on
 * the square loss from u(0) = v(0) = α·1, the scale α decides the implicit bias. The limit is
 *   w_α^∞ = argmin Q_α(w) s.t. Xw = y,   Q_α(w) = α² Σ_i q(w_i/α²),   q(z) = 2 − √(4 + z²) + z·arcsinh(z/2),
 * which tends to the minimum-ℓ1 interpolant as α → 0 ("rich" regime) and to the minimum-ℓ2 one as
 * α → ∞ ("kernel" regime).
 *
 * Checked three ways on every instance:
 *   - identity: Q_α is strictly convex with ∇Q_α(w)_i = arcsinh(w_i/(2α²)), so w is the argmin iff
 *     it interpolates and arcsinh(w/(2α²)) lies in the row space of X (KKT). The flow is run to
 *     interpolation by the shared integrator (loss ≤ (100·tol·max(1, α²))²·‖y‖²/n) at eight scales
 *     α ∈ {10⁻³, …, 4}, and the KKT residual ‖(I − P) arcsinh(w/(2α²))‖ is measured.
 *   - trend, rich regime: d₁(α) = ‖w_α − w_ℓ1‖/‖w_ℓ1‖ shrinks as α → 0: per seed the slope of ln d₁
 *     against ln α over α ≤ 0.1 is claimed > 0.05 (one-sample t test, α_test = 0.05).
 *   - trend, kernel regime: d₂(α) = ‖w_α − w_ℓ2‖/‖w_ℓ2‖ shrinks as α grows: slope of ln d₂ against
 *     ln α over α ∈ [1, 4] claimed < −1 (measured ≈ −4, as the expansion q(z) = z²/4 − z⁴/192 + …
 *     suggests).
 * Both references are computed independently in float64: w_ℓ2 = Xᵀ(XXᵀ)⁻¹y by Cholesky with
 * refinement, w_ℓ1 by the LP solver HiGHS, polished on its support, certified by its dual.
 *
 * Broken: the plain linear model (depth 1, from w(0) = α·s, random signs s) has no scale-dependent
 * bias: its limit is w_ℓ2 + (I − P)w(0). And an unbalanced start u(0) = α·c, v(0) = α/c (w(0) ≠ 0)
 * converges to the argmin of another potential, so the KKT identity fails.
 */
import { defineTheorem, fc, optim, interpolants, linearFlow, numerics, woodworthFlow, type Budget } from 'provably';

const { rng, normals, uniforms, signs } = numerics;
const { flowTolerance, FLOW_ERROR_FACTOR } = optim;

type Model = 'diagonal' | 'linear' | 'unbalanced';

interface Params {
  readonly n: number;
  readonly d: number;
  readonly seed: number;
  readonly model: Model;
}

const ALPHAS = [1e-3, 3e-3, 1e-2, 3e-2, 0.1, 1, 2, 4];

function dataset(p: Params, replicate: number) {
  const r = (stream: number) => rng(p.seed * 31 + replicate, stream);
  return { X: normals(r(1), p.n * p.d), y: normals(r(2), p.n), c: uniforms(r(3), p.d, -0.5, 0.5).map(Math.exp), s: signs(r(4), p.d) };
}

interface Sweep {
  readonly d1: number[];
  readonly d2: number[];
  readonly kkt: number[];
  readonly stopped?: string;
}

async function sweep(p: Params, replicate: number): Promise<Sweep> {
  const { X, y, c, s } = dataset(p, replicate);
  const { n, d } = p;
  const l1 = await interpolants.minL1Interpolant(X, y, n, d);
  const l2 = interpolants.minL2Interpolant(X, y, n, d);
  const yy = y.reduce((a, v) => a + v * v, 0) / n;
  const dist = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.hypot(...Array.from(a, (v, j) => v - b[j])) / Math.hypot(...Array.from(b));
  const out = { d1: [] as number[], d2: [] as number[], kkt: [] as number[], stopped: undefined as string | undefined };
  for (const alpha of ALPHAS) {
    const stopLoss = (100 * flowTolerance() * Math.max(1, alpha * alpha)) ** 2 * yy;
    const problem = { n, d, X, y };
    const r =
      p.model === 'linear'
        ? linearFlow(problem, s.map((v) => alpha * v), { stopLoss })
        : p.model === 'unbalanced'
          ? woodworthFlow(problem, c.map((v) => alpha * v), c.map((v) => alpha / v), { stopLoss })
          : woodworthFlow(problem, new Float64Array(d).fill(alpha), new Float64Array(d).fill(alpha), { stopLoss });
    if (r.stopped) out.stopped ??= `α = ${alpha}: ${r.stopped}`;
    out.d1.push(dist(r.w, l1.w));
    out.d2.push(dist(r.w, l2));
    const z = r.w.map((v) => Math.asinh(v / (2 * alpha * alpha)));
    out.kkt.push(Math.hypot(...interpolants.nullSpaceComponent(X, n, d, z)) / Math.max(1, ...z.map(Math.abs)));
  }
  return out;
}

const sweeps = new WeakMap<object, Map<number, Promise<Sweep>>>();
function replicate(p: Params, s: number): Promise<Sweep> {
  let m = sweeps.get(p);
  if (!m) sweeps.set(p, (m = new Map()));
  if (!m.has(s)) m.set(s, sweep(p, s));
  return m.get(s)!;
}

/** Least-squares slope of ln y against ln α over the α in [lo, hi]. */
const slopeOver = (lo: number, hi: number) => (o: { x: readonly number[]; y: readonly number[] }) => {
  const idx = o.x.map((_, j) => j).filter((j) => o.x[j] >= lo && o.x[j] <= hi);
  const xs = idx.map((j) => Math.log(o.x[j])), ys = idx.map((j) => Math.log(o.y[j]));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length, my = ys.reduce((a, b) => a + b, 0) / ys.length;
  return xs.reduce((a, x, j) => a + (x - mx) * (ys[j] - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
};

const draw = (model: Model) => (_b: Budget) =>
  fc.record({ n: fc.integer({ min: 3, max: 6 }), extra: fc.integer({ min: 1, max: 8 }), seed: fc.integer({ min: 0, max: 2 ** 20 }) }).map(({ n, extra, seed }): Params => ({ n, d: 2 * n + extra, seed, model }));

export default defineTheorem({
  id: 'flow/woodworth-kernel-rich-regimes',
  title: 'The initial scale decides the implicit bias of diagonal linear networks: ℓ1 at small scale, ℓ2 at large',
  provenance: {
    authors: ['Blake Woodworth', 'Suriya Gunasekar', 'Jason D. Lee', 'Edward Moroshko', 'Pedro Savarese', 'Itay Golan', 'Daniel Soudry', 'Nathan Srebro'],
    year: 2020,
    title: 'Kernel and Rich Regimes in Overparametrized Models',
    arxiv: '2002.09277',
    venue: 'COLT 2020',
    locator: 'Theorem 1 (the limit minimises Q_α) and Theorem 2 (α → 0: ℓ1; α → ∞: ℓ2), depth D = 2',
    fidelity: 'recalled',
    fidelityNote:
      'The abstract and introduction were read (via the search tool, a text copy of the paper and groundai.com): the scale of initialisation controls the transition between kernel and rich regimes for a family of depth-D models. The model w = u⊙u − v⊙v with u(0) = v(0) = α1, the potential Q_α with q(z) = 2 − √(4 + z²) + z arcsinh(z/2), and the two limits are recalled, not checked against the theorem text. The KKT form used by the identity is derived here (∇Q_α = arcsinh(w/(2α²)), and along the flow u = α e^{−2G}, v = α e^{2G} with G in the row space of X), and the trend claims (slope thresholds, α ranges) are choices made here.',
  },
  kind: 'trend',
  statement: String.raw`Let $X\in\mathbb{R}^{n\times d}$ have rank $n<d$ and $w = u\odot u - v\odot v$ be trained by gradient flow on $L(u,v)=\frac1{2n}\|X(u\odot u-v\odot v)-y\|^2$ from $u(0)=v(0)=\alpha\mathbf{1}$. If the flow converges to an interpolant $w^\infty_\alpha$, then $w^\infty_\alpha=\arg\min_{Xw=y}Q_\alpha(w)$ with $Q_\alpha(w)=\alpha^2\sum_i q(w_i/\alpha^2)$, $q(z)=2-\sqrt{4+z^2}+z\,\mathrm{arcsinh}(z/2)$. As $\alpha\to0$, $w^\infty_\alpha\to\arg\min_{Xw=y}\|w\|_1$; as $\alpha\to\infty$, $w^\infty_\alpha\to\arg\min_{Xw=y}\|w\|_2$.`,
  engines: { default: 'f64', supported: ['f64'] },

  build: (p: Params) => p,
  summarize: (p) => ({ n: p.n, d: p.d, model: p.model === 'diagonal' ? 'u⊙u − v⊙v, u(0) = v(0) = α' : p.model === 'linear' ? 'linear w, w(0) = α·s' : 'u⊙u − v⊙v, u(0) = αc, v(0) = α/c' }),

  constants: {
    d: { tex: 'd' },
    factors: { tex: 'D', about: 'factors per weight: 2 for u⊙u − v⊙v, 1 for the plain linear model' },
    initOffset: { tex: '\\max_i|u_i(0)-v_i(0)|/\\alpha', about: '0 when u(0) = v(0) = α·1' },
    flowTol: { tex: '\\mathrm{tol}', about: 'relative tolerance of the Dormand–Prince integrator' },
    kFlow: { tex: 'K_{\\mathrm{flow}}' },
  },
  computeConstants(p) {
    const { c } = dataset(p, 0);
    return { d: p.d, factors: p.model === 'linear' ? 1 : 2, initOffset: p.model === 'unbalanced' ? Math.max(...c.map((v) => Math.abs(v - 1 / v))) : 0, flowTol: flowTolerance(), kFlow: FLOW_ERROR_FACTOR };
  },

  hypotheses: [
    { name: 'diagonal network', tex: 'w = u\\odot u - v\\odot v', measure: (_p, c) => ({ measured: c.factors, relation: '>=', required: 2 }) },
    { name: 'balanced start at zero', tex: 'u(0) = v(0) = \\alpha\\mathbf 1', measure: (_p, c) => ({ measured: c.initOffset, relation: '<=', required: 0 }) },
  ],

  series: {
    d1: { tex: '\\|w_\\alpha-w_{\\ell_1}\\|/\\|w_{\\ell_1}\\|', about: 'index k = the k-th initial scale α' },
    d2: { tex: '\\|w_\\alpha-w_{\\ell_2}\\|/\\|w_{\\ell_2}\\|' },
    kkt: { tex: '\\|(I-P)\\,\\mathrm{arcsinh}(w_\\alpha/2\\alpha^2)\\|' },
  },
  run: async (p) => {
    const r = await replicate(p, 0);
    return { series: { d1: r.d1, d2: r.d2, kkt: r.kkt }, steps: ALPHAS.length - 1, ...(r.stopped ? { stopped: r.stopped } : {}) };
  },

  conclusions: [
    {
      kind: 'identity',
      name: 'the limit minimises Q_α',
      tex: '(I-P)\\,\\nabla Q_\\alpha(w^\\infty_\\alpha) = 0\\ \\text{and}\\ Xw^\\infty_\\alpha = y\\ \\text{at every}\\ \\alpha',
      check: (trace, c) => ({
        // A run that did not reach interpolation says nothing about the limit.
        error: trace.stopped ? NaN : Math.max(...Array.from(trace.series.kkt)),
        tolerance: c.kFlow * c.flowTol * Math.sqrt(c.d),
      }),
    },
    {
      kind: 'trend',
      name: 'small scale: minimum ℓ1',
      tex: 'w^\\infty_\\alpha \\to \\arg\\min_{Xw=y}\\|w\\|_1\\ (\\alpha\\to0)',
      about: 'd₁(α) = ‖w_α − w_ℓ1‖/‖w_ℓ1‖ over α ≤ 0.1',
      x: { name: 'α', tex: '\\alpha', scale: 'log' },
      y: { name: 'd₁', tex: '\\|w_\\alpha-w_{\\ell_1}\\|/\\|w_{\\ell_1}\\|', scale: 'log' },
      statistic: { name: 'slope of ln d₁ against ln α for α ≤ 0.1', tex: 'd\\ln d_1/d\\ln\\alpha', of: slopeOver(0, 0.1) },
      claim: { relation: '>', value: 0.05 },
      test: 't',
      // Replicates are fresh Gaussian data, and this slope is heavy-tailed across them: 2100 of
      // them (n ∈ [3, 6], d ∈ [2n + 1, 2n + 8]) had mean 0.32, sd 0.26, median 0.24, 5.5% below
      // 0.05 (a near-degenerate ℓ1 LP: d₁ is still on a plateau at α = 10⁻³), 1% above 1.2. With 6
      // replicates the t test missed p < 0.05 at 14% of instances (resampled; CI seeds 12, 19, 20 of
      // 1–20: inconclusive); with 14 at 5·10⁻⁵ and with 16 at < 3·10⁻⁶ (400 000 resamples).
      seeds: { ci: 14, full: 16 },
      alpha: 0.05,
      observe: async (p, _c, { seed }) => ({ x: ALPHAS, y: (await replicate(p, seed)).d1 }),
    },
    {
      kind: 'trend',
      name: 'large scale: minimum ℓ2',
      tex: 'w^\\infty_\\alpha \\to \\arg\\min_{Xw=y}\\|w\\|_2\\ (\\alpha\\to\\infty)',
      about: 'd₂(α) = ‖w_α − w_ℓ2‖/‖w_ℓ2‖ over α ∈ [1, 4]',
      x: { name: 'α', tex: '\\alpha', scale: 'log' },
      y: { name: 'd₂', tex: '\\|w_\\alpha-w_{\\ell_2}\\|/\\|w_{\\ell_2}\\|', scale: 'log' },
      statistic: { name: 'slope of ln d₂ against ln α for α ≥ 1', tex: 'd\\ln d_2/d\\ln\\alpha', of: slopeOver(1, Infinity) },
      claim: { relation: '<', value: -1 },
      test: 't',
      seeds: { ci: 6, full: 10 },
      alpha: 0.05,
      observe: async (p, _c, { seed }) => ({ x: ALPHAS, y: (await replicate(p, seed)).d2 }),
    },
  ],

  regimes: {
    theorem: {
      about: 'Gaussian X (n ∈ [3, 6] rows, d ∈ [2n + 1, 2n + 8] columns), Gaussian y, u(0) = v(0) = α·1 at α ∈ {10⁻³, 3·10⁻³, 10⁻², 3·10⁻², 0.1, 1, 2, 4}',
      draw: draw('diagonal'),
      expect: 'holds',
      runs: { ci: 1, full: 6 },
    },
    'broken:diagonal-network': {
      about: 'the plain linear model w from w(0) = α·s (random signs s): depth 1, no rich regime',
      draw: draw('linear'),
      expect: 'violated',
      runs: { ci: 1, full: 4 },
      maxShrinks: 10,
    },
    'broken:balanced-start-at-zero': {
      about: 'u(0) = α·c, v(0) = α/c with c_i = e^{U(−½, ½)}: w(0) ≠ 0, the limit minimises another potential',
      draw: draw('unbalanced'),
      expect: 'violated',
      runs: { ci: 1, full: 4 },
      maxShrinks: 10,
    },
  },
});
