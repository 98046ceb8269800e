/**
 * A one-hidden-layer tanh network with K outputs, f(x) = C tanh(Wx + b), in float64 with its exact
 * Jacobian, trained to interpolation by Gauss–Newton with minimum-norm steps. Used to look at the
 * Hessian of the square loss at an interpolating minimum (Poggio et al.).
 *
 * Parameters θ = [W (m×d, row-major), b (m), C (K×m, row-major)], p = m(d + 1 + K).
 * Loss L(θ) = (1/2n) Σ_i ‖f(x_i) − y_i‖².
 */
import { cholesky, cholSolve } from '../numerics/interpolants.ts';

export interface TanhNet {
  readonly n: number;
  readonly d: number;
  readonly m: number;
  readonly K: number;
  /** n×d inputs and n×K targets, row-major. */
  readonly X: Float64Array;
  readonly Y: Float64Array;
}

export function tanhParamCount(net: Pick<TanhNet, 'd' | 'm' | 'K'>): number {
  return net.m * (net.d + 1 + net.K);
}

/** Residuals r = f(X) − Y (nK, sample-major) and, if asked, the Jacobian ∂r/∂θ (nK × p, row-major). */
export function tanhResidual(net: TanhNet, theta: Float64Array, wantJacobian = false): { r: Float64Array; J?: Float64Array } {
  const { n, d, m, K, X, Y } = net;
  const p = tanhParamCount(net);
  const bOff = m * d, cOff = m * d + m;
  const r = new Float64Array(n * K);
  const J = wantJacobian ? new Float64Array(n * K * p) : undefined;
  const h = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let z = theta[bOff + j];
      for (let a = 0; a < d; a++) z += theta[j * d + a] * X[i * d + a];
      h[j] = Math.tanh(z);
    }
    for (let k = 0; k < K; k++) {
      let f = 0;
      for (let j = 0; j < m; j++) f += theta[cOff + k * m + j] * h[j];
      const row = i * K + k;
      r[row] = f - Y[row];
      if (!J) continue;
      const o = row * p;
      for (let j = 0; j < m; j++) {
        const c = theta[cOff + k * m + j];
        const dz = c * (1 - h[j] * h[j]);
        for (let a = 0; a < d; a++) J[o + j * d + a] = dz * X[i * d + a];
        J[o + bOff + j] = dz;
        J[o + cOff + k * m + j] = h[j];
      }
    }
  }
  return { r, J };
}

export function tanhLoss(net: TanhNet, theta: Float64Array): number {
  const { r } = tanhResidual(net, theta);
  return r.reduce((s, v) => s + v * v, 0) / (2 * net.n);
}

/** ∇L(θ) = Jᵀr / n. */
export function tanhGrad(net: TanhNet, theta: Float64Array): Float64Array {
  const { r, J } = tanhResidual(net, theta, true);
  const p = tanhParamCount(net);
  const g = new Float64Array(p);
  for (let row = 0; row < r.length; row++) for (let q = 0; q < p; q++) g[q] += (J![row * p + q] * r[row]) / net.n;
  return g;
}

/**
 * Gauss–Newton with minimum-norm steps θ ← θ − Jᵀ(JJᵀ + μI)⁻¹r (μ tiny, for safety), halving the
 * step until the loss decreases. Stops when the loss is at most `stopAt`, when it stops decreasing,
 * or after `maxIterations`.
 */
export function gaussNewton(net: TanhNet, theta0: Float64Array, opts: { stopAt: number; maxIterations?: number }): { theta: Float64Array; loss: number; iterations: number } {
  const p = tanhParamCount(net);
  const N = net.n * net.K;
  let theta = Float64Array.from(theta0);
  let loss = tanhLoss(net, theta);
  let it = 0;
  for (; it < (opts.maxIterations ?? 200) && loss > opts.stopAt; it++) {
    const { r, J } = tanhResidual(net, theta, true);
    const G = new Float64Array(N * N);
    let trace = 0;
    for (let a = 0; a < N; a++)
      for (let b = 0; b <= a; b++) {
        let s = 0;
        for (let q = 0; q < p; q++) s += J![a * p + q] * J![b * p + q];
        G[a * N + b] = s;
        G[b * N + a] = s;
        if (a === b) trace += s;
      }
    for (let a = 0; a < N; a++) G[a * N + a] += 1e-14 * trace;
    const lambda = cholSolve(cholesky(G, N), N, r);
    const step = new Float64Array(p);
    for (let a = 0; a < N; a++) for (let q = 0; q < p; q++) step[q] += J![a * p + q] * lambda[a];
    let t = 1;
    let improved = false;
    for (let half = 0; half < 40; half++, t /= 2) {
      const cand = theta.map((v, q) => v - t * step[q]);
      const l = tanhLoss(net, cand);
      if (l < loss) {
        theta = cand;
        loss = l;
        improved = true;
        break;
      }
    }
    if (!improved) break;
  }
  return { theta, loss, iterations: it };
}

/** The Hessian of L by central differences of the exact gradient, symmetrised (p×p, row-major). */
export function tanhHessianFD(net: TanhNet, theta: Float64Array, h = 1e-4): Float64Array {
  const p = tanhParamCount(net);
  const H = new Float64Array(p * p);
  const t = Float64Array.from(theta);
  for (let q = 0; q < p; q++) {
    t[q] = theta[q] + h;
    const gp = tanhGrad(net, t);
    t[q] = theta[q] - h;
    const gm = tanhGrad(net, t);
    t[q] = theta[q];
    for (let a = 0; a < p; a++) H[a * p + q] = (gp[a] - gm[a]) / (2 * h);
  }
  for (let a = 0; a < p; a++)
    for (let b = a + 1; b < p; b++) {
      const s = 0.5 * (H[a * p + b] + H[b * p + a]);
      H[a * p + b] = s;
      H[b * p + a] = s;
    }
  return H;
}
