/**
 * What the two smooth convex rates share (classic/gd-smooth-convex-rate, classic/fista-accelerated-rate):
 * the functions drawn, convex quadratics with exact zero eigenvalues and radial Huber functions
 * (on which gradient descent's exact worst case is attained), and the start at a drawn distance
 * from the minimiser. (Files starting with `_` are helpers, not theorems.)
 */
import { fc, numerics, objectives, type Budget } from 'provably';

const { rng, orthogonal, normals, fromSpectrum, norm2 } = numerics;

export type Fn = { readonly fn: 'quadratic'; readonly spectrum: readonly number[] } | { readonly fn: 'huber'; readonly L: number; readonly tau: number; readonly d: number };
/** `stepTimesL` is c in the step c/L: η·L for gradient descent, L/L′ for FISTA's step 1/L′. */
export type Params = Fn & { readonly stepTimesL: number; readonly scale: number; readonly seed: number; readonly steps: number };

export interface Instance {
  readonly params: Params;
  readonly f: objectives.Objective;
  readonly d: number;
  readonly L: number;
  readonly curvatureMin: number;
  readonly x0: Float64Array;
  readonly xStar: Float64Array;
}

export function build(p: Params): Instance {
  const d = p.fn === 'quadratic' ? p.spectrum.length : p.d;
  const xStar = normals(rng(p.seed, 2), d);
  const dir = normals(rng(p.seed, 3), d);
  const x0 = xStar.map((v, i) => v + (p.scale * dir[i]) / norm2(dir));
  if (p.fn === 'quadratic') {
    const A = fromSpectrum(orthogonal(rng(p.seed, 1), d), p.spectrum);
    const { min, max } = objectives.extremeEigenvalues(A, d);
    return { params: p, f: objectives.quadratic(A, xStar), d, L: max, curvatureMin: min, x0, xStar };
  }
  // A radial Huber function's Hessian has eigenvalues L (inside the ball), Lτ/r and 0 (outside): ≥ 0.
  return { params: p, f: objectives.radialHuber(p.L, p.tau, xStar), d, L: p.L, curvatureMin: 0, x0, xStar };
}

const seed = fc.integer({ min: 0, max: 2 ** 30 });
const stepsFor = (budget: Budget) => fc.constant(budget === 'ci' ? 200 : 1000);
export const positive = fc.double({ min: 1e-3, max: 10, noNaN: true });
// Exact zeros make the quadratic convex but not strongly convex: the regime of the O(1/k) rate.
export const withZeros = fc.oneof(fc.constant(0), positive);

export const quadratics = (stepTimesL: fc.Arbitrary<number>, eigenvalue: fc.Arbitrary<number>) => (budget: Budget) =>
  fc.record({ fn: fc.constant('quadratic' as const), spectrum: fc.array(eigenvalue, { minLength: 1, maxLength: 12 }).filter((s) => s.some((v) => v > 0)), stepTimesL, scale: fc.double({ min: 0.1, max: 10, noNaN: true }), seed, steps: stepsFor(budget) });
export const hubers = (budget: Budget) =>
  fc.record({
    fn: fc.constant('huber' as const),
    L: fc.double({ min: 0.1, max: 10, noNaN: true }),
    tau: fc.double({ min: 1e-3, max: 10, noNaN: true }),
    d: fc.integer({ min: 1, max: 6 }),
    stepTimesL: fc.double({ min: 0.05, max: 1, noNaN: true }),
    scale: fc.double({ min: 0.1, max: 10, noNaN: true }),
    seed,
    steps: stepsFor(budget),
  });
