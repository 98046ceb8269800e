/**
 * A learned black-box optimizer in the style of Chen et al. (arXiv 1611.03824), made small: a
 * vanilla tanh RNN reads (x_{t−1}, y_{t−1}, 1{t = 1}) and proposes x_t = σ(vᵀh_t + c) ∈ [0, 1],
 * h_t = tanh(W_h h_{t−1} + W_x u_t + b), y_t = f(x_t). Meta-trained by backpropagation through
 * time (hand-written, float64) on the mean best-so-far value over functions from a
 * GP-like prior, random Fourier features f(x) = √(2/D) Σ_k a_k cos(ω_k x + β_k) with a ~ N(0, 1),
 * ω ~ N(0, 1/ℓ²), β ~ U[0, 2π] (a squared-exponential GP of length scale ℓ as D → ∞). The
 * gradient of f flows through y_t into the next input, as at meta-training time in the paper.
 */
import { rng, normals, type Rng } from '../numerics/random.ts';
import { adam } from '../optim/adaptive.ts';
import { applyUpdates, type Params } from '../optim/transform.ts';

export interface FourierFunction {
  readonly a: Float64Array;
  readonly omega: Float64Array;
  readonly beta: Float64Array;
}

const FEATURES = 32;

export function drawFourierFunction(r: Rng, lengthScale: number): FourierFunction {
  return {
    a: normals(r, FEATURES),
    omega: normals(r, FEATURES, 1 / lengthScale),
    beta: Float64Array.from({ length: FEATURES }, () => 2 * Math.PI * r.uniform()),
  };
}

export function fourierValue(f: FourierFunction, x: number): number {
  let s = 0;
  for (let k = 0; k < FEATURES; k++) s += f.a[k] * Math.cos(f.omega[k] * x + f.beta[k]);
  return s * Math.sqrt(2 / FEATURES);
}

function fourierSlope(f: FourierFunction, x: number): number {
  let s = 0;
  for (let k = 0; k < FEATURES; k++) s -= f.a[k] * f.omega[k] * Math.sin(f.omega[k] * x + f.beta[k]);
  return s * Math.sqrt(2 / FEATURES);
}

/** min and max of f on [0, 1], on a grid of 2001 points (for the normalised regret). */
export function fourierRange(f: FourierFunction): { min: number; max: number } {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i <= 2000; i++) {
    const v = fourierValue(f, i / 2000);
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { min, max };
}

/** Parameter blocks: W_h (H×H), W_x (H×3), b (H), v (H), c (1). */
export interface RnnOptimizer {
  readonly hidden: number;
  readonly params: Params;
}

export function initRnnOptimizer(hidden: number, seed: number): RnnOptimizer {
  const r = rng(seed, 31);
  return { hidden, params: [normals(r, hidden * hidden, 0.5 / Math.sqrt(hidden)), normals(r, hidden * 3, 0.5), new Float64Array(hidden), normals(r, hidden, 1 / Math.sqrt(hidden)), new Float64Array(1)] };
}

const sig = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/**
 * Run the optimizer for T proposals on f; with `grad`, also ∂L/∂params of the meta-loss
 * L = (1/T) Σ_t min_{i≤t} f(x_i), the mean best-so-far curve (Chen et al.'s observed-improvement
 * loss Σ_t min(f(x_t) − min_{i<t} f(x_i), 0) telescopes to the final best-so-far; averaging over t
 * rewards finding good values early too). Its gradient reaches each step's argmin.
 */
