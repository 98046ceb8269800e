/**
 * The deep fully connected network of Du, Lee, Li, Wang & Zhai (arXiv 1811.03804, §5), in the
 * NTK parameterisation:
 *   x⁽⁰⁾ = x,  x⁽ʰ⁾ = √(c_σ/m) σ(W⁽ʰ⁾ x⁽ʰ⁻¹⁾) for h = 1..H,  f(θ, x) = aᵀ x⁽ᴴ⁾,
 * with W⁽¹⁾ ∈ ℝ^{m×d}, W⁽ʰ⁾ ∈ ℝ^{m×m}, a ∈ ℝ^m, every entry N(0, 1) at initialisation, and
 * c_σ = 1/E_{z∼N(0,1)}[σ(z)²] so that ‖x⁽ʰ⁾‖ ≈ ‖x‖ at initialisation. Every layer, a included,
 * is trained by full-batch gradient descent on L(θ) = ½ Σ_i (f(θ, x_i) − y_i)².
 *
 * The definition follows the project's research notes (shared/research/theorems-A.md §5, where it
 * is marked as recalled, not yet checked against the paper's text); a theorem encoding it should
 * check it against the paper and set its fidelity accordingly.
 *
 * Activations: erf, softplus, tanh (analytic, as the paper's Theorem 5.1 needs) and relu (which
 * the theorem excludes; here for comparison). relu's derivative is 1{z ≥ 0} in float64 and
 * 1{z > 0} in tfjs: they differ only on exact zeros.
 *
 * Traced per step k: ‖y − u(k)‖², max_h ‖W⁽ʰ⁾(k) − W⁽ʰ⁾(0)‖_F and ‖a(k) − a(0)‖₂ (how far
 * training moves the weights from their initialisation).
 */
import type { Rank, Tensor, Tensor2D, Variable } from '@tensorflow/tfjs';
import type { Engine, TfjsEngine } from '../engine/types.ts';
import { isTfjs } from '../engine/types.ts';
import { erf, gaussianExpectation } from '../numerics/special.ts';
import { normals, rng } from '../numerics/random.ts';
import type { Trace } from '../theorem/types.ts';
import { traceStepper, type StepValue } from './tfjs-series.ts';

export type Activation = 'erf' | 'softplus' | 'tanh' | 'relu';
export const ACTIVATIONS: readonly Activation[] = ['erf', 'softplus', 'tanh', 'relu'];

export interface DeepFc {
  readonly n: number;
  readonly d: number;
  /** Width of every hidden layer. */
  readonly m: number;
  /** Number of hidden layers H ≥ 1 (H = 1 is a two-layer network with both layers trained). */
  readonly depth: number;
  readonly activation: Activation;
  /** Inputs, n×d row-major. */
  readonly X: Float64Array;
  readonly y: Float64Array;
  /** Weights at initialisation: W0[0] is m×d, W0[h] (h ≥ 1) m×m, row-major (row r: unit r's incoming weights). */
  readonly W0: readonly Float64Array[];
  /** Output weights at initialisation (m). */
  readonly a0: Float64Array;
}

/** A point in parameter space, in the same layout as the initialisation. */
export interface DeepFcParams {
  readonly W: readonly Float64Array[];
  readonly a: Float64Array;
}

export type DeepFcSeries = 'residual2' | 'weightMove' | 'outputMove';
export const DEEP_FC_SERIES: readonly DeepFcSeries[] = ['residual2', 'weightMove', 'outputMove'];

export interface DeepFcGdSettings {
  readonly eta: number;
  readonly steps: number;
  /**
   * Trace the weight movements (default true). False leaves those series NaN (not traced) and saves
   * their cost, for a check that reads only the residual (the residual's values are the same bits).
   */
  readonly moves?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Activations in float64

interface ScalarActivation {
  readonly f: (z: number) => number;
  readonly df: (z: number) => number;
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

export const ACTIVATION_F64: { readonly [A in Activation]: ScalarActivation } = {
  erf: { f: erf, df: (z) => TWO_OVER_SQRT_PI * Math.exp(-z * z) },
  softplus: { f: (z) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))), df: (z) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z))) },
  tanh: { f: Math.tanh, df: (z) => 1 - Math.tanh(z) ** 2 },
  relu: { f: (z) => (z > 0 ? z : 0), df: (z) => (z >= 0 ? 1 : 0) },
};

