/**
 * The two-layer ReLU network of Du, Zhai, Póczos & Singh (arXiv 1810.02054):
 *   f(W, a, x) = (1/√m) Σ_r a_r relu(w_rᵀx),  loss L(W, a) = ½ Σ_i (f(x_i) − y_i)²,
 * trained by full-batch gradient descent on the first layer W only (Theorem 4.1: a fixed), or on
 * both layers (Theorem 3.3), with the same step η for W and a.
 *
 * Traced per step k: the squared residual ‖y − u(k)‖², max_r ‖w_r(k) − w_r(0)‖ and
 * max_r |a_r(k) − a_r(0)| (zero when only W is trained).
 *
 * The paper's ReLU derivative is 1{z ≥ 0}; the tfjs engine's is 1{z > 0}. They differ only on
 * exact zeros, which Gaussian weights hit with probability 0.
 */
import type { Rank, Tensor2D, Variable } from '@tensorflow/tfjs';
import type { Engine, TfjsEngine } from '../engine/types.ts';
import { isTfjs } from '../engine/types.ts';
import type { Trace } from '../theorem/types.ts';
import { traceStepper, type StepValue } from './tfjs-series.ts';
import { instantiateKernel, instantiateKernel32, kernelModule, wasmKernelsEnabled, type WasmModule } from '../kernels/wasm.ts';

export interface TwoLayerRelu {
  readonly n: number;
  readonly d: number;
  readonly m: number;
  /** Inputs, n×d row-major. */
  readonly X: Float64Array;
  readonly y: Float64Array;
  /** First-layer weights at initialisation, m×d row-major (row r is w_r). */
  readonly W0: Float64Array;
  /** Output weights at initialisation (±1 in Du et al.); fixed unless both layers are trained. */
  readonly a: Float64Array;
}

export type TwoLayerSeries = 'residual2' | 'maxMove' | 'outputMove';
export const TWO_LAYER_SERIES: readonly TwoLayerSeries[] = ['residual2', 'maxMove', 'outputMove'];

/** Which layers gradient descent trains: `first` (W, Du et al. Theorem 4.1) or `both` (W and a, Theorem 3.3). */
export type TrainedLayers = 'first' | 'both';

export interface TwoLayerGdSettings {
  readonly eta: number;
  readonly steps: number;
  /** Default `first`. */
  readonly layers?: TrainedLayers;
  /**
   * Trace the weight movements (default true). False leaves those series NaN (not traced) and saves
   * their cost, for a check that reads only the residual (the residual's values are the same bits).
   */
  readonly moves?: boolean;
}

/** Network outputs u_i = f(W, a, x_i), float64. */
export function twoLayerOutputs(net: TwoLayerRelu, W: Float64Array = net.W0, a: Float64Array = net.a): Float64Array {
  const { n, d, m, X } = net;
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

export function twoLayerResidual2(net: TwoLayerRelu, W: Float64Array = net.W0, a: Float64Array = net.a): number {
  const u = twoLayerOutputs(net, W, a);
  let s = 0;
  for (let i = 0; i < net.n; i++) s += (u[i] - net.y[i]) ** 2;
  return s;
}

/**
 * Loss ½‖u − y‖² and its gradients in W (m×d) and a (m), float64, written plainly: the reference
 * the trainers are tested against (and that finite differences test in turn).
 */
export function twoLayerLossGrad(net: TwoLayerRelu, W: Float64Array, a: Float64Array = net.a): { loss: number; grad: Float64Array; gradA: Float64Array } {
  const { n, d, m, X, y } = net;
  const scale = 1 / Math.sqrt(m);
  const u = twoLayerOutputs(net, W, a);
  const grad = new Float64Array(m * d);
  const gradA = new Float64Array(m);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const res = u[i] - y[i];
    loss += 0.5 * res * res;
    for (let r = 0; r < m; r++) {
      let z = 0;
      for (let c = 0; c < d; c++) z += W[r * d + c] * X[i * d + c];
      if (z > 0) gradA[r] += scale * res * z;
      if (z < 0) continue;
      for (let c = 0; c < d; c++) grad[r * d + c] += scale * a[r] * res * X[i * d + c];
    }
  }
  return { loss, grad, gradA };
}

