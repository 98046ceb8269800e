/**
 * Hyperoptimizer towers (Chandra, Xie, Ragan-Kelley & Meijer, arXiv 1909.13371, as their library
 * gdtuo implements it): SGD on w with step s_1, s_1 itself trained by SGD with step s_2, and so on
 * up to a fixed top step s_H. At step t each level's gradient is taken through the previous
 * update only (everything older is detached), the top level updates first, then w:
 *   h_k(t) = ∂L(w_t)/∂s_k,   s_k ← s_k − s_{k+1} h_k(t)  (k = H−1, …, 1),   w_{t+1} = w_t − s_1 g_t.
 * In closed form (derived from that update order): h_1(t) = −g_t·g_{t−1} and
 * h_k(t) = h_{k−1}(t)·(−ĥ_{k−1}(t−1)), ĥ the hypergradient the tower applied at t−1 (which the
 * chain s_k → s_{k−1} differentiates through), with h_k(0) = 0 (w_0 depends on no step size).
 *
 * Engine hypergradients differentiate L(w_t) through the live chain s_k → … → s_1 → w_t:
 * tfjs by reverse-mode autodiff (float32), f64 by central differences. The `detached` mutation
 * feeds w's update a detached copy of s_1 (the deliberate bug of the paper's framing), so every
 * hypergradient is 0 and no step size moves.
 */
import type { Scalar, Tensor1D } from '@tensorflow/tfjs';
import type { TfModule, Engine } from '../engine/types.ts';
import { engineGradient, centralDifferences } from './autodiff.ts';
import { logistic } from './objectives.ts';
import { rng, normals } from '../numerics/random.ts';

export type RegressionLoss = 'least-squares' | 'logistic';

export interface RegressionProblem {
  readonly loss: RegressionLoss;
  readonly n: number;
  readonly d: number;
  /** n×d, row-major. */
  readonly X: Float64Array;
  /** Targets (least squares) or ±1 labels (logistic). */
  readonly y: Float64Array;
}

/** X with N(0, 1) entries, y = X w* + noise (least squares) or its sign (logistic). */
export function drawRegression(loss: RegressionLoss, n: number, d: number, seed: number): RegressionProblem {
  const X = normals(rng(seed, 1), n * d);
  const wStar = normals(rng(seed, 2), d, 1 / Math.sqrt(d));
  const noise = normals(rng(seed, 3), n, 0.1);
  const y = Float64Array.from({ length: n }, (_, i) => {
    let v = noise[i];
    for (let j = 0; j < d; j++) v += X[i * d + j] * wStar[j];
    return loss === 'least-squares' ? v : v >= 0 ? 1 : -1;
  });
  return { loss, n, d, X, y };
}

/** The mean loss in float64. */
export function regressionLoss(p: RegressionProblem, w: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.n; i++) {
    let z = 0;
    for (let j = 0; j < p.d; j++) z += p.X[i * p.d + j] * w[j];
    s += p.loss === 'least-squares' ? 0.5 * (z - p.y[i]) ** 2 : logistic(p.y[i] * z);
  }
  return s / p.n;
}

/** ∇ of the mean loss in float64. */
export function regressionGrad(p: RegressionProblem, w: ArrayLike<number>): Float64Array {
  const g = new Float64Array(p.d);
  for (let i = 0; i < p.n; i++) {
    let z = 0;
    for (let j = 0; j < p.d; j++) z += p.X[i * p.d + j] * w[j];
    // d/dz of ½(z − y)² or of log(1 + e^{−yz}).
    const c = p.loss === 'least-squares' ? z - p.y[i] : -p.y[i] / (1 + Math.exp(p.y[i] * z));
    for (let j = 0; j < p.d; j++) g[j] += (c * p.X[i * p.d + j]) / p.n;
  }
  return g;
}

/** The mean loss in tfjs ops (softplus(−yz) = log(1 + e^{−yz}), stably). */
export function regressionLossTf(tf: TfModule, p: RegressionProblem, w: Tensor1D): Scalar {
  const X = tf.tensor2d(Float32Array.from(p.X), [p.n, p.d]);
  const y = tf.tensor1d(Float32Array.from(p.y));
  const z = tf.matMul(X, tf.reshape(w, [p.d, 1])).reshape([p.n]);
  return p.loss === 'least-squares' ? tf.mean(tf.square(tf.sub(z, y))).mul(0.5) : tf.mean(tf.softplus(tf.neg(tf.mul(y, z))));
}

export interface TowerSettings {
  /** Initial steps s_1, …, s_H; the last stays fixed. Height H = steps.length (H = 1: plain SGD). */
  readonly steps: readonly number[];
  readonly iterations: number;
  readonly w0: ArrayLike<number>;
  /** The mutation: w's update uses a detached s_1, so no hypergradient reaches the tower. */
  readonly detached?: boolean;
  /**
   * Where the hypergradients come from: `engine` (tfjs autodiff, or f64 central differences) or
   * `closed` (the closed form, in float64: the fast path for long runs, justified by the identity
   * the hypergradient theorem checks).
   */
  readonly hypergradients: 'engine' | 'closed';
  /** Also record float64 central differences of every level (default true; off for long runs). */
  readonly differences?: boolean;
}

