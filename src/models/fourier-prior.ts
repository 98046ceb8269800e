/**
 * The GP-like prior the learned black-box optimizer is meta-trained on (Chen et al., arXiv
 * 1611.03824, approximated): random Fourier features in 1-D,
 *   f(x) = √(2/D) Σ_k a_k cos(ω_k x + β_k),  a ~ N(0, 1), ω ~ N(0, 1/ℓ²), β ~ U[0, 2π], D = 32,
 * a squared-exponential GP of length scale ℓ as D → ∞. Drawn and evaluated in float64.
 */
import { normals, type Rng } from '../numerics/random.ts';

export interface FourierFunction {
  readonly a: Float64Array;
  readonly omega: Float64Array;
  readonly beta: Float64Array;
}

/** Random features per function. */
export const FOURIER_FEATURES = 32;
const FEATURES = FOURIER_FEATURES;

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

/** f'(x). */
export function fourierSlope(f: FourierFunction, x: number): number {
  let s = 0;
  for (let k = 0; k < FEATURES; k++) s -= f.a[k] * f.omega[k] * Math.sin(f.omega[k] * x + f.beta[k]);
  return s * Math.sqrt(2 / FEATURES);
}

/**
 * min and max of f on [0, 1] on a grid (for the normalised regret): 2001 points by default; a grid
 * of spacing ℓ/10 or finer misses the extrema by about f''·h²/8, under 1e-3 of the range.
 */
export function fourierRange(f: FourierFunction, points = 2001): { min: number; max: number } {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < points; i++) {
    const v = fourierValue(f, i / (points - 1));
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { min, max };
}
