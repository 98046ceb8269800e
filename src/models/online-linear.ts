/**
 * Periodic online linear problems on a box (online convex optimisation, the setting of Kingma &
 * Ba's Theorem 4.1 and Reddi, Kale & Kumar's counterexample): at round t = 1, 2, ... the loss is
 * f_t(x) = ⟨g_t, x⟩ with g_t = pattern[(t − 1) mod p], on F = [−R, R]^d. A projected method plays
 * x_t, sees g_t, and updates x_{t+1} = Π_F(x_t + u_t).
 *
 * Regret against the best fixed point in hindsight, for every T:
 *   R(T) = Σ_{t≤T} ⟨g_t, x_t⟩ − min_{x∈F} Σ_{t≤T} ⟨g_t, x⟩ = Σ_{t≤T} ⟨g_t, x_t⟩ + R ‖Σ_{t≤T} g_t‖₁,
 * exact (a linear function's minimum over a box is at a vertex). Reddi et al.'s instance is
 * d = 1, R = 1, pattern (C, −1, −1).
 */
import { applyUpdates, type GradientTransformation } from '../optim/transform.ts';
import { projectBox } from '../optim/adaptive.ts';

export interface PeriodicLinear {
  readonly d: number;
  /** p gradients of dimension d, played in turn. */
  readonly pattern: readonly (readonly number[])[];
  /** The box F = [−R, R]^d. */
  readonly radius: number;
}

export interface OnlineTrace {
  /** R(T) at T = 0, 1, ..., steps (R(0) = 0). */
  readonly regret: Float64Array;
  /** The first coordinate of the iterates: index t holds x_{t+1} (index 0 is x_1). */
  readonly x: Float64Array;
  /** Optional per-round readings of the method's state (e.g. Adam's v̂), by name. */
  readonly extra: Record<string, Float64Array>;
}

/** Largest |g_{t,i}| and ‖g_t‖₂ over the pattern: G∞ and G of bounded-gradient hypotheses. */
export function gradientBounds(p: PeriodicLinear): { gInf: number; g2: number } {
  let gInf = 0;
  let g2 = 0;
  for (const g of p.pattern) {
    gInf = Math.max(gInf, ...g.map(Math.abs));
    g2 = Math.max(g2, Math.sqrt(g.reduce((s, v) => s + v * v, 0)));
  }
  return { gInf, g2 };
}

/**
 * Play `method` for `steps` rounds from x_1, projecting onto the box. `read(state, t)` may return
 * named readings of the method's state after round t (index t of `extra`).
 */
export function playOnline<S>(
  p: PeriodicLinear,
  method: GradientTransformation<S>,
  x1: readonly number[],
  steps: number,
  read?: (state: S, t: number, g: readonly number[]) => Record<string, number>,
): OnlineTrace {
  const { d, pattern, radius } = p;
  let x: Float64Array[] = projectBox([Float64Array.from(x1)], -radius, radius);
  let state = method.init(x);
  const regret = new Float64Array(steps + 1);
  const xs = new Float64Array(steps + 1);
  const extra: Record<string, Float64Array> = {};
  const cum = new Float64Array(d);
  let played = 0;
  xs[0] = x[0][0];
  for (let t = 1; t <= steps; t++) {
    const g = pattern[(t - 1) % pattern.length];
    for (let i = 0; i < d; i++) {
      played += g[i] * x[0][i];
      cum[i] += g[i];
    }
    let best = 0;
    for (let i = 0; i < d; i++) best += Math.abs(cum[i]);
    regret[t] = played + radius * best;
    const r = method.update([Float64Array.from(g)], state, x);
    state = r.state;
    x = projectBox(applyUpdates(x, r.updates), -radius, radius);
    if (t < steps + 1) xs[t] = x[0][0];
    if (read)
      for (const [k, v] of Object.entries(read(state, t, g))) {
        extra[k] ??= new Float64Array(steps + 1);
        extra[k][t] = v;
      }
  }
  return { regret, x: xs, extra };
}
