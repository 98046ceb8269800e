/**
 * Verdicts of `trend` conclusions (asymptotic claims tested over seeds). For one instance:
 *
 *   1. replicate s = 0..S−1: `observe` measures y at several x (its own randomness, from s);
 *   2. each replicate is summarised by one number: the conclusion's statistic, by default the
 *      least-squares slope of y against x on the axes' scales (log–log slope = power-law exponent);
 *   3. the claim about that statistic is tested across replicates, one-sided at level α:
 *        holds         the test rejects "the claim is false"        (p_holds < α);
 *        violated      the test rejects "the claim is true"         (p_violated < α);
 *        inconclusive  neither (too few seeds, or an effect near the claim's boundary), or a
 *                      non-finite statistic.
 *      `x > v`: p_holds tests H0 location ≤ v, p_violated tests H0 location ≥ v (mirrored for <).
 *      `within [lo, hi]`: p_holds is the larger of the two one-sided tests that the location is
 *      above lo and below hi (TOST, an equivalence test); p_violated is the smaller of the two
 *      opposite tests, doubled (Bonferroni).
 *
 * The verdict feeds the same two-part verdict and regime expectations as a bound: a `broken:`
 * regime that expects `violated` needs the opposite direction to be statistically significant.
 */
import type { Engine } from '../engine/types.ts';
import type { Budget, TrendAxis, TrendClaim, TrendConclusion, TrendObservation } from '../theorem/types.ts';
import { trendSeeds } from '../theorem/define.ts';
import { fmt } from './format.ts';
import { describeSample, olsSlope, oneSidedP, type TestName } from './stats.ts';
import { trendPoints } from './bands.ts';
import type { ConclusionOutcome } from './verdict.ts';
import type { ConclusionRecord } from '../record/result.ts';
import type { TrendOutcome } from '../record/outcome.ts';
export type { TrendOutcome };


export function claimText(claim: TrendClaim, statistic = 'statistic'): string {
  return 'within' in claim ? `${statistic} within [${fmt(claim.within[0])}, ${fmt(claim.within[1])}]` : `${statistic} ${claim.relation} ${fmt(claim.value)}`;
}

export function statisticName(c: Pick<TrendConclusion<any, string>, 'statistic' | 'x' | 'y'>): string {
  if (c.statistic) return c.statistic.name;
  const on = (a: TrendAxis) => (a.scale === 'log' ? `log ${a.name}` : a.name);
  return `slope of ${on(c.y)} against ${on(c.x)}`;
}

/** The default statistic: least-squares slope on the axes' scales (non-positive values on a log axis give NaN). */
export function defaultStatistic(c: Pick<TrendConclusion<any, string>, 'x' | 'y'>, o: TrendObservation): number {
  const tx = (v: number) => (c.x.scale === 'log' ? Math.log(v) : v);
  const ty = (v: number) => (c.y.scale === 'log' ? Math.log(v) : v);
  return olsSlope(o.x.map(tx), o.y.map(ty));
}

/** p-values of the claim (holds) and of its negation (violated) from the per-replicate values. */
export function trendPValues(test: TestName, claim: TrendClaim, values: readonly number[]): { pHolds: number; pViolated: number } {
  if ('within' in claim) {
    const [lo, hi] = claim.within;
    return {
      pHolds: Math.max(oneSidedP(test, values, lo, 'greater'), oneSidedP(test, values, hi, 'less')),
      pViolated: Math.min(1, 2 * Math.min(oneSidedP(test, values, lo, 'less'), oneSidedP(test, values, hi, 'greater'))),
    };
  }
  const side = claim.relation === '>' ? 'greater' : 'less';
  const opposite = side === 'greater' ? 'less' : 'greater';
  return { pHolds: oneSidedP(test, values, claim.value, side), pViolated: oneSidedP(test, values, claim.value, opposite) };
}

export async function evaluateTrend<I>(
  c: TrendConclusion<I, string>,
  inst: I,
  constants: Record<string, number>,
  ctx: { readonly engine: Engine; readonly budget: Budget },
): Promise<ConclusionOutcome> {
  const seeds = trendSeeds(c, ctx.budget);
  const statistic = statisticName(c);
  const observations: TrendOutcome['observations'][number][] = [];
  const values: number[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    const o = await c.observe(inst, constants, { engine: ctx.engine, budget: ctx.budget, seed });
    if (o.x.length !== o.y.length) throw new Error(`trend '${c.name}': replicate ${seed} observed ${o.x.length} x values but ${o.y.length} y values`);
    observations.push({ seed, x: [...o.x], y: [...o.y] });
    values.push(c.statistic ? c.statistic.of(o) : defaultStatistic(c, o));
  }
  const { mean, sd, median } = describeSample(values);
  const { pHolds, pViolated } = trendPValues(c.test, c.claim, values);
  const trend: TrendOutcome = { test: c.test, alpha: c.alpha, seeds, statistic, claim: claimText(c.claim, 'statistic'), values, mean, sd, median, pHolds, pViolated, observations, points: trendPoints(observations, c.y.scale) };
  const testName = c.test === 't' ? 'one-sample t test' : 'sign test';
  const summary = `${statistic}: mean ${fmt(mean)} (sd ${fmt(sd)}, median ${fmt(median)}) over ${seeds} seeds; ${testName}`;
  const base = { name: c.name, tightness: null, worstStep: null, firstViolation: null, violatedSteps: 0, assessedSteps: 1, belowFloorSteps: 0, trend };
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) return { ...base, assessedSteps: 0, verdict: 'inconclusive', reason: `the statistic of replicate ${bad} is ${fmt(values[bad])}` };
  if (pHolds < c.alpha) return { ...base, verdict: 'holds', reason: `${summary}: ${claimText(c.claim)} supported, p = ${fmt(pHolds)} < α = ${c.alpha}` };
  if (pViolated < c.alpha) return { ...base, violatedSteps: 1, verdict: 'violated', reason: `${summary}: ${claimText(c.claim)} contradicted, p = ${fmt(pViolated)} < α = ${c.alpha}` };
  return { ...base, verdict: 'inconclusive', reason: `${summary}: neither ${claimText(c.claim)} (p = ${fmt(pHolds)}) nor its negation (p = ${fmt(pViolated)}) is significant at α = ${c.alpha}` };
}

/** The theorem-level record of a trend conclusion (what it claims and how it is tested). */
export function trendRecord(c: TrendConclusion<any, string>): ConclusionRecord {
  const statistic = statisticName(c);
  return {
    name: c.name,
    kind: 'trend',
    tex: c.tex,
    ...(c.about ? { about: c.about } : {}),
    trend: {
      x: { ...c.x },
      y: { ...c.y },
      statistic,
      claim: JSON.parse(JSON.stringify(c.claim)) as TrendClaim,
      claimText: claimText(c.claim, statistic),
      test: c.test,
      seeds: { ci: trendSeeds(c, 'ci'), full: trendSeeds(c, 'full') },
      alpha: c.alpha,
    },
  };
}
