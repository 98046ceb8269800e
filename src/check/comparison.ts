/**
 * Verdicts of `comparison` conclusions (method A beats method B by a margin, paired over seeds).
 * For one instance:
 *
 *   1. replicate s = 0..S−1: `observe` runs A and B on the same data and initialisation (both
 *      built from s) and measures each;
 *   2. each replicate gives one margin d_s, how much A beat B by: B − A when lower is better
 *      (A − B when higher is better), or the log of that ratio on a log measure. A diverged run
 *      (non-finite measure) counts as the worst value; a seed where both diverged has no margin;
 *   3. the claim d > δ (δ = the margin, or its log) is tested across seeds, one-sided at level α,
 *      by the exact sign test or the paired t test (a one-sample t test on the margins):
 *        holds         the test rejects "A does not beat B by δ"    (p_holds < α);
 *        violated      the test rejects "A beats B by δ"            (p_violated < α: the gap
 *                      vanished, or flipped);
 *        inconclusive  neither; or too few usable seeds for the test ever to reach α (the sign
 *                      test with n seeds cannot go below 2⁻ⁿ, the t test needs 3): never `holds`.
 *
 * The verdict enters the same two-part verdict and regime expectations as a bound or a trend.
 */
import type { Engine } from '../engine/types.ts';
import type { Budget, ComparisonConclusion, ComparisonObservation } from '../theorem/types.ts';
import { trendSeeds } from '../theorem/define.ts';
import { fmt } from './format.ts';
import { describeSample, oneSidedP, smallestP, type TestName } from './stats.ts';
import { trendPoints } from './bands.ts';
import type { ConclusionOutcome } from './verdict.ts';
import type { ConclusionRecord } from '../record/result.ts';
import type { ComparisonOutcome } from '../record/outcome.ts';
export type { ComparisonOutcome };

/** Points kept per stored curve. */
const CURVE_POINTS = 40;

type Spec = Pick<ComparisonConclusion<any, string>, 'a' | 'b' | 'measure' | 'margin'>;

/** The margin in words: 'err(Adam) − err(GD)' or 'err(Adam) / err(GD)'. */
export function marginText(c: Spec): string {
  const [hi, lo] = c.measure.better === 'lower' ? [c.b.name, c.a.name] : [c.a.name, c.b.name];
  const m = c.measure.name;
  return c.measure.scale === 'log' ? `${m}(${hi}) / ${m}(${lo})` : `${m}(${hi}) − ${m}(${lo})`;
}

export function comparisonClaimText(c: Spec): string {
  return `${c.a.name} beats ${c.b.name} on ${c.measure.name} (${c.measure.better} is better): ${marginText(c)} > ${fmt(c.margin)}`;
}

/** The worst value of a measure stands in for a diverged run. */
function sanitize(v: number, better: 'lower' | 'higher'): number {
  return Number.isFinite(v) ? v : better === 'lower' ? Infinity : -Infinity;
}

/** How much A beat B by on one seed (NaN when undefined: both diverged, or a non-positive value on a log measure). */
export function pairedMargin(c: Spec, a: number, b: number): number {
  const [x, y] = [sanitize(a, c.measure.better), sanitize(b, c.measure.better)];
  const d = c.measure.better === 'lower' ? (c.measure.scale === 'log' ? Math.log(y) - Math.log(x) : y - x) : c.measure.scale === 'log' ? Math.log(x) - Math.log(y) : x - y;
  return Number.isNaN(d) ? NaN : d;
}

/** The threshold the margins are tested against: the margin, or its log on a log measure. */
export function threshold(c: Spec): number {
  return c.measure.scale === 'log' ? Math.log(c.margin) : c.margin;
}

/** Why `usable` seeds can never give p < α under `test`, or null when they can. */
export function tooFewSeeds(test: TestName, usable: number, alpha: number): string | null {
  if (test === 't' && usable < 3) return `the paired t test needs at least 3 usable seeds, got ${usable}`;
  if (test === 'sign' && smallestP('sign', usable) >= alpha) return `the sign test with ${usable} usable seed${usable === 1 ? '' : 's'} gives p ≥ ${fmt(smallestP('sign', usable))}, never below α = ${alpha}`;
  return null;
}

/** p-values of the claim (margins > δ) and of its negation (margins < δ). */
export function comparisonPValues(test: TestName, margins: readonly number[], delta: number): { pHolds: number; pViolated: number } {
  return { pHolds: oneSidedP(test, margins, delta, 'greater'), pViolated: oneSidedP(test, margins, delta, 'less') };
}

/** Each method's curves as their mean and band over the seeds at each x, as the page plots them. */
function curveBands(curves: NonNullable<ComparisonOutcome['curves']>, scale: 'linear' | 'log'): NonNullable<ComparisonOutcome['bands']> {
  const over = (ys: readonly (readonly number[])[]) => trendPoints(ys.map((y) => ({ x: curves.x, y })), scale);
  return { seeds: curves.a.length, a: over(curves.a), b: over(curves.b) };
}

