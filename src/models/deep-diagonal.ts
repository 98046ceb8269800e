/**
 * Deep diagonal linear reparameterisations x = w_1 ⊙ w_2 ⊙ … ⊙ w_L (Jacobs, Zhou & Burkholz) on the
 * regression loss f(x) = (1/2n)‖Ax − b‖², in float64, trained by the steepest-descent family:
 * sign descent (with decoupled or coupled weight decay), Adam, plain gradient descent, and
 * gradient flow (through the shared integrator).
 *
 * Parameters are stored layer-major: W[l·d + j] is factor l of coordinate j.
 */
import { integrate } from '../optim/flow.ts';

export interface DeepDiagonal {
  readonly n: number;
  readonly d: number;
  /** Depth: factors per coordinate. */
  readonly L: number;
  readonly A: Float64Array;
  readonly b: Float64Array;
}

/** x = Π_l w_l. */
export function product(p: DeepDiagonal, W: ArrayLike<number>): Float64Array {
  const x = new Float64Array(p.d).fill(1);
  for (let l = 0; l < p.L; l++) for (let j = 0; j < p.d; j++) x[j] *= W[l * p.d + j];
  return x;
}

export function deepDiagonalLoss(p: DeepDiagonal, W: ArrayLike<number>): number {
  const x = product(p, W);
  let s = 0;
  for (let i = 0; i < p.n; i++) {
    let r = -p.b[i];
    for (let j = 0; j < p.d; j++) r += p.A[i * p.d + j] * x[j];
    s += r * r;
  }
  return s / (2 * p.n);
}

/** ∂f/∂W: g_j Π_{m≠l} w_{m,j}, with g = ∇_x f = Aᵀ(Ax − b)/n. */
export function deepDiagonalGrad(p: DeepDiagonal, W: ArrayLike<number>, out = new Float64Array(p.L * p.d)): Float64Array {
  const { n, d, L, A, b } = p;
  const x = product(p, W);
  const g = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    let r = -b[i];
    for (let j = 0; j < d; j++) r += A[i * d + j] * x[j];
    for (let j = 0; j < d; j++) g[j] += (A[i * d + j] * r) / n;
  }
  for (let l = 0; l < L; l++)
    for (let j = 0; j < d; j++) {
      let others = 1;
      for (let m = 0; m < L; m++) if (m !== l) others *= W[m * d + j];
      out[l * d + j] = g[j] * others;
    }
  return out;
}

export type Optimizer =
  | { readonly kind: 'sign'; readonly eta: number; readonly decoupledDecay?: number }
  | { readonly kind: 'sign-coupled-decay'; readonly eta: number; readonly decay: number }
  | { readonly kind: 'adam'; readonly eta: number; readonly beta1: number; readonly beta2: number; readonly epsilon: number }
  | { readonly kind: 'gd'; readonly eta: number };

/**
 * `steps` steps of the optimizer from W0; `observe(k, W)` sees every iterate (k = 0 … steps) and may
 * return true to stop early. Sign descent: W ← (1 − ηλ)W − η sign(∇f) (decoupled decay λ, as in
 * AdamW); coupled decay: W ← W − η sign(∇f + λW); Adam with bias correction.
 */
export function trainDeepDiagonal(p: DeepDiagonal, W0: ArrayLike<number>, opt: Optimizer, steps: number, observe: (k: number, W: Float64Array) => boolean | void): number {
  const W = Float64Array.from(W0);
  const g = new Float64Array(W.length);
  const m = new Float64Array(W.length);
  const v = new Float64Array(W.length);
  if (observe(0, W)) return 0;
  for (let k = 1; k <= steps; k++) {
    deepDiagonalGrad(p, W, g);
    switch (opt.kind) {
      case 'sign': {
        const shrink = 1 - opt.eta * (opt.decoupledDecay ?? 0);
        for (let q = 0; q < W.length; q++) W[q] = shrink * W[q] - opt.eta * Math.sign(g[q]);
        break;
      }
      case 'sign-coupled-decay':
        for (let q = 0; q < W.length; q++) W[q] -= opt.eta * Math.sign(g[q] + opt.decay * W[q]);
        break;
      case 'adam': {
        const c1 = 1 - opt.beta1 ** k, c2 = 1 - opt.beta2 ** k;
        for (let q = 0; q < W.length; q++) {
          m[q] = opt.beta1 * m[q] + (1 - opt.beta1) * g[q];
          v[q] = opt.beta2 * v[q] + (1 - opt.beta2) * g[q] * g[q];
          W[q] -= (opt.eta * (m[q] / c1)) / (Math.sqrt(v[q] / c2) + opt.epsilon);
        }
        break;
      }
      case 'gd':
        for (let q = 0; q < W.length; q++) W[q] -= opt.eta * g[q];
        break;
    }
    if (observe(k, W)) return k;
  }
  return steps;
}

/** Gradient flow of f(Π_l w_l) from W0 until the loss first falls to `target`: the time it takes (Infinity if not by maxTime). */
export function gradientFlowTimeTo(p: DeepDiagonal, W0: ArrayLike<number>, target: number, maxTime: number): number {
  const g = new Float64Array(p.L * p.d);
  const sol = integrate(
    (_t, W, dW) => {
      deepDiagonalGrad(p, W, g);
      for (let q = 0; q < W.length; q++) dW[q] = -g[q];
    },
    W0,
    [0, maxTime],
    { atol: 1e-30, event: (_t, W) => target - deepDiagonalLoss(p, W), maxSteps: 200_000 },
  );
  return sol.eventTime ?? Infinity;
}
