/**
 * Gradient descent on least squares L(w) = (1/2n)‖Xw − y‖² in float64, optionally with weight decay
 * (GD on L + (λ/2)‖w‖²), keeping every iterate: the implicit-bias theorems measure where the
 * iterates go (distance to reference solutions, null-space component), not only the loss.
 */
export interface LeastSquaresProblem {
  readonly n: number;
  readonly d: number;
  /** n×d, row-major. */
  readonly X: Float64Array;
  readonly y: Float64Array;
}

export interface LeastSquaresGdSettings {
  readonly w0: Float64Array;
  readonly eta: number;
  readonly steps: number;
  /** λ in GD on L + (λ/2)‖w‖² (default 0). */
  readonly weightDecay?: number;
}

/** The iterates w_0, ..., w_steps (fewer if they stop being finite). */
export function leastSquaresGD(p: LeastSquaresProblem, s: LeastSquaresGdSettings): Float64Array[] {
  const { n, d, X, y } = p;
  const lambda = s.weightDecay ?? 0;
  const out: Float64Array[] = [Float64Array.from(s.w0)];
  let w = Float64Array.from(s.w0);
  const r = new Float64Array(n);
  for (let k = 0; k < s.steps; k++) {
    for (let i = 0; i < n; i++) {
      let v = -y[i];
      for (let j = 0; j < d; j++) v += X[i * d + j] * w[j];
      r[i] = v / n;
    }
    const next = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      let g = lambda * w[j];
      for (let i = 0; i < n; i++) g += X[i * d + j] * r[i];
      next[j] = w[j] - s.eta * g;
    }
    if (!next.every(Number.isFinite)) break;
    out.push(next);
    w = next;
  }
  return out;
}

/** λmin and λmax over the non-zero eigenvalues of XᵀX/n, from the n×n matrix XXᵀ/n (same non-zero spectrum). */
export function gramOfRows(p: LeastSquaresProblem): Float64Array {
  const { n, d, X } = p;
  const G = new Float64Array(n * n);
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += X[a * d + j] * X[b * d + j];
      G[a * n + b] = s / n;
    }
  return G;
}
