/**
 * Anisotropy slows gradient descent (Nagwekar, arXiv 2512.18373, the thesis's starting point; a
 * classical fact): on f(x) = ½(x − x*)ᵀA(x − x*) with spectrum in [μ, L], GD with the best
 * constant step η = 2/(L + μ) contracts the error by exactly ρ = (κ − 1)/(κ + 1) per step in the
 * worst case, attained on the extreme eigenvectors:
 *   ‖x_k − x*‖ ≤ ρ^k ‖x_0 − x*‖,  and  max over eigenvector starts of ‖x_1 − x*‖/‖x_0 − x*‖ = ρ.
 * Both are checked: the bound along a run from a start that excites every eigendirection, and the
 * worst one-step contraction over the eigenvector starts (an identity). Broken regime: the step 1/L
 * instead of the best one; the μ-direction then contracts at 1 − 1/κ > ρ.
 */
import { defineTheorem, fc, numerics, objectives, optim, type Summary } from 'provably';

const { rng, orthogonal, fromSpectrum, matVec, norm2, symEig } = numerics;

interface Params {
  /** log10 of the largest eigenvalue, in hundredths (the smallest is 1). */
  readonly top: number;
  /** log10 of the other eigenvalues, in hundredths, clipped to [0, top]. */
  readonly mid: readonly number[];
  readonly seed: number;
  readonly step: 'best' | 'one-over-L';
}

interface Instance {
  readonly p: Params;
  readonly d: number;
  readonly A: Float64Array;
  readonly x0: Float64Array;
}

const STEPS = 200;

function logSpectrum(p: Params): number[] {
  return [0, p.top, ...p.mid.map((m) => Math.min(m, p.top))].map((e) => e / 100);
}

function build(p: Params): Instance {
  const spectrum = logSpectrum(p);
  const d = spectrum.length;
  const A = fromSpectrum(orthogonal(rng(p.seed, 1), d), spectrum.map((e) => 10 ** e));
  return { p, d, A, x0: numerics.normals(rng(p.seed, 2), d) };
}

/** The worst one-step contraction ‖(I − ηA)q‖ over the measured eigenvectors q of A. */
function worstContraction(q: Instance, eta: number): number {
  const { vectors } = symEig({ n: q.d, data: q.A }, true);
  let worst = 0;
  for (let j = 0; j < q.d; j++) {
    const v = Float64Array.from({ length: q.d }, (_, i) => vectors![i * q.d + j]);
    const Av = matVec(q.A, q.d, q.d, v);
    worst = Math.max(worst, norm2(v.map((vi, i) => vi - eta * Av[i])) / norm2(v));
  }
  return worst;
}

