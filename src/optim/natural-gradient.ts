/**
 * Natural gradient for the square loss ½‖r(θ)‖² of any model whose residuals r ∈ ℝᴺ and Jacobian
 * J = ∂r/∂θ ∈ ℝ^{N×p} are known, in float64. With the Gauss–Newton (Fisher) metric JᵀJ the natural
 * gradient direction is (JᵀJ)⁺Jᵀr = J⁺r, computed here as the minimum-norm least-squares solution
 * Jᵀ(JJᵀ)⁺r through the eigendecomposition of the N×N Gram matrix (eigenvalues below rcond·λmax
 * count as zero, so a rank-deficient J gives its pseudo-inverse rather than a blow-up).
 *
 * In function space the natural-gradient flow θ̇ = −J⁺r gives ṙ = −JJ⁺r: while J has full row
 * rank, JJ⁺ = I and r(t) = e^{−t} r(0) whatever the model. `plain` replaces the direction by the
 * ordinary gradient Jᵀr (a control: its residual depends on the model).
 */
import { symEig } from '../numerics/eigen.ts';
import { integrate, type FlowSolution } from './flow.ts';

export interface ResidualModel {
  /** Number of parameters. */
  readonly p: number;
  /** Number of residuals. */
  readonly N: number;
  /** r(θ) and, if asked, J(θ) (N×p, row-major). */
  readonly residual: (theta: ArrayLike<number>, wantJacobian?: boolean) => { r: Float64Array; J?: Float64Array };
}

export type Direction = 'natural' | 'plain';

/** (AᵀA)⁺-type solve: for a symmetric PSD k×k G and vector b, G⁺b (eigenvalues below rcond·λmax count as 0). */
function psdPinvSolve(G: Float64Array, k: number, b: ArrayLike<number>, rcond: number): Float64Array {
  const { values, vectors } = symEig({ n: k, data: G }, true);
  const top = Math.max(0, values[k - 1]);
  const c = new Float64Array(k);
  for (let e = 0; e < k; e++) {
    if (!(values[e] > rcond * top)) continue;
    let proj = 0;
    for (let i = 0; i < k; i++) proj += vectors![i * k + e] * b[i];
    for (let i = 0; i < k; i++) c[i] += (vectors![i * k + e] * proj) / values[e];
  }
  return c;
}

/**
 * J⁺r for J (N×p, row-major), through the smaller Gram matrix: Jᵀ(JJᵀ)⁺r when N ≤ p,
 * (JᵀJ)⁺Jᵀr otherwise (the same pseudo-inverse; the eigendecomposition is min(N, p)³).
 */
export function pinvApply(J: Float64Array, N: number, p: number, r: ArrayLike<number>, rcond = 1e-12): Float64Array {
  if (N <= p) {
    const G = new Float64Array(N * N);
    for (let i = 0; i < N; i++)
      for (let j = i; j < N; j++) {
        let s = 0;
        for (let q = 0; q < p; q++) s += J[i * p + q] * J[j * p + q];
        G[i * N + j] = s;
        G[j * N + i] = s;
      }
    const c = psdPinvSolve(G, N, r, rcond);
    const out = new Float64Array(p);
    for (let i = 0; i < N; i++) for (let q = 0; q < p; q++) out[q] += J[i * p + q] * c[i];
    return out;
  }
  const G = new Float64Array(p * p);
  const g = new Float64Array(p);
  for (let i = 0; i < N; i++)
    for (let a = 0; a < p; a++) {
      g[a] += J[i * p + a] * r[i];
      for (let b = a; b < p; b++) G[a * p + b] += J[i * p + a] * J[i * p + b];
    }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) G[a * p + b] = G[b * p + a];
  return psdPinvSolve(G, p, g, rcond);
}

/** The numerical rank of J: eigenvalues of JJᵀ above rcond·λmax. */
export function rowRank(J: Float64Array, N: number, p: number, rcond = 1e-10): { rank: number; sigmaMin2: number } {
  const G = new Float64Array(N * N);
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) for (let q = 0; q < p; q++) G[i * N + j] += J[i * p + q] * J[j * p + q];
  const { values } = symEig({ n: N, data: G });
  const top = Math.max(0, values[N - 1]);
  return { rank: values.filter((v) => v > rcond * top).length, sigmaMin2: Math.max(0, values[0]) };
}

/** λmin(JJᵀ)/λmax(JJᵀ) at θ (0 when N > p or J = 0). */
export function conditioning(model: ResidualModel, theta: ArrayLike<number>): number {
  if (model.N > model.p) return 0;
  const J = model.residual(theta, true).J!;
  const { N, p } = model;
  const G = new Float64Array(N * N);
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) for (let q = 0; q < p; q++) G[i * N + j] += J[i * p + q] * J[j * p + q];
  const { values } = symEig({ n: N, data: G });
  return values[N - 1] > 0 ? Math.max(0, values[0]) / values[N - 1] : 0;
}

/** The descent direction at θ: J⁺r (natural) or Jᵀr (plain). */
export function descentDirection(model: ResidualModel, theta: ArrayLike<number>, direction: Direction): { r: Float64Array; dir: Float64Array } {
  const { r, J } = model.residual(theta, true);
  if (direction === 'natural') return { r, dir: pinvApply(J!, model.N, model.p, r) };
  const dir = new Float64Array(model.p);
  for (let i = 0; i < model.N; i++) for (let q = 0; q < model.p; q++) dir[q] += J![i * model.p + q] * r[i];
  return { r, dir };
}

export interface ResidualTrajectory {
  readonly times: readonly number[];
  /** r(t_k), one array per output time. */
  readonly residuals: Float64Array[];
  /**
   * The smallest λmin(JJᵀ)/λmax(JJᵀ) over the output times and the last state reached (0 when
   * N > p): how close the path came to losing full row rank.
   */
  readonly minConditioning: number;
  readonly stats?: FlowSolution['stats'];
  readonly stopped?: string;
}

/** θ̇ = −J⁺r (or −Jᵀr) by the shared Dormand–Prince integrator, residuals at the given times. */
export function naturalGradientFlow(model: ResidualModel, theta0: ArrayLike<number>, times: readonly number[], opts: { direction?: Direction; rtol?: number; scale?: number; maxSteps?: number } = {}): ResidualTrajectory {
  const direction = opts.direction ?? 'natural';
  const sol = integrate(
    (_t, theta, dtheta) => {
      const { dir } = descentDirection(model, theta, direction);
      for (let q = 0; q < model.p; q++) dtheta[q] = -dir[q];
    },
    theta0,
    times,
    { rtol: opts.rtol, scale: opts.scale ?? 1, maxSteps: opts.maxSteps },
  );
  let minConditioning = Infinity;
  for (const th of [...sol.states, sol.last.y]) minConditioning = Math.min(minConditioning, conditioning(model, th));
  return { times: sol.times, residuals: sol.states.map((th) => model.residual(th).r), minConditioning, stats: sol.stats, ...(sol.stopped ? { stopped: sol.stopped } : {}) };
}

/** θ_{k+1} = θ_k − η J⁺r_k (or η Jᵀr_k): residuals r_0 … r_steps. */
export function naturalGradientDescent(model: ResidualModel, theta0: ArrayLike<number>, eta: number, steps: number, direction: Direction = 'natural'): Float64Array[] {
  const theta = Float64Array.from(theta0);
  const out: Float64Array[] = [];
  for (let k = 0; ; k++) {
    const { r, dir } = descentDirection(model, theta, direction);
    out.push(r);
    if (k === steps) return out;
    for (let q = 0; q < model.p; q++) theta[q] -= eta * dir[q];
  }
}
