/**
 * The adaptive optimizers and both momentum conventions (src/optim/adaptive.ts), step by step:
 *   1. against each method's textbook recurrence, written out per coordinate in plain float64,
 *      on gradient sequences fast-check draws (agreement to float64 rounding);
 *   2. against TensorFlow.js's own tf.train.* optimizers on the tfjs engine (to float32 accuracy),
 *      with the transformation set to tfjs's convention, and the conventions where they differ
 *      named and shown to matter (accumulate vs EMA momentum, ε inside vs outside the root,
 *      Adagrad's initial accumulator).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { optim } from '../src/index.ts';
import { tfjsEngine } from '../src/engine/index.ts';

const { applyUpdates, adam, amsgrad, adagrad, rmsprop, momentum, emaMomentum } = optim;
type GT = optim.GradientTransformation<unknown>;

/**
 * A gradient coordinate: 0, or ±[1e-6, 10] (subnormal gradients square to 0 and turn g/√G into 0/0
 * in one order of operations and ∞ in another; that is float underflow, not a convention).
 */
const coord = fc.oneof(fc.constant(0), fc.tuple(fc.boolean(), fc.double({ min: 1e-6, max: 10, noNaN: true })).map(([neg, v]) => (neg ? -v : v)));
/** Two blocks (sizes 2 and 1), so block handling is exercised too. */
const gradSeq = fc.array(fc.tuple(coord, coord, coord), { minLength: 1, maxLength: 40 });
const start = fc.tuple(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }));

/** θ after each step when the gradients are the given sequence (an online problem: g_t does not depend on θ). */
function runTransform(t: GT, theta0: readonly number[], gs: readonly (readonly number[])[]): number[][] {
  let params: Float64Array[] = [Float64Array.of(theta0[0], theta0[1]), Float64Array.of(theta0[2])];
  let state = t.init(params);
  const out: number[][] = [];
  for (const g of gs) {
    const r = t.update([Float64Array.of(g[0], g[1]), Float64Array.of(g[2])], state, params);
    state = r.state;
    params = applyUpdates(params, r.updates);
    out.push([params[0][0], params[0][1], params[1][0]]);
  }
  return out;
}

/** A textbook recurrence per coordinate: `step(θ, g, t, s)` returns the new θ and state, t = 1, 2, ... */
function runTextbook<S>(init: () => S, step: (theta: number, g: number, t: number, s: S) => [number, S], theta0: readonly number[], gs: readonly (readonly number[])[]): number[][] {
  const theta = [...theta0];
  const st = theta0.map(() => init());
  return gs.map((g, k) =>
    theta.map((_, j) => {
      [theta[j], st[j]] = step(theta[j], g[j], k + 1, st[j]);
      return theta[j];
    }),
  );
}

function expectSame(a: number[][], b: number[][], rel: number, abs = 0): void {
  expect(a.length).toBe(b.length);
  a.forEach((row, k) => row.forEach((v, j) => expect(Math.abs(v - b[k][j]), `step ${k + 1}, coordinate ${j}: ${v} vs ${b[k][j]}`).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(b[k][j])) + abs)));
}

const F64 = 1e-12;

