/**
 * Plain gradient descent w ← w − η∇L(w) on an objective, keeping the iterates only at the given
 * (increasing) step counts: long runs (10⁵–10⁶ steps) traced on a log-spaced grid.
 */
import type { Objective } from '../models/objectives.ts';

export function gradientDescentAt(obj: Objective, w0: ArrayLike<number>, eta: number, checkpoints: readonly number[]): Float64Array[] {
  const w = Float64Array.from(w0);
  const g = new Float64Array(obj.d);
  const out: Float64Array[] = [];
  let k = 0;
  for (const K of checkpoints) {
    if (K < k) throw new Error('gradientDescentAt: checkpoints must be increasing');
    for (; k < K; k++) {
      obj.grad(w, g);
      for (let j = 0; j < w.length; j++) w[j] -= eta * g[j];
    }
    out.push(Float64Array.from(w));
  }
  return out;
}

/** Round(10^a), ..., Round(10^b) at `count` log-spaced points (distinct, increasing). */
export function logSpacedSteps(a: number, b: number, count: number): number[] {
  const ks = Array.from({ length: count }, (_, j) => Math.round(10 ** (a + ((b - a) * j) / (count - 1))));
  return [...new Set(ks)];
}
