/**
 * A learned black-box optimizer in the style of Chen et al. (arXiv 1611.03824): a GRU reads
 * u_t = (x_{t−1}, y_{t−1}, 1{t = 1}) and proposes x_t = σ(vᵀh_t + c) ∈ [0, 1], y_t = f(x_t):
 *   z = σ(W_z u + U_z h + b_z),  r = σ(W_r u + U_r h + b_r),  n = tanh(W_n u + r ⊙ (U_n h) + b_n),
 *   h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}.
 * Meta-trained by tfjs reverse-mode autodiff (tf.variableGrads through the unrolled horizon, float32,
 * on whichever tfjs backend the engine runs) and Adam, on functions from the GP-like prior of
 * fourier-prior.ts (random Fourier features of length scale ℓ). The gradient of f reaches the next
 * input through y_t, as at meta-training time in the paper. The meta-loss is the mean best-so-far
 * value (1/T) Σ_t min_{i≤t} f(x_i) (see metaLossTf).
 *
 * The weights come back as float64 arrays: `gruRolloutF64` runs the same optimizer in float64 (the
 * f64 engine's evaluation of the weights tfjs trained), `gruRolloutsTf` in float32 tensors.
 */
import type { Tensor, Tensor2D, Variable } from '@tensorflow/tfjs';
import { tfjsEngine } from '../engine/index.ts';
import { isTfjs, type Engine, type TfjsEngine, type TfModule } from '../engine/types.ts';
import { normals, rng } from '../numerics/random.ts';
import { drawFourierFunction, fourierValue, FOURIER_FEATURES, type FourierFunction } from './fourier-prior.ts';

const INPUTS = 3;

/** Weights, row-major: W (3×3H), U (H×3H), b (3H), v (H), c (1); gate blocks ordered z, r, n. */
export interface GruOptimizer {
  readonly hidden: number;
  readonly W: Float64Array;
  readonly U: Float64Array;
  readonly b: Float64Array;
  readonly v: Float64Array;
  readonly c: Float64Array;
}

export function initGruOptimizer(hidden: number, seed: number): GruOptimizer {
  const r = rng(seed, 51);
  return {
    hidden,
    W: normals(r, INPUTS * 3 * hidden, 0.5),
    U: normals(r, hidden * 3 * hidden, 1 / Math.sqrt(hidden)),
    b: new Float64Array(3 * hidden),
    v: normals(r, hidden, 1 / Math.sqrt(hidden)),
    c: new Float64Array(1),
  };
}

const sig = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** One function, float64 arithmetic throughout: the proposals x_t and values y_t = f(x_t), t = 1..T. */
export function gruRolloutF64(o: GruOptimizer, f: FourierFunction, T: number): { xs: Float64Array; ys: Float64Array } {
  const H = o.hidden, G = 3 * H;
  let h = new Float64Array(H);
  const xs = new Float64Array(T), ys = new Float64Array(T);
  const gu = new Float64Array(G), gh = new Float64Array(G);
  let prevX = 0, prevY = 0;
  for (let t = 0; t < T; t++) {
    const u = [prevX, prevY, t === 0 ? 1 : 0];
    for (let j = 0; j < G; j++) {
      let s = o.b[j], q = 0;
      for (let i = 0; i < INPUTS; i++) s += u[i] * o.W[i * G + j];
      for (let i = 0; i < H; i++) q += h[i] * o.U[i * G + j];
      gu[j] = s;
      gh[j] = q;
    }
    const next = new Float64Array(H);
    let zOut = o.c[0];
    for (let i = 0; i < H; i++) {
      const z = sig(gu[i] + gh[i]);
      const r = sig(gu[H + i] + gh[H + i]);
      const n = Math.tanh(gu[2 * H + i] + r * gh[2 * H + i]);
      next[i] = n + z * (h[i] - n);
      zOut += o.v[i] * next[i];
    }
    h = next;
    xs[t] = sig(zOut);
    ys[t] = fourierValue(f, xs[t]);
    prevX = xs[t];
    prevY = ys[t];
  }
  return { xs, ys };
}

/** A batch of functions as [B, D] tensors. */
function fourierTensors(tf: TfModule, fs: readonly FourierFunction[]): { a: Tensor2D; omega: Tensor2D; beta: Tensor2D } {
  const B = fs.length, D = FOURIER_FEATURES;
  const pack = (key: 'a' | 'omega' | 'beta') => {
    const out = new Float32Array(B * D);
    fs.forEach((f, i) => out.set(f[key], i * D));
    return tf.tensor2d(out, [B, D]);
  };
  return { a: pack('a'), omega: pack('omega'), beta: pack('beta') };
}

interface GruTensors {
  readonly W: Tensor;
  readonly U: Tensor;
  readonly b: Tensor;
  readonly v: Tensor;
  readonly c: Tensor;
}

