/**
 * Update-rule conformance for the methods of Zhang's survey (arXiv 1903.03614): gradient descent,
 * momentum, Adagrad and Adam (and RMSProp, which the survey's Adam builds on). On a drawn gradient
 * sequence, the optimizer under test (tfjs's own tf.train.* on the tfjs engine, provably's
 * gradient transformations on the f64 engine) must reproduce the method's recurrence, written out
 * here per coordinate in float64, at every step, to the engine's rounding:
 *
 *   GD        θ −= η g
 *   momentum  a = μa + g, θ −= η a            (heavy-ball accumulate, tfjs's convention)
 *   Adagrad   G = G + g², θ −= η g/√(G + ε)   (G_0 = 0.1, ε = 1e-7 inside the root: tfjs's)
 *   RMSProp   s = ρs + (1−ρ)g², θ −= η g/√(s + ε)
 *   Adam      Algorithm 1, θ −= η m̂/(√v̂ + ε)  (ε = 1e-7, after the root: tfjs's)
 *
 * Broken regime: momentum against the EMA convention m = μm + (1−μ)g, θ −= ηm with the same η,
 * a classic source of apples-to-oranges comparisons: the two differ by the factor 1/(1 − μ).
 */
import { defineTheorem, fc, isTfjs, optim, type Summary } from 'provably';

type Method = 'sgd' | 'momentum' | 'adagrad' | 'rmsprop' | 'adam';

interface Params {
  readonly method: Method;
  /** The recurrence the run is compared with: the method's own, or (momentum) the EMA form. */
  readonly reference: 'same' | 'ema';
  /** Gradients in hundredths. */
  readonly grads: readonly number[];
  readonly lr: number;
  readonly beta: number;
}

const EPS = 1e-7;

/** The recurrence of `method` in plain float64: θ after each step from θ_0 = 1. */
function recurrence(p: Params): Float64Array {
  const out = new Float64Array(p.grads.length + 1);
  let th = 1;
  let a = 0;
  let s = p.method === 'adagrad' ? 0.1 : 0;
  let v = 0;
  out[0] = th;
  p.grads.forEach((g100, k) => {
    const g = g100 / 100;
    const t = k + 1;
    const mu = p.beta;
    if (p.method === 'sgd') th -= p.lr * g;
    else if (p.method === 'momentum') {
      a = p.reference === 'ema' ? mu * a + (1 - mu) * g : mu * a + g;
      th -= p.lr * a;
    } else if (p.method === 'adagrad') {
      s += g * g;
      th -= (p.lr * g) / Math.sqrt(s + EPS);
    } else if (p.method === 'rmsprop') {
      s = mu * s + (1 - mu) * g * g;
      th -= (p.lr * g) / Math.sqrt(s + EPS);
    } else {
      a = mu * a + (1 - mu) * g;
      v = 0.999 * v + 0.001 * g * g;
      th -= (p.lr * (a / (1 - mu ** t))) / (Math.sqrt(v / (1 - 0.999 ** t)) + EPS);
    }
    out[t] = th;
  });
  return out;
}

function transformation(p: Params): optim.GradientTransformation<unknown> {
  switch (p.method) {
    case 'sgd':
      return optim.sgd(p.lr);
    case 'momentum':
      return optim.momentum(p.lr, p.beta);
    case 'adagrad':
      return optim.adagrad(p.lr, { initial: 0.1, eps: EPS, placement: 'inside' });
    case 'rmsprop':
      return optim.rmsprop(p.lr, { decay: p.beta, eps: EPS, placement: 'inside' });
    case 'adam':
      return optim.adam(p.lr, { beta1: p.beta, beta2: 0.999, eps: EPS });
  }
}

