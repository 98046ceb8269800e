/**
 * The models and numerics the overparam family added: the depth-3 linear network's Jacobian, the
 * natural-gradient step and flow, sparse lifts' gradients, the closed-form erf kernel against the
 * network, and the trend figure's per-x summary.
 */
import { describe, expect, it } from 'vitest';
import { deepLinearInit, deepLinearParamCount, deepLinearResidual } from '../src/models/deep-linear.ts';
import { randomSparseLift, trainSparseLift, liftEdgeCount } from '../src/models/sparse-lift.ts';
import { initDeepFc, DeepFcF64, ACTIVATION_F64, activationScale } from '../src/models/deep-fc.ts';
import { naturalGradientFlow, pinvApply, naturalGradientDescent } from '../src/optim/natural-gradient.ts';
import { erfNtkGram, lastLayerGram } from '../src/numerics/ntk-erf.ts';
import { normals, rng, unitRows, uniforms } from '../src/numerics/random.ts';
import { symEig } from '../src/numerics/eigen.ts';
import { trendPoints } from '../src/report/figures.ts';

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

describe('depth-3 linear network', () => {
  it('has the Jacobian of its residuals (central differences)', () => {
    const net = { n: 3, d: 4, h: 3, X: unitRows(rng(1, 1), 3, 4), y: normals(rng(1, 2), 3) };
    const theta = deepLinearInit(net, 5);
    const p = deepLinearParamCount(net);
    const { J } = deepLinearResidual(net, theta, true);
    const h = 1e-6;
    for (let q = 0; q < p; q++) {
      const up = Float64Array.from(theta), dn = Float64Array.from(theta);
      up[q] += h;
      dn[q] -= h;
      const ru = deepLinearResidual(net, up).r, rd = deepLinearResidual(net, dn).r;
      for (let i = 0; i < net.n; i++) expect(Math.abs((ru[i] - rd[i]) / (2 * h) - J![i * p + q])).toBeLessThan(1e-7);
    }
  });
});

describe('natural gradient', () => {
  it('J⁺r solves Jδ = r with minimum norm (N ≤ p) and least squares (N > p)', () => {
    const wide = normals(rng(2, 1), 3 * 7); // 3×7
    const r = normals(rng(2, 2), 3);
    const delta = pinvApply(wide, 3, 7, r);
    for (let i = 0; i < 3; i++) expect(wide.slice(i * 7, i * 7 + 7).reduce((s, v, q) => s + v * delta[q], 0)).toBeCloseTo(r[i], 10);
    const tall = normals(rng(3, 1), 6 * 2); // 6×2
    const r2 = normals(rng(3, 2), 6);
    const ls = pinvApply(tall, 6, 2, r2);
    // Normal equations: Jᵀ(Jδ − r) = 0.
    const res = Array.from({ length: 6 }, (_, i) => tall[i * 2] * ls[0] + tall[i * 2 + 1] * ls[1] - r2[i]);
    for (let q = 0; q < 2; q++) expect(Math.abs(res.reduce((s, v, i) => s + tall[i * 2 + q] * v, 0))).toBeLessThan(1e-12);
  });

  it('its flow moves the residual as e^{−t} r(0) on a full-row-rank model, and plain gradient flow does not', () => {
    const net = { n: 3, d: 4, h: 3, X: unitRows(rng(4, 1), 3, 4), y: normals(rng(4, 2), 3) };
    const model = { p: deepLinearParamCount(net), N: 3, residual: (th: ArrayLike<number>, j?: boolean) => deepLinearResidual(net, th, j) };
    const times = [0, 1, 3, 6];
    const dev = (direction: 'natural' | 'plain') => {
      const tr = naturalGradientFlow(model, deepLinearInit(net, 9), times, { direction, rtol: 1e-10 });
      const r0 = tr.residuals[0];
      return Math.max(...tr.residuals.map((r, k) => norm(r.map((v, i) => v - Math.exp(-times[k]) * r0[i])) / norm(r0)));
    };
    expect(dev('natural')).toBeLessThan(1e-8);
    expect(dev('plain')).toBeGreaterThan(1e-3);
    // Discrete NGD: r_k ≈ (1 − η)^k r_0 up to O(η).
    const rs = naturalGradientDescent(model, deepLinearInit(net, 9), 0.05, 20);
    expect(norm(rs[20]) / norm(rs[0])).toBeCloseTo(0.95 ** 20, 1);
  });
});

