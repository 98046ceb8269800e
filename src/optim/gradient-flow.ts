/**
 * Gradient flow ẋ = −∇L(x) of an objective, integrated by the shared Dormand–Prince integrator
 * (src/optim/flow.ts), traced at given output times. The dissipated energy E(t) = ∫₀ᵗ ‖∇L(x(s))‖² ds
 * is integrated alongside as one more state component, so it carries the same error control.
 *
 * `precondition` replaces the field by −P∇L with P diagonal: not a gradient flow (a mutation the
 * energy identity must catch), while E still integrates ‖∇L‖².
 */
import type { Objective } from '../models/objectives.ts';
import { integrate, type FlowSolution } from './flow.ts';

export interface GradientFlowSettings {
  readonly x0: ArrayLike<number>;
  readonly times: readonly number[];
  readonly precondition?: ArrayLike<number>;
  /** Size of the state's components, for the absolute tolerance (default max(1, ‖x0‖∞)). */
  readonly scale?: number;
  readonly maxSteps?: number;
  readonly rtol?: number;
}

export interface GradientFlowTrace {
  readonly times: number[];
  /** x(t_k). */
  readonly states: Float64Array[];
  readonly loss: Float64Array;
  readonly gradNorm2: Float64Array;
  /** ∫₀^{t_k} ‖∇L‖² dt. */
  readonly energy: Float64Array;
  readonly stats: FlowSolution['stats'];
  readonly stopped?: string;
}

export function gradientFlow(obj: Objective, s: GradientFlowSettings): GradientFlowTrace {
  const d = obj.d;
  const g = new Float64Array(d);
  const x = new Float64Array(d);
  const P = s.precondition;
  const rhs = (_t: number, z: Float64Array, dz: Float64Array) => {
    for (let i = 0; i < d; i++) x[i] = z[i];
    obj.grad(x, g);
    let n2 = 0;
    for (let i = 0; i < d; i++) {
      dz[i] = -(P ? P[i] : 1) * g[i];
      n2 += g[i] * g[i];
    }
    dz[d] = n2;
  };
  const z0 = new Float64Array(d + 1);
  let xmax = 0;
  for (let i = 0; i < d; i++) {
    z0[i] = s.x0[i];
    xmax = Math.max(xmax, Math.abs(s.x0[i]));
  }
  const sol = integrate(rhs, z0, s.times, { scale: s.scale ?? Math.max(1, xmax), maxSteps: s.maxSteps, rtol: s.rtol });
  const K = sol.times.length;
  const states: Float64Array[] = [];
  const loss = new Float64Array(K), gradNorm2 = new Float64Array(K), energy = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const xk = sol.states[k].slice(0, d);
    states.push(xk);
    loss[k] = obj.value(xk);
    obj.grad(xk, g);
    gradNorm2[k] = g.reduce((a, v) => a + v * v, 0);
    energy[k] = sol.states[k][d];
  }
  return { times: sol.times, states, loss, gradNorm2, energy, stats: sol.stats, ...(sol.stopped ? { stopped: sol.stopped } : {}) };
}
