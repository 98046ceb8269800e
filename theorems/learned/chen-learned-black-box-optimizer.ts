/**
 * Chen, Hoffman, Gómez Colmenarejo, Denil, Lillicrap, Botvinick & de Freitas (ICML 2017): recurrent
 * networks meta-trained by gradient descent on functions from a GP prior become black-box
 * optimizers that, up to the training horizon, compare favourably with engineered methods. Here,
 * made small enough to meta-train inside the check: a tanh RNN of 8 units proposes x_t ∈ [0, 1]
 * from (x_{t−1}, y_{t−1}); it is meta-trained from the instance's seed by BPTT through the
 * best-so-far curve (src/models/rnn-optimizer.ts; the gradient of f is used at meta-training time
 * only) on random-Fourier-feature functions of length scale ℓ = 0.2, horizon T = 10; the best of
 * three meta-trainings on fresh prior functions is kept. Claim: on held-out
 * functions from the same prior its normalised best-so-far (f_best − f_min)/(f_max − f_min) at
 * t = T is lower than uniform random search's on the same functions by at least 0.01 (paired t test over held-out
 * batches of 128 functions, α = 0.05).
 *
 * Broken: the horizon run to 5T = 50, past what it was trained for — the advantage flips (random
 * search keeps improving, the RNN does not). Observed only (proxy:rougher-functions): functions
 * ten times rougher than the prior (ℓ = 0.02), where the advantage shrank below 0.01 or flipped
 * significantly at only half of the CI seeds 1–10 — not reliable enough to be a broken regime.
 *
 * Cost, measured on 2 shared cores: about 2–3 s per meta-training at the CI budget (800 Adam
 * steps, batches of 8 functions, three of them), about 4× that at the full budget; evaluation is a fraction.
 */
import { defineTheorem, drawFourierFunction, fc, fourierRange, fourierValue, metaTrain, numerics, rollout, type Budget, type RnnOptimizer } from 'provably';

interface Params {
  readonly trainSeed: number;
  readonly metaSteps: number;
  readonly restarts: number;
  /** Length scale of the held-out functions (training always uses 0.2). */
  readonly testLengthScale: number;
  /** Evaluation horizon (training always uses 10). */
  readonly horizon: number;
}

const HIDDEN = 8;
const TRAIN_LENGTH = 0.2;
const TRAIN_HORIZON = 10;
const BATCH = 128;

const trained = new Map<string, RnnOptimizer>();
function optimizer(p: Params): RnnOptimizer {
  const key = `${p.trainSeed}/${p.metaSteps}/${p.restarts}`;
  let o = trained.get(key);
  if (!o) {
    o = metaTrain({ hidden: HIDDEN, horizon: TRAIN_HORIZON, lengthScale: TRAIN_LENGTH, batch: 8, steps: p.metaSteps, lr: 0.01, seed: p.trainSeed, restarts: p.restarts });
    trained.set(key, o);
  }
  return o;
}

/** Mean normalised best-so-far curves of the learned optimizer and of random search on one held-out batch. */
function heldOut(p: Params, replicate: number) {
  const opt = optimizer(p);
  const r = numerics.rng(p.trainSeed * 7919 + replicate, 41);
  const learned = new Float64Array(p.horizon), random = new Float64Array(p.horizon);
  for (let i = 0; i < BATCH; i++) {
    const f = drawFourierFunction(r, p.testLengthScale);
    const { min, max } = fourierRange(f);
    const ys = rollout(opt, f, p.horizon).ys;
    let bl = Infinity, br = Infinity;
    for (let t = 0; t < p.horizon; t++) {
      bl = Math.min(bl, ys[t]);
      br = Math.min(br, fourierValue(f, r.uniform()));
      learned[t] += (bl - min) / (max - min) / BATCH;
      random[t] += (br - min) / (max - min) / BATCH;
    }
  }
  return { learned, random };
}

const draw = (testLengthScale: number, horizon: number) => (budget: Budget) =>
  fc.record({
    trainSeed: fc.integer({ min: 1, max: 2 ** 16 }),
    metaSteps: fc.constant(budget === 'ci' ? 800 : 2000),
    restarts: fc.constant(3),
    testLengthScale: fc.constant(testLengthScale),
    horizon: fc.constant(horizon),
  });