describe('random sparse lifts', () => {
  it('keep about c parents per base parent, and train by the gradient of the loss', () => {
    const base = { d: 2, hidden: [2], activation: 'tanh' as const };
    const lift = randomSparseLift(base, 16, 3, 1);
    // Expected edges: c·N per base edge, 2·2 + 2 base edges.
    expect(liftEdgeCount(lift)).toBeGreaterThan(0.6 * 3 * 16 * 6);
    expect(liftEdgeCount(lift)).toBeLessThan(1.4 * 3 * 16 * 6);
    const X = unitRows(rng(6, 1), 5, 2);
    const y = uniforms(rng(6, 2), 5, -1, 1);
    // One tiny step decreases the loss by about η·N·‖g‖² (first order): the gradient points downhill.
    const losses = trainSparseLift(lift, X, y, 5, 1e-4, 1);
    expect(losses[1]).toBeLessThan(losses[0]);
    const long = trainSparseLift(lift, X, y, 5, 0.05, 400);
    expect(long[400]).toBeLessThan(0.1 * long[0]);
  });
});

describe('the erf kernel K⁽ᴴ⁾', () => {
  it('is the limit of the last-layer Gram matrix of the network', () => {
    const n = 4, d = 3;
    const X = unitRows(rng(7, 1), n, d);
    const y = uniforms(rng(7, 2), n, -1, 1);
    for (const depth of [1, 2]) {
      const K = erfNtkGram(X, n, d, depth).data;
      const gap = (m: number) => {
        const net = initDeepFc({ X, y, n, d, m, depth, activation: 'erf', seed: 3 });
        const f = new DeepFcF64(net);
        f.forward({ W: net.W0, a: net.a0 });
        const P = depth === 1 ? X : f.hidden(depth - 1);
        const G = lastLayerGram(P, n, depth === 1 ? d : m, net.W0[depth - 1], m, net.a0, activationScale('erf'), ACTIVATION_F64.erf.df).data;
        const { values } = symEig({ n, data: G.map((v, i) => v - K[i]) });
        return Math.max(-values[0], values[n - 1]);
      };
      expect(gap(2048)).toBeLessThan(0.5 * gap(32));
    }
  });
});

describe('trend figures', () => {
  it('summarise 0/1 outcomes by Wilson intervals, other values by a t interval on the axis scale', () => {
    const binary = trendPoints([{ x: [1, 2], y: [0, 1] }, { x: [1, 2], y: [1, 1] }], 'linear');
    expect(binary[0]).toMatchObject({ x: 1, y: 0.5 });
    expect(binary[1].hi).toBe(1);
    const logs = trendPoints([{ x: [10], y: [1] }, { x: [10], y: [100] }, { x: [10], y: [10] }], 'log');
    expect(logs[0].y).toBeCloseTo(10, 10); // geometric mean
    expect(logs[0].lo!).toBeLessThan(10);
    expect(logs[0].hi!).toBeGreaterThan(10);
  });
});

describe('the two-layer objectives of the flow theorems', () => {
  it('have the reference gradients of src/models/two-layer-relu.ts', async () => {
    const { firstLayerObjective, bothLayersObjective, twoLayerNet } = await import('../theorems/overparam/_two-layer.ts');
    const { twoLayerLossGrad } = await import('../src/models/two-layer-relu.ts');
    const net = twoLayerNet(5, 3, 16, 2, 3);
    const ref = twoLayerLossGrad(net, net.W0, net.a);
    const g1 = firstLayerObjective(net).grad(net.W0);
    g1.forEach((v, i) => expect(v).toBeCloseTo(ref.grad[i], 12));
    expect(firstLayerObjective(net).value(net.W0)).toBeCloseTo(ref.loss, 12);
    const g2 = bothLayersObjective(net).grad([...net.W0, ...net.a]);
    ref.gradA.forEach((v, r) => expect(g2[net.m * net.d + r]).toBeCloseTo(v, 12));
  });
});