const scaleCache = new Map<Activation, number>();

/**
 * c_σ = 1/E_{z∼N(0,1)}[σ(z)²]: 2 for relu, π/(2 arcsin(2/3)) for erf (closed forms), by
 * quadrature for tanh and softplus.
 */
export function activationScale(act: Activation): number {
  let c = scaleCache.get(act);
  if (c === undefined) {
    if (act === 'relu') c = 2;
    else if (act === 'erf') c = Math.PI / (2 * Math.asin(2 / 3));
    else {
      const { f } = ACTIVATION_F64[act];
      c = 1 / gaussianExpectation((z) => f(z) ** 2);
    }
    scaleCache.set(act, c);
  }
  return c;
}

// ---------------------------------------------------------------------------------------------
// Construction

/** Fan-in of layer h (0-based): d for the first layer, m after. */
export function fanIn(net: Pick<DeepFc, 'd' | 'm'>, h: number): number {
  return h === 0 ? net.d : net.m;
}

/**
 * The network on data (X, y) with Gaussian initialisation from `seed`: layer h from
 * rng(seed, h + 1), a from rng(seed, 0), so a deeper network keeps the shallower one's layers.
 */
export function initDeepFc(o: { X: Float64Array; y: Float64Array; n: number; d: number; m: number; depth: number; activation: Activation; seed: number }): DeepFc {
  const { n, d, m, depth } = o;
  if (!(Number.isInteger(depth) && depth >= 1)) throw new RangeError(`depth must be an integer ≥ 1, got ${depth}`);
  const W0 = Array.from({ length: depth }, (_, h) => normals(rng(o.seed, h + 1), m * fanIn({ d, m }, h)));
  return { n, d, m, depth, activation: o.activation, X: o.X, y: o.y, W0, a0: normals(rng(o.seed, 0), m) };
}

function checkNet(net: DeepFc): void {
  const { n, d, m, depth } = net;
  if (!ACTIVATIONS.includes(net.activation)) throw new RangeError(`unknown activation '${net.activation}' (expected ${ACTIVATIONS.join(', ')})`);
  if (net.W0.length !== depth) throw new RangeError(`expected ${depth} weight matrices, got ${net.W0.length}`);
  net.W0.forEach((W, h) => {
    if (W.length !== m * fanIn(net, h)) throw new RangeError(`W0[${h}] has ${W.length} entries, expected ${m}×${fanIn(net, h)}`);
  });
  if (net.X.length !== n * d || net.y.length !== n || net.a0.length !== m) throw new RangeError(`expected X ${n}×${d}, y ${n}, a0 ${m}`);
}

// ---------------------------------------------------------------------------------------------
// float64: forward, loss and gradient

/**
 * Forward and backward passes in float64 with preallocated workspace. Loops run along rows of
 * row-major arrays (dot products of an activation row with a weight row; rank-1 updates of a
 * gradient row), so every inner loop is contiguous.
 */
export class DeepFcF64 {
  private readonly Z: Float64Array[];
  private readonly A: Float64Array[];
  private readonly gA: Float64Array;
  private readonly gAprev: Float64Array;
  private readonly gZ: Float64Array;
  readonly res: Float64Array;
  private readonly s: number;
  private readonly act: ScalarActivation;

  constructor(readonly net: DeepFc) {
    checkNet(net);
    const { n, m, depth } = net;
    this.Z = Array.from({ length: depth }, () => new Float64Array(n * m));
    this.A = Array.from({ length: depth }, () => new Float64Array(n * m));
    this.gA = new Float64Array(n * m);
    this.gAprev = new Float64Array(n * m);
    this.gZ = new Float64Array(n * m);
    this.res = new Float64Array(n);
    this.s = Math.sqrt(activationScale(net.activation) / m);
    this.act = ACTIVATION_F64[net.activation];
  }

  /** The hidden layer x⁽ʰ⁾ (h = 1..H) of every sample after `forward`, n×m row-major (a view). */
  hidden(h: number): Float64Array {
    if (!(Number.isInteger(h) && h >= 1 && h <= this.net.depth)) throw new RangeError(`hidden layers are 1..${this.net.depth}, got ${h}`);
    return this.A[h - 1];
  }