describe('adaptive optimizers against their textbook recurrences (float64, drawn gradient sequences)', () => {
  it('Adam: Kingma & Ba Algorithm 1, bias-corrected, ε after the root', () => {
    fc.assert(
      fc.property(gradSeq, start, fc.double({ min: 0, max: 0.99, noNaN: true }), fc.double({ min: 0.5, max: 0.9999, noNaN: true }), (gs, x0, b1, b2) => {
        const a = 0.01;
        const eps = 1e-8;
        const book = runTextbook(() => ({ m: 0, v: 0 }), (th, g, t, { m, v }) => {
          m = b1 * m + (1 - b1) * g;
          v = b2 * v + (1 - b2) * g * g;
          const mh = m / (1 - b1 ** t);
          const vh = v / (1 - b2 ** t);
          return [th - (a * mh) / (Math.sqrt(vh) + eps), { m, v }];
        }, x0, gs);
        expectSame(runTransform(adam(a, { beta1: b1, beta2: b2, eps }), x0, gs), book, F64, 1e-13);
      }),
      { numRuns: 60 },
    );
  });

  it('Adam with scheduled α_t = α/√t and β1,t = β1 λ^{t−1} (Kingma & Ba, Theorem 4.1), no bias correction, ε = 0', () => {
    fc.assert(
      fc.property(gradSeq, start, fc.double({ min: 0.5, max: 1, noNaN: true }), (gs, x0, lambda) => {
        const book = runTextbook(() => ({ m: 0, v: 0 }), (th, g, t, { m, v }) => {
          const b1 = 0.9 * lambda ** (t - 1);
          m = b1 * m + (1 - b1) * g;
          v = 0.999 * v + 0.001 * g * g;
          return [v === 0 ? th : th - ((0.1 / Math.sqrt(t)) * m) / Math.sqrt(v), { m, v }];
        }, x0, gs);
        // ε = 0 and a zero gradient history give 0/0: keep to sequences whose coordinates start non-zero.
        fc.pre(gs[0].every((g) => g !== 0));
        expectSame(runTransform(adam((t) => 0.1 / Math.sqrt(t), { beta1: (t) => 0.9 * lambda ** (t - 1), eps: 0, biasCorrection: false }), x0, gs), book, F64, 1e-13);
      }),
      { numRuns: 60 },
    );
  });

  it('AMSGrad: Reddi, Kale & Kumar Algorithm 2, v̂_t = max(v̂_{t−1}, v_t), no bias correction', () => {
    fc.assert(
      fc.property(gradSeq, start, fc.double({ min: 0, max: 0.95, noNaN: true }), (gs, x0, b1) => {
        fc.pre(gs[0].every((g) => g !== 0));
        const b2 = 0.99;
        const book = runTextbook(() => ({ m: 0, v: 0, vh: 0 }), (th, g, t, { m, v, vh }) => {
          m = b1 * m + (1 - b1) * g;
          v = b2 * v + (1 - b2) * g * g;
          vh = Math.max(vh, v);
          return [th - ((0.5 / Math.sqrt(t)) * m) / Math.sqrt(vh), { m, v, vh }];
        }, x0, gs);
        expectSame(runTransform(amsgrad((t) => 0.5 / Math.sqrt(t), { beta1: b1, beta2: b2 }), x0, gs), book, F64, 1e-13);
      }),
      { numRuns: 60 },
    );
  });

  it('Adagrad: Duchi, Hazan & Singer, G_t = Σ g², θ −= η g/√G_t', () => {
    fc.assert(
      fc.property(gradSeq, start, (gs, x0) => {
        fc.pre(gs[0].every((g) => g !== 0));
        const book = runTextbook(() => 0, (th, g, _t, G) => {
          G += g * g;
          return [th - (0.3 * g) / Math.sqrt(G), G];
        }, x0, gs);
        expectSame(runTransform(adagrad(0.3), x0, gs), book, F64, 1e-13);
      }),
      { numRuns: 60 },
    );
  });

  it('RMSProp: s_t = ρ s + (1−ρ) g², θ −= η g/√(s_t + ε); with momentum, the scaled step accumulates', () => {
    fc.assert(
      fc.property(gradSeq, start, fc.double({ min: 0, max: 0.99, noNaN: true }), fc.double({ min: 0, max: 0.95, noNaN: true }), (gs, x0, rho, mu) => {
        const book = runTextbook(() => ({ s: 0, a: 0 }), (th, g, _t, { s, a }) => {
          s = rho * s + (1 - rho) * g * g;
          a = mu * a + (0.01 * g) / Math.sqrt(s + 1e-8);
          return [th - a, { s, a }];
        }, x0, gs);
        expectSame(runTransform(rmsprop(0.01, { decay: rho, eps: 1e-8, momentum: mu }), x0, gs), book, F64, 1e-13);
      }),
      { numRuns: 60 },
    );
  });

  it('momentum, heavy-ball accumulate (a_t = μ a + g) and Nesterov (θ −= η(g + μ a_t))', () => {
    fc.assert(
      fc.property(gradSeq, start, fc.double({ min: 0, max: 0.99, noNaN: true }), (gs, x0, mu) => {
        const heavy = runTextbook(() => 0, (th, g, _t, a) => {
          a = mu * a + g;
          return [th - 0.05 * a, a];
        }, x0, gs);
        const nesterov = runTextbook(() => 0, (th, g, _t, a) => {
          a = mu * a + g;
          return [th - 0.05 * (g + mu * a), a];
        }, x0, gs);
        expectSame(runTransform(momentum(0.05, mu), x0, gs), heavy, F64, 1e-13);
        expectSame(runTransform(momentum(0.05, mu, { nesterov: true }), x0, gs), nesterov, F64, 1e-13);
      }),
      { numRuns: 60 },
    );
  });

  it('momentum, EMA form (m_t = β m + (1−β) g), and the rescaling that relates the two conventions: η_EMA (1−β) = η_accumulate', () => {
    fc.assert(
      fc.property(gradSeq, start, fc.double({ min: 0, max: 0.99, noNaN: true }), (gs, x0, beta) => {
        const book = runTextbook(() => 0, (th, g, _t, m) => {
          m = beta * m + (1 - beta) * g;
          return [th - 0.05 * m, m];
        }, x0, gs);
        const ema = runTransform(emaMomentum(0.05, beta), x0, gs);
        expectSame(ema, book, F64, 1e-13);
        expectSame(runTransform(momentum(0.05 * (1 - beta), beta), x0, gs), ema, 1e-11, 1e-12);
      }),
      { numRuns: 60 },
    );
  });
});

