import { describe, expect, it } from 'vitest';
import { FLOW_ERROR_FACTOR, flowTolerance, integrate, withFlowTolerance } from '../src/optim/flow.ts';
import { fromSpectrum, normals, orthogonal, rng } from '../src/numerics/index.ts';

function quadraticFlow(seed: number, spectrum: number[]) {
  const d = spectrum.length;
  const Q = orthogonal(rng(seed, 1), d);
  const A = fromSpectrum(Q, spectrum);
  const x0 = normals(rng(seed, 2), d);
  const f = (_t: number, x: Float64Array, dx: Float64Array) => {
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += A[i * d + j] * x[j];
      dx[i] = -s;
    }
  };
  // x(t) = Q exp(−Λt) Qᵀ x0
  const c = spectrum.map((_, j) => x0.reduce((s, v, i) => s + Q[i * d + j] * v, 0));
  const exact = (t: number) => Float64Array.from({ length: d }, (_, i) => spectrum.reduce((s, l, j) => s + Q[i * d + j] * Math.exp(-l * t) * c[j], 0));
  return { f, x0, exact, d };
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('the Dormand–Prince 5(4) flow integrator', () => {
  it('integrates quadratic gradient flows (condition number 1000) to within a few tolerances of the closed form', () => {
    for (const tol of [1e-6, 1e-8, 1e-10]) {
      for (let seed = 0; seed < 5; seed++) {
        const q = quadraticFlow(seed, [0.01, 0.1, 0.5, 1, 3, 10]);
        const times = Array.from({ length: 41 }, (_, k) => k * 5);
        const sol = integrate(q.f, q.x0, times, { rtol: tol });
        expect(sol.times).toEqual(times);
        const scale = Math.max(...Array.from(q.x0, Math.abs));
        for (let k = 0; k < times.length; k++) expect(maxAbsDiff(sol.states[k], q.exact(times[k]))).toBeLessThan(FLOW_ERROR_FACTOR * tol * scale);
        // ... and the error is of the order of the tolerance, not far below it by luck of a tiny step:
        const worst = Math.max(...times.map((t, k) => maxAbsDiff(sol.states[k], q.exact(t)))) / scale;
        expect(worst).toBeGreaterThan(tol / 1e3);
      }
    }
  });

  it('integrates gradient flow on underdetermined least squares: it converges to x0 projected plus the min-norm solution', () => {
    // L(w) = ½‖Xw − y‖², w(t) → w† + (I − P) w0, with the closed form through the SVD replaced by the 1-D case.
    const X = [3, 4];
    const y = 5;
    const w0 = [1, -2];
    const f = (_t: number, w: Float64Array, dw: Float64Array) => {
      const r = X[0] * w[0] + X[1] * w[1] - y;
      dw[0] = -X[0] * r;
      dw[1] = -X[1] * r;
    };
    const sol = integrate(f, w0, [0, 0.1, 1, 10], { rtol: 1e-10 });
    // r(t) = r0 e^{−‖X‖² t}; w(t) = w0 − X r0 (1 − e^{−25t})/25
    const r0 = X[0] * w0[0] + X[1] * w0[1] - y;
    sol.times.forEach((t, k) => {
      const s = (r0 * (1 - Math.exp(-25 * t))) / 25;
      expect(maxAbsDiff(sol.states[k], [w0[0] - X[0] * s, w0[1] - X[1] * s])).toBeLessThan(1e-9);
    });
  });

  it('integrates a nonlinear flow with a closed form, x′ = −x³', () => {
    for (const x0 of [0.1, 1, 10]) {
      const times = Array.from({ length: 21 }, (_, k) => k * 50);
      const sol = integrate((_t, x, dx) => void (dx[0] = -(x[0] ** 3)), [x0], times, { rtol: 1e-10, scale: x0 });
      times.forEach((t, k) => expect(Math.abs(sol.states[k][0] - x0 / Math.sqrt(1 + 2 * x0 * x0 * t))).toBeLessThan(FLOW_ERROR_FACTOR * 1e-10 * x0));
    }
  });

  it('locates an event to the tolerance: x′ = x from 1e-3 reaches 1 at t = ln 1000', () => {
    const sol = integrate((_t, x, dx) => void (dx[0] = x[0]), [1e-3], [0, 100], { rtol: 1e-10, scale: 1e-3, event: (_t, x) => x[0] - 1 });
    expect(sol.eventTime).toBeDefined();
    expect(Math.abs(sol.eventTime! - Math.log(1000))).toBeLessThan(1e-7);
    expect(sol.times).toEqual([0]);
  });

  it('stops at its step budget and says so, instead of running on', () => {
    const sol = integrate((_t, x, dx) => void (dx[0] = -1000 * x[0]), [1], [0, 1000], { rtol: 1e-10, maxSteps: 50 });
    expect(sol.stopped).toMatch(/step budget/);
    expect(sol.times).toEqual([0]);
  });

  it('takes its default tolerance from the scope, and restores it', async () => {
    const before = flowTolerance();
    await withFlowTolerance(before / 2, async () => expect(flowTolerance()).toBe(before / 2));
    expect(flowTolerance()).toBe(before);
  });
});
