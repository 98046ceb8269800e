/**
 * Diagonal linear networks in float64.
 *
 *   Woodworth et al.: w = u⊙u − v⊙v, L(u, v) = (1/2n)‖X(u⊙u − v⊙v) − y‖², trained by gradient flow
 *   from u(0) = v(0) = α·1 (so w(0) = 0) until the data are interpolated, by the shared integrator.
 *   u and v never cross zero (u_i(t) = α exp(−2∫g_i), g = ∇_w L), so the integrator runs with a
 *   purely relative tolerance, which keeps tiny coordinates accurate at small α.
 *
 *   Jacobs et al.: x = u⊙v trained by sign descent / Adam / gradient flow (see sign-descent.ts).
 */
import { integrate, flowTolerance } from '../optim/flow.ts';

export interface DiagonalProblem {
  readonly n: number;
  readonly d: number;
  readonly X: Float64Array;
  readonly y: Float64Array;
}

export interface DiagonalFlowResult {
  readonly u: Float64Array;
  readonly v: Float64Array;
  readonly w: Float64Array;
  /** Loss at the end, and the time it took. */
  readonly loss: number;
  readonly time: number;
  readonly stopped?: string;
}

function residual(p: DiagonalProblem, w: ArrayLike<number>, r: Float64Array): number {
  let s = 0;
  for (let i = 0; i < p.n; i++) {
    let v = -p.y[i];
    for (let j = 0; j < p.d; j++) v += p.X[i * p.d + j] * w[j];
    r[i] = v;
    s += v * v;
  }
  return s / (2 * p.n);
}

/**
 * Gradient flow of L(u, v) from (u0, v0) until L ≤ `stopLoss` (an event located to the tolerance).
 * w_i = (u_i − v_i)(u_i + v_i) avoids the cancellation of u² − v² when u ≈ v.
 */
export function woodworthFlow(p: DiagonalProblem, u0: ArrayLike<number>, v0: ArrayLike<number>, opts: { stopLoss: number; maxTime?: number; maxSteps?: number }): DiagonalFlowResult {
  const { n, d, X } = p;
  const r = new Float64Array(n);
  const w = new Float64Array(d);
  const g = new Float64Array(d);
  const toW = (z: Float64Array) => {
    for (let j = 0; j < d; j++) w[j] = (z[j] - z[d + j]) * (z[j] + z[d + j]);
    return w;
  };
  const rhs = (_t: number, z: Float64Array, dz: Float64Array) => {
    residual(p, toW(z), r);
    g.fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) g[j] += (X[i * d + j] * r[i]) / n;
    for (let j = 0; j < d; j++) {
      dz[j] = -2 * z[j] * g[j];
      dz[d + j] = 2 * z[d + j] * g[j];
    }
  };
  const z0 = Float64Array.from([...Array.from(u0), ...Array.from(v0)]);
  const tol = flowTolerance();
  const smallest = Math.min(...Array.from(z0, Math.abs));
  const sol = integrate(rhs, z0, [0, opts.maxTime ?? 1e9], {
    rtol: tol,
    atol: tol * smallest * 1e-12,
    maxSteps: opts.maxSteps ?? 400_000,
    event: (_t, z) => opts.stopLoss - residual(p, toW(z), r),
  });
  const zEnd = sol.last.y;
  const wEnd = Float64Array.from(toW(zEnd));
  return {
    u: zEnd.slice(0, d),
    v: zEnd.slice(d),
    w: wEnd,
    loss: residual(p, wEnd, r),
    time: sol.last.t,
    ...(sol.eventTime === undefined ? { stopped: sol.stopped ?? `the loss did not reach ${opts.stopLoss} by t = ${opts.maxTime ?? 1e9}` } : {}),
  };
}

/**
 * Gradient flow of the plain linear model, L(w) = (1/2n)‖Xw − y‖², from w0 until L ≤ `stopLoss`:
 * the "depth 1" mutation of the diagonal network (its limit is w† + (I − P)w0 at every scale).
 */
export function linearFlow(p: DiagonalProblem, w0: ArrayLike<number>, opts: { stopLoss: number; maxTime?: number; maxSteps?: number }): { w: Float64Array; loss: number; time: number; stopped?: string } {
  const { n, d, X } = p;
  const r = new Float64Array(n);
  const rhs = (_t: number, w: Float64Array, dw: Float64Array) => {
    residual(p, w, r);
    dw.fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) dw[j] -= (X[i * d + j] * r[i]) / n;
  };
  const scale = Math.max(1e-300, ...Array.from(w0, Math.abs));
  const sol = integrate(rhs, w0, [0, opts.maxTime ?? 1e9], { atol: flowTolerance() * scale * 1e-6, maxSteps: opts.maxSteps ?? 400_000, event: (_t, w) => opts.stopLoss - residual(p, w, r) });
  const w = sol.last.y;
  return { w, loss: residual(p, w, r), time: sol.last.t, ...(sol.eventTime === undefined ? { stopped: sol.stopped ?? `the loss did not reach ${opts.stopLoss}` } : {}) };
}
