/**
 * Objectives in float64, each with its value and a (sub)gradient: the test functions of the
 * classical rates (with the constants the theorems need in closed form), and the smooth objectives
 * of the gradient-flow theorems (least squares, logistic regression, a PL function, a quartic that
 * is not PL, a two-factor diagonal network). Every gradient is checked against central finite
 * differences in test/optim.test.ts and test/flow-models.test.ts.
 */
import { symEig } from '../numerics/eigen.ts';
import { matVec } from '../numerics/linalg.ts';

export interface Objective {
  readonly d: number;
  value(x: ArrayLike<number>): number;
  /** A gradient (a subgradient where f is not differentiable), written into `out`. */
  grad(x: ArrayLike<number>, out?: Float64Array): Float64Array;
}

/** f(x) = ½ (x − x*)ᵀ A (x − x*): f* = 0, L = λmax(A), μ = λmin(A). A symmetric d×d row-major. */
export function quadratic(A: Float64Array, xStar: Float64Array): Objective {
  const d = xStar.length;
  const e = new Float64Array(d);
  return {
    d,
    value(x) {
      for (let i = 0; i < d; i++) e[i] = x[i] - xStar[i];
      let s = 0;
      for (let i = 0; i < d; i++) {
        let v = 0;
        for (let j = 0; j < d; j++) v += A[i * d + j] * e[j];
        s += e[i] * v;
      }
      return 0.5 * s;
    },
    grad(x, out = new Float64Array(d)) {
      for (let i = 0; i < d; i++) e[i] = x[i] - xStar[i];
      for (let i = 0; i < d; i++) {
        let v = 0;
        for (let j = 0; j < d; j++) v += A[i * d + j] * e[j];
        out[i] = v;
      }
      return out;
    },
  };
}

/**
 * Radial Huber function f(x) = h(‖x − x*‖), h(r) = L r²/2 for r ≤ τ and Lτ(r − τ/2) beyond: convex,
 * L-smooth, f* = 0. In one dimension it is the function on which gradient descent's
 * L‖x0 − x*‖²/(4kLη + 2) is attained (Drori & Teboulle 2014).
 */
export function radialHuber(L: number, tau: number, xStar: Float64Array): Objective {
  const d = xStar.length;
  const dist = (x: ArrayLike<number>) => {
    let s = 0;
    for (let i = 0; i < d; i++) s += (x[i] - xStar[i]) ** 2;
    return Math.sqrt(s);
  };
  return {
    d,
    value(x) {
      const r = dist(x);
      return r <= tau ? 0.5 * L * r * r : L * tau * (r - tau / 2);
    },
    grad(x, out = new Float64Array(d)) {
      const r = dist(x);
      const c = r <= tau ? L : (L * tau) / r;
      for (let i = 0; i < d; i++) out[i] = c * (x[i] - xStar[i]);
      return out;
    },
  };
}

/**
 * f(x) = Σ_i a_i log(1 + (q_iᵀx − c_i)²), q_i the rows of an orthogonal Q: non-convex, bounded
 * below by f_inf = 0 (attained), and L-smooth with L = 2·max a_i, since
 * (log(1 + s²))'' = 2(1 − s²)/(1 + s²)² ∈ [−1/4, 2].
 */
export function sumLogOnePlusSquares(Q: Float64Array, a: Float64Array, c: Float64Array): Objective {
  const d = a.length;
  const s = new Float64Array(d);
  const proj = (x: ArrayLike<number>) => {
    for (let i = 0; i < d; i++) {
      let v = 0;
      for (let j = 0; j < d; j++) v += Q[i * d + j] * x[j];
      s[i] = v - c[i];
    }
  };
  return {
    d,
    value(x) {
      proj(x);
      let f = 0;
      for (let i = 0; i < d; i++) f += a[i] * Math.log1p(s[i] * s[i]);
      return f;
    },
    grad(x, out = new Float64Array(d)) {
      proj(x);
      out.fill(0);
      for (let i = 0; i < d; i++) {
        const w = (2 * a[i] * s[i]) / (1 + s[i] * s[i]);
        for (let j = 0; j < d; j++) out[j] += w * Q[i * d + j];
      }
      return out;
    },
  };
}

/** f(x) = x² + a·sin²(x) in one dimension (Karimi, Nutini & Schmidt's PL example has a = 3): f* = 0 at 0, L = 2 + 2|a|. */
export function plSine(a: number): Objective {
  return {
    d: 1,
    value: (x) => x[0] * x[0] + a * Math.sin(x[0]) ** 2,
    grad: (x, out = new Float64Array(1)) => ((out[0] = 2 * x[0] + a * Math.sin(2 * x[0])), out),
  };
}

