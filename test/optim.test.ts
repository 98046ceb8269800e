/** Models and optimizers: gradients against central finite differences, and each method's defining property. */
import { describe, expect, it } from 'vitest';
import { objectives, optim, mlp, numerics } from '../src/index.ts';

const { rng, normals, orthogonal, fromSpectrum, uniforms } = numerics;

function finiteDifference(value: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  return x.map((_v, i) => {
    const a = Float64Array.from(x);
    const b = Float64Array.from(x);
    a[i] += h;
    b[i] -= h;
    return (value(a) - value(b)) / (2 * h);
  });
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number) {
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i])));
}

describe('test functions: gradients match finite differences (at points away from kinks)', () => {
  const d = 5;
  const x = normals(rng(1, 1), d, 2);
  const xStar = normals(rng(1, 2), d);
  const cases: [string, objectives.Objective][] = [
    ['quadratic', objectives.quadratic(fromSpectrum(orthogonal(rng(1, 3), d), [0, 0.5, 1, 2, 7]), xStar)],
    ['radial Huber (outside the ball)', objectives.radialHuber(3, 0.5, xStar)],
    ['radial Huber (inside the ball)', objectives.radialHuber(3, 100, xStar)],
    ['Σ log(1 + s²)', objectives.sumLogOnePlusSquares(orthogonal(rng(1, 4), d), uniforms(rng(1, 5), d, 0.1, 2), normals(rng(1, 6), d))],
    ['‖x − c‖₁', objectives.l1Distance(xStar)],
    ['max |a_iᵀx − b_i|', objectives.maxAbsAffine(normals(rng(1, 7), 8 * d), 8, normals(rng(1, 8), 8))],
    ['Nesterov’s worst function', objectives.nesterovWorst(d, 4)],
  ];
  it.each(cases)('%s', (_name, f) => expectClose(f.grad(x), finiteDifference((y) => f.value(y), x), 1e-6));

  it('x² + a sin² x and the Lessard–Recht–Packard function (every piece)', () => {
    for (const v of [-3, 0.3, 1.5, 2.7]) {
      expectClose(objectives.plSine(3).grad([v]), finiteDifference((y) => objectives.plSine(3).value(y), Float64Array.of(v)), 1e-6);
      expectClose(objectives.lessardRechtPackard().grad([v]), finiteDifference((y) => objectives.lessardRechtPackard().value(y), Float64Array.of(v)), 1e-6);
    }
  });

  it('Nesterov’s worst function has its closed-form minimiser and minimum', () => {
    const f = objectives.nesterovWorst(7, 2);
    expect(numerics.norm2(f.grad(f.xStar))).toBeLessThan(1e-14);
    expect(f.value(f.xStar)).toBeCloseTo(f.fStar, 14);
  });
});

describe('fully connected networks: backpropagation matches finite differences', () => {
  it.each(['relu', 'tanh', 'softplus', 'relu2'] as const)('%s, with and without biases, two outputs, three samples', (act) => {
    const dims = [3, 4, 3, 2];
    const W = mlp.gaussianInit(dims, 5, 1.5);
    const b = dims.slice(1).map((n, k) => normals(rng(6, k), n, 0.3));
    const data = { n: 3, X: normals(rng(7, 1), 9), Y: normals(rng(7, 2), 6) };
    for (const withBias of [false, true]) {
      const net: mlp.Mlp = { dims, W, act, ...(withBias ? { b } : {}) };
      const { loss, gW, gb } = mlp.lossGrad(net, data, 2);
      expect(loss).toBeCloseTo(mlp.loss(net, data, 2), 14);
      W.forEach((w, k) => {
        const fd = finiteDifference((v) => mlp.loss({ ...net, W: W.map((u, j) => (j === k ? v : u)) }, data, 2), w);
        expectClose(gW[k], fd, 1e-5);
      });
      if (withBias) b.forEach((v, k) => expectClose(gb![k], finiteDifference((u) => mlp.loss({ ...net, b: b.map((z, j) => (j === k ? u : z)) }, data, 2), v), 1e-5));
    }
  });

  it('AGD’s initialisation has ‖W_k‖_* = √(d_k/d_{k−1}) (Prescription 1)', () => {
    const dims = [5, 9, 3, 1];
    mlp.semiOrthogonalInit(dims, 3).forEach((w, k) => expect(numerics.spectralNorm(w, dims[k + 1], dims[k])).toBeCloseTo(Math.sqrt(dims[k + 1] / dims[k]), 12));
  });
});

