/**
 * The coding rates of ReduNet (Chan, Yu, You, Qi, Wright & Ma, arXiv 2010.14765), in float64 and
 * in tfjs ops, following the authors' code (Ma-Lab-Berkeley/ReduNet: loss.py, redunet/layers/vector.py):
 * features Z ∈ R^{d×m} (columns z_i), classes Π given as labels, precision ε² (`eps2`; the code's
 * `eps` argument is ε²),
 *   R(Z)     = ½ logdet(I + α Z Zᵀ),                   α   = d/(m ε²),
 *   R_c(Z|Π) = Σ_j (m_j/(2m)) logdet(I + α_j Z_j Z_jᵀ), α_j = d/(m_j ε²),
 *   ΔR = R − R_c,
 * with E = α(I + αZZᵀ)⁻¹ and C_j = α_j(I + α_j Z_j Z_jᵀ)⁻¹ (so ∇_Z R = E Z, ∇_{Z_j} R_c = γ_j C_j Z_j,
 * γ_j = m_j/m), and the layer Z ← normalise_columns(Z + η(E Z − Σ_j γ_j C_j Z π_j)).
 * Dense d×d linear algebra by Cholesky: the theorems keep d ≤ 8.
 */
import type { Scalar, Tensor, Tensor1D } from '@tensorflow/tfjs';
import type { TfModule } from '../engine/types.ts';
import { choleskyOrNull } from '../numerics/linalg.ts';

export interface Features {
  readonly d: number;
  readonly m: number;
  /** d×m, row-major: Z[a*m + i] is coordinate a of sample i. */
  readonly Z: Float64Array;
  /** Class of each sample, 0..k−1. */
  readonly labels: readonly number[];
  readonly k: number;
}

export function logdetSPD(A: Float64Array, n: number): number {
  const L = choleskyOrNull(A, n);
  if (!L) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += 2 * Math.log(L[i * n + i]);
  return s;
}

/** A⁻¹ of an SPD matrix, column by column from its Cholesky factor. */
export function inverseSPD(A: Float64Array, n: number): Float64Array {
  const L = choleskyOrNull(A, n);
  const out = new Float64Array(n * n).fill(NaN);
  if (!L) return out;
  const y = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < n; i++) {
      let s = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
      y[i] = s / L[i * n + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i];
      for (let k = i + 1; k < n; k++) s -= L[k * n + i] * out[k * n + c];
      out[i * n + c] = s / L[i * n + i];
    }
  }
  return out;
}

/** I + α Σ_{i ∈ cols} z_i z_iᵀ. */
function shiftedGram(f: Features, alpha: number, cols: readonly number[]): Float64Array {
  const { d, m, Z } = f;
  const A = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    A[a * d + a] = 1;
    for (let b = 0; b < d; b++) {
      let s = 0;
      for (const i of cols) s += Z[a * m + i] * Z[b * m + i];
      A[a * d + b] += alpha * s;
    }
  }
  return A;
}

export function classMembers(f: Features): number[][] {
  const out = Array.from({ length: f.k }, () => [] as number[]);
  f.labels.forEach((j, i) => out[j].push(i));
  return out;
}

const all = (m: number) => Array.from({ length: m }, (_, i) => i);

export function codingRate(f: Features, eps2: number): number {
  return 0.5 * logdetSPD(shiftedGram(f, f.d / (f.m * eps2), all(f.m)), f.d);
}

export function compressionRate(f: Features, eps2: number): number {
  return classMembers(f).reduce((s, cols) => (cols.length ? s + (cols.length / (2 * f.m)) * logdetSPD(shiftedGram(f, f.d / (cols.length * eps2), cols), f.d) : s), 0);
}

export function rateReduction(f: Features, eps2: number): number {
  return codingRate(f, eps2) - compressionRate(f, eps2);
}

/** E = α(I + αZZᵀ)⁻¹ and C_j = α_j(I + α_j Z_jZ_jᵀ)⁻¹ (d×d each), γ_j = m_j/m. */
export function rateOperators(f: Features, eps2: number): { E: Float64Array; C: Float64Array[]; gamma: number[] } {
  const alpha = f.d / (f.m * eps2);
  const E = inverseSPD(shiftedGram(f, alpha, all(f.m)), f.d).map((v) => alpha * v);
  const members = classMembers(f);
  const C = members.map((cols) => {
    const aj = f.d / (Math.max(1, cols.length) * eps2);
    return inverseSPD(shiftedGram(f, aj, cols), f.d).map((v) => aj * v);
  });
  return { E, C, gamma: members.map((cols) => cols.length / f.m) };
}

