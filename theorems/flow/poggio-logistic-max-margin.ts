/**
 * Poggio et al., Theory of Deep Learning III: for classification with the logistic (cross-entropy)
 * loss, gradient descent converges to the max-margin solution independently of the initial
 * conditions. The precise form (Soudry, Hoffer, Nacson, Gunasekar & Srebro 2018) for a linear model
 * on separable data: w_t = ŵ log t + ρ_t with ρ_t bounded, ŵ the hard-margin SVM solution
 * argmin ‖w‖² s.t. y_i⟨x_i, w⟩ ≥ 1. Hence
 *   - ‖w_t‖ grows like log t, with slope ‖ŵ‖ against log t;
 *   - the direction w_t/‖w_t‖ approaches ŵ/‖ŵ‖ (slowly: the angle is O(1/log t)).
 * Both are asymptotic, so both are trends over seeds (each seed a fresh separable data set):
 *   norm growth: slope of ‖w_t‖/‖ŵ‖ against ln t over t ∈ [10³, 10⁵] steps, claimed within
 *                [0.8, 1.2] (the bounded ρ_t moves the slope over a window of ln 100 = 4.6 by
 *                O(‖Δρ‖/4.6); measured 0.90–0.96); one-sample t test (two one-sided tests), α = 0.05;
 *   direction:   slope of ln angle(w_t, ŵ) against ln t over [10³, 10⁵], claimed < 0;
 *                one-sample t test, α = 0.05.
 * ŵ is computed independently in float64 (HiGHS QP, polished on its support vectors, KKT checked).
 *
 * The broken regime makes the data non-separable (flipped copies of d independent points): the
 * loss is then coercive, w_t converges, ‖w_t‖ stops growing and the angle to the max-margin
 * direction of the original points stops shrinking.
 */
import { defineTheorem, fc, optim, interpolants, logisticLoss, numerics, type Budget } from 'provably';

const { rng, normals, symEig } = numerics;
const { gradientDescentAt, logSpacedSteps } = optim;

interface Params {
  readonly n: number;
  readonly d: number;
  readonly seed: number;
  readonly separable: boolean;
}

/** One data set: n points separable through the origin by a random unit w_true with margin ≥ 0.3, or made non-separable. */
function dataset(p: Params, replicate: number) {
  const { n, d } = p;
  const r = rng(p.seed * 31 + replicate, 5);
  const wTrue = normals(r, d);
  const norm = Math.hypot(...wTrue);
  wTrue.forEach((v, j) => (wTrue[j] = v / norm));
  const X = normals(r, n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += X[i * d + j] * wTrue[j];
    y[i] = s >= 0 ? 1 : -1;
    for (let j = 0; j < d; j++) X[i * d + j] += 0.3 * y[i] * wTrue[j];
  }
  if (p.separable) return { X, y, n, base: { X, y, n }, wTrue };
  // Flipped copies of the first d points: any w with no negative margin has ⟨w, x_i⟩ = 0 for d
  // independent x_i, so w = 0: not separable, and the logistic loss has a finite minimiser.
  const Xb = Float64Array.from([...X, ...X.slice(0, d * d)]);
  const yb = Float64Array.from([...y, ...Array.from(y.slice(0, d), (v) => -v)]);
  return { X: Xb, y: yb, n: n + d, base: { X, y, n }, wTrue };
}

const CHECKPOINTS = logSpacedSteps(2, 5, 19);

/** GD with η = 1/λmax(XᵀX) (Soudry et al. need η < 8/λmax for the logistic loss) from w_0 = 0. */
async function replicateRun(p: Params, replicate: number) {
  const { X, y, n, base } = dataset(p, replicate);
  const { d } = p;
  const G = new Float64Array(d * d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) G[a * d + b] += X[i * d + a] * X[i * d + b];
  const eta = 1 / symEig({ n: d, data: G }).values[d - 1];
  const svm = await interpolants.maxMarginSeparator(base.X, base.y, base.n, d);
  if (!svm) throw new Error('the base data set is not separable');
  const ws = gradientDescentAt(logisticLoss(X, y, n, d), new Float64Array(d), eta, CHECKPOINTS);
  const svmNorm = Math.hypot(...svm.w);
  const norms = ws.map((w) => Math.hypot(...w) / svmNorm);
  const angles = ws.map((w) => {
    const c = w.reduce((s, v, j) => s + v * svm.w[j], 0) / (Math.hypot(...w) * svmNorm);
    return Math.acos(Math.min(1, Math.max(-1, c)));
  });
  return { norms, angles, svmNorm, minMultiplier: svm.minMultiplier };
}