export default defineTheorem({
  id: 'adaptive/zhang-update-conformance',
  title: "The survey's update rules (GD, momentum, Adagrad, RMSProp, Adam) as the optimizers implement them, step by step",
  provenance: {
    authors: ['Jiawei Zhang'],
    year: 2019,
    title: 'Gradient Descent based Optimization Algorithms for Deep Learning Models Training',
    arxiv: '1903.03614',
    locator: 'the update rules of §§3–4 (as recalled)',
    fidelity: 'recalled',
    fidelityNote:
      "Read: the survey's abstract (vanilla GD, Momentum, Adagrad, Adam and Gadam are introduced) and tfjs-core's sgd, momentum, adagrad, rmsprop and adam optimizers (their conventions are the ones written here). Not read: the survey's own formulas and section numbers; its momentum convention in particular is not checked, which is why the broken regime names the convention rather than the survey.",
  },
  kind: 'identity',
  statement: String.raw`For every gradient sequence $g_1,\dots,g_T$, the optimizer's iterates equal the method's recurrence to rounding: GD $\theta\mathrel{-}=\eta g$; momentum $a=\mu a+g$, $\theta\mathrel{-}=\eta a$; Adagrad $G=G+g^2$, $\theta\mathrel{-}=\eta g/\sqrt{G+\epsilon}$; RMSProp $s=\rho s+(1-\rho)g^2$, $\theta\mathrel{-}=\eta g/\sqrt{s+\epsilon}$; Adam $\theta\mathrel{-}=\eta\hat m/(\sqrt{\hat v}+\epsilon)$.`,
  engines: { default: 'tfjs', supported: ['tfjs', 'f64'] },

  build: (p: Params) => p,
  summarize: (p): Summary => ({ method: p.method, reference: p.reference, T: p.grads.length, η: p.lr }),

  constants: {
    sameConvention: { tex: '\\mathbb 1[\\text{same convention}]', about: 'the recurrence is the one the optimizer implements' },
    scale: { tex: '\\max_k|\\theta_k|', about: 'of the recurrence' },
  },
  computeConstants: (p) => ({ sameConvention: p.reference === 'same' ? 1 : 0, scale: Math.max(...recurrence(p).map(Math.abs)) }),

  hypotheses: [{ name: 'same convention', tex: '\\text{recurrence}=\\text{implementation}', measure: (_p, c) => ({ measured: c.sameConvention, relation: '>=', required: 1 }), noSlack: 'a convention, not a size' }],

  series: { theta: { tex: '\\theta_k', about: 'the optimizer under test' }, reference: { tex: '\\theta_k^{\\mathrm{ref}}', about: 'the recurrence in float64' } },
  async run(p, _c, { engine }) {
    const reference = recurrence(p);
    const theta = new Float64Array(p.grads.length + 1);
    theta[0] = 1;
    if (isTfjs(engine)) {
      const { tf } = engine;
      const opt =
        p.method === 'sgd' ? tf.train.sgd(p.lr)
        : p.method === 'momentum' ? tf.train.momentum(p.lr, p.beta)
        : p.method === 'adagrad' ? tf.train.adagrad(p.lr, 0.1)
        : p.method === 'rmsprop' ? tf.train.rmsprop(p.lr, p.beta, 0, EPS)
        : tf.train.adam(p.lr, p.beta, 0.999, EPS);
      const v = tf.variable(tf.scalar(1));
      p.grads.forEach((g, k) => {
        const grad = tf.scalar(g / 100);
        opt.applyGradients([{ name: v.name, tensor: grad }]);
        grad.dispose();
        theta[k + 1] = v.dataSync()[0];
      });
      v.dispose();
      opt.dispose();
    } else {
      const t = transformation(p);
      let params: Float64Array[] = [Float64Array.of(1)];
      let state = t.init(params);
      p.grads.forEach((g, k) => {
        const r = t.update([Float64Array.of(g / 100)], state, params);
        state = r.state;
        params = optim.applyUpdates(params, r.updates);
        theta[k + 1] = params[0][0];
      });
    }
    return { series: { theta, reference }, steps: p.grads.length };
  },

  conclusions: [
    {
      kind: 'identity',
      name: 'conforms to the recurrence',
      tex: '\\theta_k=\\theta_k^{\\mathrm{ref}}\\ (k\\le T)',
      sides: { measured: 'theta', against: 'reference' },
      check: (trace, c, _p, engine) => {
        let error = 0;
        for (let k = 0; k <= trace.steps; k++) error = Math.max(error, Math.abs(trace.series.theta[k] - trace.series.reference[k]));
        // A few roundings per step, accumulated over the steps, relative to the iterates' size.
        return { error, tolerance: 32 * engine.eps * (trace.steps + 1) * (1 + c.scale) };
      },
    },
  ],

  regimes: {
    theorem: {
      about: 'each method on gradient sequences of length 1–40 in [−10, 10] (0.01 grid), η ∈ [1e-3, 0.1], β ∈ [0, 0.95] (momentum, RMSProp decay, Adam β1)',
      draw: fc.record({
        method: fc.constantFrom<Method>('sgd', 'momentum', 'adagrad', 'rmsprop', 'adam'),
        reference: fc.constant('same' as const),
        grads: fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 40 }),
        lr: fc.double({ min: 1e-3, max: 0.1, noNaN: true }),
        beta: fc.integer({ min: 0, max: 95 }).map((b) => b / 100),
      }),
      expect: 'holds',
      runs: { ci: 6, full: 60 },
      search: false,
    },
    'broken:same-convention': {
      about: 'momentum (μ ∈ [0.5, 0.95]) compared with the EMA recurrence m = μm + (1−μ)g at the same η, on sequences whose gradients do not cancel (all in [0.5, 10])',
      draw: fc.record({
        method: fc.constant('momentum' as const),
        reference: fc.constant('ema' as const),
        grads: fc.array(fc.integer({ min: 50, max: 1000 }), { minLength: 2, maxLength: 40 }),
        lr: fc.double({ min: 1e-3, max: 0.1, noNaN: true }),
        beta: fc.integer({ min: 50, max: 95 }).map((b) => b / 100),
      }),
      expect: 'violated',
      runs: { ci: 2, full: 10 },
      maxShrinks: 20,
      shrinksTo: { about: 'two gradients', check: (p) => p.grads.length === 2 },
    },
  },
});