describe('against tf.train.* on the tfjs engine (float32)', async () => {
  const engine = await tfjsEngine('wasm');
  const { tf } = engine;
  const backendEps = tf.backend().epsilon();
  const F32 = 2e-4;

  /** θ after each step of a tfjs optimizer fed the same gradient sequence. */
  function runTf(opt: import('@tensorflow/tfjs').Optimizer, theta0: readonly number[], gs: readonly (readonly number[])[]): number[][] {
    const v = tf.variable(tf.tensor1d([...theta0]));
    const out: number[][] = [];
    for (const g of gs) {
      const grad = tf.tensor1d([...g]);
      opt.applyGradients({ [v.name]: grad });
      grad.dispose();
      out.push(Array.from(v.dataSync()));
    }
    v.dispose();
    opt.dispose();
    return out;
  }

  // Gradients of moderate size and a few dozen steps: float32 accumulation stays near 1e-6 relative.
  const seq = fc.array(fc.tuple(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true })), { minLength: 1, maxLength: 25 });
  const x0 = [0.5, -1, 2];
  // Step-size-relative tolerance: the parameters move by at most ~lr per step for the normalised methods.
  const close = (a: number[][], b: number[][]) => expectSame(a, b, F32, 1e-5);
  const runs = { numRuns: 12 };

  it(`tf.train.adam = Adam, Algorithm 1, with ε after the root and ε = the backend's ${backendEps} by default`, () => {
    fc.assert(fc.property(seq, (gs) => close(runTf(tf.train.adam(0.01, 0.9, 0.999), x0, gs), runTransform(adam(0.01, { beta1: 0.9, beta2: 0.999, eps: backendEps }), x0, gs))), runs);
  });

  it('tf.train.adagrad = Adagrad with G_0 = 0.1 and ε inside the root (√(G_t + ε)); the textbook G_0 = 0 differs', () => {
    const tfConvention = adagrad(0.1, { initial: 0.1, eps: backendEps, placement: 'inside' });
    fc.assert(fc.property(seq, (gs) => close(runTf(tf.train.adagrad(0.1), x0, gs), runTransform(tfConvention, x0, gs))), runs);
    const gs = [[1, 1, 1]];
    const tfStep = runTf(tf.train.adagrad(0.1), x0, gs)[0][0] - x0[0];
    const textbook = runTransform(adagrad(0.1), x0, gs)[0][0] - x0[0];
    expect(tfStep / textbook).toBeCloseTo(1 / Math.sqrt(1.1), 5); // the first step is smaller by √(1/1.1)
  });

  it('tf.train.rmsprop = RMSProp with ε inside the root and the learning rate inside the momentum accumulator', () => {
    fc.assert(fc.property(seq, (gs) => close(runTf(tf.train.rmsprop(0.01, 0.9, 0.5, 1e-6), x0, gs), runTransform(rmsprop(0.01, { decay: 0.9, momentum: 0.5, eps: 1e-6, placement: 'inside' }), x0, gs))), runs);
    // ε outside the root (PyTorch's placement) is a different method where s_t is small:
    const small = [[1e-3, 1e-3, 1e-3]];
    const inside = runTransform(rmsprop(0.01, { decay: 0.9, eps: 1e-6, placement: 'inside' }), x0, small)[0][0] - x0[0];
    const outside = runTransform(rmsprop(0.01, { decay: 0.9, eps: 1e-6, placement: 'outside' }), x0, small)[0][0] - x0[0];
    expect(Math.abs(inside / outside - 1)).toBeGreaterThan(1e-3);
  });

  it('tf.train.momentum is the heavy-ball accumulate form, not the EMA form (which takes 1/(1−β) smaller steps); Nesterov as θ −= η(g + μ a_t)', () => {
    fc.assert(
      fc.property(seq, (gs) => {
        close(runTf(tf.train.momentum(0.05, 0.9), x0, gs), runTransform(momentum(0.05, 0.9), x0, gs));
        close(runTf(tf.train.momentum(0.05, 0.9, true), x0, gs), runTransform(momentum(0.05, 0.9, { nesterov: true }), x0, gs));
        close(runTf(tf.train.momentum(0.05 * 0.1, 0.9), x0, gs), runTransform(emaMomentum(0.05, 0.9), x0, gs));
      }),
      runs,
    );
    const gs = [[1, 1, 1]];
    const accumulate = runTf(tf.train.momentum(0.05, 0.9), x0, gs)[0][0] - x0[0];
    const emaStep = runTransform(emaMomentum(0.05, 0.9), x0, gs)[0][0] - x0[0];
    expect(accumulate / emaStep).toBeCloseTo(10, 4); // same η, the conventions differ by 1/(1 − β)
  });

  it('tf.train.sgd = gradient descent', () => {
    fc.assert(fc.property(seq, (gs) => close(runTf(tf.train.sgd(0.1), x0, gs), runTransform(optim.sgd(0.1), x0, gs))), runs);
  });
  // tfjs ships no AMSGrad: it is checked against its textbook recurrence only (above).
});
