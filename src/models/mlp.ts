/**
 * Fully connected networks, float64, with hand-written backpropagation (checked against finite
 * differences in test/models.test.ts):
 *
 *   f(x; w) = W_L ∘ (φ ∘ W_{L−1}) ∘ ... ∘ (φ ∘ W_1 x)       (+ biases b_k when present)
 *
 * W_k is d_k × d_{k−1}, row-major (row r is neuron r of layer k). Without biases and with φ = relu
 * this is the network of Automatic Gradient Descent (Bernstein et al., arXiv 2304.05187, Def. 1).
 * The activations a broken regime needs are here too: softplus (φ(0) ≠ 0) and 2·relu (2-Lipschitz).
 *
 * Square loss over a dataset S, with an output normalisation c:
 *   ℓ(w) = (1/|S|) Σ ‖f(x) − y‖² / (2c),  c = d_L for AGD, c = 1 for the plain mean of ½‖f − y‖².
 */
import { rng, normals, orthogonal } from '../numerics/random.ts';

export type Activation = 'relu' | 'relu2' | 'softplus' | 'tanh';

export interface Mlp {
  /** [d_0, d_1, ..., d_L]. */
  readonly dims: readonly number[];
  readonly W: readonly Float64Array[];
  /** One bias vector per layer, or none. */
  readonly b?: readonly Float64Array[];
  readonly act: Activation;
}

export interface Dataset {
  readonly n: number;
  /** n × d_0, row-major. */
  readonly X: Float64Array;
  /** n × d_L, row-major. */
  readonly Y: Float64Array;
}

export function activate(act: Activation, z: number): number {
  switch (act) {
    case 'relu':
      return z > 0 ? z : 0;
    case 'relu2':
      return z > 0 ? 2 * z : 0;
    case 'softplus':
      return z > 30 ? z : Math.log1p(Math.exp(z));
    case 'tanh':
      return Math.tanh(z);
  }
}

export function activateDerivative(act: Activation, z: number): number {
  switch (act) {
    case 'relu':
      return z > 0 ? 1 : 0;
    case 'relu2':
      return z > 0 ? 2 : 0;
    case 'softplus':
      return 1 / (1 + Math.exp(-z));
    case 'tanh':
      return 1 - Math.tanh(z) ** 2;
  }
}

/** The input to each layer (h_0 = x, h_k = φ(z_k)) and the pre-activations z_k, for one input. */
export interface ForwardPass {
  readonly h: Float64Array[];
  readonly z: Float64Array[];
  readonly out: Float64Array;
}

export function forward(net: Mlp, x: ArrayLike<number>): ForwardPass {
  const L = net.dims.length - 1;
  const h: Float64Array[] = [Float64Array.from(x)];
  const z: Float64Array[] = [];
  for (let k = 0; k < L; k++) {
    const rows = net.dims[k + 1];
    const cols = net.dims[k];
    const W = net.W[k];
    const zk = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let s = net.b ? net.b[k][r] : 0;
      for (let c = 0; c < cols; c++) s += W[r * cols + c] * h[k][c];
      zk[r] = s;
    }
    z.push(zk);
    h.push(k < L - 1 ? zk.map((v) => activate(net.act, v)) : zk);
  }
  return { h, z, out: h[L] };
}

export function output(net: Mlp, x: ArrayLike<number>): Float64Array {
  return forward(net, x).out;
}

export interface LossGrad {
  readonly loss: number;
  readonly gW: Float64Array[];
  readonly gb?: Float64Array[];
}

/**
 * ℓ(w) and its gradient in every W_k (and b_k). The arithmetic of `forward` plus backpropagation,
 * operation for operation (so the same bits), but into buffers allocated once per call and with
 * tanh's derivative read from the stored activation (1 − h², h = tanh z): small networks trained
 * for many steps spend their time here.
 */
