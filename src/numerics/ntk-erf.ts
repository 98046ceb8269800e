/**
 * The limiting Gram matrix K⁽ᴴ⁾ of a deep fully connected erf network in the parameterisation of
 * Du, Lee, Li, Wang & Zhai (arXiv 1811.03804, §5; src/models/deep-fc.ts), x⁽ʰ⁾ = √(c_σ/m) σ(W⁽ʰ⁾x⁽ʰ⁻¹⁾):
 *
 *   K⁽⁰⁾_ij = x_iᵀx_j,
 *   K⁽ʰ⁾_ij = c_σ E[σ(u)σ(v)]                 for h = 1 … H−1,
 *   K⁽ᴴ⁾_ij = c_σ K⁽ᴴ⁻¹⁾_ij E[σ'(u)σ'(v)],
 *   with (u, v) ~ N(0, [[K⁽ʰ⁻¹⁾_ii, K⁽ʰ⁻¹⁾_ij], [K⁽ʰ⁻¹⁾_ij, K⁽ʰ⁻¹⁾_jj]]).
 *
 * For σ = erf both expectations have closed forms (Williams 1997):
 *   E[erf(u)erf(v)]   = (2/π) arcsin(2Σ₁₂ / √((1 + 2Σ₁₁)(1 + 2Σ₂₂))),
 *   E[erf'(u)erf'(v)] = (4/π) ((1 + 2Σ₁₁)(1 + 2Σ₂₂) − 4Σ₁₂²)^{−1/2},
 * and c_σ = 1/E[erf(z)²] = π/(2 arcsin(2/3)).
 *
 * K⁽ᴴ⁾ is the infinite-width limit of the Gram matrix of the gradients with respect to the last
 * hidden layer's weights, G⁽ᴴ⁾_ij = ⟨∂u_i/∂W⁽ᴴ⁾, ∂u_j/∂W⁽ᴴ⁾⟩ (`lastLayerGram`).
 */
import type { SymMatrix } from './eigen.ts';

export const ERF_SCALE = Math.PI / (2 * Math.asin(2 / 3));

function erfCov(s11: number, s22: number, s12: number): number {
  const r = (2 * s12) / Math.sqrt((1 + 2 * s11) * (1 + 2 * s22));
  return (2 / Math.PI) * Math.asin(Math.max(-1, Math.min(1, r)));
}

function erfDerivCov(s11: number, s22: number, s12: number): number {
  return (4 / Math.PI) / Math.sqrt((1 + 2 * s11) * (1 + 2 * s22) - 4 * s12 * s12);
}

/** K⁽ᴴ⁾ for the erf network of depth H ≥ 1 on inputs X (n×d, row-major). */
export function erfNtkGram(X: Float64Array, n: number, d: number, depth: number): SymMatrix {
  if (!(Number.isInteger(depth) && depth >= 1)) throw new RangeError(`depth must be an integer ≥ 1, got ${depth}`);
  let K = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += X[i * d + c] * X[j * d + c];
      K[i * n + j] = s;
    }
  for (let h = 1; h < depth; h++) {
    const next = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) next[i * n + j] = ERF_SCALE * erfCov(K[i * n + i], K[j * n + j], K[i * n + j]);
    K = next;
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = ERF_SCALE * K[i * n + j] * erfDerivCov(K[i * n + i], K[j * n + j], K[i * n + j]);
  return { n, data: out };
}

/**
 * G⁽ᴴ⁾_ij = (c_σ/m) Σ_r a_r² σ'(z_ir) σ'(z_jr) ⟨x_i⁽ᴴ⁻¹⁾, x_j⁽ᴴ⁻¹⁾⟩ from the last layer's input
 * activations P (n×k), its weights W (m×k) and the output weights a: the Gram matrix of the
 * gradients with respect to W⁽ᴴ⁾ (u_i = aᵀ √(c_σ/m) σ(W P_i)).
 */
export function lastLayerGram(P: Float64Array, n: number, k: number, W: Float64Array, m: number, a: Float64Array, scale: number, dsigma: (z: number) => number): SymMatrix {
  const D = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let r = 0; r < m; r++) {
      let z = 0;
      for (let c = 0; c < k; c++) z += W[r * k + c] * P[i * k + c];
      D[i * m + r] = a[r] * dsigma(z);
    }
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let r = 0; r < m; r++) s += D[i * m + r] * D[j * m + r];
      let ip = 0;
      for (let c = 0; c < k; c++) ip += P[i * k + c] * P[j * k + c];
      const g = ((scale / m) * s) * ip;
      data[i * n + j] = g;
      data[j * n + i] = g;
    }
  return { n, data };
}
