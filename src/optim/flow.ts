/**
 * Gradient flows (and any ODE y' = f(t, y)) integrated in float64 by the Dormand–Prince 5(4)
 * embedded Runge–Kutta pair with adaptive steps (Hairer, Nørsett & Wanner, Solving ODEs I, §II.4–5):
 * the 5th-order solution is propagated, the difference to the embedded 4th-order one estimates the
 * local error, and a step is accepted when that estimate, measured in the weighted RMS norm
 *   err = sqrt(mean_i (δ_i / (atol + rtol·max(|y_i|, |y_new_i|)))²),
 * is at most 1. Shared by every flow theorem.
 *
 * The tolerance enters the verdicts: a flow theorem declares the constant `flowTol` (the `rtol`
 * used) and writes its floors and identity tolerances in it, with a stated factor. The factor is
 * calibrated in test/flow-integrator.test.ts on flows with closed forms, and the same test checks
 * that halving the tolerance changes no verdict. `withFlowTolerance` changes the tolerance for a
 * scope (tests); `PROVABLY_FLOW_RTOL` for a whole process (it is recorded as a constant, so results
 * say which tolerance they were computed at).
 *
 * Deterministic: no time limits; the step budget is a count.
 */

/** The default relative tolerance of every flow run. */
export const DEFAULT_FLOW_TOLERANCE = 1e-10;

/**
 * How many tolerances of global error a flow theorem allows its measured quantities (relative to
 * their scale): on the closed-form flows of test/flow-integrator.test.ts (condition number up to
 * 1000, horizons of 200 time units) the measured global error is at most about 3·rtol·scale, so
 * 100 leaves a factor of 30.
 */
export const FLOW_ERROR_FACTOR = 100;

/** A bad PROVABLY_FLOW_RTOL: the command line reports it as bad input (exit 2). */
export class FlowToleranceError extends Error {}

let tolerance: number | undefined;

function readEnvTolerance(): number {
  const raw = typeof process !== 'undefined' ? process.env.PROVABLY_FLOW_RTOL : undefined;
  if (raw === undefined || raw === '') return DEFAULT_FLOW_TOLERANCE;
  const v = Number(raw);
  if (!(v > 0 && v < 1e-2)) throw new FlowToleranceError(`PROVABLY_FLOW_RTOL=${raw}: expected a number in (0, 0.01), e.g. 5e-11`);
  return v;
}

/** The relative tolerance flow theorems integrate at (and write into their `flowTol` constant). */
export function flowTolerance(): number {
  tolerance ??= readEnvTolerance();
  return tolerance;
}

/** Run `fn` with another flow tolerance, restoring the previous one afterwards. */
export async function withFlowTolerance<T>(tol: number, fn: () => Promise<T>): Promise<T> {
  if (!(tol > 0)) throw new Error(`flow tolerance must be positive, got ${tol}`);
  const before = flowTolerance();
  tolerance = tol;
  try {
    return await fn();
  } finally {
    tolerance = before;
  }
}

/** y' = f(t, y), written into `dy`. */
export type Rhs = (t: number, y: Float64Array, dy: Float64Array) => void;

export interface IntegrateOptions {
  /** Relative tolerance (default: `flowTolerance()`). */
  readonly rtol?: number;
  /** Absolute tolerance (default: rtol × `scale`). */
  readonly atol?: number;
  /** The size of the state's components, for the default atol (default 1). */
  readonly scale?: number;
  /** Most accepted + rejected steps (default 200 000); past it the run stops early, reported. */
  readonly maxSteps?: number;
  /**
   * Stop at the first time `event(t, y)` reaches ≥ 0 (located to the tolerance by bisection on the
   * cubic Hermite interpolant of the step). Outputs after it are not produced.
   */
  readonly event?: (t: number, y: Float64Array) => number;
}

export interface FlowSolution {
  /** The output times actually reached (a prefix of the requested ones). */
  readonly times: number[];
  /** The state at each reached output time. */
  readonly states: Float64Array[];
  /** Accepted and rejected steps, right-hand-side evaluations. */
  readonly stats: { readonly accepted: number; readonly rejected: number; readonly evaluations: number };
  /** The event time, if the event fired. */
  readonly eventTime?: number;
  readonly eventState?: Float64Array;
  /** Why integration stopped before the last output time. */
  readonly stopped?: string;
  /** Where integration ended (the last output time, the event, or where it stopped early). */
  readonly last: { readonly t: number; readonly y: Float64Array };
}

