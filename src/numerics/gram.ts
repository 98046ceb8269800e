/** Gram matrices of two-layer ReLU networks (Du, Zhai, Póczos, Singh 2019, arXiv 1810.02054). */
import type { SymMatrix } from './eigen.ts';

/**
 * The infinite-width Gram matrix H∞_ij = E_w[x_iᵀx_j 1{wᵀx_i ≥ 0, wᵀx_j ≥ 0}], w ~ N(0, I).
 * Closed form (arc-cosine kernel of degree 0, times the inner product):
 *   H∞_ij = x_iᵀx_j (π − arccos(cos θ_ij)) / (2π),   cos θ_ij = x_iᵀx_j / (‖x_i‖‖x_j‖) clamped to [−1, 1].
 * For unit rows cos θ_ij = x_iᵀx_j as in the paper; the normalisation only matters when a user
 * instance has rows that are not unit norm (then that hypothesis is reported as not met).
 */
export function reluGramInfinity(X: Float64Array, n: number, d: number): SymMatrix {
  const data = new Float64Array(n * n);
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += X[i * d + k] ** 2;
    norms[i] = Math.sqrt(s);
  }
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let ip = 0;
      for (let k = 0; k < d; k++) ip += X[i * d + k] * X[j * d + k];
      const denom = norms[i] * norms[j];
      const cos = denom === 0 ? 0 : Math.min(1, Math.max(-1, ip / denom));
      const h = (ip * (Math.PI - Math.acos(cos))) / (2 * Math.PI);
      data[i * n + j] = h;
      data[j * n + i] = h;
    }
  }
  return { n, data };
}

/**
 * The finite-width Gram matrix at weights W (m×d, row-major):
 *   H_ij = x_iᵀx_j · (1/m) Σ_r 1{w_rᵀx_i ≥ 0, w_rᵀx_j ≥ 0}.
 */
export function reluGramEmpirical(X: Float64Array, n: number, d: number, W: Float64Array, m: number): SymMatrix {
  const active = new Uint8Array(n * m);
  for (let i = 0; i < n; i++)
    for (let r = 0; r < m; r++) {
      let z = 0;
      for (let k = 0; k < d; k++) z += W[r * d + k] * X[i * d + k];
      active[i * m + r] = z >= 0 ? 1 : 0;
    }
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      let both = 0;
      for (let r = 0; r < m; r++) both += active[i * m + r] & active[j * m + r];
      let ip = 0;
      for (let k = 0; k < d; k++) ip += X[i * d + k] * X[j * d + k];
      const h = (ip * both) / m;
      data[i * n + j] = h;
      data[j * n + i] = h;
    }
  return { n, data };
}
