/** Operator (spectral) and Frobenius norms of small dense matrices, in float64. */
import { symEig } from './eigen.ts';

/**
 * ‖W‖_* = σ_max(W) for W rows×cols (row-major): the square root of λmax of the smaller Gram matrix,
 * by the symmetric eigensolver (exact to rounding; power iteration can underestimate, and an
 * underestimated norm would make a bound false).
 */
export function spectralNorm(W: ArrayLike<number>, rows: number, cols: number): number {
  const n = Math.min(rows, cols);
  const G = new Float64Array(n * n);
  if (rows <= cols) {
    for (let i = 0; i < rows; i++)
      for (let j = i; j < rows; j++) {
        let s = 0;
        for (let c = 0; c < cols; c++) s += W[i * cols + c] * W[j * cols + c];
        G[i * n + j] = G[j * n + i] = s;
      }
  } else {
    for (let i = 0; i < cols; i++)
      for (let j = i; j < cols; j++) {
        let s = 0;
        for (let r = 0; r < rows; r++) s += W[r * cols + i] * W[r * cols + j];
        G[i * n + j] = G[j * n + i] = s;
      }
  }
  const v = symEig({ n, data: G }).values;
  return Math.sqrt(Math.max(0, v[n - 1]));
}

export function frobeniusNorm(W: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < W.length; i++) s += W[i] * W[i];
  return Math.sqrt(s);
}

/** Stable rank ‖W‖_F²/‖W‖_*² (1 for a rank-one matrix). */
export function stableRank(W: ArrayLike<number>, rows: number, cols: number): number {
  const s = spectralNorm(W, rows, cols);
  return s === 0 ? 0 : frobeniusNorm(W) ** 2 / (s * s);
}
