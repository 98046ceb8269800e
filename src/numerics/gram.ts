/** Gram matrices of two-layer ReLU networks (Du, Zhai, Póczos, Singh 2019, arXiv 1810.02054). */
import type { SymMatrix } from './eigen.ts';

/**
 * The infinite-width Gram matrix H∞_ij = E_w[x_iᵀx_j 1{wᵀx_i ≥ 0, wᵀx_j ≥ 0}], w ~ N(0, I).
 * Closed form (arc-cosine kernel of degree 0, times the inner product):
 *   H∞_ij = x_iᵀx_j (π − θ_ij) / (2π),   θ_ij the angle between x_i and x_j.
 * The angle is 2·atan2(‖u − v‖, ‖u + v‖) on the normalised rows u, v, which keeps full relative
 * precision for nearly parallel rows (acos of the cosine loses half the digits there: at θ = 1e-6,
 * λ0 of two rows came out 7e-5 relative off), and θ_ii = 0 exactly, so the diagonal is ‖x_i‖²/2
 * for rows that are not unit norm too. For unit rows this is the paper's formula; a zero row
 * gives a zero row and column.
 */
export function reluGramInfinity(X: Float64Array, n: number, d: number): SymMatrix {
  const data = new Float64Array(n * n);
  const U = new Float64Array(n * d); // the normalised rows
  const zero = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += X[i * d + k] ** 2;
    const norm = Math.sqrt(s);
    zero[i] = norm === 0 ? 1 : 0;
    for (let k = 0; k < d; k++) U[i * d + k] = norm === 0 ? 0 : X[i * d + k] / norm;
    data[i * n + i] = s / 2;
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let ip = 0;
      let diff = 0;
      let sum = 0;
      for (let k = 0; k < d; k++) {
        ip += X[i * d + k] * X[j * d + k];
        diff += (U[i * d + k] - U[j * d + k]) ** 2;
        sum += (U[i * d + k] + U[j * d + k]) ** 2;
      }
      const theta = zero[i] || zero[j] ? Math.PI / 2 : 2 * Math.atan2(Math.sqrt(diff), Math.sqrt(sum));
      const h = (ip * (Math.PI - theta)) / (2 * Math.PI);
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
