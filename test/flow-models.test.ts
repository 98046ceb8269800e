import { describe, expect, it } from 'vitest';
import { leastSquares, logisticLoss, numericGrad, quartic, sinePlusQuadratic, sinePlusQuadraticPL, twoFactorDiagonal } from '../src/models/objectives.ts';
import { gaussNewton, tanhLoss, tanhParamCount, tanhResidual, type TanhNet } from '../src/models/tanh-net.ts';
import { deepDiagonalGrad, deepDiagonalLoss, type DeepDiagonal } from '../src/models/deep-diagonal.ts';
import { woodworthFlow } from '../src/models/diagonal-linear.ts';
import { sensitivities } from '../src/models/diagonal-rnn.ts';
import { maxMarginSeparator, minL1Interpolant, minL2Interpolant, nullSpaceComponent } from '../src/numerics/interpolants.ts';
import { normals, rng, signs, uniforms } from '../src/numerics/index.ts';

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('flow objectives', () => {
  it('have gradients that match central differences', () => {
    const n = 5, d = 4;
    const X = normals(rng(1, 1), n * d), y = normals(rng(1, 2), n), lab = signs(rng(1, 3), n), a = uniforms(rng(1, 4), d, 0.2, 2);
    for (const obj of [leastSquares(X, y, n, d), logisticLoss(X, lab, n, d), sinePlusQuadratic(a), quartic(a), twoFactorDiagonal(X, y, n, d)]) {
      const x = normals(rng(2, obj.d), obj.d);
      const g = new Float64Array(obj.d);
      obj.grad(x, g);
      expect(maxDiff(g, numericGrad(obj, x))).toBeLessThan(1e-6 * Math.max(1, ...Array.from(g, Math.abs)));
    }
  });

  it('compute the PL constant of x² + 3 sin² x as the infimum of ½g′²/g (and it exceeds the 1/32 Karimi et al. quote)', () => {
    const mu = sinePlusQuadraticPL();
    const ratio = (x: number) => (0.5 * (2 * x + 3 * Math.sin(2 * x)) ** 2) / (x * x + 3 * Math.sin(x) ** 2);
    let least = Infinity;
    for (let x = 0.0137; x < 30; x += 0.0071) least = Math.min(least, ratio(x), ratio(-x));
    expect(mu).toBeLessThanOrEqual(least);
    expect(mu).toBeGreaterThan(least - 1e-4);
    expect(mu).toBeGreaterThan(1 / 32);
  });
});

describe('reference interpolants', () => {
  it('min-ℓ2: interpolates and has no null-space component', () => {
    const n = 4, d = 9;
    const X = normals(rng(3, 1), n * d), y = normals(rng(3, 2), n);
    const w = minL2Interpolant(X, y, n, d);
    for (let i = 0; i < n; i++) expect(Math.abs(X.slice(i * d, (i + 1) * d).reduce((s, v, j) => s + v * w[j], 0) - y[i])).toBeLessThan(1e-13);
    expect(Math.max(...Array.from(nullSpaceComponent(X, n, d, w), Math.abs))).toBeLessThan(1e-13);
  });

  it('min-ℓ1 (HiGHS + polish) equals the best of all basic solutions, found by enumeration', async () => {
    for (let seed = 0; seed < 5; seed++) {
      const n = 2, d = 6;
      const X = normals(rng(seed, 1), n * d), y = normals(rng(seed, 2), n);
      const lp = await minL1Interpolant(X, y, n, d);
      // A vertex of {Xw = y} has at most n non-zeros: try every pair of columns.
      let best = Infinity;
      for (let a = 0; a < d; a++)
        for (let b = a + 1; b < d; b++) {
          const det = X[a] * X[d + b] - X[b] * X[d + a];
          if (Math.abs(det) < 1e-12) continue;
          const wa = (y[0] * X[d + b] - X[b] * y[1]) / det, wb = (X[a] * y[1] - y[0] * X[d + a]) / det;
          best = Math.min(best, Math.abs(wa) + Math.abs(wb));
        }
      expect(lp.w.reduce((s, v) => s + Math.abs(v), 0)).toBeCloseTo(best, 12);
      expect(lp.dualInfNorm).toBeLessThan(1 + 1e-9);
      expect(lp.dualGap).toBeLessThan(1e-9);
    }
  });

  it('max-margin: the known separator of two opposite points, and KKT on random separable data', async () => {
    const two = await maxMarginSeparator(new Float64Array([2, 0, -2, 0]), [1, -1], 2, 2);
    expect(maxDiff(two!.w, [0.5, 0])).toBeLessThan(1e-12);
    expect(await maxMarginSeparator(new Float64Array([1, 0, 1, 0]), [1, -1], 2, 2)).toBeNull();
    const n = 10, d = 3;
    const X = normals(rng(5, 1), n * d);
    const y = Float64Array.from({ length: n }, (_, i) => (X[i * d] + 0.5 * X[i * d + 1] >= 0 ? 1 : -1));
    const s = (await maxMarginSeparator(X, y, n, d))!;
    for (let i = 0; i < n; i++) expect(y[i] * X.slice(i * d, (i + 1) * d).reduce((a, v, j) => a + v * s.w[j], 0)).toBeGreaterThan(1 - 1e-9);
    expect(s.minMultiplier).toBeGreaterThanOrEqual(0);
  });

  it('max-margin: a QP on which HiGHS throws with free variables is solved in a box from a feasible point', async () => {
    // Replicate 9 of the first flow/poggio-logistic-max-margin instance at CI seed 27 (n 6, d 4):
    // h.solve threw "Unable to solve the problem. HiGHS error -1" on the free-variable QP.
    const X = Float64Array.from(
      '0.048248578944621895 -0.0014935830390545232 -0.60869004051794984 -0.46933334934950532 -1.2922586329441104 -0.51185877582429773 0.21678840400985372 1.1496328398952773 -0.30250370412144667 1.2399723469633683 -0.16853140865270499 1.8240588474763304 -0.89785838897649717 -0.66319374127214026 -0.85336513515364909 -0.85932676716234546 0.22498399294957061 -0.16097514534539101 -1.9004567127724585 0.76532962528939241 -0.97678844223758776 -0.094615276384037481 -1.6779630466155808 0.77737987836026656'.split(' ').map(Number),
    );
    const y = [-1, 1, 1, -1, -1, -1], n = 6, d = 4;
    const s = (await maxMarginSeparator(X, y, n, d))!;
    const margins = y.map((yi, i) => yi * X.slice(i * d, (i + 1) * d).reduce((a, v, j) => a + v * s.w[j], 0));
    for (const m of margins) expect(m).toBeGreaterThan(1 - 1e-9);
    expect(s.minMultiplier).toBeGreaterThanOrEqual(0);
    expect(0.5 * s.w.reduce((a, v) => a + v * v, 0)).toBeCloseTo(0.8430174763636804, 9); // HiGHS's boxed objective
  });
});