/** The PL ratio f'(x)²/(2(f(x) − f*)) of plSine(a), whose infimum over x ≠ 0 is its PL constant. */
export function plSineRatio(a: number, x: number): number {
  const f = x * x + a * Math.sin(x) ** 2;
  const g = 2 * x + a * Math.sin(2 * x);
  return (g * g) / (2 * f);
}

function sign(v: number): number {
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

/** f(x) = ‖x − c‖₁: convex, √d-Lipschitz in ‖·‖₂, f* = 0 at c; subgradient sign(x − c) (0 at ties). */
export function l1Distance(c: Float64Array): Objective {
  const d = c.length;
  return {
    d,
    value(x) {
      let s = 0;
      for (let i = 0; i < d; i++) s += Math.abs(x[i] - c[i]);
      return s;
    },
    grad(x, out = new Float64Array(d)) {
      for (let i = 0; i < d; i++) out[i] = sign(x[i] - c[i]);
      return out;
    },
  };
}

/**
 * f(x) = max_i |a_iᵀx − b_i| for A (m×d, row-major): convex, G-Lipschitz with G = max_i ‖a_i‖;
 * with b = A x*, f* = 0 at x*. Subgradient sign(r_j) a_j at the first maximising row j.
 */
export function maxAbsAffine(A: Float64Array, m: number, b: Float64Array): Objective {
  const d = A.length / m;
  const residual = (x: ArrayLike<number>, j: number) => {
    let v = -b[j];
    for (let i = 0; i < d; i++) v += A[j * d + i] * x[i];
    return v;
  };
  const argmax = (x: ArrayLike<number>) => {
    let best = 0;
    let bestAbs = -1;
    for (let j = 0; j < m; j++) {
      const r = Math.abs(residual(x, j));
      if (r > bestAbs) [best, bestAbs] = [j, r];
    }
    return best;
  };
  return {
    d,
    value: (x) => Math.abs(residual(x, argmax(x))),
    grad(x, out = new Float64Array(d)) {
      const j = argmax(x);
      const s = sign(residual(x, j));
      for (let i = 0; i < d; i++) out[i] = s * A[j * d + i];
      return out;
    },
  };
}

/** f(x) = min(‖x − c‖₁, h): the ℓ1 distance capped at h, f* = 0 at c, not convex for finite h. */
export function cappedL1(c: Float64Array, h: number): Objective {
  const base = l1Distance(c);
  return {
    d: base.d,
    value: (x) => Math.min(base.value(x), h),
    grad(x, out = new Float64Array(base.d)) {
      if (base.value(x) < h) return base.grad(x, out);
      return out.fill(0);
    },
  };
}

/**
 * Lessard, Recht & Packard's one-dimensional function, μ = 1-strongly convex and L = 25-smooth but
 * not quadratic: f(x) = 25x²/2 for x < 1; x²/2 + 24x − 12 for 1 ≤ x < 2; 25x²/2 − 24x + 36 for x ≥ 2.
 * f* = 0 at x* = 0.
 */
export function lessardRechtPackard(): Objective {
  return {
    d: 1,
    value(v) {
      const x = v[0];
      if (x < 1) return 12.5 * x * x;
      if (x < 2) return 0.5 * x * x + 24 * x - 12;
      return 12.5 * x * x - 24 * x + 36;
    },
    grad(v, out = new Float64Array(1)) {
      const x = v[0];
      out[0] = x < 1 ? 25 * x : x < 2 ? x + 24 : 25 * x - 24;
      return out;
    },
  };
}

/**
 * Nesterov's worst function for first-order methods in dimension n (Introductory Lectures, §2.1.2):
 * f(x) = (L/4)(½[x_1² + Σ_{i<n}(x_i − x_{i+1})² + x_n²] − x_1), so ∇f = (L/4)(A x − e_1) with A the
 * tridiagonal (−1, 2, −1) matrix; x*_i = 1 − i/(n+1), f* = (L/8)(−1 + 1/(n+1)).
 */
export function nesterovWorst(n: number, L: number): Objective & { readonly xStar: Float64Array; readonly fStar: number } {
  const xStar = Float64Array.from({ length: n }, (_, i) => 1 - (i + 1) / (n + 1));
  const Ax = (x: ArrayLike<number>, i: number) => 2 * x[i] - (i > 0 ? x[i - 1] : 0) - (i < n - 1 ? x[i + 1] : 0);
  return {
    d: n,
    xStar,
    fStar: (L / 8) * (-1 + 1 / (n + 1)),
    value(x) {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[i] * Ax(x, i);
      return (L / 4) * (0.5 * s - x[0]);
    },
    grad(x, out = new Float64Array(n)) {
      for (let i = 0; i < n; i++) out[i] = (L / 4) * (Ax(x, i) - (i === 0 ? 1 : 0));
      return out;
    },
  };
}

/** Largest and smallest eigenvalue of a symmetric d×d matrix (float64). */
export function extremeEigenvalues(A: Float64Array, d: number): { min: number; max: number } {
  const v = symEig({ n: d, data: A }).values;
  return { min: v[0], max: v[d - 1] };
}

// Smooth objectives of the gradient-flow theorems.

/** L(w) = (1/2n)‖Xw − y‖², X n×d row-major. */
export function leastSquares(X: Float64Array, y: Float64Array, n: number, d: number): Objective {
  const r = new Float64Array(n);
  const residual = (w: ArrayLike<number>) => {
    matVec(X, n, d, w, r);
    for (let i = 0; i < n; i++) r[i] -= y[i];
    return r;
  };
  return {
    d,
    value: (w) => {
      const res = residual(w);
      let s = 0;
      for (let i = 0; i < n; i++) s += res[i] * res[i];
      return s / (2 * n);
    },
    grad: (w, out = new Float64Array(d)) => {
      const res = residual(w);
      out.fill(0);
      for (let i = 0; i < n; i++) {
        const ri = res[i] / n;
        for (let j = 0; j < d; j++) out[j] += X[i * d + j] * ri;
      }
      return out;
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
  const margins = (w: ArrayLike<number>) => {
    matVec(X, n, d, w, z);
    for (let i = 0; i < n; i++) z[i] *= y[i];
    return z;
  };
  return {
    d,
    value: (w) => {
      const m = margins(w);
      let s = 0;
      for (let i = 0; i < n; i++) s += logistic(m[i]);
      return s;
    },
    grad: (w, out = new Float64Array(d)) => {
      const m = margins(w);
      out.fill(0);
      for (let i = 0; i < n; i++) {
        const c = -logisticSlope(m[i]) * y[i];
        for (let j = 0; j < d; j++) out[j] += c * X[i * d + j];
      }
      return out;
    },
  };
}

/** L(x) = Σ a_i (x_i² + 3 sin² x_i): nonconvex, yet PL (Karimi, Nutini & Schmidt 2016). */
export function sinePlusQuadratic(a: Float64Array): Objective {
  return {
    d: a.length,
    value: (x) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i] * (x[i] * x[i] + 3 * Math.sin(x[i]) ** 2);
      return s;
    },
    grad: (x, out = new Float64Array(a.length)) => {
      for (let i = 0; i < a.length; i++) out[i] = a[i] * (2 * x[i] + 3 * Math.sin(2 * x[i]));
      return out;
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
    d: a.length,
    value: (x) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i] * x[i] ** 4;
      return s;
    },
    grad: (x, out = new Float64Array(a.length)) => {
      for (let i = 0; i < a.length; i++) out[i] = 4 * a[i] * x[i] ** 3;
      return out;
    },
  };
}

/** L(u, v) = (1/2n)‖X(u⊙v) − y‖², the state being [u; v] (2d numbers): nonconvex. */
export function twoFactorDiagonal(X: Float64Array, y: Float64Array, n: number, d: number): Objective {
  const ls = leastSquares(X, y, n, d);
  const w = new Float64Array(d);
  const g = new Float64Array(d);
  const product = (s: ArrayLike<number>) => {
    for (let j = 0; j < d; j++) w[j] = s[j] * s[d + j];
    return w;
  };
  return {
    d: 2 * d,
    value: (s) => ls.value(product(s)),
    grad: (s, out = new Float64Array(2 * d)) => {
      ls.grad(product(s), g);
      for (let j = 0; j < d; j++) {
        out[j] = g[j] * s[d + j];
        out[d + j] = g[j] * s[j];
      }
      return out;
    },
  };
}

/** Central finite-difference gradient (for tests). */
export function numericGrad(obj: Objective, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(obj.d);
  const xp = Float64Array.from(x);
  for (let i = 0; i < obj.d; i++) {
    xp[i] = x[i] + h;
    const fp = obj.value(xp);
    xp[i] = x[i] - h;
    const fm = obj.value(xp);
    xp[i] = x[i];
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}
