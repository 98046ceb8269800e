/**
 * The statistics behind `trend` conclusions: a least-squares slope per seed, then a one-sided test
 * across seeds. Distribution functions come from jstat (Student t through the regularised
 * incomplete beta function, binomial by its mass function), a small dependency-free library; the
 * tests here are the textbook ones, written out so each p-value can be checked by hand.
 *
 *   t     one-sample Student t test on the per-seed statistics (assumes them roughly normal);
 *   sign  exact binomial sign test (assumes only independent seeds; ties with the null value drop out).
 */
import jstatModule from 'jstat';

// jstat is CommonJS: its module object is jStat itself (and also carries it as .jStat).
const jStat = (jstatModule as { jStat: JStat }).jStat;

interface JStat {
  studentt: { cdf(x: number, dof: number): number; inv(p: number, dof: number): number };
  binomial: { cdf(k: number, n: number, p: number): number };
}

export type TestName = 't' | 'sign';

export interface Sample {
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
  readonly median: number;
}

export function describeSample(xs: readonly number[]): Sample {
  const n = xs.length;
  const mean = xs.reduce((s, v) => s + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const median = n % 2 ? sorted[(n - 1) / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  return { n, mean, sd, median };
}

/**
 * p-value of the one-sided null hypothesis "location ≤ value" (side 'greater': evidence that the
 * location is above `value`) or "location ≥ value" (side 'less').
 */
export function oneSidedP(test: TestName, xs: readonly number[], value: number, side: 'greater' | 'less'): number {
  if (xs.length === 0 || xs.some((v) => Number.isNaN(v))) return NaN;
  const sign = side === 'greater' ? 1 : -1;
  if (test === 'sign') {
    const above = xs.filter((v) => sign * (v - value) > 0).length;
    const below = xs.filter((v) => sign * (v - value) < 0).length;
    const n = above + below;
    if (n === 0) return 1;
    // P(Bin(n, ½) ≥ above)
    return above === 0 ? 1 : 1 - jStat.binomial.cdf(above - 1, n, 0.5);
  }
  const { n, mean, sd } = describeSample(xs);
  if (n < 2) return 1;
  const diff = sign * (mean - value);
  if (!(sd > 0)) return diff > 0 ? 0 : diff < 0 ? 1 : 0.5;
  const t = diff / (sd / Math.sqrt(n));
  return 1 - jStat.studentt.cdf(t, n - 1);
}

/** The smallest p-value `test` can give with n observations (so a claim it must support is reachable). */
export function smallestP(test: TestName, n: number): number {
  return test === 'sign' ? 0.5 ** n : n >= 2 ? 0 : 1;
}

/** Least-squares slope of y on x (NaN with fewer than two distinct x). */
export function olsSlope(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  if (n !== y.length || n < 2) return NaN;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : NaN;
}

/** The p-quantile of Student's t with `dof` degrees of freedom (e.g. 0.975 for a 95% interval). */
export function tQuantile(p: number, dof: number): number {
  return jStat.studentt.inv(p, dof);
}
