/**
 * The patch data model and two-layer CNN (src/models/patch-cnn.ts): the hand-written gradient
 * against central differences of the loss, for the polynomial ReLU and the linear activation, and
 * the data model's shape (distinct noise coordinates that never touch the feature coordinate,
 * balanced training labels).
 */
import { describe, expect, it } from 'vitest';
import { normals, rng } from '../src/numerics/random.ts';
import { cnnError, cnnLossGrad, cnnOutput, logistic, samplePatches, trainCnn, type Activation, type PatchCnn } from '../src/models/patch-cnn.ts';
import { adam, sgd } from '../src/optim/index.ts';

const d = 12, m = 3, n = 6, s = 4, a = 1.7;
const data = samplePatches({ d, s, a, sigma: 1 }, rng(7, 1), n, { balanced: true });

function lossAt(net: PatchCnn, W: Float64Array, lambda: number): number {
  return cnnLossGrad(net, W, data, lambda, new Float64Array(W.length));
}

describe.each<[string, Activation]>([
  ['relu^3', { kind: 'relu-power', q: 3 }],
  ['relu^2', { kind: 'relu-power', q: 2 }],
  ['linear', { kind: 'linear' }],
])('patch CNN, %s', (_name, activation) => {
  const net: PatchCnn = { d, m, activation, a };
  it('its gradient matches central differences to 1e-7 (relative)', () => {
    for (const seed of [1, 2, 3]) {
      const W = normals(rng(seed, 2), 2 * m * d, 0.6);
      const lambda = 0.03;
      const g = new Float64Array(W.length);
      cnnLossGrad(net, W, data, lambda, g);
      const h = 1e-6;
      let worst = 0;
      const gnorm = Math.sqrt(g.reduce((t, v) => t + v * v, 0));
      expect(gnorm).toBeGreaterThan(1e-3);
      for (let j = 0; j < W.length; j++) {
        const up = Float64Array.from(W), down = Float64Array.from(W);
        up[j] += h;
        down[j] -= h;
        const fd = (lossAt(net, up, lambda) - lossAt(net, down, lambda)) / (2 * h);
        worst = Math.max(worst, Math.abs(fd - g[j]));
      }
      expect(worst / gnorm).toBeLessThan(1e-7);
    }
  });

  it('its loss is the mean logistic loss of y·f plus (λ/2)‖W‖²', () => {
    const W = normals(rng(4, 2), 2 * m * d, 0.6);
    const direct = data.reduce((t, x) => t + logistic(x.y * cnnOutput(net, W, x)), 0) / n + 0.5 * 0.1 * W.reduce((t, v) => t + v * v, 0);
    expect(lossAt(net, W, 0.1)).toBeCloseTo(direct, 12);
  });
});

describe('patch data model', () => {
  it('puts s distinct noise coordinates in 1..d−1 and the feature at coordinate 0; balanced training labels', () => {
    const big = samplePatches({ d: 50, s: 20, a: 2, sigma: 1 }, rng(3, 1), 40, { balanced: true });
    for (const x of big) {
      expect(new Set(x.noiseIdx).size).toBe(20);
      for (const k of x.noiseIdx) expect(k >= 1 && k <= 49).toBe(true);
    }
    expect(big.filter((x) => x.y === 1).length).toBe(20);
    expect(() => samplePatches({ d: 10, s: 10, a: 1, sigma: 1 }, rng(1, 1), 1)).toThrow(/do not fit/);
  });

  it('logistic(t) = log(1 + e^{−t}) without overflow', () => {
    expect(logistic(0)).toBeCloseTo(Math.LN2, 15);
    expect(logistic(800)).toBe(0);
    expect(logistic(-800)).toBe(800);
  });

  it('GD and Adam (src/optim) fit a small training set; a non-finite loss stops the run', () => {
    const net: PatchCnn = { d, m, activation: { kind: 'relu-power', q: 3 }, a };
    const W0 = normals(rng(5, 2), 2 * m * d, 0.3);
    for (const method of [sgd(0.1), adam(0.01)]) {
      const run = trainCnn(net, W0, data, 1e-4, method, 400);
      expect(run.trainError).toBe(0);
      expect(cnnError(net, run.W, data)).toBe(0);
      expect(run.loss[400]).toBeLessThan(run.loss[0]);
    }
    const blown = trainCnn(net, W0, data, 1e-4, sgd(1e6), 50);
    expect(blown.stopped).toMatch(/non-finite/);
  });
});
