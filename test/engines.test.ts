import { describe, expect, it } from 'vitest';
import { f64Engine, getEngine, loadTensorflowBackend, TENSORFLOW_PACKAGES, tfjsEngine } from '../src/engine/index.ts';
import { quadraticGD } from '../src/models/quadratic.ts';
import { twoLayerLossGrad, twoLayerReluGD, twoLayerResidual2, type TwoLayerRelu } from '../src/models/two-layer-relu.ts';
import { fromSpectrum, normals, orthogonal, rng, signs, unitRows, uniforms, symEig } from '../src/numerics/index.ts';

function quadratic(seed: number, spectrum: number[]) {
  const d = spectrum.length;
  return { d, A: fromSpectrum(orthogonal(rng(seed, 1), d), spectrum), xStar: normals(rng(seed, 2), d), x0: normals(rng(seed, 3), d, 3) };
}

function net(seed: number, n: number, d: number, m: number): TwoLayerRelu {
  return { n, d, m, X: unitRows(rng(seed, 1), n, d), y: uniforms(rng(seed, 2), n, -1, 1), W0: normals(rng(seed, 3), m * d), a: signs(rng(seed, 4), m) };
}

describe('quadratic GD', () => {
  it('f64 matches the closed form ½ Σ λ_i (1 − ηλ_i)^{2k} c_i²', async () => {
    const spectrum = [0.1, 1, 3, 7];
    const q = quadratic(1, spectrum);
    const eta = 0.13;
    const trace = await quadraticGD(f64Engine, q, { x0: q.x0, eta, steps: 50 });
    const { vectors } = symEig({ n: 4, data: q.A }, true);
    const e0 = q.x0.map((v, i) => v - q.xStar[i]);
    const coef = [0, 1, 2, 3].map((j) => [0, 1, 2, 3].reduce((s, i) => s + vectors![i * 4 + j] * e0[i], 0));
    for (const k of [0, 1, 10, 50]) {
      const exact = 0.5 * spectrum.reduce((s, l, j) => s + l * (1 - eta * l) ** (2 * k) * coef[j] ** 2, 0);
      expect(Math.abs(trace.series.gap[k] - exact)).toBeLessThan(1e-12 * Math.max(1, exact));
    }
  });

  it('tfjs (float32) agrees with f64 to float32 accuracy and leaks no tensors', async () => {
    const engine = await tfjsEngine('wasm');
    expect(engine.backend).toBe('wasm');
    const q = quadratic(2, [0.5, 2, 4]);
    const before = engine.tf.memory().numTensors;
    const t32 = await quadraticGD(engine, q, { x0: q.x0, eta: 0.2, steps: 30 });
    expect(engine.tf.memory().numTensors).toBe(before);
    const t64 = await quadraticGD(f64Engine, q, { x0: q.x0, eta: 0.2, steps: 30 });
    for (let k = 0; k <= 30; k++) expect(Math.abs(t32.series.gap[k] - t64.series.gap[k])).toBeLessThan(1e-5 * t64.series.gap[0]);
  });

  it('stops and says so when the run diverges', async () => {
    const q = quadratic(3, [1]);
    const trace = await quadraticGD(f64Engine, q, { x0: q.x0, eta: 1e160, steps: 10 });
    expect(trace.stopped).toMatch(/non-finite/);
    expect(trace.steps).toBeLessThan(10);
  });
});

