/**
 * Automatic gradient descent trained on a bias-free ReLU network with AGD's square loss
 * ℓ = (1/|S|) Σ ‖f(x) − y‖²/(2d_L), on either engine:
 *   f64   hand-written backpropagation (models/mlp.ts) and the AGD transformation (optim/agd.ts);
 *   tfjs  TensorFlow.js (float32), the gradient by tfjs autodiff, the same update on the device.
 * Traced per step t: ℓ(w_t), the gradient summary G_t of the step taken from w_t, and the exponential
 * majorant of ℓ(w_{t+1}) built at w_t (its spectral norms in float64 from the step's gradients).
 */
import type { Scalar, Tensor } from '@tensorflow/tfjs';
import type { Engine, TfjsEngine } from '../engine/types.ts';
import { isTfjs } from '../engine/types.ts';
import { spectralNorm, frobeniusNorm } from '../numerics/spectral.ts';
import { agd, agdStepSize, gradientSummary } from '../optim/agd.ts';
import { applyUpdates } from '../optim/transform.ts';
import { lossGrad, type Dataset, type Mlp } from './mlp.ts';

export interface AgdProblem {
  readonly dims: readonly number[];
  readonly data: Dataset;
  readonly W0: readonly Float64Array[];
  readonly gain?: number;
}

export interface AgdTrace {
  /** ℓ(w_t), t = 0 … steps. */
  readonly loss: Float64Array;
  /** G_t and the majorant of ℓ(w_{t+1}) built at w_t, t = 0 … steps − 1 (NaN at t = steps). */
  readonly G: Float64Array;
  readonly majorant: Float64Array;
  readonly steps: number;
  readonly stopped?: string;
}

/**
 * The majorant of the exponential majorisation lemma for AGD's step from gradients g:
 * ℓ + (η/L) Σ_k √(d_k/d_{k−1}) tr(ΔW_kᵀ∇_k)/‖ΔW_k‖_* + ½(e^η − 1)², with ΔW_k ∝ −∇_k, so that
 * tr(ΔW_kᵀ∇_k)/‖ΔW_k‖_* = −‖∇_k‖_F²/‖∇_k‖_*.
 */
export function agdMajorant(dims: readonly number[], loss: number, grads: readonly Float64Array[], gain = 1): number {
  const L = dims.length - 1;
  const eta = gain * agdStepSize(gradientSummary(dims, grads));
  let linear = 0;
  grads.forEach((g, k) => {
    const op = spectralNorm(g, dims[k + 1], dims[k]);
    if (op > 0) linear -= (Math.sqrt(dims[k + 1] / dims[k]) * frobeniusNorm(g) ** 2) / op;
  });
  return loss + (eta / L) * linear + 0.5 * (Math.exp(eta) - 1) ** 2;
}

export async function trainAgd(engine: Engine, p: AgdProblem, steps: number): Promise<AgdTrace> {
  return isTfjs(engine) ? trainTfjs(engine, p, steps) : trainF64(p, steps);
}

function trainF64(p: AgdProblem, steps: number): AgdTrace {
  const dL = p.dims[p.dims.length - 1];
  const loss = new Float64Array(steps + 1);
  const G = new Float64Array(steps + 1).fill(NaN);
  const majorant = new Float64Array(steps + 1).fill(NaN);
  const opt = agd(p.dims, p.gain ?? 1);
  let W: Float64Array[] = p.W0.map((w) => Float64Array.from(w));
  let state = opt.init(W);
  for (let t = 0; ; t++) {
    const net: Mlp = { dims: p.dims, W, act: 'relu' };
    const { loss: l, gW } = lossGrad(net, p.data, dL);
    loss[t] = l;
    if (!Number.isFinite(l)) return { loss, G, majorant, steps: t, stopped: `non-finite loss at step ${t}` };
    if (t === steps) return { loss, G, majorant, steps };
    const r = opt.update(gW, state, W);
    state = r.state;
    G[t] = state.G;
    majorant[t] = agdMajorant(p.dims, l, gW, p.gain ?? 1);
    W = applyUpdates(W, r.updates);
  }
}