describe('networks', () => {
  it('tanh network: the Jacobian matches differences, and Gauss–Newton interpolates', () => {
    const net: TanhNet = { n: 3, d: 2, m: 5, K: 2, X: normals(rng(6, 1), 6), Y: normals(rng(6, 2), 6) };
    const p = tanhParamCount(net);
    const theta = normals(rng(6, 3), p, 0.5);
    const { J } = tanhResidual(net, theta, true);
    const h = 1e-6;
    for (let q = 0; q < p; q++) {
      const tp = Float64Array.from(theta), tm = Float64Array.from(theta);
      tp[q] += h;
      tm[q] -= h;
      const rp = tanhResidual(net, tp).r, rm = tanhResidual(net, tm).r;
      for (let row = 0; row < 6; row++) expect(Math.abs((rp[row] - rm[row]) / (2 * h) - J![row * p + q])).toBeLessThan(1e-7);
    }
    const fit = gaussNewton(net, theta, { stopAt: 1e-26 });
    expect(tanhLoss(net, fit.theta)).toBeLessThanOrEqual(1e-26);
  });

  it('deep diagonal network: the gradient matches differences at depth 3', () => {
    const q: DeepDiagonal = { n: 4, d: 3, L: 3, A: normals(rng(7, 1), 12), b: normals(rng(7, 2), 4) };
    const W = normals(rng(7, 3), 9);
    const g = deepDiagonalGrad(q, W);
    const num = Array.from(W, (_, i) => {
      const p = Float64Array.from(W), m = Float64Array.from(W);
      p[i] += 1e-6;
      m[i] -= 1e-6;
      return (deepDiagonalLoss(q, p) - deepDiagonalLoss(q, m)) / 2e-6;
    });
    expect(maxDiff(g, num)).toBeLessThan(1e-7);
  });

  it('diagonal linear network flow: u⊙v = α² stays conserved, and the limit interpolates', () => {
    const n = 3, d = 7, alpha = 0.1;
    const X = normals(rng(8, 1), n * d), y = normals(rng(8, 2), n);
    const r = woodworthFlow({ n, d, X, y }, new Float64Array(d).fill(alpha), new Float64Array(d).fill(alpha), { stopLoss: 1e-18 });
    expect(r.stopped).toBeUndefined();
    expect(r.loss).toBeLessThanOrEqual(1e-18);
    for (let j = 0; j < d; j++) expect(Math.abs(r.u[j] * r.v[j] - alpha ** 2)).toBeLessThan(1e-8 * alpha ** 2);
  });

  it('RNN sensitivities match finite differences of f_T in x_1', () => {
    const m = 4, d = 2, T = 6;
    const W = new Float64Array(m * m);
    for (let i = 0; i < m; i++) W[i * m + i] = 0.9 * (i % 2 ? 1 : -1);
    W[1] = 0.3; // and with an off-diagonal entry
    const net = { m, d, W, U: normals(rng(9, 1), m * d), c: signs(rng(9, 2), m) };
    const X = normals(rng(9, 3), T * d, 0.5);
    const { S } = sensitivities(net, X);
    const f = (Xs: Float64Array, t: number) => {
      let h = new Float64Array(m);
      for (let s = 0; s < t; s++) h = Float64Array.from({ length: m }, (_, i) => Math.tanh(Array.from(h).reduce((a, v, j) => a + W[i * m + j] * v, 0) + net.U[i * d] * Xs[s * d] + net.U[i * d + 1] * Xs[s * d + 1]));
      return h.reduce((a, v, i) => a + net.c[i] * v, 0) / Math.sqrt(m);
    };
    for (let t = 1; t <= T; t++) {
      const grad = [0, 1].map((k) => {
        const p = Float64Array.from(X), q = Float64Array.from(X);
        p[k] += 1e-6;
        q[k] -= 1e-6;
        return (f(p, t) - f(q, t)) / 2e-6;
      });
      expect(Math.abs(Math.hypot(...grad) - S[t - 1])).toBeLessThan(1e-8);
    }
  });
});
