/**
 * Random sparse lifts of a small multi-layer perceptron (after Robin, Scaman & Lelarge, arXiv
 * 2501.05930), in float64 on edge lists.
 *
 * The base network is a layered graph: d input vertices, hidden layers of widths k₁, k₂, …, one
 * output vertex, every vertex of one layer joined to every vertex of the next. A lift of size N
 * replaces every base vertex by N copies, and every base edge (u, v) by the edges (u_a, v_b)
 * between their copies, each kept independently with probability p = min(1, c/N): every lifted
 * vertex then has about c parents per base parent. The copies of input i all carry x_i; the
 * prediction is the mean of the N output copies. (How the paper reads the output of a lift, and
 * which edge distribution its theorem needs, was not read: this construction is derived from the
 * abstract and the research notes.)
 *
 * Each lifted edge has its own weight, Gaussian with variance 1/(expected fan-in); hidden vertices
 * apply the activation. Training is full-batch gradient descent on ½Σ_i (f(x_i) − y_i)² with the
 * step scaled by N (the prediction averages N outputs, so each weight's gradient is O(1/N)).
 */
import { normals, rng } from '../numerics/random.ts';

export type LiftActivation = 'tanh' | 'linear';

export interface BaseMlp {
  readonly d: number;
  /** Hidden layer widths of the base network. */
  readonly hidden: readonly number[];
  readonly activation: LiftActivation;
}

/** Edges between two consecutive lifted layers (vertex indices within each layer). */
interface EdgeLayer {
  readonly from: Int32Array;
  readonly to: Int32Array;
}

export interface SparseLift {
  readonly base: BaseMlp;
  readonly N: number;
  readonly c: number;
  /** Vertices per lifted layer: N·d, N·k₁, …, N. */
  readonly sizes: readonly number[];
  readonly edges: readonly EdgeLayer[];
  /** Initial weights, one array per edge layer (aligned with the edges). */
  readonly weights0: readonly Float64Array[];
}

export function liftEdgeCount(lift: SparseLift): number {
  return lift.edges.reduce((s, e) => s + e.from.length, 0);
}

/** Draw a lift of size N with mean degree c per base edge, and its initial weights, from a seed. */
export function randomSparseLift(base: BaseMlp, N: number, c: number, seed: number): SparseLift {
  const widths = [base.d, ...base.hidden, 1];
  const sizes = widths.map((w) => w * N);
  const p = Math.min(1, c / N);
  const r = rng(seed, 1);
  const edges: EdgeLayer[] = [];
  const weights0: Float64Array[] = [];
  for (let l = 0; l + 1 < widths.length; l++) {
    const from: number[] = [];
    const to: number[] = [];
    // Vertex (u, a) of a layer has index u·N + a.
    for (let v = 0; v < widths[l + 1]; v++)
      for (let b = 0; b < N; b++)
        for (let u = 0; u < widths[l]; u++)
          for (let a = 0; a < N; a++)
            if (r.uniform() < p) {
              from.push(u * N + a);
              to.push(v * N + b);
            }
    edges.push({ from: Int32Array.from(from), to: Int32Array.from(to) });
    const fanIn = Math.max(1, N * p * widths[l]);
    weights0.push(normals(rng(seed, 2 + l), from.length, 1 / Math.sqrt(fanIn)));
  }
  return { base, N, c, sizes, edges, weights0 };
}

const act = (a: LiftActivation, z: number) => (a === 'tanh' ? Math.tanh(z) : z);
const dact = (a: LiftActivation, h: number) => (a === 'tanh' ? 1 - h * h : 1);

/**
 * Gradient descent on the lift for `steps` steps from its initial weights, on n inputs X (n×d) and
 * targets y. Returns ½‖f − y‖² at every step.
 */
export function trainSparseLift(lift: SparseLift, X: Float64Array, y: ArrayLike<number>, n: number, eta: number, steps: number): Float64Array {
  const { N, sizes, edges, base } = lift;
  const L = edges.length;
  const W = lift.weights0.map((w) => Float64Array.from(w));
  const G = W.map((w) => new Float64Array(w.length));
  const H = sizes.map((s) => new Float64Array(s));
  const B = sizes.map((s) => new Float64Array(s));
  const losses = new Float64Array(steps + 1);
  for (let k = 0; ; k++) {
    let loss = 0;
    for (const g of G) g.fill(0);
    for (let i = 0; i < n; i++) {
      for (let u = 0; u < base.d; u++) H[0].fill(X[i * base.d + u], u * N, (u + 1) * N);
      for (let l = 0; l < L; l++) {
        const out = H[l + 1];
        out.fill(0);
        const { from, to } = edges[l];
        const w = W[l];
        for (let e = 0; e < from.length; e++) out[to[e]] += w[e] * H[l][from[e]];
        // Hidden layers apply the activation; the output copies are linear.
        if (l + 1 < L) for (let v = 0; v < out.length; v++) out[v] = act(base.activation, out[v]);
      }
      let f = 0;
      for (let a = 0; a < N; a++) f += H[L][a];
      f /= N;
      const res = f - y[i];
      loss += 0.5 * res * res;
      // Backward: B[l] = ∂(½res²)/∂(pre-activation of layer l).
      B[L].fill(res / N);
      for (let l = L - 1; l >= 0; l--) {
        const { from, to } = edges[l];
        const w = W[l];
        const g = G[l];
        B[l].fill(0);
        for (let e = 0; e < from.length; e++) {
          g[e] += B[l + 1][to[e]] * H[l][from[e]];
          B[l][from[e]] += B[l + 1][to[e]] * w[e];
        }
        if (l > 0) for (let v = 0; v < B[l].length; v++) B[l][v] *= dact(base.activation, H[l][v]);
      }
    }
    losses[k] = loss;
    if (k === steps || !Number.isFinite(loss)) return losses.subarray(0, k + 1);
    for (let l = 0; l < L; l++) for (let e = 0; e < W[l].length; e++) W[l][e] -= eta * N * G[l][e];
  }
}