  /** Outputs u_i at the parameters p; fills the workspace for `backward`. Returns ‖u − y‖². */
  forward(p: DeepFcParams): number {
    const { n, m, depth, X, y } = this.net;
    const { f } = this.act;
    const { s } = this;
    for (let h = 0; h < depth; h++) {
      const inp = h === 0 ? X : this.A[h - 1];
      const k = fanIn(this.net, h);
      const W = p.W[h];
      const Z = this.Z[h];
      const A = this.A[h];
      // Samples four at a time: each weight row is read once per block, the block's inputs stay in L1.
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const i0 = i * k, i1 = i0 + k, i2 = i1 + k, i3 = i2 + k;
        for (let r = 0; r < m; r++) {
          const wo = r * k;
          let z0 = 0, z1 = 0, z2 = 0, z3 = 0;
          for (let c = 0; c < k; c++) {
            const w = W[wo + c];
            z0 += w * inp[i0 + c];
            z1 += w * inp[i1 + c];
            z2 += w * inp[i2 + c];
            z3 += w * inp[i3 + c];
          }
          const o = i * m + r;
          Z[o] = z0;
          Z[o + m] = z1;
          Z[o + 2 * m] = z2;
          Z[o + 3 * m] = z3;
          A[o] = s * f(z0);
          A[o + m] = s * f(z1);
          A[o + 2 * m] = s * f(z2);
          A[o + 3 * m] = s * f(z3);
        }
      }
      for (; i < n; i++) {
        const io = i * k;
        for (let r = 0; r < m; r++) {
          const wo = r * k;
          let z = 0;
          for (let c = 0; c < k; c++) z += W[wo + c] * inp[io + c];
          Z[i * m + r] = z;
          A[i * m + r] = s * f(z);
        }
      }
    }
    const AH = this.A[depth - 1];
    let r2 = 0;
    for (let i = 0; i < n; i++) {
      let u = 0;
      for (let r = 0; r < m; r++) u += AH[i * m + r] * p.a[r];
      this.res[i] = u - y[i];
      r2 += this.res[i] ** 2;
    }
    return r2;
  }

  /** Gradients of ½‖u − y‖² at the parameters of the last `forward`, written into `g`. */
  backward(p: DeepFcParams, g: DeepFcParams): void {
    const { n, m, depth, X } = this.net;
    const { df } = this.act;
    const { s, res } = this;
    const AH = this.A[depth - 1];
    g.a.fill(0);
    let gA = this.gA;
    let gAprev = this.gAprev;
    const gZ = this.gZ;
    for (let i = 0; i < n; i++) {
      const ri = res[i];
      for (let r = 0; r < m; r++) {
        g.a[r] += ri * AH[i * m + r];
        gA[i * m + r] = ri * p.a[r];
      }
    }
    for (let h = depth - 1; h >= 0; h--) {
      const Z = this.Z[h];
      const k = fanIn(this.net, h);
      const inp = h === 0 ? X : this.A[h - 1];
      const W = p.W[h];
      const gW = g.W[h];
      gW.fill(0);
      for (let j = 0; j < n * m; j++) gZ[j] = gA[j] * s * df(Z[j]);
      if (h > 0) gAprev.fill(0);
      // Samples four at a time, as in `forward`: ∂L/∂W⁽ʰ⁾ row r += Σ_i gZ_ir x_i and
      // ∂L/∂x_i += Σ_r gZ_ir w_r, each weight and gradient row touched once per block.
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const i0 = i * k, i1 = i0 + k, i2 = i1 + k, i3 = i2 + k;
        for (let r = 0; r < m; r++) {
          const o = i * m + r;
          const q0 = gZ[o], q1 = gZ[o + m], q2 = gZ[o + 2 * m], q3 = gZ[o + 3 * m];
          if (q0 === 0 && q1 === 0 && q2 === 0 && q3 === 0) continue;
          const wo = r * k;
          for (let c = 0; c < k; c++) gW[wo + c] += q0 * inp[i0 + c] + q1 * inp[i1 + c] + q2 * inp[i2 + c] + q3 * inp[i3 + c];
          if (h > 0)
            for (let c = 0; c < k; c++) {
              const w = W[wo + c];
              gAprev[i0 + c] += q0 * w;
              gAprev[i1 + c] += q1 * w;
              gAprev[i2 + c] += q2 * w;
              gAprev[i3 + c] += q3 * w;
            }
        }
      }
      for (; i < n; i++) {
        const io = i * k;
        for (let r = 0; r < m; r++) {
          const q = gZ[i * m + r];
          if (q === 0) continue;
          const wo = r * k;
          for (let c = 0; c < k; c++) gW[wo + c] += q * inp[io + c];
          if (h > 0) for (let c = 0; c < k; c++) gAprev[io + c] += q * W[wo + c];
        }
      }
      if (h > 0) [gA, gAprev] = [gAprev, gA];
    }
  }
}