// Dormand–Prince 5(4) tableau.
const C2 = 1 / 5, C3 = 3 / 10, C4 = 4 / 5, C5 = 8 / 9;
const A21 = 1 / 5;
const A31 = 3 / 40, A32 = 9 / 40;
const A41 = 44 / 45, A42 = -56 / 15, A43 = 32 / 9;
const A51 = 19372 / 6561, A52 = -25360 / 2187, A53 = 64448 / 6561, A54 = -212 / 729;
const A61 = 9017 / 3168, A62 = -355 / 33, A63 = 46732 / 5247, A64 = 49 / 176, A65 = -5103 / 18656;
const A71 = 35 / 384, A73 = 500 / 1113, A74 = 125 / 192, A75 = -2187 / 6784, A76 = 11 / 84;
// Error coefficients: 5th-order weights minus the embedded 4th-order ones.
const E1 = 71 / 57600, E3 = -71 / 16695, E4 = 71 / 1920, E5 = -17253 / 339200, E6 = 22 / 525, E7 = -1 / 40;

/**
 * Integrate from `times[0]` with state `y0`, returning the state at every time in `times`
 * (non-decreasing). Steps are shortened to land exactly on each output time.
 */
export function integrate(f: Rhs, y0: ArrayLike<number>, times: readonly number[], opts: IntegrateOptions = {}): FlowSolution {
  const n = y0.length;
  const rtol = opts.rtol ?? flowTolerance();
  const atol = opts.atol ?? rtol * (opts.scale ?? 1);
  const maxSteps = opts.maxSteps ?? 200_000;
  if (times.length === 0) throw new Error('integrate: no output times');
  for (let i = 1; i < times.length; i++) if (!(times[i] >= times[i - 1])) throw new Error('integrate: output times must be non-decreasing');

  let t = times[0];
  let y = Float64Array.from(y0);
  const k1 = new Float64Array(n), k2 = new Float64Array(n), k3 = new Float64Array(n), k4 = new Float64Array(n);
  const k5 = new Float64Array(n), k6 = new Float64Array(n), k7 = new Float64Array(n);
  const tmp = new Float64Array(n), yNew = new Float64Array(n);
  let evaluations = 0;
  const rhs = (tt: number, yy: Float64Array, out: Float64Array) => {
    f(tt, yy, out);
    evaluations++;
  };
  rhs(t, y, k1);

  const outTimes: number[] = [t];
  const states: Float64Array[] = [Float64Array.from(y)];
  let eventValue = opts.event ? opts.event(t, y) : -1;
  if (opts.event && eventValue >= 0) return { times: outTimes, states, stats: { accepted: 0, rejected: 0, evaluations }, eventTime: t, eventState: Float64Array.from(y), last: { t, y: Float64Array.from(y) } };

  let h = initialStep(rhs, t, y, k1, times[times.length - 1] - t, rtol, atol, tmp, k2);
  let accepted = 0;
  let rejected = 0;
  let next = 1;
  while (next < times.length && times[next] === t) {
    outTimes.push(t);
    states.push(Float64Array.from(y));
    next++;
  }
  while (next < times.length) {
    if (accepted + rejected >= maxSteps) return { times: outTimes, states, stats: { accepted, rejected, evaluations }, stopped: `the integrator's step budget (${maxSteps}) ran out at t = ${t}`, last: { t, y: Float64Array.from(y) } };
    const target = times[next];
    let hStep = Math.min(h, target - t);
    const landing = hStep === target - t;
    // The seven stages.
    for (let i = 0; i < n; i++) tmp[i] = y[i] + hStep * A21 * k1[i];
    rhs(t + C2 * hStep, tmp, k2);
    for (let i = 0; i < n; i++) tmp[i] = y[i] + hStep * (A31 * k1[i] + A32 * k2[i]);
    rhs(t + C3 * hStep, tmp, k3);
    for (let i = 0; i < n; i++) tmp[i] = y[i] + hStep * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
    rhs(t + C4 * hStep, tmp, k4);
    for (let i = 0; i < n; i++) tmp[i] = y[i] + hStep * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
    rhs(t + C5 * hStep, tmp, k5);
    for (let i = 0; i < n; i++) tmp[i] = y[i] + hStep * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
    const tNew = landing ? target : t + hStep;
    rhs(tNew, tmp, k6);
    for (let i = 0; i < n; i++) yNew[i] = y[i] + hStep * (A71 * k1[i] + A73 * k3[i] + A74 * k4[i] + A75 * k5[i] + A76 * k6[i]);
    rhs(tNew, yNew, k7);
    let err = 0;
    for (let i = 0; i < n; i++) {
      const delta = hStep * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
      const sc = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(yNew[i]));
      err += (delta / sc) ** 2;
    }
    err = Math.sqrt(err / n);
    if (!Number.isFinite(err)) {
      // A non-finite stage: shrink hard and retry; a non-finite state at a tiny step is a blow-up.
      rejected++;
      if (hStep < 1e-14 * Math.max(1, Math.abs(t))) return { times: outTimes, states, stats: { accepted, rejected, evaluations }, stopped: `non-finite derivative at t = ${t}`, last: { t, y: Float64Array.from(y) } };
      h = hStep / 10;
      continue;
    }
    // Step-size factor: safety 0.9, order 5 (the error estimate is of order 5 in h), bounded change.
    const factor = Math.min(5, Math.max(0.2, 0.9 * err ** -0.2));
    if (err > 1) {
      rejected++;
      h = hStep * Math.min(1, factor);
      if (h < 1e-14 * Math.max(1, Math.abs(t))) return { times: outTimes, states, stats: { accepted, rejected, evaluations }, stopped: `step size underflow at t = ${t}`, last: { t, y: Float64Array.from(y) } };
      continue;
    }
    accepted++;
    if (opts.event) {
      const vNew = opts.event(tNew, yNew);
      if (vNew >= 0) {
        const tE = locateEvent(opts.event, t, y, k1, tNew, yNew, k7, eventValue, rtol);
        const yE = hermite(t, y, k1, tNew, yNew, k7, tE);
        return { times: outTimes, states, stats: { accepted, rejected, evaluations }, eventTime: tE, eventState: yE, last: { t: tE, y: yE } };
      }
      eventValue = vNew;
    }
    t = tNew;
    y.set(yNew);
    k1.set(k7); // first-same-as-last
    // A step shortened to land on an output keeps the longer proposal for the next one.
    h = landing ? Math.max(h, hStep * factor) : hStep * factor;
    while (next < times.length && times[next] <= t) {
      outTimes.push(times[next]);
      states.push(Float64Array.from(y));
      next++;
    }
  }
  return { times: outTimes, states, stats: { accepted, rejected, evaluations }, last: { t, y: Float64Array.from(y) } };
}

