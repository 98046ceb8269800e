/**
 * Reference solutions for the implicit-bias theorems, computed in float64 independently of any
 * training run:
 *   minimum-ℓ2 interpolant  w† = Xᵀ(XXᵀ)⁻¹y (Cholesky, one step of iterative refinement);
 *   minimum-ℓ1 interpolant  argmin ‖w‖₁ s.t. Xw = y: a linear program solved by HiGHS (the
 *                           `highs` package, the HiGHS solver compiled to WebAssembly), then
 *                           polished: on the support the LP found, the equations are re-solved in
 *                           float64; optimality is certified by the LP's dual (‖Xᵀλ‖∞ ≤ 1 and a
 *                           zero duality gap);
 *   max-margin separator    argmin ½‖w‖² s.t. y_i⟨x_i, w⟩ ≥ 1: a convex QP solved by HiGHS, then
 *                           polished on its active set the same way (KKT multipliers checked ≥ 0).
 */
import * as highsModule from 'highs';
import type { Highs } from 'highs';
import { choleskyOrNull } from './linalg.ts';

// The package is CommonJS with an ESM twin: the loader is the default export of either.
type Loader = () => Promise<Highs>;
const highsLoader: Loader = (highsModule as unknown as { default?: Loader }).default ?? (highsModule as unknown as Loader);
let highs: Promise<Highs> | undefined;
function solver(): Promise<Highs> {
  highs ??= highsLoader();
  return highs;
}

/** Cholesky factor L (lower, row-major) of a symmetric positive definite n×n matrix; throws if it is not. */
export function cholesky(A: Float64Array, n: number): Float64Array {
  const L = choleskyOrNull(A, n);
  if (!L) throw new Error(`cholesky: the ${n}×${n} matrix is not positive definite`);
  return L;
}

/** Solve (LLᵀ) x = b. */
export function cholSolve(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * z[k];
    z[i] = s / L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * z[k];
    z[i] = s / L[i * n + i];
  }
  return z;
}

/** Rows of X (r×d) restricted to the columns in `cols`. */
function columns(X: Float64Array, r: number, d: number, cols: readonly number[]): Float64Array {
  const out = new Float64Array(r * cols.length);
  for (let i = 0; i < r; i++) cols.forEach((j, c) => (out[i * cols.length + c] = X[i * d + j]));
  return out;
}

/**
 * The minimum-norm solution of A z = b (A r×m with full row rank r ≤ m): z = Aᵀ(AAᵀ)⁻¹b, refined
 * once against its own residual.
 */
export function minNormSolve(A: Float64Array, r: number, m: number, b: ArrayLike<number>): Float64Array {
  const G = new Float64Array(r * r);
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) {
    let s = 0;
    for (let k = 0; k < m; k++) s += A[i * m + k] * A[j * m + k];
    G[i * r + j] = s;
  }
  const L = cholesky(G, r);
  const z = new Float64Array(m);
  const addAt = (lambda: Float64Array) => {
    for (let i = 0; i < r; i++) for (let k = 0; k < m; k++) z[k] += A[i * m + k] * lambda[i];
  };
  addAt(cholSolve(L, r, b));
  const res = new Float64Array(r);
  for (let i = 0; i < r; i++) {
    let s = b[i];
    for (let k = 0; k < m; k++) s -= A[i * m + k] * z[k];
    res[i] = s;
  }
  addAt(cholSolve(L, r, res));
  return z;
}

/** Minimum-ℓ2 interpolant of Xw = y (X n×d, full row rank). */
export function minL2Interpolant(X: Float64Array, y: ArrayLike<number>, n: number, d: number): Float64Array {
  return minNormSolve(X, n, d, y);
}

/** (I − P)w: the component of w in the null space of X (P projects onto the row space). */
export function nullSpaceComponent(X: Float64Array, n: number, d: number, w: ArrayLike<number>): Float64Array {
  const Xw = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Xw[i] += X[i * d + j] * w[j];
  const row = minNormSolve(X, n, d, Xw);
  return Float64Array.from({ length: d }, (_, j) => w[j] - row[j]);
}

const num = (v: number) => (v >= 0 ? `+ ${v.toPrecision(17)}` : `- ${(-v).toPrecision(17)}`);

export interface L1Solution {
  readonly w: Float64Array;
  readonly support: number[];
  /** ‖Xᵀλ‖∞ for the LP's dual solution λ: ≤ 1 (up to the solver's tolerance) … */
  readonly dualInfNorm: number;
  /** … and |yᵀλ − ‖w‖₁| ≈ 0 together prove w optimal (weak duality). */
  readonly dualGap: number;
}

