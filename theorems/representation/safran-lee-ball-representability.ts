/**
 * Safran & Lee (2022), the mechanism of their positive result: a single sigmoid neuron on the
 * feature ‖x‖² approximates the ball indicator uniformly off a band around the sphere. For the
 * logistic σ, r > 0, 0 < δ < r and A > 0,
 *   sup_{|‖x‖ − r| ≥ δ} |σ(A(r² − ‖x‖²)) − 1{‖x‖ ≤ r}| ≤ σ(−A δ(2r − δ)),
 * because r² − ‖x‖² ≥ δ(2r − δ) inside (‖x‖ ≤ r − δ) and ‖x‖² − r² ≥ δ(2r + δ) outside. The bound
 * is attained at ‖x‖ = r − δ. Checked in float64 at drawn points x ∈ R^d on spheres of radii
 * spread over [0, 3r] off the band, both band edges included.
 *
 * Broken: points inside the band (|‖x‖ − r| < δ), where the error reaches 1/2 at the sphere.
 */
import { defineTheorem, fc, numerics } from 'provably';
import { ABSTRACT_NOTE, SAFRAN_LEE_2022, sigmoid } from './_safran-lee.ts';

interface Params {
  readonly d: number;
  readonly r: number;
  /** δ = deltaFraction · r. */
  readonly deltaFraction: number;
  readonly A: number;
  readonly points: number;
  readonly seed: number;
  /** Draw the radii off the δ-band (the theorem) or inside it (broken). */
  readonly where: 'off-band' | 'in-band';
}

interface Instance extends Params {
  readonly delta: number;
  /** Radii, sorted, and ‖x‖ of the drawn points actually used. */
  readonly norms: Float64Array;
}

function build(p: Params): Instance {
  const delta = p.deltaFraction * p.r;
  const rand = numerics.rng(p.seed, 1);
  const radii: number[] = [];
  if (p.where === 'off-band') {
    // The band edges (nudged outward by 1e-12 relative, against rounding of ‖x‖), then uniform off the band.
    radii.push((p.r - delta) * (1 - 1e-12), (p.r + delta) * (1 + 1e-12));
    for (let i = 2; i < p.points; i++) {
      const inner = rand.uniform() < 0.5;
      radii.push(inner ? rand.uniform() * (p.r - delta) * (1 - 1e-12) : (p.r + delta) * (1 + 1e-12) + rand.uniform() * 2 * p.r);
    }
  } else for (let i = 0; i < p.points; i++) radii.push(p.r + (2 * rand.uniform() - 1) * delta * (1 - 1e-12));
  radii.sort((a, b) => a - b);
  const norms = Float64Array.from(radii, (rho) => {
    const u = numerics.normals(rand, p.d);
    const n = Math.hypot(...u);
    return Math.hypot(...u.map((v) => (rho * v) / n));
  });
  return { ...p, delta, norms };
}

const draw = (where: Instance['where']) =>
  fc.record({
    d: fc.integer({ min: 1, max: 50 }),
    r: fc.double({ min: 0.1, max: 10, noNaN: true }),
    deltaFraction: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
    A: fc.double({ min: 0.01, max: 100, noNaN: true }),
    points: fc.integer({ min: 3, max: 200 }),
    seed: fc.integer({ min: 0, max: 2 ** 30 }),
    where: fc.constant(where),
  });

export default defineTheorem({
  id: 'representation/safran-lee-ball-representability',
  title: 'One sigmoid neuron on ‖x‖² approximates the ball indicator off a δ-band',
  provenance: {
    ...SAFRAN_LEE_2022,
    locator: 'the reduction to a single neuron behind the positive result (learning ball indicators with a fixed random hidden layer)',
    fidelity: 'derived',
    fidelityNote: `${ABSTRACT_NOTE} This bound is derived here (two lines, in the file header) as the representability step of that reduction; it is not a statement of the paper.`,
  },
  kind: 'bound',
  statement: String.raw`For the logistic $\sigma$, $r>0$, $0<\delta<r$, $A>0$ and any $d$: $\ \sup_{x\in\mathbb{R}^d:\ |\|x\|-r|\ge\delta}\big|\sigma\big(A(r^2-\|x\|^2)\big)-\mathbb{1}\{\|x\|\le r\}\big| \le \sigma\big(-A\,\delta(2r-\delta)\big)$.`,
  engines: { default: 'f64', supported: ['f64'] },

  build,
  summarize: (q) => ({ d: q.d, r: q.r, delta: q.delta, A: q.A, points: q.points, where: q.where }),

  constants: {
    r: { tex: 'r' },
    delta: { tex: '\\delta' },
    A: { tex: 'A' },
    bandDistance: { tex: '\\min_i |\\|x_i\\|-r|', about: 'how far the closest point lies from the sphere' },
    rhs: { tex: '\\sigma(-A\\delta(2r-\\delta))' },
  },
  computeConstants: (q) => ({
    r: q.r,
    delta: q.delta,
    A: q.A,
    bandDistance: Math.min(...Array.from(q.norms, (n) => Math.abs(n - q.r))),
    rhs: sigmoid(-q.A * q.delta * (2 * q.r - q.delta)),
  }),

  hypotheses: [
    { name: 'off-band', tex: '|\\|x\\|-r|\\ge\\delta', measure: (_q, c) => ({ measured: c.bandDistance, relation: '>=', required: c.delta }), noSlack: 'where the points lie, not a size' },
    { name: 'δ < r', tex: '0<\\delta<r', measure: (_q, c) => ({ measured: c.delta, relation: '<', required: c.r }), noSlack: 'a condition on the band, not a size' },
  ],

  series: { error: { tex: '|\\sigma(A(r^2-\\|x_i\\|^2))-\\mathbb{1}\\{\\|x_i\\|\\le r\\}|', about: 'points by increasing norm' } },
  run: async (q) => ({
    series: {
      // 1 − σ(z) = σ(−z), without cancellation.
      error: Array.from(q.norms, (n) => (n <= q.r ? sigmoid(-q.A * (q.r ** 2 - n ** 2)) : sigmoid(q.A * (q.r ** 2 - n ** 2)))),
    },
    steps: q.points - 1,
  }),

  conclusions: [
    {
      kind: 'bound',
      name: 'uniform error off the band',
      measured: 'error',
      relation: '<=',
      bound: 'rhs',
      trivial: '1',
      floor: '1e-300',
      from: 0,
      guarantee: 'tight',
    },
  ],

  regimes: {
    theorem: {
      about: 'd ≤ 50, r ∈ [0.1, 10], δ/r ∈ [0.01, 0.99], A ∈ [0.01, 100]; up to 200 points on spheres of radii in [0, r − δ] ∪ [r + δ, 3r + δ], both edges included',
      draw: draw('off-band'),
      expect: 'holds',
      runs: { ci: 40, full: 400 },
    },
    'broken:off-band': {
      about: 'the same, but every point inside the band |‖x‖ − r| < δ',
      draw: draw('in-band'),
      expect: 'violated',
      runs: { ci: 10, full: 50 },
    },
  },
});
