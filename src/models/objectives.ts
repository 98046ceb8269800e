/**
 * Smooth objectives in float64 with hand-written gradients, for the gradient-flow theorems:
 * least squares, logistic regression, a nonconvex function satisfying the PL inequality, a
 * separable quartic (which does not), and a two-factor diagonal network. Each is checked against
 * finite differences in test/flow-theorems.test.ts.
 */
import { matVec } from '../numerics/linalg.ts';

export interface Objective {
  readonly dim: number;
  readonly value: (x: Float64Array) => number;
  /** Writes ∇L(x) into `out`. */
  readonly grad: (x: Float64Array, out: Float64Array) => void;
}

/** L(w) = (1/2n)‖Xw − y‖², X n×d row-major. */
export function leastSquares(X: Float64Array, y: Float64Array, n: number, d: number): Objective {
  const r = new Float64Array(n);
  const residual = (w: Float64Array) => {
    matVec(X, n, d, w, r);
    for (let i = 0; i < n; i++) r[i] -= y[i];
    return r;
  };
  return {
    dim: d,
    value: (w) => {
      const res = residual(w);
      let s = 0;
      for (let i = 0; i < n; i++) s += res[i] * res[i];
      return s / (2 * n);
    },
    grad: (w, out) => {
      const res = residual(w);
      out.fill(0);
      for (let i = 0; i < n; i++) {
        const ri = res[i] / n;
        for (let j = 0; j < d; j++) out[j] += X[i * d + j] * ri;
      }
    },
  };
}

/** log(1 + e^{−z}) without overflow. */
export function logistic(z: number): number {
  return z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
}

/** 1/(1 + e^{z}) = −d/dz log(1 + e^{−z}), without overflow. */
function logisticSlope(z: number): number {
  return z > 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
}

/** L(w) = Σ_i log(1 + exp(−y_i⟨x_i, w⟩)) (a sum, as in Soudry et al.), labels ±1. */
export function logisticLoss(X: Float64Array, y: Float64Array, n: number, d: number): Objective {
  const z = new Float64Array(n);
  const margins = (w: Float64Array) => {
    matVec(X, n, d, w, z);
    for (let i = 0; i < n; i++) z[i] *= y[i];
    return z;
  };
  return {
    dim: d,
    value: (w) => margins(w).reduce((s, v) => s + logistic(v), 0),
    grad: (w, out) => {
      const m = margins(w);
      out.fill(0);
      for (let i = 0; i < n; i++) {
        const c = -logisticSlope(m[i]) * y[i];
        for (let j = 0; j < d; j++) out[j] += c * X[i * d + j];
      }
    },
  };
}

/** L(x) = Σ a_i (x_i² + 3 sin² x_i): nonconvex, yet PL (Karimi, Nutini & Schmidt 2016). */
export function sinePlusQuadratic(a: Float64Array): Objective {
  return {
    dim: a.length,
    value: (x) => x.reduce((s, v, i) => s + a[i] * (v * v + 3 * Math.sin(v) ** 2), 0),
    grad: (x, out) => {
      for (let i = 0; i < a.length; i++) out[i] = a[i] * (2 * x[i] + 3 * Math.sin(2 * x[i]));
    },
  };
}

/**
 * The PL constant of g(x) = x² + 3 sin² x: inf over x ≠ 0 of ½ g′(x)² / g(x). The ratio tends to 2
 * as x → 0 and to 2 as |x| → ∞, so the infimum is attained on a bounded interval: a grid on
 * (0, 20] refined by golden-section search (g is even).
 */
export function sinePlusQuadraticPL(): number {
  const ratio = (x: number) => (0.5 * (2 * x + 3 * Math.sin(2 * x)) ** 2) / (x * x + 3 * Math.sin(x) ** 2);
  let best = 1e-3;
  for (let x = 1e-3; x <= 20; x += 1e-3) if (ratio(x) < ratio(best)) best = x;
  let lo = best - 1e-3, hi = best + 1e-3;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 100; i++) {
    const a = hi - g * (hi - lo), b = lo + g * (hi - lo);
    if (ratio(a) < ratio(b)) hi = b;
    else lo = a;
  }
  return ratio(0.5 * (lo + hi));
}

/** L(x) = Σ a_i x_i⁴: smooth on bounded sets, minimum 0, and not PL (½‖∇L‖²/L = 8 a_i x_i² → 0). */
export function quartic(a: Float64Array): Objective {
  return {
    dim: a.length,
    value: (x) => x.reduce((s, v, i) => s + a[i] * v ** 4, 0),
    grad: (x, out) => {
      for (let i = 0; i < a.length; i++) out[i] = 4 * a[i] * x[i] ** 3;
    },
  };
}

/** L(u, v) = (1/2n)‖X(u⊙v) − y‖², the state being [u; v] (2d numbers): nonconvex. */
export function twoFactorDiagonal(X: Float64Array, y: Float64Array, n: number, d: number): Objective {
  const ls = leastSquares(X, y, n, d);
  const w = new Float64Array(d);
  const g = new Float64Array(d);
  const product = (s: Float64Array) => {
    for (let j = 0; j < d; j++) w[j] = s[j] * s[d + j];
    return w;
  };
  return {
    dim: 2 * d,
    value: (s) => ls.value(product(s)),
    grad: (s, out) => {
      ls.grad(product(s), g);
      for (let j = 0; j < d; j++) {
        out[j] = g[j] * s[d + j];
        out[d + j] = g[j] * s[j];
      }
    },
  };
}

/** Central finite-difference gradient (for tests). */
export function numericGrad(obj: Objective, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(obj.dim);
  const xp = Float64Array.from(x);
  for (let i = 0; i < obj.dim; i++) {
    xp[i] = x[i] + h;
    const fp = obj.value(xp);
    xp[i] = x[i] - h;
    const fm = obj.value(xp);
    xp[i] = x[i];
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}