/**
 * The minimum-ℓ1 interpolant. The LP in standard form: w = p − q, p, q ≥ 0, min Σ(p + q) s.t.
 * X(p − q) = y. HiGHS returns a vertex; on its support S (|S| ≤ n) the equations X_S w_S = y are
 * re-solved in float64 (least squares with refinement).
 */
export async function minL1Interpolant(X: Float64Array, y: ArrayLike<number>, n: number, d: number): Promise<L1Solution> {
  const h = await solver();
  const terms = (i: number) => Array.from({ length: d }, (_, j) => `${num(X[i * d + j])} p${j} ${num(-X[i * d + j])} q${j}`).join(' ');
  const lp = [
    'Minimize',
    ` obj: ${Array.from({ length: d }, (_, j) => `p${j} + q${j}`).join(' + ')}`,
    'Subject To',
    ...Array.from({ length: n }, (_, i) => ` c${i}: ${terms(i)} = ${y[i].toPrecision(17)}`),
    'End',
  ].join('\n');
  const r = h.solve(lp, { primal_feasibility_tolerance: 1e-10, dual_feasibility_tolerance: 1e-10 });
  if (r.Status !== 'Optimal') throw new Error(`minL1Interpolant: HiGHS status ${r.Status}`);
  const cols = r.Columns as Record<string, { Primal: number }>;
  const lpW = Float64Array.from({ length: d }, (_, j) => cols[`p${j}`].Primal - cols[`q${j}`].Primal);
  const scale = Math.max(...Array.from(lpW, Math.abs));
  const support = [...lpW.keys()].filter((j) => Math.abs(lpW[j]) > 1e-9 * scale);
  // Polish on the support: X_S w_S = y, |S| ≤ n unknowns (least squares if |S| < n).
  const XS = columns(X, n, d, support);
  const w = new Float64Array(d);
  const wS = solveLeastSquares(XS, n, support.length, y);
  support.forEach((j, c) => (w[j] = wS[c]));
  // Dual certificate: HiGHS's row duals λ. The LP's dual is max yᵀλ s.t. ‖Xᵀλ‖∞ ≤ 1, so
  // ‖Xᵀλ‖∞ ≤ 1 (up to the solver's tolerance) together with yᵀλ = ‖w‖₁ certifies optimality.
  const rows = r.Rows as { Dual: number }[];
  const lambda = rows.map((row) => row.Dual);
  let dualInfNorm = 0;
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += X[i * d + j] * lambda[i];
    dualInfNorm = Math.max(dualInfNorm, Math.abs(s));
  }
  const dualGap = Math.abs(lambda.reduce((s, v, i) => s + v * y[i], 0) - w.reduce((s, v) => s + Math.abs(v), 0));
  return { w, support, dualInfNorm, dualGap };
}

/** Least squares min ‖A z − b‖ for A r×m with m ≤ r and full column rank (normal equations + refinement). */
function solveLeastSquares(A: Float64Array, r: number, m: number, b: ArrayLike<number>): Float64Array {
  if (m === 0) return new Float64Array(0);
  const At = new Float64Array(m * r);
  for (let i = 0; i < r; i++) for (let c = 0; c < m; c++) At[c * r + i] = A[i * m + c];
  const G = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let c = 0; c < m; c++) {
    let s = 0;
    for (let i = 0; i < r; i++) s += At[a * r + i] * At[c * r + i];
    G[a * m + c] = s;
  }
  const L = cholesky(G, m);
  const rhs = (v: ArrayLike<number>) => Float64Array.from({ length: m }, (_, a) => At.slice(a * r, (a + 1) * r).reduce((s, x, i) => s + x * v[i], 0));
  const z = cholSolve(L, m, rhs(b));
  const res = Float64Array.from({ length: r }, (_, i) => b[i] - A.slice(i * m, (i + 1) * m).reduce((s, x, c) => s + x * z[c], 0));
  const dz = cholSolve(L, m, rhs(res));
  return z.map((v, c) => v + dz[c]);
}

export interface MarginSolution {
  readonly w: Float64Array;
  /** Indices of the support vectors (active constraints). */
  readonly support: number[];
  /** Smallest KKT multiplier on the support: ≥ 0 certifies optimality. */
  readonly minMultiplier: number;
}

