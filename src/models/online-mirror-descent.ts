/**
 * Online mirror descent with a quadratic mirror map ψ(x) = ½‖x‖²_M, M = diag(m) ≻ 0, on online
 * least squares f_t(x) = ½(a_tᵀx − b_t)², unconstrained: x_{t+1} = x_t − η M⁻¹ g_t, g_t = ∇f_t(x_t).
 * Float64. The tasks of a family share per-coordinate feature scales s (a_t = s ⊙ ξ_t, ξ_t ~ N(0, I))
 * and differ in their target w* and noise; b_t = a_tᵀw* + noise.
 */
import { rng, normals } from '../numerics/random.ts';

export interface OnlineTask {
  readonly d: number;
  readonly T: number;
  /** T×d row-major. */
  readonly A: Float64Array;
  readonly b: Float64Array;
}

export function drawOnlineTask(scales: ArrayLike<number>, T: number, seed: number, noise = 0.1): OnlineTask {
  const d = scales.length;
  const r = rng(seed, 21);
  const wStar = normals(r, d);
  const A = normals(r, T * d);
  const b = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    let v = noise * r.normal();
    for (let i = 0; i < d; i++) {
      A[t * d + i] *= scales[i];
      v += A[t * d + i] * wStar[i];
    }
    b[t] = v;
  }
  return { d, T, A, b };
}

export interface OmdRun {
  /** x_1, …, x_{T+1} (T + 1 points, d each). */
  readonly xs: Float64Array[];
  /** g_1, …, g_T. */
  readonly gs: Float64Array[];
  /** f_t(x_t). */
  readonly losses: Float64Array;
}

export function lossAt(task: OnlineTask, t: number, x: ArrayLike<number>): number {
  let z = -task.b[t];
  for (let i = 0; i < task.d; i++) z += task.A[t * task.d + i] * x[i];
  return 0.5 * z * z;
}

/** OMD with metric m (the update's), step η, from x_1; `sign` = −1 runs the update on −f_t (concave losses). */
export function onlineMirrorDescent(task: OnlineTask, m: ArrayLike<number>, eta: number, x1: ArrayLike<number>, sign: 1 | -1 = 1): OmdRun {
  const { d, T, A, b } = task;
  const xs = [Float64Array.from(x1)];
  const gs: Float64Array[] = [];
  const losses = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    const x = xs[t];
    let z = -b[t];
    for (let i = 0; i < d; i++) z += A[t * d + i] * x[i];
    losses[t] = sign * 0.5 * z * z;
    const g = Float64Array.from({ length: d }, (_, i) => sign * z * A[t * d + i]);
    gs.push(g);
    xs.push(x.map((v, i) => v - (eta * g[i]) / m[i]));
  }
  return { xs, gs, losses };
}

/** The best fixed comparator in hindsight, argmin_u Σ_t ½(a_tᵀu − b_t)² (normal equations, ridge 1e-12). */
export function bestInHindsight(task: OnlineTask): Float64Array {
  const { d, T, A, b } = task;
  const G = new Float64Array(d * d), r = new Float64Array(d);
  for (let t = 0; t < T; t++)
    for (let i = 0; i < d; i++) {
      r[i] += A[t * d + i] * b[t];
      for (let j = 0; j < d; j++) G[i * d + j] += A[t * d + i] * A[t * d + j];
    }
  for (let i = 0; i < d; i++) G[i * d + i] += 1e-12;
  // Gaussian elimination with partial pivoting (d is small).
  const M = Array.from({ length: d }, (_, i) => [...G.slice(i * d, (i + 1) * d), r[i]]);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let i = c + 1; i < d; i++) if (Math.abs(M[i][c]) > Math.abs(M[p][c])) p = i;
    [M[c], M[p]] = [M[p], M[c]];
    for (let i = c + 1; i < d; i++) {
      const f = M[i][c] / M[c][c];
      for (let j = c; j <= d; j++) M[i][j] -= f * M[c][j];
    }
  }
  const u = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = M[i][d];
    for (let j = i + 1; j < d; j++) s -= M[i][j] * u[j];
    u[i] = s / M[i][i];
  }
  return u;
}

/** ‖v‖²_m = Σ m_i v_i². */
export function metricNorm2(v: ArrayLike<number>, m: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += m[i] * v[i] * v[i];
  return s;
}

/** Regret_T(u) = Σ_t f_t(x_t) − f_t(u), for the losses the run used. */
export function regret(task: OnlineTask, run: OmdRun, u: ArrayLike<number>, sign: 1 | -1 = 1): number {
  let s = 0;
  for (let t = 0; t < task.T; t++) s += run.losses[t] - sign * lossAt(task, t, u);
  return s;
}

/** The OMD regret bound ‖x_1 − u‖²_M/(2η) + (η/2) Σ_t ‖g_t‖²_{M⁻¹}. */
export function omdBound(run: OmdRun, m: ArrayLike<number>, eta: number, u: ArrayLike<number>): number {
  const inv = Array.from(m, (v) => 1 / v);
  return metricNorm2(run.xs[0].map((v, i) => v - u[i]), m) / (2 * eta) + (eta / 2) * run.gs.reduce((s, g) => s + metricNorm2(g, inv), 0);
}
