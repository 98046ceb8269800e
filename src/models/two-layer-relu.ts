/**
 * The two-layer ReLU network of Du, Zhai, Póczos & Singh (arXiv 1810.02054):
 *   f(W, a, x) = (1/√m) Σ_r a_r relu(w_rᵀx),  loss L(W) = ½ Σ_i (f(x_i) − y_i)²,
 * with the output layer a fixed and gradient descent on W.
 *
 * Traced per step k: the squared residual ‖y − u(k)‖² and max_r ‖w_r(k) − w_r(0)‖.
 * The paper's ReLU derivative is 1{z ≥ 0}; tfjs's `step` is 1{z > 0}. They differ only on exact
 * zeros, which Gaussian weights hit with probability 0.
 */
import type { Engine, TfjsEngine } from '../engine/types.ts';
import { isTfjs } from '../engine/types.ts';
import type { Trace } from '../spec/types.ts';

export interface TwoLayerRelu {
  readonly n: number;
  readonly d: number;
  readonly m: number;
  /** Inputs, n×d row-major. */
  readonly X: Float64Array;
  readonly y: Float64Array;
  /** First-layer weights at initialisation, m×d row-major (row r is w_r). */
  readonly W0: Float64Array;
  /** Output weights, fixed, ±1. */
  readonly a: Float64Array;
}

export type TwoLayerSeries = 'residual2' | 'maxMove';

/** Network outputs u_i = f(W, a, x_i), float64. */
export function twoLayerOutputs(net: TwoLayerRelu, W: Float64Array = net.W0): Float64Array {
  const { n, d, m, X, a } = net;
  const u = new Float64Array(n);
  const scale = 1 / Math.sqrt(m);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let r = 0; r < m; r++) {
      let z = 0;
      for (let k = 0; k < d; k++) z += W[r * d + k] * X[i * d + k];
      if (z > 0) s += a[r] * z;
    }
    u[i] = s * scale;
  }
  return u;
}

export function twoLayerResidual2(net: TwoLayerRelu, W: Float64Array = net.W0): number {
  const u = twoLayerOutputs(net, W);
  let s = 0;
  for (let i = 0; i < net.n; i++) s += (u[i] - net.y[i]) ** 2;
  return s;
}

/**
 * Loss ½‖u − y‖² and its gradient in W (m×d), float64: the reference the trainers are tested
 * against (and that finite differences test in turn).
 */
export function twoLayerLossGrad(net: TwoLayerRelu, W: Float64Array): { loss: number; grad: Float64Array } {
  const { n, d, m, X, y, a } = net;
  const scale = 1 / Math.sqrt(m);
  const u = twoLayerOutputs(net, W);
  const grad = new Float64Array(m * d);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const res = u[i] - y[i];
    loss += 0.5 * res * res;
    for (let r = 0; r < m; r++) {
      let z = 0;
      for (let c = 0; c < d; c++) z += W[r * d + c] * X[i * d + c];
      if (z < 0) continue;
      for (let c = 0; c < d; c++) grad[r * d + c] += scale * a[r] * res * X[i * d + c];
    }
  }
  return { loss, grad };
}

export interface TwoLayerGdSettings {
  readonly eta: number;
  readonly steps: number;
}

export async function twoLayerReluGD(engine: Engine, net: TwoLayerRelu, run: TwoLayerGdSettings): Promise<Trace<TwoLayerSeries>> {
  return isTfjs(engine) ? gdTfjs(engine, net, run) : gdF64(net, run);
}