/**
 * The hard-margin SVM direction through the origin: argmin ½‖w‖² s.t. y_i⟨x_i, w⟩ ≥ 1, or null when
 * the data are not linearly separable (the QP is infeasible).
 */
export async function maxMarginSeparator(X: Float64Array, y: ArrayLike<number>, n: number, d: number): Promise<MarginSolution | null> {
  const h = await solver();
  const constraints = Array.from({ length: n }, (_, i) => ` c${i}: ${Array.from({ length: d }, (_, j) => `${num(y[i] * X[i * d + j])} w${j}`).join(' ')} >= 1`);
  const free = Array.from({ length: d }, (_, j) => ` w${j} free`);
  const program = (objective: string, bounds: string[]) => ['Minimize', objective, 'Subject To', ...constraints, 'Bounds', ...bounds, 'End'].join('\n');
  const qp = (bounds: string[]) => h.solve(program(` obj: [ ${Array.from({ length: d }, (_, j) => `w${j}^2`).join(' + ')} ] / 2`, bounds), { primal_feasibility_tolerance: 1e-10, dual_feasibility_tolerance: 1e-10 });
  const primal = (r: { Columns: unknown }) => Float64Array.from({ length: d }, (_, j) => (r.Columns as Record<string, { Primal: number }>)[`w${j}`].Primal);
  let r: ReturnType<Highs['solve']>;
  try {
    r = qp(free);
  } catch {
    // HiGHS's QP solver throws ("Unable to solve the problem. HiGHS error -1") on some free-variable
    // problems, e.g. 6 points in 4 dimensions of flow/poggio-logistic-max-margin at CI seed 27; the
    // same QP with a box solves. The box comes from any feasible w (an LP): ‖ŵ‖ ≤ ‖w‖, so
    // |ŵ_j| ≤ ‖w‖ < 2‖w‖ and the box is inactive at the optimum.
    const lp = h.solve(program(' obj: 0 w0', free));
    if (lp.Status === 'Infeasible') return null;
    if (lp.Status !== 'Optimal') throw new Error(`maxMarginSeparator: HiGHS status ${lp.Status} (feasibility LP)`);
    const box = (2 * Math.hypot(...primal(lp))).toPrecision(17);
    r = qp(Array.from({ length: d }, (_, j) => ` -${box} <= w${j} <= ${box}`));
  }
  if (r.Status === 'Infeasible') return null;
  if (r.Status !== 'Optimal') throw new Error(`maxMarginSeparator: HiGHS status ${r.Status}`);
  const qpW = primal(r);
  const margin = (w: ArrayLike<number>, i: number) => y[i] * Array.from({ length: d }, (_, j) => X[i * d + j] * w[j]).reduce((a, b) => a + b, 0);
  const active = [...Array(n).keys()].filter((i) => margin(qpW, i) < 1 + 1e-6);
  // Polish on a linearly independent subset of the active constraints (duplicated or dependent
  // support vectors would make the system singular): Gram–Schmidt on the rows y_i x_i.
  const basis: Float64Array[] = [];
  const support: number[] = [];
  for (const i of active) {
    const row = Float64Array.from({ length: d }, (_, j) => y[i] * X[i * d + j]);
    const rest = Float64Array.from(row);
    for (const q of basis) {
      const c = rest.reduce((a, v, j) => a + v * q[j], 0);
      for (let j = 0; j < d; j++) rest[j] -= c * q[j];
    }
    const norm = Math.hypot(...rest);
    if (norm <= 1e-9 * Math.hypot(...row)) continue;
    basis.push(rest.map((v) => v / norm));
    support.push(i);
  }
  // The min-norm w with y_i⟨x_i, w⟩ = 1 on the support; multipliers α = (AAᵀ)⁻¹1 must be ≥ 0.
  const A = new Float64Array(support.length * d);
  support.forEach((i, r) => {
    for (let j = 0; j < d; j++) A[r * d + j] = y[i] * X[i * d + j];
  });
  const ones = support.map(() => 1);
  const w = minNormSolve(A, support.length, d, ones);
  const G = new Float64Array(support.length ** 2);
  for (let a = 0; a < support.length; a++) for (let b = 0; b < support.length; b++) for (let j = 0; j < d; j++) G[a * support.length + b] += A[a * d + j] * A[b * d + j];
  const alpha = cholSolve(cholesky(G, support.length), support.length, ones);
  return { w, support, minMultiplier: Math.min(...alpha) };
}
