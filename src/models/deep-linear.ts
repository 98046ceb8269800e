/**
 * A depth-3 linear network with one output, f(x) = vᵀ W₂ W₁ x (W₁: h×d, W₂: h×h, v: h), in float64
 * with its exact Jacobian: the second architecture of the natural-gradient theorems (a function
 * that is linear in x but cubic in the parameters).
 *
 * Parameters θ = [W₁ (h×d, row-major), W₂ (h×h, row-major), v (h)], p = hd + h² + h.
 */
import { normals, rng } from '../numerics/random.ts';

export interface DeepLinear {
  readonly n: number;
  readonly d: number;
  readonly h: number;
  /** n×d inputs, row-major, and n targets. */
  readonly X: Float64Array;
  readonly y: Float64Array;
}

export function deepLinearParamCount(net: Pick<DeepLinear, 'd' | 'h'>): number {
  return net.h * net.d + net.h * net.h + net.h;
}

/** Gaussian initialisation with variance 1/fan-in per layer, so that outputs are O(‖x‖). */
export function deepLinearInit(net: Pick<DeepLinear, 'd' | 'h'>, seed: number): Float64Array {
  const { d, h } = net;
  return Float64Array.from([...normals(rng(seed, 1), h * d, 1 / Math.sqrt(d)), ...normals(rng(seed, 2), h * h, 1 / Math.sqrt(h)), ...normals(rng(seed, 3), h, 1 / Math.sqrt(h))]);
}

/** Residuals r = f(X) − y and, if asked, the Jacobian ∂r/∂θ (n × p, row-major). */
export function deepLinearResidual(net: DeepLinear, theta: ArrayLike<number>, wantJacobian = false): { r: Float64Array; J?: Float64Array } {
  const { n, d, h, X, y } = net;
  const p = deepLinearParamCount(net);
  const o2 = h * d;
  const ov = o2 + h * h;
  // u = W₂ᵀv: the gradient of f with respect to W₁x.
  const u = new Float64Array(h);
  for (let j = 0; j < h; j++) for (let k = 0; k < h; k++) u[k] += theta[o2 + j * h + k] * theta[ov + j];
  const r = new Float64Array(n);
  const J = wantJacobian ? new Float64Array(n * p) : undefined;
  const a = new Float64Array(h);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < h; k++) {
      let s = 0;
      for (let l = 0; l < d; l++) s += theta[k * d + l] * X[i * d + l];
      a[k] = s;
    }
    let f = 0;
    const row = i * p;
    for (let j = 0; j < h; j++) {
      let b = 0;
      for (let k = 0; k < h; k++) b += theta[o2 + j * h + k] * a[k];
      f += theta[ov + j] * b;
      if (J) {
        J[row + ov + j] = b;
        for (let k = 0; k < h; k++) J[row + o2 + j * h + k] = theta[ov + j] * a[k];
      }
    }
    if (J) for (let k = 0; k < h; k++) for (let l = 0; l < d; l++) J[row + k * d + l] = u[k] * X[i * d + l];
    r[i] = f - y[i];
  }
  return { r, J };
}