export interface TowerTrace {
  /** L(w_t), t = 0..iterations (stops at the first non-finite loss). */
  readonly loss: Float64Array;
  /** hyper[k][t] = h_{k+1}(t) as used (engine or closed), closed[k][t] its closed form, fd[k][t] float64 differences. */
  readonly hyper: Float64Array[];
  readonly closed: Float64Array[];
  readonly fd: Float64Array[];
  /** ‖g_t‖ and a bound on the size of the float32 rounding in g_t (smoothness·‖w_t‖ + ‖∇L(0)‖). */
  readonly gradNorm: Float64Array;
  readonly gradScale: Float64Array;
  /** s_1(t), the step w's update used at t. */
  readonly step1: Float64Array;
  readonly last: number;
  readonly stopped?: string;
}

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

/**
 * L(w_t) as a function of the level-k step (k ≥ 1), the chain below it live and everything older
 * detached: s_k = a, s_j = prev_j − s_{j+1}·h_j(t−1) for j < k, w_t = w_{t−1} − s_1 g_{t−1}.
 */
function chainLoss(p: RegressionProblem, k: number, current: number, prev: readonly number[], hPrev: readonly number[], wPrev: Float64Array, gPrev: Float64Array, detached: boolean) {
  const s1 = (a: number) => {
    let s = a;
    for (let j = k - 1; j >= 1; j--) s = prev[j - 1] - s * hPrev[j - 1];
    return s;
  };
  const value = s1(current);
  return {
    f64: (a: Float64Array) => regressionLoss(p, wPrev.map((w, i) => w - (detached ? value : s1(a[0])) * gPrev[i])),
    tf: (tf: TfModule, a: Tensor1D) => {
      let s: Tensor1D = a;
      for (let j = k - 1; j >= 1; j--) s = tf.sub(tf.scalar(prev[j - 1]), tf.mul(s, hPrev[j - 1]));
      // Detached: connected to the graph with derivative 0 (tfjs has no stop-gradient op).
      if (detached) s = tf.add(tf.mul(s, 0), value);
      return regressionLossTf(tf, p, tf.sub(tf.tensor1d(Float32Array.from(wPrev)), tf.mul(s, tf.tensor1d(Float32Array.from(gPrev)))));
    },
  };
}

/** Run the tower for `iterations` steps, recording every level's hypergradient three ways. */
export function runTower(engine: Engine, p: RegressionProblem, s: TowerSettings, smoothness: number): TowerTrace {
  const H = s.steps.length;
  const T = s.iterations;
  const levels = Math.max(0, H - 1);
  const mk = () => Array.from({ length: levels }, () => new Float64Array(T + 1));
  const hyper = mk(), closed = mk(), fd = mk();
  const loss = new Float64Array(T + 1), gradNorm = new Float64Array(T + 1), gradScale = new Float64Array(T + 1), step1 = new Float64Array(T + 1);
  const g0norm = norm(regressionGrad(p, new Float64Array(p.d)));
  const steps = [...s.steps];
  let w = Float64Array.from(s.w0);
  let wPrev: Float64Array | null = null, gPrev: Float64Array | null = null;
  let hPrev = new Array<number>(levels).fill(0);
  let stepsPrev = [...steps];
  let last = T;
  let stopped: string | undefined;
  for (let t = 0; t <= T; t++) {
    loss[t] = regressionLoss(p, w);
    if (!Number.isFinite(loss[t])) {
      last = t;
      stopped = `non-finite loss at step ${t}`;
      loss.fill(NaN, t);
      break;
    }
    const g = regressionGrad(p, w);
    gradNorm[t] = norm(g);
    gradScale[t] = smoothness * norm(w) + g0norm;
    const h = new Array<number>(levels).fill(0);
    if (wPrev && gPrev) {
      const dot = g.reduce((acc, v, i) => acc + v * gPrev![i], 0);
      for (let k = 1; k <= levels; k++) {
        const c = k === 1 ? -dot : closed[k - 2][t] * -hPrev[k - 2];
        closed[k - 1][t] = c;
        const f = chainLoss(p, k, steps[k - 1], stepsPrev, hPrev, wPrev, gPrev, s.detached === true);
        if (s.differences !== false) fd[k - 1][t] = centralDifferences(f.f64, [steps[k - 1]], 1e-4 * Math.max(1, Math.abs(steps[k - 1])))[0];
        h[k - 1] = s.hypergradients === 'closed' ? (s.detached ? 0 : c) : engineGradient(engine, f, [steps[k - 1]])[0];
        hyper[k - 1][t] = h[k - 1];
      }
    }
    step1[t] = steps[0];
    if (t === T) break;
    // Top level first, then down the tower, then w (gdtuo's order).
    stepsPrev = [...steps];
    for (let k = levels; k >= 1; k--) steps[k - 1] = steps[k - 1] - steps[k] * h[k - 1];
    wPrev = w;
    gPrev = g;
    hPrev = h;
    w = w.map((v, i) => v - steps[0] * g[i]);
  }
  return { loss, hyper, closed, fd, gradNorm, gradScale, step1, last, ...(stopped ? { stopped } : {}) };
}