export function initialParams(net: DeepFc): DeepFcParams {
  return { W: net.W0.map((W) => Float64Array.from(W)), a: Float64Array.from(net.a0) };
}

function zerosLike(p: DeepFcParams): DeepFcParams {
  return { W: p.W.map((W) => new Float64Array(W.length)), a: new Float64Array(p.a.length) };
}

/** Network outputs u_i = f(θ, x_i), float64. */
export function deepFcOutputs(net: DeepFc, p: DeepFcParams = { W: net.W0, a: net.a0 }): Float64Array {
  const model = new DeepFcF64(net);
  model.forward(p);
  return Float64Array.from(model.res, (r, i) => r + net.y[i]);
}

/** Loss ½‖u − y‖² and its gradient in every layer, float64 (the reference for both trainers). */
export function deepFcLossGrad(net: DeepFc, p: DeepFcParams = { W: net.W0, a: net.a0 }): { loss: number; grad: DeepFcParams } {
  const model = new DeepFcF64(net);
  const r2 = model.forward(p);
  const grad = zerosLike(p);
  model.backward(p, grad);
  return { loss: 0.5 * r2, grad };
}

// ---------------------------------------------------------------------------------------------
// Gradient descent

export async function deepFcGD(engine: Engine, net: DeepFc, run: DeepFcGdSettings): Promise<Trace<DeepFcSeries>> {
  checkNet(net);
  if (!(Number.isInteger(run.steps) && run.steps >= 0)) throw new RangeError(`steps must be a non-negative integer, got ${run.steps}`);
  if (!Number.isFinite(run.eta)) throw new RangeError(`eta must be finite, got ${run.eta}`);
  return isTfjs(engine) ? gdTfjs(engine, net, run) : gdF64(net, run);
}

function moves(net: DeepFc, p: DeepFcParams): { weightMove: number; outputMove: number } {
  let weightMove = 0;
  p.W.forEach((W, h) => {
    const W0 = net.W0[h];
    let s = 0;
    for (let j = 0; j < W.length; j++) s += (W[j] - W0[j]) ** 2;
    weightMove = Math.max(weightMove, Math.sqrt(s));
  });
  let s = 0;
  for (let r = 0; r < net.m; r++) s += (p.a[r] - net.a0[r]) ** 2;
  return { weightMove, outputMove: Math.sqrt(s) };
}

function gdF64(net: DeepFc, { eta, steps, moves: traced = true }: DeepFcGdSettings): Trace<DeepFcSeries> {
  const model = new DeepFcF64(net);
  const p = initialParams(net);
  const g = zerosLike(p);
  const residual2 = new Float64Array(steps + 1);
  const weightMove = new Float64Array(steps + 1);
  const outputMove = new Float64Array(steps + 1);
  const series = { residual2, weightMove, outputMove };
  for (let k = 0; ; k++) {
    residual2[k] = model.forward(p);
    const mv = traced ? moves(net, p) : { weightMove: NaN, outputMove: NaN };
    weightMove[k] = mv.weightMove;
    outputMove[k] = mv.outputMove;
    if (!Number.isFinite(residual2[k])) return { series, steps: k, stopped: `non-finite residual at step ${k}` };
    if (k === steps) return { series, steps };
    model.backward(p, g);
    p.W.forEach((W, h) => {
      const gW = g.W[h];
      for (let j = 0; j < W.length; j++) W[j] -= eta * gW[j];
    });
    for (let r = 0; r < net.m; r++) p.a[r] -= eta * g.a[r];
  }
}