const runs = new WeakMap<object, Map<number, ReturnType<typeof replicateRun>>>();
/** Both trends read the same replicate runs. */
function replicate(p: Params, s: number) {
  let m = runs.get(p);
  if (!m) runs.set(p, (m = new Map()));
  if (!m.has(s)) m.set(s, replicateRun(p, s));
  return m.get(s)!;
}

/** Least-squares slope of y (or ln y) against ln t over t ≥ 10³, past the early transient. */
const lateSlope = (logY: boolean) => (o: { x: readonly number[]; y: readonly number[] }) => {
  const idx = o.x.map((_, j) => j).filter((j) => o.x[j] >= 1e3);
  const xs = idx.map((j) => Math.log(o.x[j]));
  const ys = idx.map((j) => (logY ? Math.log(o.y[j]) : o.y[j]));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length, my = ys.reduce((a, b) => a + b, 0) / ys.length;
  return xs.reduce((s, x, j) => s + (x - mx) * (ys[j] - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
};

// Each trend states its own number of seeds (6 or 23 at CI), so the instance does not carry one.
const draw = (separable: boolean) => (_budget: Budget) =>
  fc
    .record({ d: fc.integer({ min: 2, max: 4 }), extra: fc.integer({ min: 0, max: 8 }), seed: fc.integer({ min: 0, max: 2 ** 20 }) })
    .map(({ d, extra, seed }): Params => ({ n: d + 2 + extra, d, seed, separable }));

export default defineTheorem({
  id: 'flow/poggio-logistic-max-margin',
  title: 'On separable data, gradient descent on the logistic loss grows like log t in the max-margin direction',
  provenance: {
    authors: ['Tomaso Poggio', 'Kenji Kawaguchi', 'Qianli Liao', 'Brando Miranda', 'Lorenzo Rosasco', 'Xavier Boix', 'Jack Hidary', 'Hrushikesh Mhaskar'],
    year: 2017,
    title: 'Theory of Deep Learning III: explaining the non-overfitting puzzle',
    arxiv: '1801.00173',
    locator: 'abstract: for logistic/cross-entropy loss GD converges to max-margin; quantitative form from Soudry et al. (2018, arXiv 1710.10345), Theorem 3',
    fidelity: 'recalled',
    fidelityNote:
      'Poggio et al.: only the abstract was read (convergence to max-margin "independently of the initial conditions"). Soudry et al.: the abstract was read via the search tool (JMLR 2018 version and arXiv 1710.10345: GD on separable logistic regression converges in direction to the hard-margin SVM solution, "very slow, and only logarithmic in the convergence of the loss itself"). The quantitative form w_t = ŵ log t + ρ_t with ρ_t bounded, and the step-size condition η < 2β⁻¹σmax⁻²(X), are recalled, not read. The tests (slope windows, claim intervals) are chosen here.',
  },
  kind: 'trend',
  statement: String.raw`Let $(x_i,y_i)_{i\le n}$ be linearly separable through the origin and $\hat w=\arg\min\{\|w\|:\ y_i\langle x_i,w\rangle\ge1\ \forall i\}$. Gradient descent on $L(w)=\sum_i\log(1+e^{-y_i\langle x_i,w\rangle})$ with a small enough step from any $w_0$ satisfies $w_t=\hat w\log t+\rho_t$ with $\|\rho_t\|$ bounded; so $\|w_t\|/\log t\to\|\hat w\|$ and $w_t/\|w_t\|\to\hat w/\|\hat w\|$.`,
  engines: { default: 'f64', supported: ['f64'] },

  build: (p: Params) => p,
  summarize: (p) => ({ n: p.n, d: p.d, data: p.separable ? 'separable' : 'non-separable' }),

  constants: {
    marginTrue: { tex: '\\min_i y_i\\langle x_i, w_{\\mathrm{true}}\\rangle', about: 'margin of the generating direction on replicate 0 (a separability certificate when > 0)' },
  },
  computeConstants(p) {
    const { X, y, n } = dataset(p, 0);
    const { wTrue } = dataset(p, 0);
    let margin = Infinity;
    for (let i = 0; i < n; i++) margin = Math.min(margin, y[i] * wTrue.reduce((s, v, j) => s + v * X[i * p.d + j], 0));
    return { marginTrue: margin };
  },

  hypotheses: [{ name: 'linearly separable', tex: '\\exists w:\\ y_i\\langle x_i,w\\rangle>0\\ \\forall i', measure: (_p, c) => ({ measured: c.marginTrue, relation: '>', required: 0, note: 'margin of the generating direction; the non-separable data add flipped copies of d independent points' }) }],

  series: {
    normRatio: { tex: '\\|w_t\\|/\\|\\hat w\\|' },
    angle: { tex: '\\angle(w_t,\\hat w)' },
  },
  run: async (p) => {
    const r = await replicate(p, 0);
    return { series: { normRatio: r.norms, angle: r.angles }, steps: r.norms.length - 1 };
  },

  conclusions: [
    {
      kind: 'trend',
      name: 'norm grows like log t',
      tex: '\\|w_t\\| \\sim \\|\\hat w\\|\\,\\log t',
      about: 'slope of ‖w_t‖/‖ŵ‖ against ln t over t ∈ [10³, 10⁵]',
      x: { name: 't', tex: 't', scale: 'log' },
      y: { name: '‖w_t‖/‖ŵ‖', tex: '\\|w_t\\|/\\|\\hat w\\|', scale: 'linear' },
      statistic: { name: 'slope of ‖w_t‖/‖ŵ‖ against ln t for t ≥ 10³', tex: '\\frac{d(\\|w_t\\|/\\|\\hat w\\|)}{d\\ln t}', of: lateSlope(false) },
      claim: { within: [0.8, 1.2] },
      test: 't',
      seeds: { ci: 6, full: 10 },
      alpha: 0.05,
      observe: async (p, _c, { seed }) => ({ x: CHECKPOINTS, y: (await replicate(p, seed)).norms }),
    },
    {
      kind: 'trend',
      name: 'direction approaches max-margin',
      tex: '\\angle(w_t,\\hat w) \\to 0',
      about: 'slope of ln angle(w_t, ŵ) against ln t over t ∈ [10³, 10⁵]',
      x: { name: 't', tex: 't', scale: 'log' },
      y: { name: 'angle(w_t, ŵ)', tex: '\\angle(w_t,\\hat w)', scale: 'log' },
      statistic: { name: 'slope of ln angle(w_t, ŵ) against ln t for t ≥ 10³', tex: '\\frac{d\\ln\\angle(w_t,\\hat w)}{d\\ln t}', of: lateSlope(true) },
      claim: { relation: '<', value: 0 },
      // The sign test: the angle's late slope is small (about −0.1, since it closes like 1/ln t)
      // and one seed of six whose angle rose late (+0.52) made the t test undecidable at CI seed 8.
      // The angle need not fall over a finite window: ρ_t is still moving (its perpendicular part
      // can pass near 0 and the angle climb back towards its ‖w̃⊥‖/(‖ŵ‖ ln t) asymptote, e.g.
      // 3·10⁻⁴ at t = 10³ to 2·10⁻³ at 10⁵), and on 82 of 1048 replicates drawn as the theorem
      // regime draws (7.8 %; 9.7 % at d = 2) it rose over [10³, 10⁵]. What is claimed is that it
      // falls on most data sets. On 10 seeds the test needs at most 1 rise (p = 0.011; 2 give
      // 0.055), so 20 of 104 instances were inconclusive and both CI instances were at CI seeds 11
      // and 14. The rise rate varies with (d, n) (about 3–20 %), so 20 seeds (at most 5 rises,
      // p = 0.021) still left 1 of 30 CI instances (CI seeds 1–15) at p = 0.058 (6 rises) and 2
      // of 24 full ones at 0.058 and 0.13 (7 rises). 23 seeds allow 7 (p = 0.047): with the
      // measured rates per (d, n), an instance is missed with probability ≈ 0.8 % (≤ 8 % in the
      // worst cell), both of a CI regime's ≈ 7·10⁻⁵.
      test: 'sign',
      seeds: { ci: 23, full: 23 },
      alpha: 0.05,
      observe: async (p, _c, { seed }) => ({ x: CHECKPOINTS, y: (await replicate(p, seed)).angles }),
    },
  ],

  regimes: {
    theorem: {
      about: 'separable data: n ∈ [d + 2, d + 10] Gaussian points in d ∈ [2, 4] dimensions, labelled by a random direction and pushed 0.3 away from its hyperplane; GD from 0 with η = 1/λmax(XᵀX) for 10⁵ steps',
      draw: draw(true),
      expect: 'holds',
      runs: { ci: 2, full: 8 },
    },
    'broken:separability': {
      about: 'the same data plus flipped copies of d points: not separable, the loss has a finite minimiser',
      draw: draw(false),
      expect: 'violated',
      runs: { ci: 2, full: 6 },
      maxShrinks: 3,
    },
  },
});
