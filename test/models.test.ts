/**
 * Every hand-written gradient, checked three ways: the float64 gradient against float64 central
 * finite differences; the tfjs (float32) hand-written gradient, taken from the very code the
 * trainer runs, against tfjs autodiff (tf.grads) and against the float64 gradient. Plus: each
 * trainer follows θ ← θ − η∇L, the two engines agree, and no trainer leaks tensors.
 */
import { describe, expect, it } from 'vitest';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { erf as mathjsErf } from 'mathjs';
import { f64Engine, tfjsEngine } from '../src/engine/index.ts';
import { ChunkedSeries } from '../src/models/tfjs-series.ts';
import { TwoLayerTfjsStepper, twoLayerLossGrad, twoLayerReluGD, twoLayerResidual2, type TwoLayerRelu } from '../src/models/two-layer-relu.ts';
import {
  ACTIVATIONS,
  ACTIVATION_F64,
  activationScale,
  DeepFcF64,
  DeepFcTfjsStepper,
  deepFcGD,
  deepFcLossGrad,
  initDeepFc,
  initialParams,
  type Activation,
  type DeepFc,
  type DeepFcParams,
} from '../src/models/deep-fc.ts';
import { erf, gaussianExpectation, normals, rng, signs, uniforms, unitRows } from '../src/numerics/index.ts';

function twoLayer(seed: number, n: number, d: number, m: number): TwoLayerRelu {
  return { n, d, m, X: unitRows(rng(seed, 1), n, d), y: uniforms(rng(seed, 2), n, -1, 1), W0: normals(rng(seed, 3), m * d), a: signs(rng(seed, 4), m) };
}

function deep(seed: number, n: number, d: number, m: number, depth: number, activation: Activation): DeepFc {
  return initDeepFc({ X: unitRows(rng(seed, 11), n, d), y: uniforms(rng(seed, 12), n, -1, 1), n, d, m, depth, activation, seed });
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Central differences of a float64 loss at every coordinate of x (perturbed in place, restored). */
function centralDifferences(x: Float64Array, loss: () => number, h: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let j = 0; j < x.length; j++) {
    const v = x[j];
    x[j] = v + h;
    const plus = loss();
    x[j] = v - h;
    const minus = loss();
    x[j] = v;
    out[j] = (plus - minus) / (2 * h);
  }
  return out;
}

describe('special functions', () => {
  it('erf matches mathjs (Cody) to the last bits, and is odd', () => {
    for (const x of [-30, -5, -4, -3.3, -1, -0.46875, -0.2, 0, 1e-9, 0.3, 0.46875, 0.5, 1.7, 3.99, 4, 4.5, 6, 27, 40]) {
      expect(Math.abs(erf(x) - (mathjsErf(x) as number))).toBeLessThanOrEqual(2 ** -52 * Math.max(1, Math.abs(erf(x))));
      expect(erf(-x)).toBe(-erf(x));
    }
  });

  it('c_σ = 1/E[σ(z)²]: closed forms for relu and erf agree with quadrature; tanh and softplus are positive and finite', () => {
    expect(activationScale('relu')).toBe(2);
    for (const act of ['relu', 'erf'] as const) {
      const q = 1 / gaussianExpectation((z) => ACTIVATION_F64[act].f(z) ** 2);
      expect(Math.abs(q - activationScale(act)) / q).toBeLessThan(1e-10);
    }
    expect(gaussianExpectation((z) => z * z)).toBeCloseTo(1, 12);
    for (const act of ['tanh', 'softplus'] as const) expect(activationScale(act)).toBeGreaterThan(1);
  });

  it("each activation's derivative matches central differences", () => {
    for (const act of ACTIVATIONS) {
      const { f, df } = ACTIVATION_F64[act];
      for (const z of [-3.1, -0.7, 0.2, 1.3, 2.9]) expect(Math.abs((f(z + 1e-6) - f(z - 1e-6)) / 2e-6 - df(z))).toBeLessThan(1e-8);
    }
  });
});

