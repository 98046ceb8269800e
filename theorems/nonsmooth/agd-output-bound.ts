/**
 * Automatic Gradient Descent's output bound (Bernstein et al. 2023, Lemma "Output bound"): a
 * bias-free ReLU network satisfies ‖f(x; w)‖ ≤ ∏_k ‖W_k‖_* · ‖x‖, since ‖Mv‖ ≤ ‖M‖_*‖v‖ and
 * ‖relu(v)‖ ≤ ‖v‖ at every layer. An exact property test over random networks: no training.
 *
 * The proof uses exactly three properties, each measured on the instance and each dropped by a
 * broken regime: no biases, φ(0) = 0 and φ 1-Lipschitz (which with φ(0) = 0 gives ‖φ(v)‖ ≤ ‖v‖).
 * With biases, softplus (φ(0) = log 2) or 2·relu the bound fails, and fast-check shrinks the
 * failure to single neurons. The bound is attained (depth 1, x along the top singular vector), so
 * the targeted search has a known ceiling of 1.
 */
import { defineTheorem, mlp, numerics } from 'provably';
import { architectureConstantInfo, architectureConstants, architectureHypotheses, buildNet, layerNorms, networks, singleNeurons, summarizeNet } from './_agd-networks.ts';

const { norm2 } = numerics;

export default defineTheorem({
  id: 'nonsmooth/agd-output-bound',
  title: 'AGD’s output bound: ‖f(x)‖ ≤ ∏‖W_k‖_* ‖x‖ for bias-free ReLU networks',
  provenance: {
    authors: ['Jeremy Bernstein', 'Chris Mingard', 'Kevin Huang', 'Navid Azizan', 'Yisong Yue'],
    year: 2023,
    title: 'Automatic Gradient Descent: Deep Learning without Hyperparameters',
    arxiv: '2304.05187',
    locator: 'Lemma 3 (Output bound), §3; proof in Appendix A',
    fidelity: 'read',
    fidelityNote:
      'Checked against the paper’s LaTeX in the authors’ repository jxbz/agd (latex/section/04-bounds.tex: Definition of the fully-connected network and the lemma; 99-appendix.tex: its proof by ‖Mv‖ ≤ ‖M‖_*‖v‖ and ‖relu v‖ ≤ ‖v‖). The lemma number is by order of appearance. The P1-simplified form √d_L is not used: the norm-explicit form is checked. Numbering checked in the same LaTeX (jxbz/agd at 1f8454d): the lemma environment has one counter through the paper (Lemmas 1–2 are the Bregman divergences of §2), and the deep-network section, 04-bounds.tex, is §3 (§3.1 deriving AGD, §3.2 convergence analysis).',
  },
  kind: 'bound',
  statement: String.raw`For a fully-connected network $f(x;w)=W_L\circ(\mathrm{relu}\circ W_{L-1})\circ\dots\circ(\mathrm{relu}\circ W_1x)$ without biases, $\|f(x;w)\|_2\le\big[\prod_{k=1}^L\|W_k\|_*\big]\,\|x\|_2$.`,
  engines: { default: 'f64', supported: ['f64'] },

  build: buildNet,
  summarize: summarizeNet,

  constants: {
    prodNorms: { tex: '\\prod_k\\|W_k\\|_*', about: 'spectral norms by the symmetric eigensolver' },
    xnorm: { tex: '\\|x\\|_2' },
    depth: { tex: 'L' },
    ...architectureConstantInfo,
  },
  computeConstants: (q) => ({ prodNorms: layerNorms(q).reduce((a, b) => a * b, 1), xnorm: norm2(q.data.X), depth: q.L, ...architectureConstants(q) }),

  hypotheses: architectureHypotheses,

  series: { outNorm: { tex: '\\|f(x;w)\\|_2' } },
  run: async (q) => ({ series: { outNorm: [norm2(mlp.output(q.net, q.data.X))] }, steps: 0 }),

  conclusions: [
    {
      kind: 'bound',
      name: 'output bound',
      measured: 'outNorm',
      relation: '<=',
      bound: 'prodNorms * xnorm',
      // Each layer's product and the eigensolver's norm carry a few eps relative error.
      floor: '64 * eps * (depth + 1) * prodNorms * xnorm',
      from: 0,
      guarantee: 'tight',
    },
  ],

  regimes: {
    theorem: { about: 'bias-free ReLU networks of depth 1–5 and widths 1–7, weights from a pool in [−2, 2], inputs in [−3, 3]', draw: networks('relu'), expect: 'holds', runs: { ci: 40, full: 400 } },
    'broken:no-biases': { about: 'networks of widths 1–3 with biases in [0.01, 2]; weights and inputs positive (every unit active)', draw: networks('bias', { positive: true, maxWidth: 3 }), expect: 'violated', runs: { ci: 30, full: 100 }, shrinksTo: singleNeurons(1) },
    'broken:activation-at-zero': { about: 'softplus, 1-Lipschitz but softplus(0) = log 2; depth ≥ 2, widths 1–3; weights and inputs positive (every unit active)', draw: networks('softplus', { positive: true, minDepth: 2, maxWidth: 3 }), expect: 'violated', runs: { ci: 30, full: 100 }, shrinksTo: singleNeurons(2) },
    'broken:lipschitz': { about: '2·relu, which is 2-Lipschitz; depth ≥ 2, widths 1–3; weights and inputs positive (every unit active)', draw: networks('relu2', { positive: true, minDepth: 2, maxWidth: 3 }), expect: 'violated', runs: { ci: 30, full: 100 }, shrinksTo: singleNeurons(2) },
  },
});