/** The unrolled rollout in tfjs ops: values y [B, T] (differentiable in the weights). */
function rolloutTf(tf: TfModule, w: GruTensors, H: number, fns: { a: Tensor2D; omega: Tensor2D; beta: Tensor2D }, T: number): Tensor2D {
  const B = fns.a.shape[0];
  const scale = Math.sqrt(2 / FOURIER_FEATURES);
  let h: Tensor = tf.zeros([B, H]);
  let x: Tensor = tf.zeros([B, 1]), y: Tensor = tf.zeros([B, 1]);
  const first = tf.ones([B, 1]), later = tf.zeros([B, 1]);
  const ys: Tensor[] = [];
  for (let t = 0; t < T; t++) {
    const u = tf.concat([x, y, t === 0 ? first : later], 1);
    const gu = tf.add(tf.matMul(u as Tensor2D, w.W as Tensor2D), w.b);
    const gh = tf.matMul(h as Tensor2D, w.U as Tensor2D);
    const [uz, ur, un] = tf.split(gu, 3, 1);
    const [hz, hr, hn] = tf.split(gh, 3, 1);
    const z = tf.sigmoid(tf.add(uz, hz));
    const r = tf.sigmoid(tf.add(ur, hr));
    const n = tf.tanh(tf.add(un, tf.mul(r, hn)));
    h = tf.add(n, tf.mul(z, tf.sub(h, n)));
    x = tf.sigmoid(tf.add(tf.matMul(h as Tensor2D, w.v as Tensor2D), w.c));
    y = tf.mul(tf.sum(tf.mul(fns.a, tf.cos(tf.add(tf.mul(fns.omega, x), fns.beta))), 1, true), scale);
    ys.push(y);
  }
  return tf.concat(ys, 1) as Tensor2D;
}

/** The meta-loss on a batch: mean over functions and t of the best-so-far value. */
function metaLossTf(tf: TfModule, ys: Tensor2D): Tensor {
  const T = ys.shape[1];
  const cols = tf.split(ys, T, 1);
  let best = cols[0], total = cols[0];
  for (let t = 1; t < T; t++) {
    best = tf.minimum(best, cols[t]);
    total = tf.add(total, best);
  }
  return tf.div(tf.mean(total), T);
}

function shapes(H: number): Record<keyof GruTensors, [number, number]> {
  return { W: [INPUTS, 3 * H], U: [H, 3 * H], b: [1, 3 * H], v: [H, 1], c: [1, 1] };
}

const KEYS = ['W', 'U', 'b', 'v', 'c'] as const;

function toTensors(tf: TfModule, o: GruOptimizer, make: (t: Tensor) => Tensor): GruTensors {
  const s = shapes(o.hidden);
  return Object.fromEntries(KEYS.map((k) => [k, make(tf.tensor2d(Float32Array.from(o[k]), s[k]))])) as unknown as GruTensors;
}

/**
 * ∂L/∂weights of the meta-loss on these functions, by tfjs autodiff (float32), with L itself.
 * Returned as float64 copies in the weights' layout; no tensor outlives the call.
 */
export function gruMetaGradientTf(engine: TfjsEngine, o: GruOptimizer, fs: readonly FourierFunction[], T: number): { loss: number; grads: GruOptimizer } {
  const { tf } = engine;
  const { value, grads } = tf.tidy(() => {
    const fns = fourierTensors(tf, fs);
    const w = toTensors(tf, o, (t) => t);
    return tf.valueAndGrads((...p: Tensor[]) => metaLossTf(tf, rolloutTf(tf, { W: p[0], U: p[1], b: p[2], v: p[3], c: p[4] }, o.hidden, fns, T)))(KEYS.map((k) => w[k]));
  });
  const loss = value.dataSync()[0];
  const out = { hidden: o.hidden, ...Object.fromEntries(KEYS.map((k, i) => [k, Float64Array.from(grads[i].dataSync())])) } as unknown as GruOptimizer;
  tf.dispose([value, ...grads]);
  return { loss, grads: out };
}

export interface GruMetaTraining {
  readonly hidden: number;
  readonly horizon: number;
  readonly lengthScale: number;
  readonly batch: number;
  readonly steps: number;
  readonly lr: number;
  readonly seed: number;
  /**
   * Independent meta-trainings (default 1), the one with the lowest float64 meta-loss on 64 fresh
   * functions from the training prior kept: BPTT through the best-so-far sometimes settles on a
   * poor strategy, and model selection on the training distribution is part of meta-training.
   */
  readonly restarts?: number;
}

/** Values of f at the proposals, float32 tensors on the engine: y [B][T] as float64 copies. */
export function gruRolloutsTf(engine: TfjsEngine, o: GruOptimizer, fs: readonly FourierFunction[], T: number): Float64Array[] {
  const { tf } = engine;
  const ys = tf.tidy(() => rolloutTf(tf, toTensors(tf, o, (t) => t), o.hidden, fourierTensors(tf, fs), T));
  const flat = ys.dataSync();
  ys.dispose();
  return fs.map((_, i) => Float64Array.from(flat.subarray(i * T, (i + 1) * T)));
}