/** Both curves thinned to the same x points (the first seed's x), so the page can average them. */
function thinCurves(obs: readonly ComparisonObservation[], name: string): ComparisonOutcome['curves'] {
  const withCurves = obs.filter((o) => o.a.curve && o.b.curve);
  if (withCurves.length === 0) return undefined;
  const first = withCurves[0];
  const n = Math.min(first.a.curve!.length, first.b.curve!.length);
  if (n === 0) return undefined;
  const xs = first.x ?? Array.from({ length: n }, (_, i) => i);
  const picks = n <= CURVE_POINTS ? Array.from({ length: n }, (_, i) => i) : Array.from({ length: CURVE_POINTS }, (_, j) => Math.round((j * (n - 1)) / (CURVE_POINTS - 1)));
  for (const o of withCurves)
    if (o.a.curve!.length < n || o.b.curve!.length < n) throw new Error(`comparison '${name}': every replicate's curves need at least ${n} points (the first replicate's length)`);
  return { x: picks.map((i) => xs[i]), a: withCurves.map((o) => picks.map((i) => o.a.curve![i])), b: withCurves.map((o) => picks.map((i) => o.b.curve![i])) };
}

export async function evaluateComparison<I>(
  c: ComparisonConclusion<I, string>,
  inst: I,
  constants: Record<string, number>,
  ctx: { readonly engine: Engine; readonly budget: Budget },
): Promise<ConclusionOutcome> {
  const seeds = trendSeeds(c, ctx.budget);
  const obs: ComparisonObservation[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    const o = await c.observe(inst, constants, { engine: ctx.engine, budget: ctx.budget, seed });
    if ((o.a.curve || o.b.curve) && !c.curves) throw new Error(`comparison '${c.name}': observe returned curves but the conclusion declares no 'curves' axes`);
    obs.push(o);
  }
  const a = obs.map((o) => o.a.value);
  const b = obs.map((o) => o.b.value);
  const margins = obs.map((o) => pairedMargin(c, o.a.value, o.b.value));
  const usableMargins = margins.filter((d) => !Number.isNaN(d));
  const usable = usableMargins.length;
  const delta = threshold(c);
  const { mean, sd, median } = usable > 0 ? describeSample(usableMargins) : { mean: NaN, sd: NaN, median: NaN };
  const min = usable > 0 ? Math.min(...usableMargins) : NaN;
  const { pHolds, pViolated } = usable > 0 ? comparisonPValues(c.test, usableMargins, delta) : { pHolds: NaN, pViolated: NaN };
  const curves = thinCurves(obs, c.name);
  const comparison: ComparisonOutcome = {
    test: c.test, alpha: c.alpha, seeds, usable, claim: `${marginText(c)} > ${fmt(c.margin)}`, a, b, margins, mean, sd, median, min, pHolds, pViolated,
    ...(curves ? { curves, bands: curveBands(curves, c.curves!.y.scale) } : {}),
  };
  const base = { name: c.name, tightness: null, worstStep: null, firstViolation: null, violatedSteps: 0, assessedSteps: 1, belowFloorSteps: 0, comparison };
  const claim = comparisonClaimText(c);
  const onLog = c.measure.scale === 'log' ? ' (log of the ratio)' : '';
  const summary = `margin${onLog} over ${usable} of ${seeds} paired seeds: mean ${fmt(mean)} (sd ${fmt(sd)}, median ${fmt(median)}, min ${fmt(min)}); ${c.test === 't' ? 'paired t test' : 'sign test'}`;
  const few = tooFewSeeds(c.test, usable, c.alpha);
  if (few) return { ...base, assessedSteps: 0, verdict: 'inconclusive', reason: `too few seeds to decide: ${few}${usable < seeds ? ` (${seeds - usable} seed(s) where both methods diverged)` : ''}` };
  if (c.test === 't' && usableMargins.some((d) => !Number.isFinite(d)))
    return { ...base, assessedSteps: 0, verdict: 'inconclusive', reason: `${summary}: a method diverged on some seed (an infinite margin), which the t test cannot weigh; the sign test can` };
  if (pHolds < c.alpha) return { ...base, verdict: 'holds', reason: `${summary}: ${claim} supported, p = ${fmt(pHolds)} < α = ${c.alpha}` };
  if (pViolated < c.alpha) return { ...base, violatedSteps: 1, verdict: 'violated', reason: `${summary}: ${claim} contradicted, p = ${fmt(pViolated)} < α = ${c.alpha}` };
  return { ...base, verdict: 'inconclusive', reason: `${summary}: neither the claim (p = ${fmt(pHolds)}) nor its negation (p = ${fmt(pViolated)}) is significant at α = ${c.alpha}` };
}

/** The theorem-level record of a comparison (what it claims and how it is tested). */
export function comparisonRecord(c: ComparisonConclusion<any, string>): ConclusionRecord {
  return {
    name: c.name,
    kind: 'comparison',
    tex: c.tex,
    ...(c.about ? { about: c.about } : {}),
    comparison: {
      a: { ...c.a },
      b: { ...c.b },
      measure: { ...c.measure },
      margin: c.margin,
      claimText: comparisonClaimText(c),
      test: c.test,
      seeds: { ci: trendSeeds(c, 'ci'), full: trendSeeds(c, 'full') },
      alpha: c.alpha,
      ...(c.curves ? { curves: { x: { ...c.curves.x }, y: { ...c.curves.y } } } : {}),
    },
  };
}
