/**
 * The patch data model and two-layer CNN of Zou, Cao, Li & Gu (arXiv 2108.11371), as reconstructed
 * in the research notes (theorems-B.md §5.2, §13.4; the paper's Definition was not read):
 *
 *   data     y uniform ±1; x = (x^(1), x^(2)), two patches in R^d; one patch (chosen uniformly)
 *            is the feature y·a·e_1, the other is noise: s i.i.d. N(0, σ²) values at s distinct
 *            random coordinates of {2..d} (so noise never touches the feature coordinate, and
 *            different samples' noise is nearly disjoint when n·s ≪ d);
 *   network  f(W, x) = F_{+1}(W, x) − F_{−1}(W, x),  F_j = Σ_{r≤m} Σ_p σ(⟨w_{j,r}, x^(p)⟩),
 *            σ(z) = max(0, z)^q (polynomial ReLU), or σ(z) = z (`linear`: f is then linear in W,
 *            the convex model);
 *   loss     L(W) = (1/n) Σ_i log(1 + e^{−y_i f(W, x_i)}) + (λ/2)‖W‖²  (weight decay).
 *
 * Patches are sparse (1 or s nonzeros), so a forward or backward pass costs O(n·m·s), not O(n·m·d):
 * that is what makes a GD + Adam pair fast in float64. The gradient is written by hand and checked
 * against central differences in test/patch-cnn.test.ts.
 */
import type { Rng } from '../numerics/random.ts';
import { applyUpdates, type GradientTransformation } from '../optim/transform.ts';

export interface PatchModel {
  /** Dimension of a patch. */
  readonly d: number;
  /** Nonzero noise coordinates per sample. */
  readonly s: number;
  /** Feature amplitude ‖y·v‖ = a. */
  readonly a: number;
  /** Noise standard deviation. */
  readonly sigma: number;
}

/** One sample: its two patches as sparse vectors (coordinates and values). */
export interface PatchSample {
  readonly y: 1 | -1;
  /** Which patch (0 or 1) carries the feature. */
  readonly featurePatch: 0 | 1;
  readonly noiseIdx: Int32Array;
  readonly noiseVal: Float64Array;
}

/**
 * `count` samples. `balanced`: exactly ⌈count/2⌉ labels +1 and the rest −1 (a training set); else
 * each label uniform (a test set).
 */
export function samplePatches(model: PatchModel, r: Rng, count: number, { balanced = false }: { readonly balanced?: boolean } = {}): PatchSample[] {
  const { d, s, sigma } = model;
  if (s > d - 1) throw new Error(`patch model: s = ${s} noise coordinates do not fit in d − 1 = ${d - 1}`);
  const out: PatchSample[] = [];
  for (let i = 0; i < count; i++) {
    const y = balanced ? (i < count / 2 ? 1 : -1) : r.uniform() < 0.5 ? 1 : -1;
    const featurePatch = r.uniform() < 0.5 ? 0 : 1;
    // s distinct coordinates of 1..d−1 (partial Fisher–Yates over a lazily materialised range).
    const picked = new Map<number, number>();
    const noiseIdx = new Int32Array(s);
    for (let k = 0; k < s; k++) {
      const j = k + Math.floor(r.uniform() * (d - 1 - k));
      const vj = picked.get(j) ?? j;
      picked.set(j, picked.get(k) ?? k);
      noiseIdx[k] = 1 + vj;
    }
    const noiseVal = Float64Array.from({ length: s }, () => sigma * r.normal());
    out.push({ y, featurePatch, noiseIdx, noiseVal });
  }
  return out;
}

export type Activation = { readonly kind: 'relu-power'; readonly q: number } | { readonly kind: 'linear' };

export interface PatchCnn {
  readonly d: number;
  /** Filters per class. */
  readonly m: number;
  readonly activation: Activation;
  /** Feature amplitude (the feature patch is y·a·e_1). */
  readonly a: number;
}

/** z^q for z > 0, by multiplication for the small integer q used here (Math.pow is slower). */
function power(z: number, q: number): number {
  if (q === 3) return z * z * z;
  if (q === 2) return z * z;
  return z ** q;
}

function sigma(act: Activation, z: number): number {
  if (act.kind === 'linear') return z;
  return z > 0 ? power(z, act.q) : 0;
}

function sigmaPrime(act: Activation, z: number): number {
  if (act.kind === 'linear') return 1;
  return z > 0 ? act.q * power(z, act.q - 1) : 0;
}

/**
 * W is one block of 2m·d numbers: row r < m is w_{+1,r}, row m + r is w_{−1,r}.
 * ⟨w, feature patch⟩ = y·a·w[0]; ⟨w, noise patch⟩ = Σ_k val_k·w[idx_k].
 */