export function rollout(opt: RnnOptimizer, f: FourierFunction, T: number, grad = false): { xs: Float64Array; ys: Float64Array; grads?: Float64Array[] } {
  const H = opt.hidden;
  const [Wh, Wx, b, v, c] = opt.params;
  const hs: Float64Array[] = [new Float64Array(H)];
  const us: number[][] = [];
  const xs = new Float64Array(T), ys = new Float64Array(T), slopes = new Float64Array(T);
  let prevX = 0, prevY = 0;
  for (let t = 0; t < T; t++) {
    const u = [prevX, prevY, t === 0 ? 1 : 0];
    us.push(u);
    const h = new Float64Array(H);
    let z = c[0];
    for (let i = 0; i < H; i++) {
      let a = b[i];
      for (let j = 0; j < H; j++) a += Wh[i * H + j] * hs[t][j];
      for (let j = 0; j < 3; j++) a += Wx[i * 3 + j] * u[j];
      h[i] = Math.tanh(a);
      z += v[i] * h[i];
    }
    hs.push(h);
    xs[t] = sig(z);
    ys[t] = fourierValue(f, xs[t]);
    if (grad) slopes[t] = fourierSlope(f, xs[t]);
    prevX = xs[t];
    prevY = ys[t];
  }
  if (!grad) return { xs, ys };
  const g = opt.params.map((p) => new Float64Array(p.length));
  const [gWh, gWx, gb, gv, gc] = g;
  // ∂L/∂y_t directly: 1/T for every step at which y_t is the best so far.
  const direct = new Float64Array(T);
  let arg = 0;
  for (let t = 0; t < T; t++) {
    if (ys[t] < ys[arg]) arg = t;
    direct[arg] += 1 / T;
  }
  let dA = new Float64Array(H); // ∂L/∂a_{t+1}
  for (let t = T - 1; t >= 0; t--) {
    const h = hs[t + 1], hPrev = hs[t];
    let gy = direct[t], gx = 0;
    const dH = new Float64Array(H);
    if (t < T - 1)
      for (let i = 0; i < H; i++) {
        gx += Wx[i * 3] * dA[i];
        gy += Wx[i * 3 + 1] * dA[i];
        for (let j = 0; j < H; j++) dH[j] += Wh[i * H + j] * dA[i];
      }
    gx += gy * slopes[t];
    const gz = gx * xs[t] * (1 - xs[t]);
    gc[0] += gz;
    const next = new Float64Array(H);
    for (let i = 0; i < H; i++) {
      gv[i] += gz * h[i];
      next[i] = (dH[i] + gz * v[i]) * (1 - h[i] * h[i]);
      gb[i] += next[i];
      for (let j = 0; j < H; j++) gWh[i * H + j] += next[i] * hPrev[j];
      for (let j = 0; j < 3; j++) gWx[i * 3 + j] += next[i] * us[t][j];
    }
    dA = next;
  }
  return { xs, ys, grads: g };
}

export interface MetaTraining {
  readonly hidden: number;
  readonly horizon: number;
  readonly lengthScale: number;
  readonly batch: number;
  readonly steps: number;
  readonly lr: number;
  readonly seed: number;
  /**
   * Independent meta-trainings, the one with the lowest meta-loss on 64 fresh functions from the
   * training prior kept (default 1): BPTT through the best-so-far sometimes settles on a poor
   * strategy, and model selection on the training distribution is part of meta-training.
   */
  readonly restarts?: number;
}

/** The meta-loss averaged over functions. */
export function metaLoss(opt: RnnOptimizer, fs: readonly FourierFunction[], T: number): number {
  let total = 0;
  for (const f of fs) {
    let best = Infinity, s = 0;
    for (const y of rollout(opt, f, T).ys) {
      best = Math.min(best, y);
      s += best;
    }
    total += s / T;
  }
  return total / fs.length;
}

/** Meta-train by Adam on the batch-mean of L over freshly drawn functions each step (best of `restarts`). */
export function metaTrain(s: MetaTraining): RnnOptimizer {
  const restarts = s.restarts ?? 1;
  if (restarts === 1) return metaTrainOnce(s);
  const r = rng(s.seed, 33);
  const validation = Array.from({ length: 64 }, () => drawFourierFunction(r, s.lengthScale));
  const candidates = Array.from({ length: restarts }, (_, k) => metaTrainOnce({ ...s, seed: s.seed * restarts + k }));
  const losses = candidates.map((c) => metaLoss(c, validation, s.horizon));
  return candidates[losses.indexOf(Math.min(...losses))];
}

function metaTrainOnce(s: MetaTraining): RnnOptimizer {
  let opt = initRnnOptimizer(s.hidden, s.seed);
  const t = adam(s.lr);
  let state = t.init(opt.params);
  const r = rng(s.seed, 32);
  for (let k = 0; k < s.steps; k++) {
    const g = opt.params.map((p) => new Float64Array(p.length));
    for (let i = 0; i < s.batch; i++) {
      const out = rollout(opt, drawFourierFunction(r, s.lengthScale), s.horizon, true);
      out.grads!.forEach((b, j) => b.forEach((v, l) => (g[j][l] += v / s.batch)));
    }
    const u = t.update(g, state, opt.params);
    state = u.state;
    opt = { hidden: opt.hidden, params: applyUpdates(opt.params, u.updates) };
  }
  return opt;
}
