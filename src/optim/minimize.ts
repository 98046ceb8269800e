/** Run a gradient transformation on an objective, recording what a theorem traces at each step. */
import type { Objective } from '../models/objectives.ts';
import { applyUpdates, type GradientTransformation } from './transform.ts';

export interface StepView<S> {
  /** Step index: 0 is the start. */
  readonly k: number;
  /** The parameters (for accelerated methods: the extrapolated point y_k). */
  readonly x: Float64Array;
  /** The optimizer's state after the update that led here (null at k = 0). */
  readonly state: S | null;
}

/**
 * `steps` updates of `opt` on `f` from x0; `record` sees the start and every iterate. Stops early at
 * a non-finite value and says so.
 */
export function minimize<S>(f: Objective, opt: GradientTransformation<S>, x0: Float64Array, steps: number, record: (v: StepView<S>) => number): { steps: number; stopped?: string } {
  let x: Float64Array = Float64Array.from(x0);
  let state = opt.init([x]);
  let last: S | null = null;
  const g = new Float64Array(f.d);
  for (let k = 0; ; k++) {
    const value = record({ k, x, state: last });
    if (!Number.isFinite(value)) return { steps: k, stopped: `non-finite value at step ${k}` };
    if (k === steps) return { steps };
    f.grad(x, g);
    const r = opt.update([g], state, [x]);
    state = r.state;
    last = r.state;
    x = applyUpdates([x], r.updates)[0];
  }
}
