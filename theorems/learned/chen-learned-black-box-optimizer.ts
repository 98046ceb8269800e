/**
 * Chen, Hoffman, Gómez Colmenarejo, Denil, Lillicrap, Botvinick & de Freitas (ICML 2017): recurrent
 * networks meta-trained by gradient descent on functions from a GP prior become black-box
 * optimizers that, up to the training horizon, compare favourably with engineered methods. Here,
 * made small enough to meta-train inside the check: a GRU of 16 units proposes x_t ∈ [0, 1] from
 * (x_{t−1}, y_{t−1}); it is meta-trained from the instance's seed by tfjs autodiff through the
 * unrolled horizon T = 10 (src/models/gru-optimizer.ts: tf.train.adam's minimize, i.e.
 * tf.variableGrads of the meta-loss, lr 0.01, batches of 128 functions; the gradient of f is used at
 * meta-training time only) on random-Fourier-feature functions of length scale ℓ = 0.2
 * (src/models/fourier-prior.ts); the best of three meta-trainings on 64 fresh prior functions is
 * kept. Claim: on held-out functions from the same prior its normalised best-so-far
 * (f_best − f_min)/(f_max − f_min) at t = T is lower than uniform random search's on the same
 * functions by at least 0.01 (paired t test over held-out batches of 512 functions, α = 0.05).
 *
 * Engines: meta-training is always tfjs (float32; there is no float64 autodiff). On the tfjs
 * engine the held-out rollouts and random search's values are float32 tensors; on f64 the same
 * weights are run in float64. A float32 `violated` is re-run by the check on f64, which reuses the
 * weights this process just trained, so the confirmation re-judges the same optimizer on the same
 * functions in float64 arithmetic.
 *
 * Broken: the horizon run to 5T = 50 (random search keeps improving, the GRU does not), and
 * functions 40 times rougher than the prior (ℓ = 0.005), where the GRU's local search is no better
 * than random search or worse. At ℓ = 0.01 (20 times rougher) the advantage still shrank below 0.01
 * significantly at only 9 of 10 trainings measured (t = −1.7 at the tenth); 0.005 decided at all 10
 * (t ≤ −3.4 against 0.01). Observed only (proxy:rougher-functions): ℓ = 0.02.
 *
 * Cost, measured as CPU time of `check` (tfjs wasm, one core): about 25 ms per meta-training step
 * (batch 128), i.e. about 11 s for the three CI meta-trainings of 150 steps; at the CI budget the
 * theorem regime (training plus 8 replicates of 512 functions) took 14–17 s, each other regime 2–13 s
 * (the weights are shared within a process), the whole theorem 30–45 s; at the full budget (400
 * steps, two instances, 10 replicates) the theorem regime took 75 s and the whole theorem about 2
 * min. On a machine loaded 8× over its 2 cores the wall times were 6–10× these.
 */
import { defineTheorem, drawFourierFunction, fc, fourierRange, fourierValue, fourierValuesTf, gruRolloutF64, gruRolloutsTf, isTfjs, metaTrainedGru, numerics, type Budget, type Engine, type FourierFunction, type GruMetaTraining } from 'provably';

interface Params {
  readonly trainSeed: number;
  readonly metaSteps: number;
  readonly restarts: number;
  /** Length scale of the held-out functions (training always uses 0.2). */
  readonly testLengthScale: number;
  /** Evaluation horizon (training always uses 10). */
  readonly horizon: number;
}

const HIDDEN = 16;
const TRAIN_LENGTH = 0.2;
const TRAIN_HORIZON = 10;
/** The broken prior: 40 times rougher than the training prior. */
const ROUGH_LENGTH = 0.005;
/** Meta-training batch: tfjs op overhead, not arithmetic, dominates at this size, so a large batch is nearly free. */
const META_BATCH = 128;
/** Held-out functions per replicate: enough that an advantage of 0 is told from one of 0.01 at every seed. */
const HELD_OUT = 512;
/** Adam steps per meta-training. */
const CI_STEPS = 150;
const FULL_STEPS = 400;

