/** Small float64 helpers on row-major Float64Array matrices. */

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function norm2(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

export function sumSquares(a: ArrayLike<number>): number {
  return dot(a, a);
}

/** y = A x for A rows×cols. */
export function matVec(A: Float64Array, rows: number, cols: number, x: ArrayLike<number>, out = new Float64Array(rows)): Float64Array {
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const o = i * cols;
    for (let j = 0; j < cols; j++) s += A[o + j] * x[j];
    out[i] = s;
  }
  return out;
}

/** Q diag(values) Qᵀ for an orthogonal Q (row-major d×d). */
export function fromSpectrum(Q: Float64Array, values: ArrayLike<number>): Float64Array {
  const d = values.length;
  const A = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += Q[i * d + k] * values[k] * Q[j * d + k];
      A[i * d + j] = s;
    }
  // Exact symmetry, so the matrix is symmetric in every precision it is copied to.
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) A[j * d + i] = A[i * d + j];
  return A;
}

/** Norms of the rows of a rows×cols matrix. */
export function rowNorms(A: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += A[i * cols + j] ** 2;
    out[i] = Math.sqrt(s);
  }
  return out;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Cholesky factor L (lower, row-major) of a symmetric n×n matrix, or null if it is not positive definite. */
export function choleskyOrNull(A: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  return L;
}
