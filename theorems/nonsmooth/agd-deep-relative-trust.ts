/**
 * Deep relative trust (Bernstein et al. 2023, Lemma "Deep relative trust"): perturbing the
 * weights of a bias-free ReLU network by ΔW moves its output by at most
 *   ‖Δf(x)‖ ≤ ∏_k ‖W_k‖_* · ‖x‖ · [∏_k (1 + ‖ΔW_k‖_* /‖W_k‖_*) − 1].
 * The proof is an induction over depth using the output bound, the triangle inequality and that
 * relu is 1-Lipschitz with relu(0) = 0. An exact property test: no training.
 *
 * The bound is attained at depth 1 (Δf = ΔW x), so the targeted search can reach 1. Written with
 * ∏_k(‖W_k‖_* + ‖ΔW_k‖_*) − ∏_k‖W_k‖_*, which is the same expression and stays defined when a
 * layer is zero. Broken by biases, softplus or 2·relu, shrinking to single neurons.
 */
import { defineTheorem, mlp, numerics } from 'provably';
import { architectureConstantInfo, architectureConstants, architectureHypotheses, buildNet, layerNorms, networks, singleNeurons, summarizeNet } from './_agd-networks.ts';

const { norm2 } = numerics;
const prod = (xs: number[]) => xs.reduce((a, b) => a * b, 1);

export default defineTheorem({
  id: 'nonsmooth/agd-deep-relative-trust',
  title: 'AGD’s deep relative trust: how far a weight perturbation moves a ReLU network’s output',
  provenance: {
    authors: ['Jeremy Bernstein', 'Chris Mingard', 'Kevin Huang', 'Navid Azizan', 'Yisong Yue'],
    year: 2023,
    title: 'Automatic Gradient Descent: Deep Learning without Hyperparameters',
    arxiv: '2304.05187',
    locator: 'Lemma 4 (Deep relative trust), §3; proof in Appendix A',
    fidelity: 'read',
    fidelityNote:
      'Checked against the paper’s LaTeX in jxbz/agd (latex/section/04-bounds.tex and the inductive proof in 99-appendix.tex). The norm-explicit form is checked, not the P1 form √d_L(e^η − 1). Rewriting ∏‖W_k‖·[∏(1 + ‖ΔW_k‖/‖W_k‖) − 1] as ∏(‖W_k‖ + ‖ΔW_k‖) − ∏‖W_k‖ is exact algebra. Numbering checked in the same LaTeX (jxbz/agd at 1f8454d): the lemma environment has one counter through the paper (Lemmas 1–2 are the Bregman divergences of §2), and the deep-network section, 04-bounds.tex, is §3 (§3.1 deriving AGD, §3.2 convergence analysis).',
  },
  kind: 'bound',
  statement: String.raw`For a bias-free fully-connected ReLU network and a perturbation $\Delta w=(\Delta W_1,\dots,\Delta W_L)$, $\Delta f(x)=f(x;w+\Delta w)-f(x;w)$ satisfies $\|\Delta f(x)\|_2\le\big[\prod_{k=1}^L\|W_k\|_*\big]\|x\|_2\Big[\prod_{k=1}^L\Big(1+\frac{\|\Delta W_k\|_*}{\|W_k\|_*}\Big)-1\Big]$.`,
  engines: { default: 'f64', supported: ['f64'] },

  build: buildNet,
  summarize: summarizeNet,

  constants: {
    trustProduct: { tex: '\\prod_k(\\|W_k\\|_*+\\|\\Delta W_k\\|_*)-\\prod_k\\|W_k\\|_*', about: 'equals ∏‖W_k‖·[∏(1 + ‖ΔW_k‖/‖W_k‖) − 1]' },
    prodNorms: { tex: '\\prod_k\\|W_k\\|_*' },
    xnorm: { tex: '\\|x\\|_2' },
    depth: { tex: 'L' },
    ...architectureConstantInfo,
  },
  computeConstants(q) {
    const w = layerNorms(q);
    const dw = layerNorms(q, q.deltaW);
    return { trustProduct: prod(w.map((v, k) => v + dw[k])) - prod(w), prodNorms: prod(w), xnorm: norm2(q.data.X), depth: q.L, ...architectureConstants(q) };
  },

  hypotheses: architectureHypotheses,

  series: { change: { tex: '\\|\\Delta f(x)\\|_2' } },
  async run(q) {
    const a = mlp.output(q.net, q.data.X);
    const b = mlp.output(q.perturbed, q.data.X);
    return { series: { change: [norm2(b.map((v, i) => v - a[i]))] }, steps: 0 };
  },

  conclusions: [
    {
      kind: 'bound',
      name: 'deep relative trust',
      measured: 'change',
      relation: '<=',
      bound: 'trustProduct * xnorm',
      // The two outputs each carry a few eps of their size, bounded by the output bound.
      floor: '64 * eps * (depth + 1) * (prodNorms + trustProduct) * xnorm',
      from: 0,
      guarantee: 'tight',
    },
  ],

  regimes: {
    theorem: { about: 'bias-free ReLU networks of depth 1–5 and widths 1–7, weights and perturbations from pools in [−2, 2] (perturbations scaled by up to 1), inputs in [−3, 3]', draw: networks('relu'), expect: 'holds', runs: { ci: 40, full: 400 } },
    'broken:no-biases': { about: 'networks of widths 1–3 with (unperturbed) biases in [0.01, 2], depth ≥ 2; weights and inputs positive (every unit active)', draw: networks('bias', { positive: true, minDepth: 2, maxWidth: 3 }), expect: 'violated', runs: { ci: 30, full: 100 }, shrinksTo: singleNeurons(2) },
    'broken:activation-at-zero': { about: 'softplus (softplus(0) = log 2); depth ≥ 2, widths 1–3; weights and inputs positive (every unit active)', draw: networks('softplus', { positive: true, minDepth: 2, maxWidth: 3 }), expect: 'violated', runs: { ci: 30, full: 100 }, shrinksTo: singleNeurons(2) },
    'broken:lipschitz': { about: '2·relu (2-Lipschitz); depth ≥ 2, widths 1–3; weights and inputs positive (every unit active)', draw: networks('relu2', { positive: true, minDepth: 2, maxWidth: 3 }), expect: 'violated', runs: { ci: 30, full: 100 }, shrinksTo: singleNeurons(2) },
  },
});