/** Meta-train by Adam (tf.train.adam) on the batch meta-loss over freshly drawn functions each step (best of `restarts`). */
export function metaTrainGruTf(engine: TfjsEngine, s: GruMetaTraining): GruOptimizer {
  const restarts = s.restarts ?? 1;
  if (restarts === 1) return metaTrainOnce(engine, s);
  const r = rng(s.seed, 53);
  const validation = Array.from({ length: 64 }, () => drawFourierFunction(r, s.lengthScale));
  const candidates = Array.from({ length: restarts }, (_, k) => metaTrainOnce(engine, { ...s, seed: s.seed * restarts + k }));
  const losses = candidates.map((c) => gruMetaLossF64(c, validation, s.horizon));
  return candidates[losses.indexOf(Math.min(...losses))];
}

function metaTrainOnce(engine: TfjsEngine, s: GruMetaTraining): GruOptimizer {
  const { tf } = engine;
  const init = initGruOptimizer(s.hidden, s.seed);
  const vars = toTensors(tf, init, (t) => {
    const v = tf.variable(t);
    t.dispose();
    return v;
  }) as unknown as Record<keyof GruTensors, Variable>;
  const adam = tf.train.adam(s.lr);
  const r = rng(s.seed, 52);
  for (let k = 0; k < s.steps; k++) {
    const fs = Array.from({ length: s.batch }, () => drawFourierFunction(r, s.lengthScale));
    tf.tidy(() => {
      const fns = fourierTensors(tf, fs);
      adam.minimize(() => metaLossTf(tf, rolloutTf(tf, vars, s.hidden, fns, s.horizon)) as never, false, KEYS.map((k2) => vars[k2]));
    });
  }
  const out = { hidden: s.hidden, ...Object.fromEntries(KEYS.map((k) => [k, Float64Array.from(vars[k].dataSync())])) } as unknown as GruOptimizer;
  adam.dispose();
  for (const k of KEYS) vars[k].dispose();
  return out;
}

/** The meta-loss in float64: mean over the functions of (1/T) Σ_t min_{i≤t} f(x_i). */
export function gruMetaLossF64(o: GruOptimizer, fs: readonly FourierFunction[], T: number): number {
  let total = 0;
  for (const f of fs) {
    let best = Infinity, s = 0;
    for (const y of gruRolloutF64(o, f, T).ys) {
      best = Math.min(best, y);
      s += best;
    }
    total += s / T;
  }
  return total / fs.length;
}

/** f(x) at given points, float32 tensors on the engine: xs[i] are the points for fs[i] (all of one length). */
export function fourierValuesTf(engine: TfjsEngine, fs: readonly FourierFunction[], xs: readonly Float64Array[]): Float64Array[] {
  const { tf } = engine;
  const T = xs[0]?.length ?? 0;
  if (T === 0) return fs.map(() => new Float64Array(0));
  const flatX = new Float32Array(fs.length * T);
  xs.forEach((x, i) => flatX.set(x, i * T));
  const values = tf.tidy(() => {
    const { a, omega, beta } = fourierTensors(tf, fs);
    const X = tf.tensor3d(flatX, [fs.length, T, 1]);
    const phase = tf.add(tf.mul(X, tf.expandDims(omega, 1)), tf.expandDims(beta, 1));
    return tf.mul(tf.sum(tf.mul(tf.cos(phase), tf.expandDims(a, 1)), 2), Math.sqrt(2 / FOURIER_FEATURES));
  });
  const flat = values.dataSync();
  values.dispose();
  return fs.map((_, i) => Float64Array.from(flat.subarray(i * T, (i + 1) * T)));
}

/**
 * Meta-trained weights, kept per process: the tfjs engine meta-trains on its own backend; the f64
 * engine evaluates the weights a tfjs run in this process already trained for the same settings
 * (so a float32 verdict is re-judged in float64 on the very same optimizer), and otherwise
 * meta-trains them itself on tfjs (wasm, the default backend): there is no float64 autodiff.
 */
const trained = new Map<string, { readonly backend: string; readonly weights: GruOptimizer }>();

export async function metaTrainedGru(engine: Engine, s: GruMetaTraining): Promise<{ weights: GruOptimizer; backend: string }> {
  const key = JSON.stringify(s);
  const known = trained.get(key);
  if (isTfjs(engine)) {
    if (known?.backend === engine.backend) return known;
    const weights = metaTrainGruTf(engine, s);
    trained.set(key, { backend: engine.backend, weights });
    return { weights, backend: engine.backend };
  }
  if (known) return known;
  const tfe = await tfjsEngine();
  const weights = metaTrainGruTf(tfe, s);
  trained.set(key, { backend: tfe.backend, weights });
  return { weights, backend: tfe.backend };
}