export default defineTheorem({
  id: 'adaptive/nagwekar-gd-contraction',
  title: 'Gradient descent at its best step contracts by exactly (κ − 1)/(κ + 1) per step on an ill-conditioned quadratic',
  provenance: {
    authors: ['Ansh Nagwekar'],
    year: 2025,
    title: 'Towards Guided Descent: Optimization Algorithms for Training Neural Networks At Scale',
    arxiv: '2512.18373',
    locator: 'the anisotropy argument (abstract; C8.1 of the research notes)',
    fidelity: 'derived',
    fidelityNote:
      'Read: the abstract (first-order methods break down under anisotropy). The thesis body was not read; the contraction factor is the classical one (Polyak 1987, Nesterov 2004 for the best constant step), derived here: the eigenvalues of I − ηA are 1 − ηλ_i, and at η = 2/(L + μ) the extremes are ±(L − μ)/(L + μ).',
  },
  kind: 'bound',
  statement: String.raw`For $f(x)=\tfrac12(x-x^\star)^\top A(x-x^\star)$ with spectrum in $[\mu,L]$ and $\kappa=L/\mu$, gradient descent with $\eta=2/(L+\mu)$ satisfies $\|x_k-x^\star\|\le\big(\tfrac{\kappa-1}{\kappa+1}\big)^k\|x_0-x^\star\|$, with equality for $x_0-x^\star$ an extreme eigenvector.`,
  engines: { default: 'f64', supported: ['f64'] },

  build,
  summarize: (q): Summary => ({ d: q.d, κ: 10 ** (q.p.top / 100), step: q.p.step }),

  constants: {
    L: { tex: 'L' },
    mu: { tex: '\\mu' },
    rho: { tex: '\\rho', about: '(κ − 1)/(κ + 1)' },
    eta: { tex: '\\eta' },
    bestEta: { tex: '2/(L+\\mu)' },
    contraction: { tex: '\\max_i\\|(I-\\eta A)q_i\\|', about: 'measured on the eigenvectors of A' },
    dist0: { tex: '\\|x_0-x^\\star\\|' },
  },
  computeConstants(q) {
    const { values } = symEig({ n: q.d, data: q.A });
    const [mu, L] = [values[0], values[q.d - 1]];
    const eta = q.p.step === 'best' ? 2 / (L + mu) : 1 / L;
    return { L, mu, rho: (L / mu - 1) / (L / mu + 1), eta, bestEta: 2 / (L + mu), contraction: worstContraction(q, eta), dist0: norm2(q.x0) };
  },

  hypotheses: [
    { name: 'best step (not above)', tex: '\\eta\\le2/(L+\\mu)', measure: (_q, c) => ({ measured: c.eta, relation: '<=', required: c.bestEta * (1 + 1e-12) }), noSlack: 'the step is set, not searched' },
    { name: 'best step (not below)', tex: '\\eta\\ge2/(L+\\mu)', measure: (_q, c) => ({ measured: c.eta, relation: '>=', required: c.bestEta * (1 - 1e-12) }), noSlack: 'the step is set, not searched' },
  ],

  series: { dist: { tex: '\\|x_k-x^\\star\\|' } },
  async run(q, c) {
    const dist = new Float64Array(STEPS + 1);
    const r = optim.minimize(objectives.quadratic(q.A, new Float64Array(q.d)), optim.sgd(c.eta), q.x0, STEPS, ({ k, x }) => (dist[k] = norm2(x)));
    return { series: { dist }, ...r };
  },

  conclusions: [
    { kind: 'bound', name: 'linear rate', measured: 'dist', relation: '<=', bound: 'rho^k * dist0', floor: '64 * eps * dist0', guarantee: 'tight' },
    {
      kind: 'identity',
      name: 'worst case attained',
      tex: '\\max_i\\|(I-\\eta A)q_i\\|=\\tfrac{\\kappa-1}{\\kappa+1}',
      check: (_t, c, q: Instance, engine) => ({ error: Math.abs(c.contraction - c.rho), tolerance: 64 * q.d * engine.eps * (c.L / c.mu) }),
    },
  ],

  regimes: {
    theorem: {
      about: 'quadratics of dimension 2–8, eigenvalues 1 and 10^{t} with t ∈ [0.3, 2] (κ from 2 to 100) and the rest between, step 2/(L + μ)',
      draw: fc.record({ top: fc.integer({ min: 30, max: 200 }), mid: fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 6 }), seed: fc.integer({ min: 0, max: 2 ** 30 }), step: fc.constant('best' as const) }),
      expect: 'holds',
      runs: { ci: 15, full: 60 },
    },
    'broken:best-step': {
      about: 'the step 1/L instead of 2/(L + μ), on the same quadratics',
      draw: fc.record({ top: fc.integer({ min: 30, max: 200 }), mid: fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 6 }), seed: fc.integer({ min: 0, max: 2 ** 30 }), step: fc.constant('one-over-L' as const) }),
      expect: 'violated',
      runs: { ci: 4, full: 12 },
      maxShrinks: 40,
      shrinksTo: { about: 'a two-dimensional quadratic', check: (p) => p.mid.length === 0 },
    },
  },
});