/** M applied to every column of Z whose index is in cols (others 0), as a d×m matrix. */
export function applyToColumns(M: ArrayLike<number>, f: Features, cols: readonly number[], scale = 1, out: Float64Array = new Float64Array(f.d * f.m)): Float64Array {
  const { d, m, Z } = f;
  for (const i of cols)
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let b = 0; b < d; b++) s += M[a * d + b] * Z[b * m + i];
      out[a * m + i] += scale * s;
    }
  return out;
}

/** One ReduNet layer with the true memberships: Z ← normalise(Z + η(EZ − Σ_j γ_j C_j Z_j)). */
export function reduLayer(f: Features, eps2: number, eta: number, memberships: readonly number[] = f.labels): Features {
  const g = { ...f, labels: memberships };
  const { E, C, gamma } = rateOperators(g, eps2);
  const step = applyToColumns(E, f, all(f.m));
  classMembers(g).forEach((cols, j) => applyToColumns(C[j], f, cols, -gamma[j], step));
  const Z = f.Z.map((v, idx) => v + eta * step[idx]);
  normaliseColumns(Z, f.d, f.m);
  return { ...f, Z };
}

export function normaliseColumns(Z: Float64Array, d: number, m: number): Float64Array {
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let a = 0; a < d; a++) s += Z[a * m + i] ** 2;
    const r = Math.sqrt(s);
    for (let a = 0; a < d; a++) Z[a * m + i] /= r;
  }
  return Z;
}

/** logdet of an SPD d×d tensor by an unrolled Cholesky in tfjs ops (differentiable; small d only). */
export function logdetTf(tf: TfModule, A: Tensor, d: number): Scalar {
  // Unstacked once into scalars: d² slices cost far more in the backward pass. At d = 1 a reshape:
  // the gradient of unstack on one element throws in tfjs 4.22 ("Argument tensors passed to stack
  // must be a `Tensor[]`"), which made every d = 1 instance of the ReduNet gradients inconclusive.
  const entries = (d === 1 ? [tf.reshape(A, [])] : tf.unstack(tf.reshape(A, [d * d]))) as Scalar[];
  const a = (i: number, j: number) => entries[i * d + j];
  const L: Scalar[][] = Array.from({ length: d }, () => []);
  let sum: Scalar = tf.scalar(0);
  for (let i = 0; i < d; i++)
    for (let j = 0; j <= i; j++) {
      let s: Scalar = a(i, j);
      for (let k = 0; k < j; k++) s = tf.sub(s, tf.mul(L[i][k], L[j][k]));
      if (i === j) {
        L[i][i] = tf.sqrt(s);
        sum = tf.add(sum, tf.log(s));
      } else L[i][j] = tf.div(s, L[j][j]);
    }
  return sum;
}

/** ½ logdet(I + α Z_S Z_Sᵀ) in tfjs for the columns S of the flattened d×m Z. */
export function halfLogdetTf(tf: TfModule, zFlat: Tensor1D, d: number, m: number, alpha: number, cols: readonly number[]): Scalar {
  const Z = tf.reshape(zFlat, [d, m]);
  // A 0/1 column mask rather than gather, whose gradient (UnsortedSegmentSum) the wasm backend lacks.
  const mask = new Float32Array(m);
  for (const i of cols) mask[i] = 1;
  const Zs = cols.length === m ? Z : tf.mul(Z, tf.tensor2d(mask, [1, m]));
  const A = tf.add(tf.eye(d), tf.mul(tf.matMul(Zs, Zs, false, true), alpha));
  return tf.mul(logdetTf(tf, A, d), 0.5);
}

/** R(Z) in tfjs ops, Z flattened d×m. */
export function codingRateTf(tf: TfModule, zFlat: Tensor1D, f: Features, eps2: number): Scalar {
  return halfLogdetTf(tf, zFlat, f.d, f.m, f.d / (f.m * eps2), Array.from({ length: f.m }, (_, i) => i));
}

/** R_c(Z | Π) in tfjs ops, Z flattened d×m. */
export function compressionRateTf(tf: TfModule, zFlat: Tensor1D, f: Features, eps2: number): Scalar {
  let sum: Scalar = tf.scalar(0);
  for (const cols of classMembers(f)) if (cols.length) sum = tf.add(sum, tf.mul(halfLogdetTf(tf, zFlat, f.d, f.m, f.d / (cols.length * eps2), cols), cols.length / f.m));
  return sum;
}