function gdF64(net: TwoLayerRelu, { eta, steps }: TwoLayerGdSettings): Trace<TwoLayerSeries> {
  const { n, d, m, X, y, W0, a } = net;
  const scale = 1 / Math.sqrt(m);
  const W = Float64Array.from(W0);
  const Z = new Float64Array(n * m);
  const res = new Float64Array(n);
  const residual2 = new Float64Array(steps + 1);
  const maxMove = new Float64Array(steps + 1);
  for (let k = 0; ; k++) {
    // Forward: Z = X Wᵀ, u = (1/√m) relu(Z) a.
    let r2 = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let r = 0; r < m; r++) {
        let z = 0;
        for (let c = 0; c < d; c++) z += W[r * d + c] * X[i * d + c];
        Z[i * m + r] = z;
        if (z > 0) s += a[r] * z;
      }
      res[i] = s * scale - y[i];
      r2 += res[i] * res[i];
    }
    let move = 0;
    for (let r = 0; r < m; r++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += (W[r * d + c] - W0[r * d + c]) ** 2;
      move = Math.max(move, s);
    }
    residual2[k] = r2;
    maxMove[k] = Math.sqrt(move);
    if (!Number.isFinite(r2)) return { series: { residual2, maxMove }, steps: k, stopped: `non-finite residual at step ${k}` };
    if (k === steps) return { series: { residual2, maxMove }, steps };
    // Backward: ∂L/∂w_r = (1/√m) a_r Σ_i res_i 1{z_ir ≥ 0} x_i.
    for (let r = 0; r < m; r++) {
      const coef = eta * scale * a[r];
      for (let i = 0; i < n; i++) {
        if (Z[i * m + r] < 0) continue;
        const g = coef * res[i];
        for (let c = 0; c < d; c++) W[r * d + c] -= g * X[i * d + c];
      }
    }
  }
}

/**
 * tfjs version with the hand-derived gradient and W kept transposed (d×m), so that no matMul
 * needs a transpose flag (4–20× slower on the wasm backend).
 */
async function gdTfjs(engine: TfjsEngine, net: TwoLayerRelu, { eta, steps }: TwoLayerGdSettings): Promise<Trace<TwoLayerSeries>> {
  const { tf } = engine;
  const { n, d, m } = net;
  const scale = 1 / Math.sqrt(m);
  const WT0arr = new Float64Array(d * m);
  for (let r = 0; r < m; r++) for (let c = 0; c < d; c++) WT0arr[c * m + r] = net.W0[r * d + c];
  const XTarr = new Float64Array(d * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) XTarr[c * n + i] = net.X[i * d + c];
  const X = tf.tensor2d(Float32Array.from(net.X), [n, d]);
  const XT = tf.tensor2d(Float32Array.from(XTarr), [d, n]);
  const y = tf.tensor2d(Float32Array.from(net.y), [n, 1]);
  const aCol = tf.tensor2d(Float32Array.from(net.a), [m, 1]);
  const aRow = tf.tensor2d(Float32Array.from(net.a), [1, m]);
  const WT0 = tf.tensor2d(Float32Array.from(WT0arr), [d, m]);
  const WT = tf.tidy(() => tf.variable(WT0.clone())); // tidy disposes the clone, the variable stays
  const residual2 = new Float64Array(steps + 1);
  const maxMove = new Float64Array(steps + 1);
  try {
    for (let k = 0; ; k++) {
      const [r2, mv] = tf.tidy(() => {
        const Z = tf.matMul(X, WT);
        const M = tf.step(Z);
        const r = tf.sub(tf.mul(tf.matMul(tf.mul(Z, M), aCol), scale), y);
        const move = tf.sqrt(tf.max(tf.sum(tf.square(tf.sub(WT, WT0)), 0)));
        if (k < steps) {
          const G = tf.mul(tf.mul(r, aRow), tf.mul(M, scale));
          WT.assign(tf.sub(WT, tf.mul(tf.matMul(XT, G), eta)));
        }
        return [tf.sum(tf.square(r)), move];
      });
      residual2[k] = r2.dataSync()[0];
      maxMove[k] = mv.dataSync()[0];
      r2.dispose();
      mv.dispose();
      if (!Number.isFinite(residual2[k])) return { series: { residual2, maxMove }, steps: k, stopped: `non-finite residual at step ${k}` };
      if (k === steps) return { series: { residual2, maxMove }, steps };
    }
  } finally {
    tf.dispose([X, XT, y, aCol, aRow, WT0, WT]);
  }
}
