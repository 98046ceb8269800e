/**
 * Duality structure gradient descent (Flynn, arXiv 1708.00523), deterministic form: the parameters
 * are blocks (layers), block i has a parameter-dependent norm ‖·‖_{w,i} in which the loss is
 * 1-smooth along that block; with Euclidean blocks this is ‖δ‖_{w,i} = √L_i(w)·‖δ‖_F, whose dual norm
 * is ‖g‖_F/√L_i(w) and whose duality map is g/L_i(w). Each step updates one block, the one with the
 * best guaranteed decrease ‖D_iJ‖²_{w,i,*}/2 = ‖∇_i J‖_F²/(2 L_i(w)):
 *   i_t = argmax_i ‖∇_i J‖²/L_i(w_t),   w^{i_t} ← w^{i_t} − ∇_{i_t} J / L_{i_t}(w_t).
 * `layerConstants(w)` gives L_i(w); the model supplies it (see models/two-layer-tanh.ts).
 */
import type { GradientTransformation, Params } from './transform.ts';

export interface DsgdState {
  /** Block updated by the last step (−1 before the first). */
  readonly chosen: number;
  /** max_i ‖∇_i J‖²/L_i at the last step's start: the stationarity measure. */
  readonly stationarity: number;
  /** L_i(w) at the last step's start. */
  readonly constants: readonly number[];
}

function sq(g: Float64Array): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i] * g[i];
  return s;
}

export function dsgd(layerConstants: (params: Params) => readonly number[]): GradientTransformation<DsgdState> {
  return {
    init: () => ({ chosen: -1, stationarity: NaN, constants: [] }),
    update(grads, _state, params) {
      const constants = layerConstants(params);
      let chosen = 0;
      let best = -Infinity;
      grads.forEach((g, i) => {
        const score = sq(g) / constants[i];
        if (score > best) [chosen, best] = [i, score];
      });
      const updates = grads.map((g, i) => (i === chosen ? g.map((v) => -v / constants[i]) : new Float64Array(g.length)));
      return { updates, state: { chosen, stationarity: best, constants } };
    },
  };
}
