/**
 * Optimizers as gradient transformations (the optax design): a transformation turns gradients into
 * updates, keeping its own state; `chain` composes them; `applyUpdates` adds updates to parameters.
 * One transformation per function, so an algorithm reads as the chain of its steps, e.g. heavy ball
 * is `chain(trace(β), scale(−α))`.
 *
 * Parameters are a list of blocks (a vector, or one block per layer), each a Float64Array; updates
 * have the same blocks. Everything is float64.
 */
export type Params = readonly Float64Array[];
export type Updates = Float64Array[];

export interface GradientTransformation<S = unknown> {
  init(params: Params): S;
  /** `params` are the parameters at which `grads` was computed. */
  update(grads: Params, state: S, params: Params): { updates: Updates; state: S };
}

export function zerosLike(p: Params): Float64Array[] {
  return p.map((b) => new Float64Array(b.length));
}

export function copy(p: Params): Float64Array[] {
  return p.map((b) => Float64Array.from(b));
}

export function applyUpdates(params: Params, updates: Params): Float64Array[] {
  return params.map((b, i) => {
    const out = Float64Array.from(b);
    const u = updates[i];
    for (let j = 0; j < out.length; j++) out[j] += u[j];
    return out;
  });
}

/** Apply the transformations in order, each to the previous one's output. */
export function chain(...ts: GradientTransformation<any>[]): GradientTransformation<unknown[]> {
  return {
    init: (params) => ts.map((t) => t.init(params)),
    update(grads, state, params) {
      let g: Params = grads;
      const next: unknown[] = [];
      ts.forEach((t, i) => {
        const r = t.update(g, state[i], params);
        g = r.updates;
        next.push(r.state);
      });
      return { updates: g as Updates, state: next };
    },
  };
}

/** u = c·g. */
export function scale(c: number): GradientTransformation<null> {
  return {
    init: () => null,
    update: (g) => ({
      updates: g.map((b) => {
        const out = new Float64Array(b.length);
        for (let j = 0; j < b.length; j++) out[j] = c * b[j];
        return out;
      }),
      state: null,
    }),
  };
}

/** u_t = s(t)·g_t, with t = 0, 1, ... counting the updates (a step-size schedule, e.g. drawn by fast-check). */
export function scaleBySchedule(s: (t: number) => number): GradientTransformation<{ t: number }> {
  return {
    init: () => ({ t: 0 }),
    update: (g, { t }) => {
      const c = s(t);
      return { updates: g.map((b) => b.map((v) => c * v)), state: { t: t + 1 } };
    },
  };
}

/** Momentum accumulator: m_t = β·m_{t−1} + g_t, u_t = m_t (m_{−1} = 0). */
export function trace(beta: number): GradientTransformation<{ m: Float64Array[] | null }> {
  return {
    init: () => ({ m: null }),
    update(g, { m }) {
      const next = g.map((b, i) => b.map((v, j) => v + (m ? beta * m[i][j] : 0)));
      return { updates: next.map((b) => Float64Array.from(b)), state: { m: next } };
    },
  };
}