/** Hairer's starting step: h such that an Euler step changes y by about the tolerance. */
function initialStep(rhs: Rhs, t: number, y: Float64Array, f0: Float64Array, span: number, rtol: number, atol: number, y1: Float64Array, f1: Float64Array): number {
  if (span <= 0) return 1;
  const n = y.length;
  let d0 = 0, d1 = 0;
  for (let i = 0; i < n; i++) {
    const sc = atol + rtol * Math.abs(y[i]);
    d0 += (y[i] / sc) ** 2;
    d1 += (f0[i] / sc) ** 2;
  }
  d0 = Math.sqrt(d0 / n);
  d1 = Math.sqrt(d1 / n);
  let h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * (d0 / d1);
  h0 = Math.min(h0, span);
  for (let i = 0; i < n; i++) y1[i] = y[i] + h0 * f0[i];
  rhs(t + h0, y1, f1);
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += ((f1[i] - f0[i]) / (atol + rtol * Math.abs(y[i]))) ** 2;
  d2 = Math.sqrt(d2 / n) / h0;
  const h1 = Math.max(d1, d2) <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : (0.01 / Math.max(d1, d2)) ** 0.2;
  return Math.min(100 * h0, h1, span);
}

/** Cubic Hermite interpolant of a step from (t0, y0, f0) to (t1, y1, f1), at time s. */
function hermite(t0: number, y0: Float64Array, f0: Float64Array, t1: number, y1: Float64Array, f1: Float64Array, s: number): Float64Array {
  const h = t1 - t0;
  const th = (s - t0) / h;
  const h00 = (1 + 2 * th) * (1 - th) ** 2, h10 = th * (1 - th) ** 2, h01 = th * th * (3 - 2 * th), h11 = th * th * (th - 1);
  const out = new Float64Array(y0.length);
  for (let i = 0; i < y0.length; i++) out[i] = h00 * y0[i] + h10 * h * f0[i] + h01 * y1[i] + h11 * h * f1[i];
  return out;
}

/** The first crossing of event ≥ 0 within a step, by bisection on the Hermite interpolant. */
function locateEvent(event: (t: number, y: Float64Array) => number, t0: number, y0: Float64Array, f0: Float64Array, t1: number, y1: Float64Array, f1: Float64Array, v0: number, rtol: number): number {
  let lo = t0, hi = t1;
  void v0;
  for (let it = 0; it < 200 && hi - lo > rtol * Math.max(Math.abs(hi), 1e-300); it++) {
    const mid = 0.5 * (lo + hi);
    if (event(mid, hermite(t0, y0, f0, t1, y1, f1, mid)) >= 0) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Evenly spaced output times 0, dt, 2dt, ..., count·dt. */
export function uniformTimes(count: number, dt: number): number[] {
  return Array.from({ length: count + 1 }, (_, k) => k * dt);
}