/** Gradient descent on the engine given; both engines return the same series. */
export async function twoLayerReluGD(engine: Engine, net: TwoLayerRelu, run: TwoLayerGdSettings): Promise<Trace<TwoLayerSeries>> {
  checkSettings(net, run);
  if (!isTfjs(engine)) return gdF64(net, run);
  return engine.twoLayerF32Kernel ? gdF32Kernel(net, run) : gdTfjs(engine, net, run);
}

function checkSettings(net: TwoLayerRelu, { eta, steps }: TwoLayerGdSettings): void {
  const { n, d, m } = net;
  if (!(Number.isInteger(steps) && steps >= 0)) throw new RangeError(`steps must be a non-negative integer, got ${steps}`);
  if (!Number.isFinite(eta)) throw new RangeError(`eta must be finite, got ${eta}`);
  if (net.X.length !== n * d || net.y.length !== n || net.W0.length !== m * d || net.a.length !== m)
    throw new RangeError(`two-layer net: expected X ${n}×${d}, y ${n}, W0 ${m}×${d}, a ${m}; got lengths ${net.X.length}, ${net.y.length}, ${net.W0.length}, ${net.a.length}`);
}

/** The float64 step, in TypeScript or in the wasm kernel (the same bits either way). */
export interface TwoLayerF64Step {
  /** Current weights (W m×d row-major, a). */
  readonly W: Float64Array;
  readonly a: Float64Array;
  /** Residuals u − y of the current weights, after `forward()`. */
  readonly res: Float64Array;
  /** Pre-activations and residuals of the current weights; returns ‖u − y‖². */
  forward(): number;
  /** One gradient step from the residuals of the last `forward()`. */
  update(eta: number): void;
  moves(): { maxMove: number; outputMove: number };
  /** Which implementation runs the loops. */
  readonly kernel: 'wasm' | 'js';
}

/** max_r ‖w_r − w_r(0)‖ and max_r |a_r − a_r(0)|. */
function movesOf(net: TwoLayerRelu, W: Float64Array, a: Float64Array): { maxMove: number; outputMove: number } {
  const { d, m, W0, a: a0 } = net;
  let move = 0;
  let outputMove = 0;
  for (let r = 0; r < m; r++) {
    let s = 0;
    for (let c = 0; c < d; c++) {
      const dw = W[r * d + c] - W0[r * d + c];
      s += dw * dw;
    }
    if (s > move) move = s;
    const da = Math.abs(a[r] - a0[r]);
    if (da > outputMove) outputMove = da;
  }
  return { maxMove: Math.sqrt(move), outputMove };
}

/**
 * The float64 step: the wasm kernel (src/kernels/two-layer-f64.c, SIMD128, 3–6× faster in bench/)
 * where it loads and is enabled, else the TypeScript loops. Both give the same bits.
 */
export function twoLayerF64Stepper(net: TwoLayerRelu, layers: TrainedLayers = 'first'): TwoLayerF64Step {
  const mod = wasmKernelsEnabled() ? kernelModule('two-layer-f64') : null;
  return mod ? new TwoLayerWasmF64Stepper(mod, net, layers) : new TwoLayerF64Stepper(net, layers);
}

interface TwoLayerKernel {
  forward(n: number, d: number, m: number, XT: number, W: number, a: number, y: number, Z: number, res: number, scale: number): number;
  update(n: number, d: number, m: number, X: number, W: number, a: number, Z: number, res: number, q: number, eta: number, scale: number, both: number): void;
}