const training = (p: Params): GruMetaTraining => ({ hidden: HIDDEN, horizon: TRAIN_HORIZON, lengthScale: TRAIN_LENGTH, batch: META_BATCH, steps: p.metaSteps, lr: 0.01, seed: p.trainSeed, restarts: p.restarts });

/** The values each method sees on one function: the learned optimizer's y_1..y_T, and f at T uniform points. */
async function values(engine: Engine, p: Params, fs: readonly FourierFunction[], uniform: readonly Float64Array[]): Promise<{ learned: Float64Array[]; random: Float64Array[] }> {
  const { weights } = await metaTrainedGru(engine, training(p));
  if (isTfjs(engine)) return { learned: gruRolloutsTf(engine, weights, fs, p.horizon), random: fourierValuesTf(engine, fs, uniform) };
  return { learned: fs.map((f) => gruRolloutF64(weights, f, p.horizon).ys), random: fs.map((f, i) => uniform[i].map((x) => fourierValue(f, x))) };
}

/** Each held-out batch's ranges, kept: the float64 confirmation and the counterexample's replay see the same functions again. */
const heldOutRanges = new Map<string, { min: number; max: number }[]>();

/**
 * Mean normalised best-so-far curves of the learned optimizer and of random search on one held-out
 * batch. The functions, the random points and each function's range (its normaliser, on a grid of
 * spacing ℓ/4 or finer) are drawn and computed in float64 on every engine; the proposals and the
 * values at them are computed on the engine.
 */
async function heldOut(engine: Engine, p: Params, replicate: number) {
  const r = numerics.rng(p.trainSeed * 7919 + replicate, 41);
  const fs = Array.from({ length: HELD_OUT }, () => drawFourierFunction(r, p.testLengthScale));
  const uniform = fs.map(() => numerics.uniforms(r, p.horizon));
  // An error in min f shifts both methods' regret alike (it cancels in the margin); at spacing ℓ/4
  // the range is missed by about f''h²/8 ≈ 0.2% of it, which scales the margin by as much.
  const gridPoints = Math.max(201, Math.ceil(4 / p.testLengthScale) + 1);
  const { learned, random } = await values(engine, p, fs, uniform);
  const key = `${p.trainSeed}/${replicate}/${p.testLengthScale}`;
  const ranges = heldOutRanges.get(key) ?? fs.map((f) => fourierRange(f, gridPoints));
  heldOutRanges.set(key, ranges);
  const meanL = new Float64Array(p.horizon), meanR = new Float64Array(p.horizon);
  fs.forEach((_f, i) => {
    const { min, max } = ranges[i];
    let bl = Infinity, br = Infinity;
    for (let t = 0; t < p.horizon; t++) {
      bl = Math.min(bl, learned[i][t]);
      br = Math.min(br, random[i][t]);
      meanL[t] += (bl - min) / (max - min) / HELD_OUT;
      meanR[t] += (br - min) / (max - min) / HELD_OUT;
    }
  });
  return { learned: meanL, random: meanR };
}

const draw = (testLengthScale: number, horizon: number) => (budget: Budget) =>
  fc.record({
    trainSeed: fc.integer({ min: 1, max: 2 ** 16 }),
    metaSteps: fc.constant(budget === 'ci' ? CI_STEPS : FULL_STEPS),
    restarts: fc.constant(3),
    testLengthScale: fc.constant(testLengthScale),
    horizon: fc.constant(horizon),
  });