export function lossGrad(net: Mlp, data: Dataset, outputScale: number): LossGrad {
  const { dims, act } = net;
  const L = dims.length - 1;
  const d0 = dims[0];
  const dL = dims[L];
  const gW = net.W.map((W) => new Float64Array(W.length));
  const gb = net.b ? net.b.map((b) => new Float64Array(b.length)) : undefined;
  // h[k]: the input to layer k (h[0] = x, h[L] = the output); z[k]: layer k's pre-activation; delta[k]: ∂ℓ_i/∂z[k].
  const h = dims.map((w) => new Float64Array(w));
  const z = dims.slice(1).map((w) => new Float64Array(w));
  const delta = dims.slice(1).map((w) => new Float64Array(w));
  const tanh = act === 'tanh';
  let loss = 0;
  const coef = 1 / (data.n * outputScale);
  for (let i = 0; i < data.n; i++) {
    h[0].set(data.X.subarray(i * d0, (i + 1) * d0));
    for (let k = 0; k < L; k++) {
      const rows = dims[k + 1];
      const cols = dims[k];
      const W = net.W[k];
      const hin = h[k];
      const zk = z[k];
      const bk = net.b ? net.b[k] : undefined;
      for (let r = 0; r < rows; r++) {
        let s = bk ? bk[r] : 0;
        const o = r * cols;
        for (let c = 0; c < cols; c++) s += W[o + c] * hin[c];
        zk[r] = s;
      }
      const hout = h[k + 1];
      if (k === L - 1) hout.set(zk);
      else for (let r = 0; r < rows; r++) hout[r] = tanh ? Math.tanh(zk[r]) : activate(act, zk[r]);
    }
    const out = h[L];
    const dOut = delta[L - 1];
    for (let o = 0; o < dL; o++) {
      const r = out[o] - data.Y[i * dL + o];
      loss += (r * r * coef) / 2;
      dOut[o] = r * coef;
    }
    for (let k = L - 1; k >= 0; k--) {
      const rows = dims[k + 1];
      const cols = dims[k];
      const W = net.W[k];
      const g = gW[k];
      const hin = h[k];
      const dk = delta[k];
      const gbk = gb ? gb[k] : undefined;
      for (let r = 0; r < rows; r++) {
        const dr = dk[r];
        if (gbk) gbk[r] += dr;
        if (dr === 0) continue;
        const o = r * cols;
        for (let c = 0; c < cols; c++) g[o + c] += dr * hin[c];
      }
      if (k === 0) break;
      const next = delta[k - 1];
      const zPrev = z[k - 1];
      for (let c = 0; c < cols; c++) {
        let s = 0;
        for (let r = 0; r < rows; r++) s += W[r * cols + c] * dk[r];
        next[c] = s * (tanh ? 1 - hin[c] ** 2 : activateDerivative(act, zPrev[c]));
      }
    }
  }
  return { loss, gW, ...(gb ? { gb } : {}) };
}

export function loss(net: Mlp, data: Dataset, outputScale: number): number {
  const L = net.dims.length - 1;
  const d0 = net.dims[0];
  const dL = net.dims[L];
  let s = 0;
  for (let i = 0; i < data.n; i++) {
    const out = output(net, data.X.subarray(i * d0, (i + 1) * d0));
    for (let o = 0; o < dL; o++) s += (out[o] - data.Y[i * dL + o]) ** 2;
  }
  return s / (2 * data.n * outputScale);
}

/**
 * AGD's initialisation: W_k a uniformly random semi-orthogonal d_k × d_{k−1} matrix times
 * √(d_k/d_{k−1}), so that ‖W_k‖_* = √(d_k/d_{k−1}) (Prescription 1).
 */
export function semiOrthogonalInit(dims: readonly number[], seed: number): Float64Array[] {
  return dims.slice(1).map((rows, k) => {
    const cols = dims[k];
    const D = Math.max(rows, cols);
    const Q = orthogonal(rng(seed, 100 + k), D);
    const W = new Float64Array(rows * cols);
    const s = Math.sqrt(rows / cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) W[r * cols + c] = s * Q[r * D + c];
    return W;
  });
}

/** Gaussian initialisation with variance scale²/d_{k−1}. */
export function gaussianInit(dims: readonly number[], seed: number, scale = 1): Float64Array[] {
  return dims.slice(1).map((rows, k) => normals(rng(seed, 200 + k), rows * dims[k], scale / Math.sqrt(dims[k])));
}