async function trainTfjs(engine: TfjsEngine, p: AgdProblem, steps: number): Promise<AgdTrace> {
  const { tf } = engine;
  const L = p.dims.length - 1;
  const d0 = p.dims[0];
  const dL = p.dims[L];
  const loss = new Float64Array(steps + 1);
  const G = new Float64Array(steps + 1).fill(NaN);
  const majorant = new Float64Array(steps + 1).fill(NaN);
  const X = tf.tensor2d(Float32Array.from(p.data.X), [p.data.n, d0]);
  const Y = tf.tensor2d(Float32Array.from(p.data.Y), [p.data.n, dL]);
  // tidy disposes the initial tensors; the variables keep their data.
  const W = p.W0.map((w, k) => tf.tidy(() => tf.variable(tf.tensor2d(Float32Array.from(w), [p.dims[k + 1], p.dims[k]]))));
  const objective = () =>
    tf.tidy(() => {
      let h: ReturnType<typeof tf.matMul> = X;
      W.forEach((w, k) => {
        h = tf.matMul(h, w, false, true);
        if (k < L - 1) h = tf.relu(h);
      });
      return tf.div(tf.sum(tf.square(tf.sub(h, Y))), 2 * dL * p.data.n) as ReturnType<typeof tf.scalar>;
    });
  try {
    for (let t = 0; ; t++) {
      const { value, grads } = tf.variableGrads(objective, W);
      const l = value.dataSync()[0];
      const gW = W.map((w) => Float64Array.from(grads[w.name].dataSync()));
      value.dispose();
      tf.dispose(Object.values(grads));
      loss[t] = l;
      if (!Number.isFinite(l)) return { loss, G, majorant, steps: t, stopped: `non-finite loss at step ${t}` };
      if (t === steps) return { loss, G, majorant, steps };
      G[t] = gradientSummary(p.dims, gW);
      majorant[t] = agdMajorant(p.dims, l, gW, p.gain ?? 1);
      const eta = agdStepSize(G[t]);
      // ΔW_k = −gain·(η/L)·√(d_k/d_{k−1})·∇_k/‖∇_k‖_F, on the device.
      W.forEach((w, k) => {
        const norm = frobeniusNorm(gW[k]);
        if (norm === 0) return;
        const c = ((p.gain ?? 1) * (eta / L) * Math.sqrt(p.dims[k + 1] / p.dims[k])) / norm;
        tf.tidy(() => w.assign(tf.sub(w, tf.mul(tf.tensor2d(Float32Array.from(gW[k]), w.shape as [number, number]), c))));
      });
    }
  } finally {
    tf.dispose([X, Y, ...W]);
  }
}

/** ℓ and ∇ℓ by tfjs autodiff at the given weights, float32 (for cross-checking the hand-written gradient). */
export function lossGradTfjs(engine: TfjsEngine, dims: readonly number[], data: Dataset, W0: readonly Float64Array[]): { loss: number; gW: Float64Array[] } {
  const { tf } = engine;
  const L = dims.length - 1;
  const dL = dims[L];
  // tidy returns tensors only (a typed array returned from tidy is walked element by element).
  const [value, ...grads] = tf.tidy(() => {
    const X = tf.tensor2d(Float32Array.from(data.X), [data.n, dims[0]]);
    const Y = tf.tensor2d(Float32Array.from(data.Y), [data.n, dL]);
    const Ws = W0.map((w, k) => tf.tensor2d(Float32Array.from(w), [dims[k + 1], dims[k]]));
    const f = (...ws: Tensor[]): Scalar => {
      let h: Tensor = X;
      ws.forEach((w, k) => {
        h = tf.matMul(h, w, false, true);
        if (k < L - 1) h = tf.relu(h);
      });
      return tf.div(tf.sum(tf.square(tf.sub(h, Y))), 2 * dL * data.n) as Scalar;
    };
    const r = tf.valueAndGrads(f)(Ws);
    return [r.value, ...r.grads];
  });
  const out = { loss: value.dataSync()[0], gW: grads.map((g) => Float64Array.from(g.dataSync())) };
  tf.dispose([value, ...grads]);
  return out;
}