describe('two-layer ReLU network', () => {
  it('has a float64 gradient that matches central finite differences', () => {
    const nn = net(4, 5, 3, 7);
    const { grad } = twoLayerLossGrad(nn, nn.W0);
    const h = 1e-6;
    for (let j = 0; j < nn.m * nn.d; j++) {
      const plus = Float64Array.from(nn.W0);
      const minus = Float64Array.from(nn.W0);
      plus[j] += h;
      minus[j] -= h;
      const fd = (twoLayerLossGrad(nn, plus).loss - twoLayerLossGrad(nn, minus).loss) / (2 * h);
      expect(Math.abs(fd - grad[j])).toBeLessThan(1e-7);
    }
  });

  it('f64 trainer follows W ← W − η∇L exactly', async () => {
    const nn = net(5, 6, 4, 16);
    const eta = 0.3;
    const trace = await twoLayerReluGD(f64Engine, nn, { eta, steps: 5 });
    let W = Float64Array.from(nn.W0);
    for (let k = 0; k <= 5; k++) {
      expect(trace.series.residual2[k]).toBeCloseTo(twoLayerResidual2(nn, W), 12);
      const { grad } = twoLayerLossGrad(nn, W);
      W = W.map((w, j) => w - eta * grad[j]);
    }
  });

  it('moves: false skips the movement series (NaN) and leaves the residual the same bits, on both engines', async () => {
    const nn = net(6, 8, 5, 64);
    for (const engine of [f64Engine, await tfjsEngine('wasm')]) {
      for (const layers of ['first', 'both'] as const) {
        const all = await twoLayerReluGD(engine, nn, { eta: 0.5, steps: 70, layers });
        const rate = await twoLayerReluGD(engine, nn, { eta: 0.5, steps: 70, layers, moves: false });
        expect(Array.from(rate.series.residual2)).toEqual(Array.from(all.series.residual2));
        expect(Array.from(rate.series.maxMove).every(Number.isNaN) && Array.from(rate.series.outputMove).every(Number.isNaN)).toBe(true);
        expect(all.series.maxMove[70]).toBeGreaterThan(0);
      }
    }
  });

  it('tfjs hand-written gradient agrees with tfjs autodiff, with f64, and leaks no tensors', async () => {
    const engine = await tfjsEngine('wasm');
    const { tf } = engine;
    const nn = net(6, 8, 5, 64);
    const eta = 0.5;
    const steps = 20;
    const before = tf.memory().numTensors;
    const hand = await twoLayerReluGD(engine, nn, { eta, steps });
    expect(tf.memory().numTensors).toBe(before);
    const ref = await twoLayerReluGD(f64Engine, nn, { eta, steps });

    // The same descent through tf.grad of the loss (weights as m×d, the textbook layout).
    const X = tf.tensor2d(Float32Array.from(nn.X), [nn.n, nn.d]);
    const y = tf.tensor1d(Float32Array.from(nn.y));
    const a = tf.tensor1d(Float32Array.from(nn.a));
    let W: import('@tensorflow/tfjs').Tensor = tf.tensor2d(Float32Array.from(nn.W0), [nn.m, nn.d]);
    const loss = (w: import('@tensorflow/tfjs').Tensor) => tf.mul(0.5, tf.sum(tf.square(tf.sub(tf.div(tf.sum(tf.mul(tf.relu(tf.matMul(X, w as import('@tensorflow/tfjs').Tensor2D, false, true)), a), 1), Math.sqrt(nn.m)), y))));
    const g = tf.grad(loss);
    for (let k = 0; k <= steps; k++) {
      const l = loss(W);
      const auto = 2 * l.dataSync()[0];
      l.dispose();
      expect(Math.abs(hand.series.residual2[k] - auto)).toBeLessThan(1e-4 * ref.series.residual2[0]);
      expect(Math.abs(hand.series.residual2[k] - ref.series.residual2[k])).toBeLessThan(1e-4 * ref.series.residual2[0]);
      const next = tf.tidy(() => tf.sub(W, tf.mul(g(W), eta)));
      W.dispose();
      W = next;
    }
    tf.dispose([X, y, a, W]);
  });

  it('records the movement max_r ‖w_r(k) − w_r(0)‖, zero at k = 0', async () => {
    const nn = net(7, 4, 3, 10);
    const trace = await twoLayerReluGD(f64Engine, nn, { eta: 0.5, steps: 3 });
    expect(trace.series.maxMove[0]).toBe(0);
    expect(trace.series.maxMove[3]).toBeGreaterThan(0);
  });
});

describe('engine selection', () => {
  it('records the backend it used and refuses nonsense combinations', async () => {
    expect((await getEngine('tfjs')).backend).toBe('wasm');
    expect((await getEngine('tfjs', 'cpu')).backend).toBe('cpu');
    expect((await getEngine('tfjs')).backend).toBe('wasm');
    await expect(getEngine('f64', 'wasm')).rejects.toThrow(/applies to --engine tfjs/);
    // Neither native package installs here: the message names both, the GPU one first.
    await expect(getEngine('tfjs', 'tensorflow')).rejects.toThrow(/@tensorflow\/tfjs-node-gpu \(NVIDIA GPU\) or @tensorflow\/tfjs-node \(CPU\)/);
  });

  it('tries the GPU build of the native backend first, then the CPU one, and says which loaded', async () => {
    expect(TENSORFLOW_PACKAGES).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    // Stand-ins for the two packages (neither installs on this machine): the first that loads wins.
    expect(await loadTensorflowBackend(['no-such-package-gpu', 'node:os'])).toBe('node:os');
    expect(await loadTensorflowBackend(['node:path', 'node:os'])).toBe('node:path');
    expect(await loadTensorflowBackend(['no-such-package-gpu', 'no-such-package'])).toBeNull();
  });
});