/**
 * The tfjs (float32) step with hand-derived gradients, laid out for the wasm backend. Its matMul
 * (XNNPACK) packs the right-hand operand, caching the packing per tensor: a right operand that is
 * new every step is re-packed every step, at a cost like a copy of it, and a transpose flag takes
 * a slow path. So activations are kept transposed (x⁽ʰ⁾ᵀ: m×n) and weights in the textbook layout
 * (W⁽ʰ⁾: m × fan-in) as left operands; the right operands are the n-column activations, whose
 * packing costs n·m, not the m×m weights (m² per layer per step):
 *   Z⁽ʰ⁾ᵀ = W⁽ʰ⁾ x⁽ʰ⁻¹⁾ᵀ,   uᵀ = aᵀ x⁽ᴴ⁾ᵀ,
 *   ∂L/∂W⁽ʰ⁾ = G⁽ʰ⁾ᵀ x⁽ʰ⁻¹⁾ with G⁽ʰ⁾ᵀ = (∂L/∂x⁽ʰ⁾)ᵀ ⊙ √(c_σ/m) σ'(Z⁽ʰ⁾ᵀ),
 *   (∂L/∂x⁽ʰ⁻¹⁾)ᵀ = W⁽ʰ⁾ᵀ G⁽ʰ⁾ᵀ,   ∂L/∂a = x⁽ᴴ⁾ᵀ r.
 * Two explicit transposes per layer (x⁽ʰ⁻¹⁾ᵀ, n×m, and W⁽ʰ⁾, m×m) replace transpose flags.
 */
export class DeepFcTfjsStepper {
  /** Weights, textbook layout (layer h: m × fan-in). */
  readonly W: Variable<Rank.R2>[];
  /** Output weights as a column (m×1). */
  readonly a: Variable<Rank.R2>;
  private readonly W0: Tensor2D[];
  private readonly a0: Tensor2D;
  private readonly X: Tensor2D;
  private readonly XT: Tensor2D;
  private readonly yRow: Tensor2D;
  private readonly s: number;