function noisePreactivation(net: PatchCnn, W: Float64Array, x: PatchSample, row: number): number {
  const base = row * net.d;
  let z = 0;
  for (let k = 0; k < x.noiseIdx.length; k++) z += x.noiseVal[k] * W[base + x.noiseIdx[k]];
  return z;
}

export function cnnOutput(net: PatchCnn, W: Float64Array, x: PatchSample): number {
  let f = 0;
  for (let row = 0; row < 2 * net.m; row++) {
    const zf = x.y * net.a * W[row * net.d];
    f += (row < net.m ? 1 : -1) * (sigma(net.activation, zf) + sigma(net.activation, noisePreactivation(net, W, x, row)));
  }
  return f;
}

/** log(1 + e^{−t}) without overflow. */
export function logistic(t: number): number {
  return t > 0 ? Math.log1p(Math.exp(-t)) : -t + Math.log1p(Math.exp(t));
}

/** The regularised loss and its gradient in W (written into `grad`). */
export function cnnLossGrad(net: PatchCnn, W: Float64Array, data: readonly PatchSample[], lambda: number, grad: Float64Array): number {
  const n = data.length;
  let loss = 0;
  let sq = 0;
  for (let j = 0; j < W.length; j++) {
    grad[j] = lambda * W[j];
    sq += W[j] * W[j];
  }
  const zf = new Float64Array(2 * net.m);
  const zn = new Float64Array(2 * net.m);
  for (const x of data) {
    let f = 0;
    for (let row = 0; row < 2 * net.m; row++) {
      zf[row] = x.y * net.a * W[row * net.d];
      zn[row] = noisePreactivation(net, W, x, row);
      f += (row < net.m ? 1 : -1) * (sigma(net.activation, zf[row]) + sigma(net.activation, zn[row]));
    }
    const yf = x.y * f;
    loss += logistic(yf) / n;
    // dℓ/df = −y / (1 + e^{y f}) / n, then df/dw_{j,r} = sign_j Σ_p σ'(z_p) x^(p).
    const dl = (-x.y / n) * (yf > 0 ? Math.exp(-yf) / (1 + Math.exp(-yf)) : 1 / (1 + Math.exp(yf)));
    for (let row = 0; row < 2 * net.m; row++) {
      const c = dl * (row < net.m ? 1 : -1);
      const base = row * net.d;
      grad[base] += c * sigmaPrime(net.activation, zf[row]) * x.y * net.a;
      const cn = c * sigmaPrime(net.activation, zn[row]);
      if (cn !== 0) for (let k = 0; k < x.noiseIdx.length; k++) grad[base + x.noiseIdx[k]] += cn * x.noiseVal[k];
    }
  }
  return loss + (lambda / 2) * sq;
}

/** Fraction of samples with y·f(W, x) ≤ 0. */
export function cnnError(net: PatchCnn, W: Float64Array, data: readonly PatchSample[]): number {
  let wrong = 0;
  for (const x of data) if (x.y * cnnOutput(net, W, x) <= 0) wrong++;
  return wrong / data.length;
}

export interface CnnRun {
  readonly W: Float64Array;
  /** Regularised training loss at steps 0..steps (NaN-padded after a non-finite loss). */
  readonly loss: Float64Array;
  readonly trainError: number;
  /** Set when the loss became non-finite. */
  readonly stopped?: string;
}

/**
 * Full-batch training by a gradient transformation (GD, Adam, ... from src/optim). The optimiser
 * sees W as 2m blocks, one per filter: the same coordinates and arithmetic as one block, but its
 * per-step arrays are then small (d numbers), which the JS heap allocates far faster than one
 * array of 2m·d (measured about 2x on a GD + Adam pair at m = 20, d = 400).
 */
export function trainCnn(net: PatchCnn, W0: Float64Array, data: readonly PatchSample[], lambda: number, method: GradientTransformation<unknown>, steps: number): CnnRun {
  const { d } = net;
  const rows = 2 * net.m;
  let blocks: Float64Array[] = Array.from({ length: rows }, (_, r) => W0.slice(r * d, (r + 1) * d));
  let state = method.init(blocks);
  const loss = new Float64Array(steps + 1).fill(NaN);
  const W = new Float64Array(W0.length);
  const grad = new Float64Array(W0.length);
  const gradBlocks = Array.from({ length: rows }, (_, r) => grad.subarray(r * d, (r + 1) * d));
  for (let k = 0; ; k++) {
    for (let r = 0; r < rows; r++) W.set(blocks[r], r * d);
    loss[k] = cnnLossGrad(net, W, data, lambda, grad);
    if (!Number.isFinite(loss[k])) return { W, loss, trainError: NaN, stopped: `non-finite loss at step ${k}` };
    if (k === steps) break;
    const r = method.update(gradBlocks, state, blocks);
    state = r.state;
    blocks = applyUpdates(blocks, r.updates);
  }
  return { W, loss, trainError: cnnError(net, W, data) };
}