/** The wasm kernel with its own memory holding X, Xᵀ, W, a, y, Z, the residuals and scratch. */
export class TwoLayerWasmF64Stepper implements TwoLayerF64Step {
  readonly kernel = 'wasm' as const;
  readonly W: Float64Array;
  readonly a: Float64Array;
  readonly res: Float64Array;
  private readonly k: TwoLayerKernel;
  private readonly at: number[];
  private readonly scale: number;

  constructor(
    mod: WasmModule,
    private readonly net: TwoLayerRelu,
    private readonly layers: TrainedLayers = 'first',
  ) {
    const { n, d, m } = net;
    // X, Xᵀ, W, a, y, Z, res, and 2n of scratch
    const inst = instantiateKernel<TwoLayerKernel>(mod, [n * d, d * n, m * d, m, n, m * n, n, 2 * n]);
    const [X, XT, W, a, y] = inst.arrays;
    X.set(net.X);
    for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) XT[c * n + i] = net.X[i * d + c];
    W.set(net.W0);
    a.set(net.a);
    y.set(net.y);
    this.W = W;
    this.a = a;
    this.res = inst.arrays[6];
    this.k = inst.exports;
    this.at = inst.offsets;
    this.scale = 1 / Math.sqrt(m);
  }

  forward(): number {
    const { n, d, m } = this.net;
    const [, XT, W, a, y, Z, res] = this.at;
    return this.k.forward(n, d, m, XT, W, a, y, Z, res, this.scale);
  }

  update(eta: number): void {
    const { n, d, m } = this.net;
    const [X, , W, a, , Z, res, q] = this.at;
    this.k.update(n, d, m, X, W, a, Z, res, q, eta, this.scale, this.layers === 'both' ? 1 : 0);
  }

  moves(): { maxMove: number; outputMove: number } {
    return movesOf(this.net, this.W, this.a);
  }
}

/**
 * The float64 step as one pass over the hidden units for the forward pass and one for the
 * backward pass, with no n×m temporaries beyond the pre-activations Z (stored unit-major, so each
 * pass reads it contiguously). X (n×d) and its transpose stay in L1; dot products run over 4
 * samples (forward) or 4 input coordinates (backward) at once so each weight is loaded once.
 */
export class TwoLayerF64Stepper implements TwoLayerF64Step {
  readonly kernel = 'js' as const;
  readonly W: Float64Array;
  readonly a: Float64Array;
  /** Residuals u − y of the current weights, after `forward()`. */
  readonly res: Float64Array;
  private readonly Z: Float64Array;
  private readonly XT: Float64Array;
  private readonly scale: number;

