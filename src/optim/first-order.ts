/**
 * The classical first-order methods, each a gradient transformation (see transform.ts):
 *   gradient descent and the subgradient method  u = −η_t g
 *   Polyak's heavy ball                           x_{k+1} = x_k − α∇f(x_k) + β(x_k − x_{k−1})
 *   Nesterov / FISTA (Beck & Teboulle 2009)       x_k = y_k − ∇f(y_k)/L,  y_{k+1} = x_k + ((t_k−1)/t_{k+1})(x_k − x_{k−1})
 *   Nesterov with constant momentum               the same with a fixed β
 * The accelerated methods evaluate the gradient at the extrapolated point y: their parameters are
 * y, and the iterate x_k the theorems speak of is in their state.
 */
import { chain, scale, scaleBySchedule, trace, type GradientTransformation, type Params } from './transform.ts';

/** Gradient descent (or the subgradient method) with the step-size schedule η_t. */
export function sgd(schedule: number | ((t: number) => number)): GradientTransformation<unknown> {
  return typeof schedule === 'number' ? scale(-schedule) : scaleBySchedule((t) => -schedule(t));
}

/** Heavy ball: u_k = −α g_k + β u_{k−1}, i.e. x_{k+1} = x_k − α∇f(x_k) + β(x_k − x_{k−1}) with x_{−1} = x_0. */
export function heavyBall(alpha: number, beta: number): GradientTransformation<unknown> {
  return chain(trace(beta), scale(-alpha));
}

export interface ExtrapolatedState {
  /** The iterate x_k = y_k − s∇f(y_k) of the last update (the point whose value the rates bound). */
  readonly x: Float64Array[] | null;
  readonly t: number;
}

function extrapolated(step: number, momentum: (t: number) => { beta: number; tNext: number }): GradientTransformation<ExtrapolatedState> {
  return {
    init: () => ({ x: null, t: 1 }),
    update(g: Params, state, y: Params) {
      const x = y.map((b, i) => b.map((v, j) => v - step * g[i][j]));
      const xPrev = state.x ?? y.map((b) => Float64Array.from(b)); // x_0 = y_1 = the start
      const { beta, tNext } = momentum(state.t);
      const updates = y.map((b, i) => b.map((v, j) => x[i][j] + beta * (x[i][j] - xPrev[i][j]) - v));
      return { updates, state: { x, t: tNext } };
    },
  };
}

/** FISTA without prox (Beck & Teboulle 2009): t_1 = 1, t_{k+1} = (1 + √(1 + 4t_k²))/2, momentum (t_k − 1)/t_{k+1}. */
export function fista(step: number): GradientTransformation<ExtrapolatedState> {
  return extrapolated(step, (t) => {
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    return { beta: (t - 1) / tNext, tNext };
  });
}

/** Nesterov's method with a constant momentum β (the strongly convex tuning β = (√κ − 1)/(√κ + 1)). */
export function nesterovConstant(step: number, beta: number): GradientTransformation<ExtrapolatedState> {
  return extrapolated(step, (t) => ({ beta, tNext: t + 1 }));
}
