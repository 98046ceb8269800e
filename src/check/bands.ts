/**
 * The mean of y at each x over replicates, with its 95% band: what the pages plot of a trend's
 * observations and of a comparison's curves. Computed when checking, so that a results file can
 * keep these points of an instance whose replicates only a plot shows (src/record/result.ts).
 */
import type { BandPoint } from '../record/outcome.ts';
import { describeSample, tQuantile } from './stats.ts';

/**
 * Wilson score interval for a binomial proportion (95%): unlike the normal approximation it stays
 * inside [0, 1] and is sensible at 0/n and n/n, which is where slack curves live.
 */
export function wilson(held: number, of: number, z = 1.959963984540054): { lo: number; hi: number } {
  if (of <= 0) return { lo: 0, hi: 1 };
  const p = held / of;
  const z2 = z * z;
  const centre = (p + z2 / (2 * of)) / (1 + z2 / of);
  const half = (z / (1 + z2 / of)) * Math.sqrt((p * (1 - p)) / of + z2 / (4 * of * of));
  // At 0/n and n/n the interval touches 0 or 1 exactly; rounding would leave 1 − 1e-16.
  return { lo: held <= 0 ? 0 : Math.max(0, centre - half), hi: held >= of ? 1 : Math.min(1, centre + half) };
}

/** Mean and 95% band of y at each x over a trend's seeds (on the axis's scale; Wilson for 0/1 outcomes). */
export function trendPoints(observations: readonly { readonly x: readonly number[]; readonly y: readonly number[] }[], yScale: 'linear' | 'log'): BandPoint[] {
  const byX = new Map<number, number[]>();
  for (const o of observations) o.x.forEach((x, j) => byX.set(x, [...(byX.get(x) ?? []), o.y[j]]));
  const binary = observations.every((o) => o.y.every((v) => v === 0 || v === 1));
  return [...byX.entries()]
    .sort(([a], [b]) => a - b)
    .map(([x, ys]) => {
      if (binary) {
        const held = ys.filter((v) => v === 1).length;
        return { x, y: held / ys.length, ...wilson(held, ys.length) };
      }
      const t = (v: number) => (yScale === 'log' ? Math.log(v) : v);
      const back = (v: number) => (yScale === 'log' ? Math.exp(v) : v);
      const vs = ys.map(t);
      const { mean, sd } = describeSample(vs);
      const half = vs.length > 1 && Number.isFinite(sd) ? tQuantile(0.975, vs.length - 1) * (sd / Math.sqrt(vs.length)) : NaN;
      return Number.isFinite(half) ? { x, y: back(mean), lo: back(mean - half), hi: back(mean + half) } : { x, y: back(mean) };
    });
}

