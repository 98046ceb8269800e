/**
 * What checking one instance produced: hypotheses measured, each conclusion's verdict and the
 * curves behind it. Plain data, imported by the checker that fills it and the record that stores
 * it, so neither imports the other.
 */
import type { Summary } from '../theorem/types.ts';

export interface HypothesisOutcome {
  readonly name: string;
  readonly holds: boolean;
  readonly measured: number;
  readonly relation: string;
  readonly required: number;
  readonly note?: string;
}

/** Measured and bound values of one bound conclusion at a subset of steps, for plots. */
export interface Curve {
  readonly conclusion: string;
  readonly k: number[];
  readonly measured: number[];
  readonly bound: number[];
  readonly floor: number;
}

export interface InstanceOutcome {
  readonly summary: Summary;
  readonly constants: Record<string, number>;
  readonly hypotheses: readonly HypothesisOutcome[];
  readonly hypothesesMet: boolean;
  readonly conclusions: readonly ConclusionOutcome[];
  readonly verdict: ConclusionVerdict;
  /** Steps run, and why the run stopped early if it did. */
  readonly steps: number;
  readonly stopped?: string;
  /** An error thrown by the theorem's own code (constants, run): the verdict is then inconclusive. */
  readonly error?: string;
  /** For a float32 violation: the float64 re-run that confirmed it or did not. */
  readonly confirmation?: { readonly engine: 'f64'; readonly verdict: ConclusionVerdict; readonly conclusions: readonly ConclusionOutcome[] };
  readonly curves: readonly Curve[];
}

export type ConclusionVerdict = 'holds' | 'violated' | 'vacuous' | 'inconclusive';

export interface Violation {
  readonly k: number;
  readonly measured: number;
  readonly bound: number;
  /** The float noise floor at that step, and the value measured had to stay within there: bound ± (ε_rel·|bound| + floor). */
  readonly floor?: number;
  readonly limit?: number;
}

export interface ConclusionOutcome {
  readonly name: string;
  readonly verdict: ConclusionVerdict;
  /** Why, in words: shown in reports next to the verdict. */
  readonly reason: string;
  /** Worst measured/bound ratio (bound/measured for `≥`) over assessed and violated steps; 1 = attained. */
  readonly tightness: number | null;
  readonly worstStep: number | null;
  /** Set when the bound at the worst step lies below the float noise floor (a ratio there says little). */
  readonly worstBelowFloor?: true;
  readonly firstViolation: Violation | null;
  readonly violatedSteps: number;
  readonly assessedSteps: number;
  readonly belowFloorSteps: number;
  /** For a trend conclusion: per-seed statistics, p-values and observations (src/check/trend.ts). */
  readonly trend?: TrendOutcome;
  /** For a comparison: per-seed measures of both methods, margins, p-values and curves (src/check/comparison.ts). */
  readonly comparison?: ComparisonOutcome;
}

/** The mean of y at x over replicates and its 95% band (absent where there is none): src/check/bands.ts. */
export interface BandPoint {
  readonly x: number;
  readonly y: number;
  readonly lo?: number;
  readonly hi?: number;
}

/** What a trend measured and concluded on one instance; stored in the result record. */
export interface TrendOutcome {
  readonly test: 't' | 'sign';
  readonly alpha: number;
  readonly seeds: number;
  /** The per-replicate statistic, e.g. 'slope of log y against log x'. */
  readonly statistic: string;
  /** The claim in words, e.g. 'slope > 0'. */
  readonly claim: string;
  /** One value per replicate, in seed order. */
  readonly values: readonly number[];
  readonly mean: number;
  readonly sd: number;
  readonly median: number;
  readonly pHolds: number;
  readonly pViolated: number;
  /** Every replicate's observations, for tables and plots (empty in a summarised instance of a results file). */
  readonly observations: readonly { readonly seed: number; readonly x: readonly number[]; readonly y: readonly number[] }[];
  /** In a summarised instance (slimResult in src/record/result.ts): how many replicates' observations were left out. */
  readonly observationsOmitted?: number;
  /** The observations' mean and band at each x (trendPoints in src/check/bands.ts, on the y axis's scale): what a plot draws. */
  readonly points?: readonly BandPoint[];
}


/** What a paired comparison measured and concluded on one instance; stored in the result record. */
export interface ComparisonOutcome {
  readonly test: 't' | 'sign';
  readonly alpha: number;
  readonly seeds: number;
  /** Seeds whose margin is defined (a seed where both methods diverged has none). */
  readonly usable: number;
  /** The claim in words, e.g. 'margin (err(Adam) − err(GD)) > 0.2'. */
  readonly claim: string;
  /** Per seed, in seed order: the measure of A, of B, and the margin A beat B by (NaN when undefined). */
  readonly a: readonly number[];
  readonly b: readonly number[];
  readonly margins: readonly number[];
  /** Over the usable margins. */
  readonly mean: number;
  readonly sd: number;
  readonly median: number;
  readonly min: number;
  readonly pHolds: number;
  readonly pViolated: number;
  /** Both methods' curves per seed, at common x (thinned to a few dozen points), when `observe` returns them. */
  readonly curves?: { readonly x: readonly number[]; readonly a: readonly (readonly number[])[]; readonly b: readonly (readonly number[])[] };
  /** The curves' mean and band over the seeds at each x, per method (src/check/bands.ts): what a plot draws. */
  readonly bands?: { readonly seeds: number; readonly a: readonly BandPoint[]; readonly b: readonly BandPoint[] };
}