  constructor(
    private readonly net: TwoLayerRelu,
    private readonly layers: TrainedLayers = 'first',
  ) {
    const { n, d, m, X } = net;
    this.W = Float64Array.from(net.W0);
    this.a = Float64Array.from(net.a);
    this.res = new Float64Array(n);
    this.Z = new Float64Array(m * n);
    this.XT = new Float64Array(d * n);
    for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) this.XT[c * n + i] = X[i * d + c];
    this.scale = 1 / Math.sqrt(m);
  }

  /** Z = W Xᵀ (unit-major), residuals; returns ‖u − y‖². */
  forward(): number {
    const { n, d, m, X, y } = this.net;
    const { W, a, Z, res, scale } = this;
    res.fill(0);
    const n4 = n - (n % 4);
    for (let r = 0; r < m; r++) {
      const wo = r * d;
      const zo = r * n;
      const ar = a[r];
      let i = 0;
      for (; i < n4; i += 4) {
        let z0 = 0, z1 = 0, z2 = 0, z3 = 0;
        const x0 = i * d, x1 = x0 + d, x2 = x1 + d, x3 = x2 + d;
        for (let c = 0; c < d; c++) {
          const w = W[wo + c];
          z0 += w * X[x0 + c];
          z1 += w * X[x1 + c];
          z2 += w * X[x2 + c];
          z3 += w * X[x3 + c];
        }
        Z[zo + i] = z0;
        Z[zo + i + 1] = z1;
        Z[zo + i + 2] = z2;
        Z[zo + i + 3] = z3;
        if (z0 > 0) res[i] += ar * z0;
        if (z1 > 0) res[i + 1] += ar * z1;
        if (z2 > 0) res[i + 2] += ar * z2;
        if (z3 > 0) res[i + 3] += ar * z3;
      }
      for (; i < n; i++) {
        let z = 0;
        const xo = i * d;
        for (let c = 0; c < d; c++) z += W[wo + c] * X[xo + c];
        Z[zo + i] = z;
        if (z > 0) res[i] += ar * z;
      }
    }
    let r2 = 0;
    for (let i = 0; i < n; i++) {
      res[i] = res[i] * scale - y[i];
      r2 += res[i] * res[i];
    }
    return r2;
  }

  /** One gradient step from the residuals of the last `forward()`. */
  update(eta: number): void {
    const { n, d, m } = this.net;
    const { W, a, Z, res, XT, scale } = this;
    const both = this.layers === 'both';
    const coefMask = new Float64Array(n);
    const d4 = d - (d % 4);
    for (let r = 0; r < m; r++) {
      const zo = r * n;
      const wo = r * d;
      // ∂L/∂w_r = (1/√m) a_r Σ_i res_i 1{z_ir ≥ 0} x_i ;  ∂L/∂a_r = (1/√m) Σ_i res_i relu(z_ir).
      let ga = 0;
      for (let i = 0; i < n; i++) {
        const z = Z[zo + i];
        coefMask[i] = z >= 0 ? res[i] : 0;
        if (z > 0) ga += res[i] * z;
      }
      const coef = eta * scale * a[r];
      let c = 0;
      for (; c < d4; c += 4) {
        let g0 = 0, g1 = 0, g2 = 0, g3 = 0;
        const t0 = c * n, t1 = t0 + n, t2 = t1 + n, t3 = t2 + n;
        for (let i = 0; i < n; i++) {
          const q = coefMask[i];
          g0 += q * XT[t0 + i];
          g1 += q * XT[t1 + i];
          g2 += q * XT[t2 + i];
          g3 += q * XT[t3 + i];
        }
        W[wo + c] -= coef * g0;
        W[wo + c + 1] -= coef * g1;
        W[wo + c + 2] -= coef * g2;
        W[wo + c + 3] -= coef * g3;
      }
      for (; c < d; c++) {
        let g = 0;
        const t = c * n;
        for (let i = 0; i < n; i++) g += coefMask[i] * XT[t + i];
        W[wo + c] -= coef * g;
      }
      if (both) a[r] -= eta * scale * ga;
    }
  }

  moves(): { maxMove: number; outputMove: number } {
    return movesOf(this.net, this.W, this.a);
  }
}

function gdF64(net: TwoLayerRelu, { eta, steps, layers = 'first', moves = true }: TwoLayerGdSettings): Trace<TwoLayerSeries> {
  return gdStepper(twoLayerF64Stepper(net, layers), eta, steps, moves);
}

/** The float32 run in the fused wasm kernel (PROVABLY_F32_KERNEL=wasm; the tfjs engine otherwise runs TwoLayerTfjsStepper). */
function gdF32Kernel(net: TwoLayerRelu, { eta, steps, layers = 'first', moves = true }: TwoLayerGdSettings): Trace<TwoLayerSeries> {
  const mod = kernelModule('two-layer-f32');
  if (!mod) throw new Error('src/kernels/two-layer-f32.wasm could not be loaded');
  return gdStepper(new TwoLayerWasmF32Stepper(mod, net, layers), eta, steps, moves);
}