describe('optimizers as gradient transformations', () => {
  it('heavy ball is chain(trace(β), scale(−α)): x_{k+1} = x_k − α∇f(x_k) + β(x_k − x_{k−1})', () => {
    const f = objectives.quadratic(fromSpectrum(orthogonal(rng(2, 1), 3), [1, 2, 5]), normals(rng(2, 2), 3));
    const xs: Float64Array[] = [];
    optim.minimize(f, optim.heavyBall(0.1, 0.7), normals(rng(2, 3), 3), 5, ({ x }) => (xs.push(Float64Array.from(x)), 1));
    for (let k = 1; k < 5; k++) {
      const g = f.grad(xs[k]);
      expectClose(xs[k + 1], xs[k].map((v, i) => v - 0.1 * g[i] + 0.7 * (v - xs[k - 1][i])), 1e-14);
    }
  });

  it('reproduces the heavy-ball 3-cycle on the Lessard–Recht–Packard function from x_0 = 3.3', () => {
    const rho = (5 - 1) / (5 + 1);
    const xs: number[] = [];
    optim.minimize(objectives.lessardRechtPackard(), optim.heavyBall(4 / 36, rho * rho), Float64Array.of(3.3), 3000, ({ x }) => (xs.push(x[0]), 1));
    expect(xs.slice(-3).sort((a, b) => a - b).map((v) => Number(v.toFixed(4)))).toEqual([-1.8024, 0.6465, 2.1159]);
  });

  it('FISTA follows Beck & Teboulle’s t-sequence and first steps', () => {
    const f = objectives.quadratic(Float64Array.of(2), Float64Array.of(0));
    const iterates: number[] = [];
    optim.minimize(f, optim.fista(0.25), Float64Array.of(1), 3, ({ k, x, state }) => (iterates[k] = (state?.x?.[0] ?? x)[0]));
    // x_1 = y_1 − ∇f(y_1)/4 = 0.5; t_2 = (1 + √5)/2, y_2 = x_1 + 0·…; x_2 = y_2·0.5 = 0.25; y_3 = x_2 + ((t_2 − 1)/t_3)(x_2 − x_1).
    const t2 = (1 + Math.sqrt(5)) / 2;
    const t3 = (1 + Math.sqrt(1 + 4 * t2 * t2)) / 2;
    expect(iterates.slice(0, 3)).toEqual([1, 0.5, 0.25]);
    expect(iterates[3]).toBeCloseTo(0.5 * (0.25 + ((t2 - 1) / t3) * (0.25 - 0.5)), 15);
  });

  it('AGD sets G, η and ΔW_k exactly as Algorithm 1', () => {
    const dims = [4, 6, 2];
    const g = [normals(rng(3, 1), 24), normals(rng(3, 2), 12)];
    const opt = optim.agd(dims);
    const { updates, state } = opt.update(g, opt.init(g), g);
    const G = (Math.sqrt(6 / 4) * numerics.frobeniusNorm(g[0]) + Math.sqrt(2 / 6) * numerics.frobeniusNorm(g[1])) / 2;
    expect(state.G).toBeCloseTo(G, 14);
    expect(state.eta).toBeCloseTo(Math.log((1 + Math.sqrt(1 + 4 * G)) / 2), 14);
    expect(numerics.frobeniusNorm(updates[0])).toBeCloseTo((state.eta / 2) * Math.sqrt(6 / 4), 14);
  });

  it('Nero keeps rows balanced and its first step has δ = lr for every neuron with a gradient', () => {
    const blocks = [{ rows: 3, cols: 4, matrix: true }, { rows: 3, cols: 1, matrix: false }];
    const params = optim.neroInit([normals(rng(4, 1), 12), normals(rng(4, 2), 3)], blocks);
    const opt = optim.nero(blocks, { lr: 0.05 });
    const r = opt.update([normals(rng(4, 3), 12), normals(rng(4, 4), 3)], opt.init(params), params);
    const next = optim.applyUpdates(params, r.updates);
    for (let row = 0; row < 3; row++) {
      const w = next[0].subarray(row * 4, row * 4 + 4);
      expect(Math.abs(w.reduce((a, v) => a + v, 0))).toBeLessThan(1e-15);
      expect(numerics.norm2(w)).toBeCloseTo(1, 15);
      expect(r.state.delta[0][row]).toBeCloseTo(0.05, 15);
    }
  });

  it('DSGD updates only the layer with the largest ‖∇_i‖²/L_i, by −∇_i/L_i', () => {
    const opt = optim.dsgd(() => [4, 1]);
    const g = [Float64Array.of(2, 0), Float64Array.of(1.5)]; // scores 4/4 = 1 and 2.25/1
    const { updates, state } = opt.update(g, opt.init(g), g);
    expect(state.chosen).toBe(1);
    expect(state.stationarity).toBe(2.25);
    expect(Array.from(updates[0])).toEqual([0, 0]);
    expect(Array.from(updates[1])).toEqual([-1.5]);
  });
});