export default defineTheorem({
  id: 'learned/chen-learned-black-box-optimizer',
  title: 'A GRU meta-trained on GP-prior functions beats random search at its training horizon',
  provenance: {
    authors: ['Yutian Chen', 'Matthew W. Hoffman', 'Sergio Gómez Colmenarejo', 'Misha Denil', 'Timothy P. Lillicrap', 'Matt Botvinick', 'Nando de Freitas'],
    year: 2017,
    title: 'Learning to Learn without Gradient Descent by Gradient Descent',
    arxiv: '1611.03824',
    venue: 'ICML 2017 (PMLR 70)',
    locator: 'abstract (learned optimizers trade off exploration and exploitation and compare favourably up to the training horizon); §2 (meta-training by BPTT on GP samples)',
    fidelity: 'recalled',
    fidelityNote:
      'Read: the abstract and §1 (a stored copy of the arXiv text), and the authors’ workshop abstract, which says the RNN optimizer is an LSTM or a differentiable neural computer meta-trained on smooth target functions. Recalled, not checked against the paper: the GP prior (squared-exponential; approximated here by 32 random Fourier features in 1-D), the losses (L_sum, L_OI, L_EI; here the mean best-so-far curve, which is L_OI averaged over the horizon), the horizons and the benchmarks. Changed here: a GRU of 16 units (a gated cell like the LSTM, with fewer tfjs ops per step), meta-trained by tfjs autodiff. Random search stands in for the engineered Bayesian-optimisation baselines the paper compares against.',
  },
  kind: 'comparison',
  statement: String.raw`A recurrent optimizer $x_t = \mathrm{RNN}_\theta(x_{t-1}, y_{t-1}, h_{t-1})$ meta-trained by gradient descent on functions drawn from a GP prior, at horizon $T$, attains on new functions from that prior a lower best-so-far value $\min_{t\le T} f(x_t)$ than uniform random search (here: by at least 0.01 in normalised regret).`,
  engines: { default: 'tfjs', supported: ['tfjs', 'f64'] },

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
      tex: '\\overline{r}_{\\mathrm{GRU}}(t_{\\mathrm{eval}}) < \\overline{r}_{\\mathrm{random}}(t_{\\mathrm{eval}}),\\ r = \\frac{\\min_{t\\le t_{\\mathrm{eval}}}f(x_t)-\\min f}{\\max f-\\min f}',
      a: { name: 'meta-trained GRU' },
      b: { name: 'uniform random search' },
      measure: { name: 'mean normalised best-so-far at the evaluation horizon', tex: '\\overline{r}(t_{\\mathrm{eval}})', better: 'lower', scale: 'linear' },
      // Held out in distribution the advantage measured 0.032–0.061 at 10 trainings (CI settings); 0.01 is what must survive.
      margin: 0.01,
      test: 't',
      seeds: { ci: 8, full: 10 },
      alpha: 0.05,
      curves: { x: { name: 'evaluation t', tex: 't', scale: 'linear' }, y: { name: 'mean normalised best-so-far', tex: '\\overline{r}(t)', scale: 'log' } },
      observe: async (p, _c, { engine, seed }) => {
        const { learned, random } = await heldOut(engine, p, seed);
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
    // Ten times rougher: measured at 10 trainings (CI settings), the advantage flipped at some and
    // sat near 0.005 at others, so it is reported, not judged; broken:training-prior decides.
    'proxy:rougher-functions': {
      about: 'functions ten times rougher (ℓ = 0.02), at T = 10: the advantage shrinks or flips (observed, not judged)',
      draw: draw(0.02, TRAIN_HORIZON),
      expect: 'observe',
      runs: { ci: 1, full: 2 },
      // Shrinking would meta-train again for every candidate seed.
      maxShrinks: 0,
    },
    // ℓ = 0.005, 40 times rougher: its features have frequencies ~200, so ten proposals a GRU
    // spreads or clusters are as good as random ones at best. Measured at 10 trainings (CI
    // settings): margins −0.049 … +0.003, t ≤ −3.4 against 0.01 at every one; at ℓ = 0.01 one of
    // the ten gave t = −1.7 (not significant), so 0.01 is not far enough.
    'broken:training-prior': {
      about: 'functions 40 times rougher than the prior (ℓ = 0.005), at T = 10',
      draw: draw(ROUGH_LENGTH, TRAIN_HORIZON),
      expect: 'violated',
      runs: { ci: 1, full: 2 },
      // Shrinking would meta-train again for every candidate seed.
      maxShrinks: 0,
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