/** Trace a stepper: the series at steps 0..steps, stopping at the first non-finite residual. */
function gdStepper(stepper: Pick<TwoLayerF64Step, 'forward' | 'update' | 'moves'>, eta: number, steps: number, moves: boolean): Trace<TwoLayerSeries> {
  const residual2 = new Float64Array(steps + 1);
  const maxMove = new Float64Array(steps + 1);
  const outputMove = new Float64Array(steps + 1);
  const series = { residual2, maxMove, outputMove };
  for (let k = 0; ; k++) {
    const r2 = stepper.forward();
    const mv = moves ? stepper.moves() : { maxMove: NaN, outputMove: NaN };
    residual2[k] = r2;
    maxMove[k] = mv.maxMove;
    outputMove[k] = mv.outputMove;
    if (!Number.isFinite(r2)) return { series, steps: k, stopped: `non-finite residual at step ${k}` };
    if (k === steps) return { series, steps };
    stepper.update(eta);
  }
}

interface TwoLayerKernel32 {
  forward(n: number, d: number, m: number, XT: number, W: number, a: number, y: number, Z: number, res: number, scale: number): number;
  update(n: number, d: number, m: number, X: number, W: number, a: number, Z: number, res: number, q: number, eta: number, scale: number, both: number): void;
}

/**
 * The float32 step in the fused wasm kernel (src/kernels/two-layer-f32.c, SIMD128 f32x4): the
 * forward pass, residuals, gradient and update of TwoLayerTfjsStepper in two calls a step, with no
 * tensor dispatch. Float32 throughout like the tfjs step (‖u − y‖² is summed in float64 from the
 * float32 residuals), in its own summation order: it agrees with TensorFlow.js to float32
 * accuracy, not bit for bit (test/kernels.test.ts). Its arrays pad n and d to multiples of 4
 * with zeros that stay zero (see the C source).
 */
export class TwoLayerWasmF32Stepper {
  readonly kernel = 'wasm' as const;
  /** Residuals u − y of the current weights after `forward()` (n, float32). */
  readonly res: Float32Array;
  private readonly Wk: Float32Array;
  private readonly ak: Float32Array;
  /** Initial weights as float32 (what the movements are measured from). */
  private readonly W0: Float32Array;
  private readonly a0: Float32Array;
  private readonly k: TwoLayerKernel32;
  private readonly at: number[];
  private readonly scale: number;
  private readonly d4: number;

  constructor(
    mod: WasmModule,
    private readonly net: TwoLayerRelu,
    private readonly layers: TrainedLayers = 'first',
  ) {
    const { n, d, m } = net;
    const n4 = Math.ceil(n / 4) * 4;
    const d4 = Math.ceil(d / 4) * 4;
    // Xᵀ (d×n4), X (n×d4), W (m×d4), a, y (n4), Z (m×n4), res (n4), scratch (4·n4); fresh memory is zero.
    const inst = instantiateKernel32<TwoLayerKernel32>(mod, [d * n4, n * d4, m * d4, m, n4, m * n4, n4, 4 * n4]);
    const [XT, X, W, a, y] = inst.arrays;
    for (let i = 0; i < n; i++)
      for (let c = 0; c < d; c++) {
        XT[c * n4 + i] = net.X[i * d + c];
        X[i * d4 + c] = net.X[i * d + c];
      }
    for (let r = 0; r < m; r++) for (let c = 0; c < d; c++) W[r * d4 + c] = net.W0[r * d + c];
    a.set(net.a);
    y.set(net.y);
    this.Wk = W;
    this.ak = a;
    this.W0 = Float32Array.from(W);
    this.a0 = Float32Array.from(a);
    this.res = inst.arrays[6].subarray(0, n);
    this.k = inst.exports;
    this.at = inst.offsets;
    this.scale = Math.fround(1 / Math.sqrt(m));
    this.d4 = d4;
  }

  forward(): number {
    const { n, d, m } = this.net;
    const [XT, , W, a, y, Z, res] = this.at;
    return this.k.forward(n, d, m, XT, W, a, y, Z, res, this.scale);
  }

