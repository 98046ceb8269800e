/**
 * A depth-2 sigmoid network with a frozen random hidden layer, N(x) = σ(uᵀφ(x) + c),
 * φ_i(x) = σ(⟨w_i, x⟩ + b_i) standardised on the training set, and only (u, c) trained by
 * full-batch gradient descent on the logistic loss (Safran & Lee's positive setting, arXiv
 * 2112.02393). Float64; the output layer is a logistic regression on N fixed features.
 */
import { rng, normals } from '../numerics/random.ts';

export interface RandomFeatureSettings {
  readonly d: number;
  readonly width: number;
  /** w_i ~ N(0, wScale² I), b_i ~ U[−bRange, bRange]. */
  readonly wScale: number;
  readonly bRange: number;
  readonly seed: number;
}

export interface RandomFeatureMap {
  readonly width: number;
  /** Standardised features of the rows of X (n×d): n×width, row-major. */
  features(X: Float64Array, n: number): Float64Array;
}

const sig = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Random sigmoid features, standardised with the mean and deviation of the training rows. */
export function randomSigmoidFeatures(s: RandomFeatureSettings, Xtrain: Float64Array, n: number): RandomFeatureMap {
  const r = rng(s.seed, 11);
  const W = normals(r, s.width * s.d, s.wScale);
  const b = Float64Array.from({ length: s.width }, () => (2 * r.uniform() - 1) * s.bRange);
  const raw = (X: Float64Array, rows: number) => {
    const F = new Float64Array(rows * s.width);
    for (let i = 0; i < rows; i++)
      for (let k = 0; k < s.width; k++) {
        let z = b[k];
        for (let j = 0; j < s.d; j++) z += W[k * s.d + j] * X[i * s.d + j];
        F[i * s.width + k] = sig(z);
      }
    return F;
  };
  const F0 = raw(Xtrain, n);
  const mean = new Float64Array(s.width), sd = new Float64Array(s.width);
  for (let k = 0; k < s.width; k++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += F0[i * s.width + k];
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (F0[i * s.width + k] - m) ** 2;
    mean[k] = m;
    sd[k] = Math.sqrt(v / n) || 1;
  }
  return {
    width: s.width,
    features: (X, rows) => {
      const F = raw(X, rows);
      for (let i = 0; i < rows; i++) for (let k = 0; k < s.width; k++) F[i * s.width + k] = (F[i * s.width + k] - mean[k]) / sd[k];
      return F;
    },
  };
}

/** GD on the mean logistic loss of σ(uᵀφ + c) against labels in {0, 1}; returns (u, c). */
export function trainOutputLayer(F: Float64Array, y: ArrayLike<number>, n: number, width: number, eta: number, steps: number): { u: Float64Array; c: number } {
  const u = new Float64Array(width);
  let c = 0;
  const g = new Float64Array(width);
  for (let t = 0; t < steps; t++) {
    g.fill(0);
    let gc = 0;
    for (let i = 0; i < n; i++) {
      let z = c;
      for (let k = 0; k < width; k++) z += u[k] * F[i * width + k];
      const e = (sig(z) - y[i]) / n;
      gc += e;
      for (let k = 0; k < width; k++) g[k] += e * F[i * width + k];
    }
    for (let k = 0; k < width; k++) u[k] -= eta * g[k];
    c -= eta * gc;
  }
  return { u, c };
}

/** Fraction of rows misclassified by σ(uᵀφ + c) ≥ 1/2. */
export function classificationError(F: Float64Array, y: ArrayLike<number>, rows: number, model: { u: Float64Array; c: number }): number {
  let wrong = 0;
  for (let i = 0; i < rows; i++) {
    let z = model.c;
    for (let k = 0; k < model.u.length; k++) z += model.u[k] * F[i * model.u.length + k];
    if ((z >= 0 ? 1 : 0) !== y[i]) wrong++;
  }
  return wrong / rows;
}
