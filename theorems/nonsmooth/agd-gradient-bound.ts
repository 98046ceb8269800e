/**
 * AGD's gradient bound (Bernstein et al. 2023, Lemma "Bounded gradient"): for square loss
 * ℓ(w) = (1/|S|) Σ ‖f(x) − y‖²/(2d_L) on a bias-free ReLU network, every layer's gradient obeys
 *   ‖∇_{W_k} ℓ‖_F ≤ (∏_l ‖W_l‖_* / ‖W_k‖_*) · √(2ℓ/d_L) · √((1/|S|) Σ ‖x‖²).
 * The proof writes ∇_{W_k}ℓ as a sum of outer products through diagonal 0/1 activation masks,
 * bounds each factor by operator norms, then applies Cauchy–Schwarz. An exact property test.
 *
 * Each layer is one "step" of the check (k = 1 … L indexes layers, not time). ∏_{l≠k}‖W_l‖_* is
 * used for ∏_l‖W_l‖_* /‖W_k‖_*, the same number, defined when W_k = 0. Broken by biases (the
 * gradient no longer vanishes with the input), softplus and 2·relu; shrinks to single neurons.
 */
import { defineTheorem, mlp, numerics } from 'provably';
import { architectureConstantInfo, architectureConstants, architectureHypotheses, buildNet, layerNorms, networks, singleNeurons, summarizeNet } from './_agd-networks.ts';

const { frobeniusNorm, sumSquares } = numerics;

export default defineTheorem({
  id: 'nonsmooth/agd-gradient-bound',
  title: 'AGD’s gradient bound: each layer’s gradient is bounded by the other layers’ operator norms',
  provenance: {
    authors: ['Jeremy Bernstein', 'Chris Mingard', 'Kevin Huang', 'Navid Azizan', 'Yisong Yue'],
    year: 2023,
    title: 'Automatic Gradient Descent: Deep Learning without Hyperparameters',
    arxiv: '2304.05187',
    locator: 'Lemma 7 (Bounded gradient), §3.2; proof in Appendix A',
    fidelity: 'read',
    fidelityNote:
      'Checked against the paper’s LaTeX in jxbz/agd (latex/section/04-bounds.tex and the proof in 99-appendix.tex), including the loss normalisation 1/(2d_L) and the mean over the training set. The P1 simplification √(2d_{k−1}/d_k) is not used. The lemma number is by order of appearance. Numbering checked in the same LaTeX (jxbz/agd at 1f8454d): the lemma environment has one counter through the paper (Lemmas 1–2 are the Bregman divergences of §2), and the deep-network section, 04-bounds.tex, is §3 (§3.1 deriving AGD, §3.2 convergence analysis).',
  },
  kind: 'bound',
  statement: String.raw`For square loss $\ell(w)=\frac1{|S|}\sum_{(x,y)\in S}\frac{1}{2d_L}\|f(x;w)-y\|_2^2$ on a bias-free fully-connected ReLU network, for every layer $k$: $\|\nabla_{W_k}\ell\|_F\le\frac{\prod_{l=1}^L\|W_l\|_*}{\|W_k\|_*}\cdot\sqrt{\frac{2\ell(w)}{d_L}}\cdot\sqrt{\frac1{|S|}\sum_{(x,y)\in S}\|x\|_2^2}$.`,
  engines: { default: 'f64', supported: ['f64'] },

  build: buildNet,
  summarize: summarizeNet,

  constants: {
    loss: { tex: '\\ell(w)' },
    dL: { tex: 'd_L' },
    xrms: { tex: '\\sqrt{\\tfrac1{|S|}\\sum\\|x\\|^2}' },
    gradScale: { tex: '\\max_k\\|\\nabla_{W_k}\\ell\\|_F', about: 'for the float noise floor' },
    ...architectureConstantInfo,
  },
  computeConstants(q) {
    const { loss, gW } = mlp.lossGrad(q.net, q.data, q.p.dims[q.L]);
    return {
      loss,
      dL: q.p.dims[q.L],
      xrms: Math.sqrt(sumSquares(q.data.X) / q.p.n),
      gradScale: Math.max(...gW.map((g) => frobeniusNorm(g))),
      ...architectureConstants(q),
    };
  },

  hypotheses: architectureHypotheses,

  series: {
    gradNorm: { tex: '\\|\\nabla_{W_k}\\ell\\|_F', about: 'index k = layer' },
    otherNorms: { tex: '\\prod_{l\\ne k}\\|W_l\\|_*', about: 'index k = layer' },
  },
  async run(q) {
    const { gW } = mlp.lossGrad(q.net, q.data, q.p.dims[q.L]);
    const norms = layerNorms(q);
    const gradNorm = [NaN, ...gW.map((g) => frobeniusNorm(g))];
    const otherNorms = [NaN, ...norms.map((_v, k) => norms.reduce((a, b, l) => (l === k ? a : a * b), 1))];
    return { series: { gradNorm, otherNorms }, steps: q.L };
  },

  conclusions: [
    {
      kind: 'bound',
      name: 'gradient bound',
      about: 'k indexes layers',
      measured: 'gradNorm',
      relation: '<=',
      bound: 'otherNorms * sqrt(2 * loss / dL) * xrms',
      floor: '256 * eps * (gradScale + otherNorms * sqrt(2 * loss / dL) * xrms)',
      guarantee: 'upper',
    },
  ],

  regimes: {
    theorem: { about: 'bias-free ReLU networks of depth 1–5 and widths 1–7 on 1–6 samples, weights in [−2, 2], inputs and targets in [−3, 3]', draw: networks('relu', { samples: true }), expect: 'holds', runs: { ci: 40, full: 400 } },
    'broken:no-biases': { about: 'networks of widths 1–3 with biases in [0.01, 2], depth ≥ 2; weights and inputs positive (every unit active)', draw: networks('bias', { positive: true, minDepth: 2, samples: true, maxWidth: 3 }), expect: 'violated', runs: { ci: 30, full: 100 }, shrinksTo: singleNeurons(2) },
    'broken:activation-at-zero': { about: 'softplus (softplus(0) = log 2); depth ≥ 2, widths 1–3; weights and inputs positive (every unit active)', draw: networks('softplus', { positive: true, minDepth: 2, samples: true, maxWidth: 3 }), expect: 'violated', runs: { ci: 30, full: 100 }, shrinksTo: singleNeurons(2) },
    'broken:lipschitz': { about: '2·relu (2-Lipschitz); depth ≥ 2, widths 1–3; weights and inputs positive (every unit active)', draw: networks('relu2', { positive: true, minDepth: 2, samples: true, maxWidth: 3 }), expect: 'violated', runs: { ci: 30, full: 100 }, shrinksTo: singleNeurons(2) },
  },
});