  update(eta: number): void {
    const { n, d, m } = this.net;
    const [, X, W, a, , Z, res, q] = this.at;
    this.k.update(n, d, m, X, W, a, Z, res, q, eta, this.scale, this.layers === 'both' ? 1 : 0);
  }

  /** Current weights (W m×d row-major, a) as float64 copies of the float32 values. */
  get W(): Float64Array {
    const { d, m } = this.net;
    const out = new Float64Array(m * d);
    for (let r = 0; r < m; r++) for (let c = 0; c < d; c++) out[r * d + c] = this.Wk[r * this.d4 + c];
    return out;
  }

  get a(): Float64Array {
    return Float64Array.from(this.ak);
  }

  /** Overwrite the current weights (W m×d row-major, a), rounded to float32; the movements stay measured from the initial ones. */
  setWeights(W: ArrayLike<number>, a: ArrayLike<number>): void {
    const { d, m } = this.net;
    for (let r = 0; r < m; r++) for (let c = 0; c < d; c++) this.Wk[r * this.d4 + c] = W[r * d + c];
    this.ak.set(a);
  }

  /** max_r ‖w_r − w_r(0)‖ and max_r |a_r − a_r(0)|, from the float32 weights, summed in float64. */
  moves(): { maxMove: number; outputMove: number } {
    const { d, m } = this.net;
    const { Wk, W0, ak, a0, d4 } = this;
    let move = 0;
    let outputMove = 0;
    for (let r = 0; r < m; r++) {
      let s = 0;
      for (let c = 0; c < d; c++) {
        const dw = Wk[r * d4 + c] - W0[r * d4 + c];
        s += dw * dw;
      }
      if (s > move) move = s;
      const da = Math.abs(ak[r] - a0[r]);
      if (da > outputMove) outputMove = da;
    }
    return { maxMove: Math.sqrt(move), outputMove };
  }
}

/**
 * The tfjs (float32) step with the hand-derived gradient, laid out for the wasm backend, whose
 * matMul (XNNPACK) packs its right-hand operand and caches the packing per tensor: a right
 * operand that is new every step is re-packed every step (measured: [1×16384]·[16384×64] took
 * 15–17 ms inside a step, against 1.2 ms for [64×16384]·[16384×1] with a fixed right operand),
 * and a transpose flag takes a slow path (4–20×). So every large operand here is a left operand:
 *   Hᵀ = relu(W Xᵀ)            (m×n; right operand Xᵀ fixed)
 *   r  = (Hᵀ)ᵀ (a/√m) − y      (one explicit n×m transpose: the one unavoidable copy)
 *   ∂L/∂W ⊙ η = (1{Hᵀ > 0} (ηX ⊙ r)) ⊙ (a/√m)   (m×d; right operand n×d)
 *   ∂L/∂a ⊙ η = η/√m · Hᵀ r    (m×1; right operand n×1)
 * W is kept in the textbook layout (m×d). When m is a multiple of 64, W and a get 8 extra rows of
 * zeros: transposing an m×n matrix whose m is a power of two runs 5–7× slower than at m + 8
 * (cache-set aliasing: 357 µs at 1024×64, 37 µs at 1032×64), and zero units are inert (their
 * pre-activations, outputs and gradients are exactly 0, so they never move and add only zeros).
 */
export class TwoLayerTfjsStepper {
  readonly W: Variable<Rank.R2>;
  /** Output weights as a column (m×1). */
  readonly a: Variable<Rank.R2>;
  private readonly XT: Tensor2D;
  private readonly Xeta: Tensor2D;
  private readonly y: Tensor2D;
  private readonly W0: Tensor2D;
  private readonly a0: Tensor2D;
  /** a/√m, precomputed when a is not trained. */
  private readonly aScaledFixed: Tensor2D | null;
  private readonly scale: number;
  /** Rows of W and a, including the inert zero rows (see above). */
  readonly rows: number;

