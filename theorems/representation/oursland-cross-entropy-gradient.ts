/**
 * Oursland (2025), the clamped (supervised) regime: cross-entropy written over distances,
 *   L_CE(d) = d_y + log Σ_k exp(−d_k)   (cross-entropy with logits z = −d and label y),
 * has ∂L_CE/∂d_j = 1[j = y] − r_j: supervision clamps the responsibility of the true class.
 * Checked by tfjs autodiff (float32) and float64 central differences against the closed form.
 *
 * The arXiv v1 text states the opposite sign, r_j − 1[j = y]; the author's own verification
 * script records that as a sign error. The mutation encodes the v1 statement as published: the
 * suite must refute it. With one class both forms are 0 (r_1 = 1), so its minimal counterexample
 * has two classes.
 */
import { centralDifferences, defineTheorem, engineGradient, fc, maxAbsDiff, type DualFunction } from 'provably';
import { OURSLAND_2025, READ_NOTE, distances, logSumExpNeg, responsibilities } from './_oursland.ts';

type Form = 'corrected' | 'v1';

interface Params {
  readonly d: readonly number[];
  /** The label, as a fraction of K (so that it shrinks with d): y = floor(label·K). */
  readonly label: number;
  readonly form: Form;
}

interface Instance extends Params {
  readonly y: number;
}

const crossEntropy = (y: number): DualFunction => ({
  f64: (d) => d[y] + logSumExpNeg(d),
  tf: (tf, d) => tf.add(tf.slice(d, [y], [1]).sum(), tf.logSumExp(tf.neg(d))),
});

const FD_TOL = 1e-10;

const draw = (form: Form) => fc.record({ d: distances(1, 16), label: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), form: fc.constant(form) });

export default defineTheorem({
  id: 'representation/oursland-cross-entropy-gradient',
  title: 'Cross-entropy over distances: the gradient is the clamped target minus the responsibility',
  provenance: {
    ...OURSLAND_2025,
    locator: '§3, the clamped (cross-entropy classification) regime; sign erratum of arXiv v1',
    fidelity: 'recalled',
    fidelityNote: `${READ_NOTE} The corrected form 1[j=y] − r_j and the v1 sign error (r_j − 1[j=y] in the v1 text and notes/toy_example.md, recorded as an error in experiments/verify_identities.py) are as the research notes (theorems-B.md §3.2) read them from the repository; not re-read for this file. The corrected form is also the textbook softmax cross-entropy gradient, derived here.`,
  },
  kind: 'identity',
  statement: String.raw`For any $K\ge 1$, $d\in\mathbb{R}^K$ and label $y\in\{1,\dots,K\}$, with $L_{\mathrm{CE}}(d) = d_y + \log\sum_k e^{-d_k}$ and $r_j = e^{-d_j}/\sum_k e^{-d_k}$: $\ \partial L_{\mathrm{CE}}/\partial d_j = \mathbb{1}[j=y] - r_j$. (arXiv v1 states $r_j - \mathbb{1}[j=y]$.)`,
  engines: { default: 'tfjs', supported: ['tfjs', 'f64'] },

  build: (p: Params): Instance => ({ ...p, y: Math.min(p.d.length - 1, Math.floor(p.label * p.d.length)) }),
  summarize: (q) => ({ K: q.d.length, y: q.y, form: q.form }),

  constants: {
    K: { tex: 'K' },
    span: { tex: '\\max_j d_j - \\min_j d_j' },
  },
  computeConstants: (q) => ({ K: q.d.length, span: Math.max(...q.d) - Math.min(...q.d) }),

  hypotheses: [
    {
      name: 'corrected sign',
      tex: '\\partial L_{\\mathrm{CE}}/\\partial d_j \\overset{?}{=} \\mathbb{1}[j=y]-r_j',
      measure: (q) => ({ measured: q.form === 'corrected' ? 0 : 1, relation: '<=', required: 0, note: q.form === 'corrected' ? 'the closed form checked is 1[j=y] − r_j' : 'the closed form checked is v1’s r_j − 1[j=y]' }),
      noSlack: 'which statement is checked, not a size',
    },
  ],

  series: {
    engineGrad: { tex: '\\partial L_{\\mathrm{CE}}/\\partial d_j\\ \\text{(engine)}' },
    finiteDiff: { tex: '\\partial L_{\\mathrm{CE}}/\\partial d_j\\ \\text{(float64 differences)}' },
    closedForm: { tex: '\\pm(\\mathbb{1}[j=y]-r_j)\\ \\text{(the form checked)}' },
  },
  run: async (q, _c, { engine }) => {
    const f = crossEntropy(q.y);
    const r = responsibilities(q.d);
    const sign = q.form === 'corrected' ? 1 : -1;
    return {
      series: { engineGrad: engineGradient(engine, f, q.d), finiteDiff: centralDifferences(f.f64, q.d), closedForm: r.map((v, j) => sign * ((j === q.y ? 1 : 0) - v)) },
      steps: q.d.length - 1,
    };
  },

  conclusions: [
    {
      kind: 'identity',
      name: 'engine gradient = 1[j=y] − r',
      tex: '\\max_j\\,\\big|\\partial L_{\\mathrm{CE}}/\\partial d_j - (\\mathbb{1}[j=y]-r_j)\\big| \\le 2\\,\\varepsilon\\,(K+\\mathrm{span}+1)\\ \\text{(float32) or } 10^{-10}\\ \\text{(f64 differences)}',
      sides: { measured: 'engineGrad', against: 'closedForm' },
      check: (t, c, _q, engine) => ({
        error: maxAbsDiff(t.series.engineGrad, t.series.closedForm),
        tolerance: engine.precision === 'float64' ? FD_TOL : 2 * engine.eps * (c.K + c.span + 1),
      }),
    },
    {
      kind: 'identity',
      name: 'float64 differences = 1[j=y] − r',
      tex: '\\max_j\\,\\big|D_j L_{\\mathrm{CE}} - (\\mathbb{1}[j=y]-r_j)\\big| \\le 10^{-10}',
      sides: { measured: 'finiteDiff', against: 'closedForm' },
      check: (t) => ({ error: maxAbsDiff(t.series.finiteDiff, t.series.closedForm), tolerance: FD_TOL }),
    },
  ],

  regimes: {
    theorem: {
      about: 'K ∈ [1, 16] distances in [−30, 30], a uniformly drawn label; the corrected sign',
      draw: draw('corrected'),
      expect: 'holds',
      runs: { ci: 30, full: 300 },
    },
    'broken:corrected-sign': {
      about: 'the arXiv v1 statement ∂L_CE/∂d_j = r_j − 1[j = y], as published',
      draw: draw('v1'),
      expect: 'violated',
      runs: { ci: 10, full: 50 },
      shrinksTo: { about: 'two classes (with one, both forms are 0)', check: (p) => p.d.length === 2 },
    },
  },
});