  constructor(
    private readonly engine: TfjsEngine,
    private readonly net: DeepFc,
    private readonly eta: number,
  ) {
    checkNet(net);
    const { tf } = engine;
    const { n, d, m } = net;
    this.s = Math.sqrt(activationScale(net.activation) / m);
    this.X = tf.tensor2d(Float32Array.from(net.X), [n, d]);
    const XT = new Float32Array(d * n);
    for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) XT[c * n + i] = net.X[i * d + c];
    this.XT = tf.tensor2d(XT, [d, n]);
    this.yRow = tf.tensor2d(Float32Array.from(net.y), [1, n]);
    this.W0 = net.W0.map((W, h) => tf.tensor2d(Float32Array.from(W), [m, fanIn(net, h)]));
    this.a0 = tf.tensor2d(Float32Array.from(net.a0), [m, 1]);
    this.W = this.W0.map((W) => tf.tidy(() => tf.variable(W.clone(), true)));
    this.a = tf.tidy(() => tf.variable(this.a0.clone(), true));
  }

  private activate(Z: Tensor): Tensor {
    const { tf } = this.engine;
    switch (this.net.activation) {
      case 'erf':
        return tf.erf(Z);
      case 'softplus':
        return tf.softplus(Z);
      case 'tanh':
        return tf.tanh(Z);
      case 'relu':
        return tf.relu(Z);
    }
  }

  /** σ'(Z), given Z and S = σ(Z). */
  private derivative(Z: Tensor, S: Tensor): Tensor {
    const { tf } = this.engine;
    switch (this.net.activation) {
      case 'erf':
        return tf.mul(tf.exp(tf.neg(tf.square(Z))), TWO_OVER_SQRT_PI);
      case 'softplus':
        return tf.sigmoid(Z);
      case 'tanh':
        return tf.sub(1, tf.square(S));
      case 'relu':
        return tf.step(Z);
    }
  }

  /**
   * Forward pass and hand-derived gradients at the current weights (inside the caller's tidy):
   * the residual row rᵀ = uᵀ − yᵀ, ∂L/∂W⁽ʰ⁾ per layer, ∂L/∂a.
   */
  private forwardBackward(withGrad: boolean): { rRow: Tensor2D; gW: Tensor2D[]; ga: Tensor2D | null } {
    const { tf } = this.engine;
    const { n, depth } = this.net;
    const { s } = this;
    const ZT: Tensor2D[] = [];
    const ST: Tensor2D[] = [];
    const AT: Tensor2D[] = [this.XT]; // AT[h] = x⁽ʰ⁾ᵀ
    for (let h = 0; h < depth; h++) {
      const Z = tf.matMul(this.W[h], AT[h]) as Tensor2D; // m×n
      const S = this.activate(Z) as Tensor2D;
      ZT.push(Z);
      ST.push(S);
      AT.push(tf.mul(S, s) as Tensor2D);
    }
    const rRow = tf.sub(tf.matMul(tf.reshape(this.a, [1, this.net.m]) as Tensor2D, AT[depth]), this.yRow) as Tensor2D; // 1×n
    if (!withGrad) return { rRow, gW: [], ga: null };
    const rCol = tf.reshape(rRow, [n, 1]) as Tensor2D;
    const ga = tf.matMul(AT[depth], rCol) as Tensor2D; // m×1
    let gAT: Tensor2D = tf.mul(this.a, rRow); // m×n: a rᵀ
    const gW: Tensor2D[] = new Array(depth);
    for (let h = depth - 1; h >= 0; h--) {
      const gZT = tf.mul(tf.mul(gAT, s), this.derivative(ZT[h], ST[h])) as Tensor2D; // m×n
      const below = h === 0 ? this.X : (tf.transpose(AT[h]) as Tensor2D); // n × fan-in
      gW[h] = tf.matMul(gZT, below); // m × fan-in
      if (h > 0) gAT = tf.matMul(tf.transpose(this.W[h]) as Tensor2D, gZT); // fan-in × n
    }
    return { rRow, gW, ga };
  }

  /** The series of the current weights (movements only when `moves`), then one step when `update`. */
  step(update: boolean, moves = true): StepValue[] {
    const { tf } = this.engine;
    return tf.tidy(() => {
      const { rRow, gW, ga } = this.forwardBackward(update);
      const r2 = tf.sum(tf.square(rRow));
      const weightMove = moves ? tf.max(tf.stack(this.W.map((W, h) => tf.sqrt(tf.sum(tf.squaredDifference(W, this.W0[h])))))) : NaN;
      const outputMove = moves ? tf.sqrt(tf.sum(tf.squaredDifference(this.a, this.a0))) : NaN;
      if (update && ga) {
        this.W.forEach((W, h) => W.assign(tf.sub(W, tf.mul(gW[h], this.eta))));
        this.a.assign(tf.sub(this.a, tf.mul(ga, this.eta)));
      }
      return [r2, weightMove, outputMove];
    });
  }

  /** The hand-derived loss and gradient at the current weights, read back in the textbook layout. */
  lossGrad(): { loss: number; grad: DeepFcParams } {
    const { tf } = this.engine;
    const out = tf.tidy(() => {
      const { rRow, gW, ga } = this.forwardBackward(true);
      return { loss: tf.mul(tf.sum(tf.square(rRow)), 0.5), gW, ga: ga! };
    });
    const result = { loss: out.loss.dataSync()[0], grad: { W: out.gW.map((g) => Float64Array.from(g.dataSync())), a: Float64Array.from(out.ga.dataSync()) } };
    tf.dispose([out.loss, ...out.gW, out.ga]);
    return result;
  }

  dispose(): void {
    this.engine.tf.dispose([this.X, this.XT, this.yRow, this.a0, this.a, ...this.W0, ...this.W]);
  }
}

async function gdTfjs(engine: TfjsEngine, net: DeepFc, { eta, steps, moves = true }: DeepFcGdSettings): Promise<Trace<DeepFcSeries>> {
  return traceStepper(engine.tf, new DeepFcTfjsStepper(engine, net, eta), DEEP_FC_SERIES, steps, 'residual2', 'residual', moves);
}