export default defineTheorem({
  id: 'learned/chen-learned-black-box-optimizer',
  title: 'An RNN meta-trained on GP-prior functions beats random search at its training horizon',
  provenance: {
    authors: ['Yutian Chen', 'Matthew W. Hoffman', 'Sergio Gómez Colmenarejo', 'Misha Denil', 'Timothy P. Lillicrap', 'Matt Botvinick', 'Nando de Freitas'],
    year: 2017,
    title: 'Learning to Learn without Gradient Descent by Gradient Descent',
    arxiv: '1611.03824',
    venue: 'ICML 2017 (PMLR 70)',
    locator: 'abstract (learned optimizers trade off exploration and exploitation and compare favourably up to the training horizon); §2 (meta-training by BPTT on GP samples)',
    fidelity: 'recalled',
    fidelityNote:
      'Read (for the research notes, theorems-B.md §4): the abstract and the PMLR page. Recalled, not checked against the paper: the architecture (LSTM/DNC there; a vanilla tanh RNN of 8 units here), the GP prior (squared-exponential; approximated here by 32 random Fourier features in 1-D), the losses (L_sum, L_OI, L_EI; here the mean best-so-far curve, which is L_OI averaged over the horizon), the horizons and the benchmarks. Random search stands in for the engineered Bayesian-optimisation baselines the paper compares against.',
  },
  kind: 'comparison',
  statement: String.raw`An RNN optimizer $x_t = \mathrm{RNN}_\theta(x_{t-1}, y_{t-1}, h_{t-1})$ meta-trained by gradient descent on functions drawn from a GP prior, at horizon $T$, attains on new functions from that prior a lower best-so-far value $\min_{t\le T} f(x_t)$ than uniform random search (here: by at least 0.01 in normalised regret).`,
  engines: { default: 'f64', supported: ['f64'] },

  build: (p: Params) => p,
  summarize: (p) => ({ metaSteps: p.metaSteps, restarts: p.restarts, testLength: p.testLengthScale, horizon: p.horizon }),

  constants: { testLength: { tex: '\\ell_{\\mathrm{test}}' }, horizon: { tex: 't_{\\mathrm{eval}}' } },
  computeConstants: (p) => ({ testLength: p.testLengthScale, horizon: p.horizon }),

  hypotheses: [
    { name: 'training prior', tex: '\\ell_{\\mathrm{test}} = \\ell_{\\mathrm{train}} = 0.2', measure: (_p, c) => ({ measured: Math.abs(c.testLength - TRAIN_LENGTH), relation: '<=', required: 0 }), noSlack: 'which functions, not a size' },
    { name: 'training horizon', tex: 't_{\\mathrm{eval}} \\le T = 10', measure: (_p, c) => ({ measured: c.horizon, relation: '<=', required: TRAIN_HORIZON }) },
  ],

  series: { none: { tex: '-' } },
  run: async () => ({ series: { none: [0] }, steps: 0 }),

  conclusions: [
    {
      kind: 'comparison',
      name: 'beats random search',
      tex: '\\overline{r}_{\\mathrm{RNN}}(t_{\\mathrm{eval}}) < \\overline{r}_{\\mathrm{random}}(t_{\\mathrm{eval}}),\\ r = \\frac{\\min_{t\\le t_{\\mathrm{eval}}}f(x_t)-\\min f}{\\max f-\\min f}',
      a: { name: 'meta-trained RNN' },
      b: { name: 'uniform random search' },
      measure: { name: 'mean normalised best-so-far at the evaluation horizon', tex: '\\overline{r}(t_{\\mathrm{eval}})', better: 'lower', scale: 'linear' },
      // Held out in distribution the advantage measured 0.03–0.06 (ci); 0.01 is what must survive.
      margin: 0.01,
      test: 't',
      seeds: { ci: 8, full: 10 },
      alpha: 0.05,
      curves: { x: { name: 'evaluation t', tex: 't', scale: 'linear' }, y: { name: 'mean normalised best-so-far', tex: '\\overline{r}(t)', scale: 'log' } },
      observe: async (p, _c, { seed }) => {
        const { learned, random } = heldOut(p, seed);
        return { a: { value: learned[p.horizon - 1], curve: [...learned] }, b: { value: random[p.horizon - 1], curve: [...random] }, x: Array.from({ length: p.horizon }, (_, t) => t + 1) };
      },
    },
  ],

  regimes: {
    theorem: {
      about: 'held-out functions from the training prior (ℓ = 0.2), evaluated at the training horizon T = 10',
      draw: draw(TRAIN_LENGTH, TRAIN_HORIZON),
      expect: 'holds',
      runs: { ci: 1, full: 2 },
    },
    // Not a broken regime: at the CI budget the advantage on rougher functions shrank below 0.01
    // significantly at only half of the seeds 1–10 (inconclusive at the rest), so it is reported, not judged.
    'proxy:rougher-functions': {
      about: 'functions ten times rougher (ℓ = 0.02), at T = 10: the advantage shrinks or flips (observed, not judged)',
      draw: draw(0.02, TRAIN_HORIZON),
      expect: 'observe',
      runs: { ci: 1, full: 2 },
    },
    'broken:training-horizon': {
      about: 'the prior’s functions, run to 5T = 50 proposals',
      draw: draw(TRAIN_LENGTH, 5 * TRAIN_HORIZON),
      expect: 'violated',
      runs: { ci: 1, full: 2 },
      // Shrinking would meta-train again for every candidate seed.
      maxShrinks: 0,
    },
  },
});