describe('chunked series readback', () => {
  it('stops at the first non-finite value, whatever the chunk size', async () => {
    const { tf } = await tfjsEngine('wasm');
    const values = [4, 3, 2, Infinity, 7, NaN, 1];
    const read = (chunk: number) => {
      const s = new ChunkedSeries(tf, ['v', 'w'] as const, values.length - 1, 'v', chunk);
      for (let k = 0; k < values.length && !s.stopped; k++) s.push(k, [tf.scalar(values[k]), k]);
      s.flush();
      s.dispose();
      return { stoppedAt: s.stoppedAt, v: [...s.values.v], w: [...s.values.w] };
    };
    const before = tf.memory().numTensors;
    const one = read(1);
    expect(one.stoppedAt).toBe(3);
    expect(one.v).toEqual([4, 3, 2, Infinity, 0, 0, 0]);
    expect(one.w).toEqual([0, 1, 2, 3, 0, 0, 0]);
    for (const chunk of [2, 3, 64]) expect(read(chunk)).toEqual(one);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('two-layer ReLU network, both layers', () => {
  it('float64 gradients in W and a match central finite differences', () => {
    const nn = twoLayer(14, 6, 3, 9);
    const W = Float64Array.from(nn.W0);
    const a = Float64Array.from(nn.a);
    const { grad, gradA } = twoLayerLossGrad(nn, W, a);
    const loss = () => twoLayerLossGrad(nn, W, a).loss;
    expect(maxAbsDiff(centralDifferences(W, loss, 1e-6), grad)).toBeLessThan(1e-7);
    expect(maxAbsDiff(centralDifferences(a, loss, 1e-6), gradA)).toBeLessThan(1e-7);
  });

  it('the f64 trainer follows W ← W − η∇_W L, a ← a − η∇_a L', async () => {
    const nn = twoLayer(15, 6, 4, 16);
    const eta = 0.3;
    const trace = await twoLayerReluGD(f64Engine, nn, { eta, steps: 6, layers: 'both' });
    let W = Float64Array.from(nn.W0);
    let a = Float64Array.from(nn.a);
    for (let k = 0; k <= 6; k++) {
      expect(Math.abs(trace.series.residual2[k] - twoLayerResidual2(nn, W, a))).toBeLessThan(1e-12 * trace.series.residual2[0]);
      expect(trace.series.outputMove[k]).toBeCloseTo(maxAbsDiff(a, nn.a), 12);
      const { grad, gradA } = twoLayerLossGrad(nn, W, a);
      W = W.map((w, j) => w - eta * grad[j]);
      a = a.map((v, r) => v - eta * gradA[r]);
    }
    expect(trace.series.outputMove[6]).toBeGreaterThan(0);
  });

  it.each(['first', 'both'] as const)('tfjs hand-written gradient (%s layers), read off one step of the trainer, matches tfjs autodiff, float64 and finite differences', async (layers) => {
    const engine = await tfjsEngine('wasm');
    const { tf } = engine;
    const nn = twoLayer(16, 10, 5, 64); // m = 64: W gets its 8 inert zero rows
    const eta = 1;
    const stepper = new TwoLayerTfjsStepper(engine, nn, eta, layers);
    expect(stepper.rows).toBe(72);
    const before = stepper.weights();
    tf.dispose(stepper.step(true));
    const after = stepper.weights();
    // The zero rows stayed exactly zero.
    expect(maxAbs(stepper.W.dataSync().subarray(64 * 5))).toBe(0);
    expect(maxAbs(stepper.a.dataSync().subarray(64))).toBe(0);
    stepper.dispose();
    const handW = before.W.map((w, j) => (w - after.W[j]) / eta);
    const handA = before.a.map((v, r) => (v - after.a[r]) / eta);

    const X = tf.tensor2d(Float32Array.from(nn.X), [nn.n, nn.d]);
    const y = tf.tensor1d(Float32Array.from(nn.y));
    const loss = (W: Tensor, a: Tensor) =>
      tf.mul(0.5, tf.sum(tf.square(tf.sub(tf.div(tf.sum(tf.mul(tf.relu(tf.matMul(X, W as Tensor2D, false, true)), a), 1), Math.sqrt(nn.m)), y))));
    const [gW, ga] = tf.grads(loss)([tf.tensor2d(Float32Array.from(nn.W0), [nn.m, nn.d]), tf.tensor1d(Float32Array.from(nn.a))]);
    const autoW = gW.dataSync();
    const autoA = ga.dataSync();
    tf.dispose([X, y, gW, ga]);
    const ref = twoLayerLossGrad(nn, nn.W0, nn.a);
    const W = Float64Array.from(nn.W0);
    const a = Float64Array.from(nn.a);
    const fdW = centralDifferences(W, () => twoLayerLossGrad(nn, W, a).loss, 1e-6);
    const fdA = centralDifferences(a, () => twoLayerLossGrad(nn, W, a).loss, 1e-6);

    // float32: relative to the gradient's scale, with W entries of O(1) subtracted in float32.
    const tol = 2e-5 * (1 + maxAbs(ref.grad));
    expect(maxAbsDiff(handW, autoW)).toBeLessThan(tol);
    expect(maxAbsDiff(handW, ref.grad)).toBeLessThan(tol);
    expect(maxAbsDiff(handW, fdW)).toBeLessThan(tol);
    if (layers === 'both') expect(maxAbsDiff(handA, fdA)).toBeLessThan(2e-5 * (1 + maxAbs(ref.gradA)));
    if (layers === 'both') {
      expect(maxAbsDiff(handA, autoA)).toBeLessThan(2e-5 * (1 + maxAbs(ref.gradA)));
      expect(maxAbsDiff(handA, ref.gradA)).toBeLessThan(2e-5 * (1 + maxAbs(ref.gradA)));
    } else expect(maxAbs(handA)).toBe(0);
  });

  it.each(['first', 'both'] as const)('tfjs and f64 trainers agree (%s layers), and the tfjs trainer leaks no tensor', async (layers) => {
    const engine = await tfjsEngine('wasm');
    const nn = twoLayer(17, 8, 5, 60);
    const run = { eta: 0.5, steps: 150, layers };
    const before = engine.tf.memory().numTensors;
    const t32 = await twoLayerReluGD(engine, nn, run);
    expect(engine.tf.memory().numTensors).toBe(before);
    const t64 = await twoLayerReluGD(f64Engine, nn, run);
    expect(t32.steps).toBe(150);
    for (const s of ['residual2', 'maxMove', 'outputMove'] as const)
      for (let k = 0; k <= 150; k++) expect(Math.abs(t32.series[s][k] - t64.series[s][k])).toBeLessThan(1e-4 * (1 + t64.series[s][0] + t64.series[s][150]));
  });

  it('the tfjs step allocates nothing that outlives it, step after step', async () => {
    const engine = await tfjsEngine('wasm');
    const stepper = new TwoLayerTfjsStepper(engine, twoLayer(18, 6, 3, 32), 0.1, 'both');
    tf_dispose(engine, stepper.step(true));
    const count = engine.tf.memory().numTensors;
    for (let k = 0; k < 25; k++) tf_dispose(engine, stepper.step(true));
    expect(engine.tf.memory().numTensors).toBe(count);
    stepper.dispose();
  });
});

function tf_dispose(engine: Awaited<ReturnType<typeof tfjsEngine>>, values: readonly unknown[]): void {
  engine.tf.dispose(values.filter((v): v is Tensor => typeof v !== 'number'));
}

function flatten(p: DeepFcParams): Float64Array {
  const parts = [...p.W, p.a];
  const out = new Float64Array(parts.reduce((s, x) => s + x.length, 0));
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}

describe('deep fully connected network (NTK parameterisation)', () => {
  it('keeps the scale: with c_σ, ‖x⁽ʰ⁾‖² stays near ‖x‖² = 1 through the layers at initialisation', () => {
    for (const act of ACTIVATIONS) {
      const net = deep(21, 8, 6, 1024, 2, act);
      const model = new DeepFcF64(net);
      model.forward(initialParams(net));
      for (let h = 1; h <= net.depth; h++) {
        const A = model.hidden(h);
        let sq = 0;
        for (let j = 0; j < A.length; j++) sq += A[j] ** 2;
        // E‖x⁽¹⁾‖² = 1 exactly; the mean over 8 samples fluctuates by about 0.03 per layer at m = 1024.
        expect(Math.abs(sq / net.n - 1)).toBeLessThan(0.15);
      }
    }
  });

  it.each(ACTIVATIONS.map((a) => [a]))('%s: float64 gradient of every layer matches central finite differences', (act) => {
    const net = deep(22, 5, 3, 7, 3, act);
    const p = initialParams(net);
    const { grad } = deepFcLossGrad(net, p);
    const flat = flatten(grad);
    const fd: number[] = [];
    for (const x of [...p.W, p.a]) fd.push(...centralDifferences(x, () => deepFcLossGrad(net, p).loss, 1e-6));
    expect(maxAbsDiff(Float64Array.from(fd), flat)).toBeLessThan(1e-7 * (1 + maxAbs(flat)));
  });

  it.each(ACTIVATIONS.map((a) => [a]))('%s: tfjs hand-written gradient matches tfjs autodiff, float64 and finite differences', async (act) => {
    const engine = await tfjsEngine('wasm');
    const { tf } = engine;
    const net = deep(23, 12, 5, 24, 3, act);
    const stepper = new DeepFcTfjsStepper(engine, net, 0.1);
    const hand = stepper.lossGrad();
    stepper.dispose();

    // Autodiff of the textbook forward pass (W as m×fan-in, transposed matMuls; slow but plain).
    const s = Math.sqrt(activationScale(act) / net.m);
    const X = tf.tensor2d(Float32Array.from(net.X), [net.n, net.d]);
    const y = tf.tensor2d(Float32Array.from(net.y), [net.n, 1]);
    const sigma = { erf: tf.erf, softplus: tf.softplus, tanh: tf.tanh, relu: tf.relu }[act];
    const loss = (...params: Tensor[]) => {
      let A: Tensor = X;
      for (let h = 0; h < net.depth; h++) A = tf.mul(sigma(tf.matMul(A as Tensor2D, params[h] as Tensor2D, false, true)), s);
      return tf.mul(0.5, tf.sum(tf.square(tf.sub(tf.matMul(A as Tensor2D, params[net.depth] as Tensor2D), y))));
    };
    const inputs = [...net.W0.map((W, h) => tf.tensor2d(Float32Array.from(W), [net.m, h === 0 ? net.d : net.m])), tf.tensor2d(Float32Array.from(net.a0), [net.m, 1])];
    const auto = tf.grads(loss)(inputs);
    const autoFlat = Float64Array.from(auto.flatMap((g) => [...g.dataSync()]));
    tf.dispose([X, y, ...inputs, ...auto]);

    const ref = deepFcLossGrad(net);
    const refFlat = flatten(ref.grad);
    const handFlat = flatten(hand.grad);
    const p = initialParams(net);
    const fd = Float64Array.from([...p.W, p.a].flatMap((x) => [...centralDifferences(x, () => deepFcLossGrad(net, p).loss, 1e-6)]));
    const tol = 1e-5 * (1 + maxAbs(refFlat));
    expect(maxAbsDiff(handFlat, autoFlat)).toBeLessThan(tol);
    expect(maxAbsDiff(handFlat, refFlat)).toBeLessThan(tol);
    expect(maxAbsDiff(handFlat, fd)).toBeLessThan(tol);
    expect(Math.abs(hand.loss - ref.loss)).toBeLessThan(1e-5 * (1 + ref.loss));
    expect(maxAbs(refFlat)).toBeGreaterThan(1e-3); // a gradient that vanished would check nothing
  });

  it('the f64 trainer follows θ ← θ − η∇L in every layer', async () => {
    const net = deep(24, 6, 4, 10, 2, 'softplus');
    const eta = 0.2;
    const trace = await deepFcGD(f64Engine, net, { eta, steps: 5 });
    const p = initialParams(net);
    for (let k = 0; k <= 5; k++) {
      const { loss, grad } = deepFcLossGrad(net, p);
      expect(Math.abs(trace.series.residual2[k] - 2 * loss)).toBeLessThan(1e-12 * trace.series.residual2[0]);
      p.W.forEach((W, h) => W.forEach((_, j) => (W[j] -= eta * grad.W[h][j])));
      p.a.forEach((_, r) => (p.a[r] -= eta * grad.a[r]));
    }
    expect(trace.series.residual2[5]).toBeLessThan(trace.series.residual2[0]);
  });

  it.each(ACTIVATIONS.map((a) => [a]))('%s: tfjs and f64 trainers agree over 60 steps, and the tfjs trainer leaks no tensor', async (act) => {
    const engine = await tfjsEngine('wasm');
    const net = deep(25, 8, 4, 32, 2, act);
    const run = { eta: 0.05, steps: 60 };
    const before = engine.tf.memory().numTensors;
    const t32 = await deepFcGD(engine, net, run);
    expect(engine.tf.memory().numTensors).toBe(before);
    const t64 = await deepFcGD(f64Engine, net, run);
    expect(t64.series.residual2[60]).toBeLessThan(t64.series.residual2[0]);
    for (const s of ['residual2', 'weightMove', 'outputMove'] as const)
      for (let k = 0; k <= 60; k++) expect(Math.abs(t32.series[s][k] - t64.series[s][k])).toBeLessThan(1e-4 * (1 + t64.series[s][0] + t64.series[s][60]));
  });

  it('moves: false leaves the movement series NaN and the residual the same bits (f64 and tfjs)', async () => {
    const net = deep(25, 8, 4, 32, 2, 'erf');
    for (const engine of [f64Engine, await tfjsEngine('wasm')]) {
      const all = await deepFcGD(engine, net, { eta: 0.05, steps: 70 });
      const rate = await deepFcGD(engine, net, { eta: 0.05, steps: 70, moves: false });
      expect(Array.from(rate.series.residual2)).toEqual(Array.from(all.series.residual2));
      expect(Array.from(rate.series.weightMove).every(Number.isNaN) && Array.from(rate.series.outputMove).every(Number.isNaN)).toBe(true);
    }
  });

  it('the tfjs step allocates nothing that outlives it, step after step', async () => {
    const engine = await tfjsEngine('wasm');
    const stepper = new DeepFcTfjsStepper(engine, deep(26, 6, 3, 16, 3, 'tanh'), 0.05);
    tf_dispose(engine, stepper.step(true));
    const count = engine.tf.memory().numTensors;
    for (let k = 0; k < 25; k++) tf_dispose(engine, stepper.step(true));
    expect(engine.tf.memory().numTensors).toBe(count);
    stepper.dispose();
  });

  it('stops and says so when the run diverges', async () => {
    for (const engine of [f64Engine, await tfjsEngine('wasm')]) {
      const trace = await deepFcGD(engine, deep(27, 6, 3, 8, 2, 'tanh'), { eta: 100, steps: 200 });
      expect(trace.stopped).toMatch(/non-finite residual at step \d+/);
      expect(trace.steps).toBeLessThan(200);
    }
  });

  it('rejects malformed networks with a clear message', () => {
    const net = deep(28, 3, 2, 4, 2, 'erf');
    expect(() => deepFcLossGrad({ ...net, W0: [net.W0[0]] })).toThrow(/expected 2 weight matrices/);
    expect(() => deepFcLossGrad({ ...net, activation: 'gelu' as Activation })).toThrow(/unknown activation 'gelu'/);
    expect(() => initDeepFc({ ...net, depth: 0, seed: 1 })).toThrow(/depth must be an integer ≥ 1/);
  });
});
