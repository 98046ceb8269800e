/**
 * Automatic gradient descent (Bernstein, Mingard, Huang, Azizan & Yue, arXiv 2304.05187, Algorithm 1,
 * as in jxbz/agd `agd.py`): for a network of depth L with layers W_k ∈ R^{d_k × d_{k−1}},
 *   G = (1/L) Σ_k √(d_k/d_{k−1}) ‖∇_{W_k} ℓ‖_F,   η = log((1 + √(1 + 4G))/2),
 *   ΔW_k = −gain · (η/L) · √(d_k/d_{k−1}) · ∇_{W_k} ℓ / ‖∇_{W_k} ℓ‖_F.
 * The gain is 1 in the paper; a broken regime raises it. G and η are kept in the state for traces.
 */
import { frobeniusNorm } from '../numerics/spectral.ts';
import type { GradientTransformation } from './transform.ts';

export interface AgdState {
  /** Gradient summary and automatic step of the last update (NaN before the first). */
  readonly G: number;
  readonly eta: number;
}

export function gradientSummary(dims: readonly number[], grads: readonly Float64Array[]): number {
  const L = dims.length - 1;
  let G = 0;
  for (let k = 0; k < L; k++) G += Math.sqrt(dims[k + 1] / dims[k]) * frobeniusNorm(grads[k]);
  return G / L;
}

export function agdStepSize(G: number): number {
  return Math.log((1 + Math.sqrt(1 + 4 * G)) / 2);
}

export function agd(dims: readonly number[], gain = 1): GradientTransformation<AgdState> {
  const L = dims.length - 1;
  return {
    init: () => ({ G: NaN, eta: NaN }),
    update(grads) {
      const G = gradientSummary(dims, grads);
      const eta = agdStepSize(G);
      const updates = grads.map((g, k) => {
        const norm = frobeniusNorm(g);
        const c = norm === 0 ? 0 : (-gain * (eta / L) * Math.sqrt(dims[k + 1] / dims[k])) / norm;
        return g.map((v) => c * v);
      });
      return { updates, state: { G, eta } };
    },
  };
}