  constructor(
    private readonly engine: TfjsEngine,
    private readonly net: TwoLayerRelu,
    private readonly eta: number,
    private readonly layers: TrainedLayers = 'first',
  ) {
    const { tf } = engine;
    const { n, d, m } = net;
    const XT = new Float32Array(d * n);
    for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) XT[c * n + i] = net.X[i * d + c];
    this.scale = 1 / Math.sqrt(m);
    this.rows = m % 64 === 0 ? m + 8 : m;
    const W0 = new Float32Array(this.rows * d);
    W0.set(net.W0);
    const a0 = new Float32Array(this.rows);
    a0.set(net.a);
    this.XT = tf.tensor2d(XT, [d, n]);
    this.Xeta = tf.tensor2d(Float32Array.from(net.X, (x) => eta * x), [n, d]);
    this.y = tf.tensor2d(Float32Array.from(net.y), [n, 1]);
    this.W0 = tf.tensor2d(W0, [this.rows, d]);
    this.a0 = tf.tensor2d(a0, [this.rows, 1]);
    this.W = tf.tidy(() => tf.variable(this.W0.clone(), true));
    this.a = tf.tidy(() => tf.variable(this.a0.clone(), layers === 'both'));
    this.aScaledFixed = layers === 'both' ? null : (tf.mul(this.a0, this.scale) as Tensor2D);
  }

  /**
   * The series of the current weights, [‖u − y‖², max_r ‖w_r − w_r(0)‖, max_r |a_r − a_r(0)|]
   * (the movements only when `moves`), then, when `update`, one gradient step.
   */
  step(update: boolean, moves = true): StepValue[] {
    const { tf } = this.engine;
    const { scale } = this;
    const both = this.layers === 'both';
    return tf.tidy(() => {
      const HT = tf.fused.matMul({ a: this.W, b: this.XT, activation: 'relu' }); // m×n
      const aS = this.aScaledFixed ?? (tf.mul(this.a, scale) as Tensor2D); // m×1
      const r = tf.sub(tf.matMul(tf.transpose(HT) as Tensor2D, aS), this.y) as Tensor2D; // n×1
      const r2 = tf.sum(tf.square(r));
      const maxMove = moves ? tf.sqrt(tf.max(tf.sum(tf.squaredDifference(this.W, this.W0), 1))) : NaN;
      const outputMove = !moves ? NaN : both ? tf.max(tf.abs(tf.sub(this.a, this.a0))) : 0;
      if (update) {
        const stepW = tf.mul(tf.matMul(tf.step(HT) as Tensor2D, tf.mul(this.Xeta, r) as Tensor2D), aS); // m×d
        if (both) this.a.assign(tf.sub(this.a, tf.mul(tf.matMul(HT, r), this.eta * scale)));
        this.W.assign(tf.sub(this.W, stepW));
      }
      return [r2, maxMove, outputMove];
    });
  }

  /** Current weights (W m×d row-major, a), as float64 copies, without the zero rows. */
  weights(): { W: Float64Array; a: Float64Array } {
    const { d, m } = this.net;
    return { W: Float64Array.from(this.W.dataSync().subarray(0, m * d)), a: Float64Array.from(this.a.dataSync().subarray(0, m)) };
  }

  dispose(): void {
    this.engine.tf.dispose([this.XT, this.Xeta, this.y, this.W0, this.a0, this.W, this.a, ...(this.aScaledFixed ? [this.aScaledFixed] : [])]);
  }
}

async function gdTfjs(engine: TfjsEngine, net: TwoLayerRelu, { eta, steps, layers = 'first', moves = true }: TwoLayerGdSettings): Promise<Trace<TwoLayerSeries>> {
  return traceStepper(engine.tf, new TwoLayerTfjsStepper(engine, net, eta, layers), TWO_LAYER_SERIES, steps, 'residual2', 'residual', moves);
}
