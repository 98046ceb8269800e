/**
 * Nero (Liu, Bernstein, Meister & Yue, "Learning by Turning", arXiv 2102.07227), as in jxbz/nero
 * `nero.py`. A "neuron" is a row of a weight matrix; biases and gains (1-D blocks) are elementwise.
 *   v ← β v + (1 − β) ‖g_row‖²,   ĝ = g / √(v / (1 − β^t))   (NaN → 0),
 *   p ← p − lr · scale · ĝ,   then, with constraints on, every row of a matrix is re-centred (mean 0)
 *   and re-normalised (norm 1): the balanced network constraint.
 * `scale` is the mean row norm at initialisation (1 after balancing; 0.01 if it is 0).
 */
import type { GradientTransformation, Params } from './transform.ts';

export interface NeroBlock {
  readonly rows: number;
  readonly cols: number;
  /** A weight matrix (constrained) or a 1-D block such as a bias (elementwise, unconstrained). */
  readonly matrix: boolean;
}

export interface NeroOptions {
  readonly lr?: number;
  readonly beta?: number;
  readonly constraints?: boolean;
}

export interface NeroState {
  readonly t: number;
  readonly v: readonly Float64Array[];
  readonly scale: readonly number[];
  /** Per block and row, δ = lr·scale·‖g_row‖/√(v/bc) of the last step: the length of the row's move before projection. */
  readonly delta: readonly Float64Array[];
}

/** Norm of each neuron: row norms of a matrix, absolute values of a 1-D block. */
export function neuronNorms(p: ArrayLike<number>, b: NeroBlock): Float64Array {
  if (!b.matrix) return Float64Array.from(p, Math.abs);
  const out = new Float64Array(b.rows);
  for (let r = 0; r < b.rows; r++) {
    let s = 0;
    for (let c = 0; c < b.cols; c++) s += p[r * b.cols + c] ** 2;
    out[r] = Math.sqrt(s);
  }
  return out;
}

/** Re-centre and re-normalise every row (the projection onto balanced neurons). */
export function balanceRows(p: Float64Array, rows: number, cols: number): Float64Array {
  const out = Float64Array.from(p);
  for (let r = 0; r < rows; r++) {
    let mean = 0;
    for (let c = 0; c < cols; c++) mean += out[r * cols + c];
    mean /= cols;
    let s = 0;
    for (let c = 0; c < cols; c++) s += (out[r * cols + c] -= mean) ** 2;
    const norm = Math.sqrt(s);
    for (let c = 0; c < cols; c++) out[r * cols + c] /= norm;
  }
  return out;
}

/** Nero's initialisation: with constraints on, every matrix is balanced before training. */
export function neroInit(params: Params, blocks: readonly NeroBlock[], constraints = true): Float64Array[] {
  return params.map((p, i) => (constraints && blocks[i].matrix ? balanceRows(p, blocks[i].rows, blocks[i].cols) : Float64Array.from(p)));
}

export function nero(blocks: readonly NeroBlock[], opts: NeroOptions = {}): GradientTransformation<NeroState> {
  const lr = opts.lr ?? 0.01;
  const beta = opts.beta ?? 0.999;
  const constraints = opts.constraints ?? true;
  return {
    init(params) {
      const scale = params.map((p, i) => {
        const norms = neuronNorms(p, blocks[i]);
        const mean = norms.reduce((a, b) => a + b, 0) / norms.length;
        return mean === 0 ? 0.01 : mean;
      });
      return { t: 0, v: params.map((p, i) => new Float64Array(blocks[i].matrix ? blocks[i].rows : p.length)), scale, delta: params.map(() => new Float64Array(0)) };
    },
    update(grads, state, params) {
      const t = state.t + 1;
      const bc = 1 - beta ** t;
      const v: Float64Array[] = [];
      const delta: Float64Array[] = [];
      const updates = grads.map((g, i) => {
        const b = blocks[i];
        const gn = neuronNorms(g, b);
        const vi = state.v[i].map((x, r) => beta * x + (1 - beta) * gn[r] ** 2);
        v.push(vi);
        const step = lr * state.scale[i];
        const rowOf = (j: number) => (b.matrix ? Math.floor(j / b.cols) : j);
        let next: Float64Array = params[i].map((p, j) => {
          const normed = g[j] / Math.sqrt(vi[rowOf(j)] / bc);
          return p - step * (Number.isNaN(normed) ? 0 : normed);
        });
        delta.push(vi.map((x, r) => {
          const d = (step * gn[r]) / Math.sqrt(x / bc);
          return Number.isNaN(d) ? 0 : d;
        }));
        if (constraints && b.matrix) next = balanceRows(next, b.rows, b.cols);
        return next.map((x, j) => x - params[i][j]);
      });
      return { updates, state: { t, v, scale: state.scale, delta } };
    },
  };
}
