/**
 * The objects of a theorem (DESIGN.md §1). A theorem file fills in a `TheoremSpec`; the type
 * parameters tie its parts together so that a conclusion naming a series the run does not trace,
 * a constant without its TeX, or a regime drawing the wrong instance type is a compile error.
 *
 *   P  the parameters fast-check draws (small and JSON-serialisable: sizes, seeds, step rules)
 *   I  the instance built from them (data, initialisation, step sizes)
 *   K  the names of the constants computed on the instance (λ0, L, μ, ...)
 *   S  the names of the series the run traces (loss, residual, distance from init, ...)
 */
import type { Arbitrary } from 'fast-check';
import type { Engine, EngineId } from '../engine/types.ts';

export type Fidelity = 'read' | 'recalled' | 'derived';

export interface Provenance {
  readonly authors: readonly string[];
  readonly year: number;
  readonly title: string;
  /** arXiv identifier such as '1810.02054' (omit for textbooks). */
  readonly arxiv?: string;
  readonly venue?: string;
  /** Where in the source: 'Theorem 4.1', 'Corollary 4.1', 'Thm 2.1.15'. */
  readonly locator: string;
  /**
   * `read`: the statement here was checked against the source text. `recalled`: from memory or a
   * secondary source, not checked. `derived`: worked out here (e.g. explicit constants the paper
   * hides in O(·)). The report prints this beside the statement.
   */
  readonly fidelity: Fidelity;
  /** What exactly was or was not checked, and against what. */
  readonly fidelityNote?: string;
}

export type Kind = 'bound' | 'identity' | 'trend' | 'comparison' | 'counterexample';
/** PEPit's tag: is the bound attained (`tight`), or only an upper (lower) estimate. */
export type Guarantee = 'tight' | 'upper' | 'lower';

export type Budget = 'ci' | 'full';

/** `theorem` (hypotheses met), `proxy...` (some not met on purpose), `broken:<hypothesis>`. */
export type RegimeName = 'theorem' | 'proxy' | `proxy:${string}` | `broken:${string}`;

export type Relation = '>=' | '<=' | '>' | '<';

/** What a hypothesis measures on one instance; the runner decides `holds` from these numbers. */
export interface Measurement {
  readonly measured: number;
  readonly relation: Relation;
  readonly required: number;
  /** Optional comment for the report, e.g. 'explicit constant derived from the proof'. */
  readonly note?: string;
}

export interface Hypothesis<I, K extends string> {
  readonly name: string;
  readonly tex: string;
  readonly measure: (inst: I, c: Constants<K>) => Measurement;
  /**
   * Why no regime searches this hypothesis's slack (src/check/slack.ts), e.g. 'a condition on the
   * data, not a size': reports show it in place of a slack factor.
   */
  readonly noSlack?: string;
}

export type Constants<K extends string> = { readonly [Q in K]: number };

export interface SymbolInfo {
  /** TeX for reports, e.g. '\\lambda_0'. */
  readonly tex: string;
  readonly about?: string;
}

/** What a run returns: per-step series, index k = step k (k = 0 is the initial point). */
export interface Trace<S extends string> {
  readonly series: { readonly [Q in S]: ArrayLike<number> };
  /** Index of the last recorded step. */
  readonly steps: number;
  /** Why the run stopped early, if it did ('non-finite loss at step 37'). */
  readonly stopped?: string;
}

export interface RunContext {
  readonly engine: Engine;
  readonly budget: Budget;
  /**
   * Set when the check evaluates only these conclusions (a slack search needs one verdict): a run
   * may then skip series that only the other conclusions read. Unset: every conclusion.
   */
  readonly only?: readonly string[];
}

/**
 * An inequality along the run: `measured[k] (relation) bound(k)` for every k ≥ from, with bound a
 * mathjs expression over the constants, the step `k`, the engine's unit roundoff `eps`, and the
 * traced series read at step k (a per-step claim such as ℓ_k − ℓ_{k+1} ≥ G_k²/11 names `G2`).
 */
export interface BoundConclusion<K extends string, S extends string> {
  readonly kind: 'bound';
  readonly name: string;
  readonly about?: string;
  readonly measured: S;
  readonly relation: '<=' | '>=';
  readonly bound: string;
  /**
   * The bound that holds without the theorem (e.g. the initial loss for a monotone method). Where
   * the claimed bound is no stronger than this at every checked step, the verdict is `vacuous`.
   */
  readonly trivial?: string;
  /**
   * Float noise floor of the measured series, an expression that may use `eps`. Steps where the
   * bound is below the floor cannot be assessed; comparisons get this much absolute slack.
   */
  readonly floor: string;
  /** First step checked (default 1: step 0 is usually the initial condition itself). */
  readonly from?: number;
  readonly guarantee?: Guarantee;
  /** Override of the TeX rendered from `bound`. */
  readonly tex?: string;
  /**
   * A soft claim: evaluated and reported with its violation rate, but left out of the instance's
   * verdict (e.g. a step of a proof that rests on an assumption the run only approximately meets).
   */
  readonly soft?: boolean;
}

/** An exact statement up to rounding, checked by a typed function. */
export interface IdentityConclusion<I, K extends string, S extends string> {
  readonly kind: 'identity';
  readonly name: string;
  readonly tex: string;
  readonly about?: string;
  readonly check: (trace: Trace<S>, c: Constants<K>, inst: I, engine: Engine) => { error: number; tolerance: number };
  /** Two traced series to tabulate (and plot) against each other: the two sides of the identity. */
  readonly sides?: { readonly measured: S; readonly against: S };
}

/** The x or y axis of a trend: what it is, and whether the claim reads it on a log scale. */
export interface TrendAxis {
  readonly name: string;
  readonly tex: string;
  readonly scale: 'linear' | 'log';
}

/** One seed's observations of a trend: y measured at each x (same lengths). */
export interface TrendObservation {
  readonly x: readonly number[];
  readonly y: readonly number[];
}

/**
 * What the per-seed statistic is claimed to be: above or below a value (`slope > 0`: y grows with
 * x), or inside an interval (`slope within [-0.1, 0.1]`: y does not depend on x, an equivalence
 * claim tested by two one-sided tests).
 */
export type TrendClaim = { readonly relation: '>' | '<'; readonly value: number } | { readonly within: readonly [number, number] };

/**
 * An asymptotic claim tested statistically over seeds (DESIGN.md §2): for each of `seeds`
 * independent replicates `observe` measures y at several x; a statistic summarises each replicate
 * (by default the least-squares slope of y against x, on the axes' scales); `test` then asks, at
 * significance `alpha`, whether the statistics support the claim (verdict `holds`), contradict it
 * (`violated`: the opposite one-sided test is significant), or neither (`inconclusive`). Every
 * instance of the regime runs its own replicates.
 */
export interface TrendConclusion<I, K extends string> {
  readonly kind: 'trend';
  readonly name: string;
  /** The claim in TeX, e.g. '\\|w_t\\| \\sim \\log t'. */
  readonly tex: string;
  readonly about?: string;
  readonly x: TrendAxis;
  readonly y: TrendAxis;
  /** Per-replicate summary; default: the least-squares slope of y against x on the axes' scales. */
  readonly statistic?: { readonly name: string; readonly tex: string; readonly of: (o: TrendObservation) => number };
  readonly claim: TrendClaim;
  /** `t`: one-sample Student t test; `sign`: exact binomial sign test (src/check/stats.ts). */
  readonly test: 't' | 'sign';
  /** Replicates per instance, e.g. 8 or { ci: 6, full: 12 }. */
  readonly seeds: number | { readonly ci: number; readonly full: number };
  /** Significance level of each one-sided test, e.g. 0.05. */
  readonly alpha: number;
  /** Replicate `seed` (0, 1, ...): build its own randomness from it and the instance, run, measure. */
  readonly observe: (inst: I, c: Constants<K>, ctx: RunContext & { readonly seed: number }) => Promise<TrendObservation>;
}

/** One method's run in one replicate of a comparison. */
export interface ComparisonRun {
  /**
   * The compared measure (test error, loss at step T, steps to reach ε, average regret). A
   * non-finite value (NaN, ±∞: the run diverged) counts as the worst value the measure can take.
   */
  readonly value: number;
  /** The curve behind it (e.g. the loss at each step), drawn on one plot with the other method's. */
  readonly curve?: readonly number[];
}

/** What one replicate of a comparison observed: both methods, run on the same data and initialisation. */
export interface ComparisonObservation {
  readonly a: ComparisonRun;
  readonly b: ComparisonRun;
  /** The x of the curves (steps, by default 0, 1, ...). */
  readonly x?: readonly number[];
}

/** A method of a comparison: its name in reports, e.g. 'GD' or 'Adam (lr 1e-3)'. */
export interface ComparisonMethod {
  readonly name: string;
  readonly tex?: string;
}

/** What a comparison compares, and which way is better. */
export interface ComparisonMeasure {
  readonly name: string;
  readonly tex: string;
  /** 'lower' for an error, a loss, a step count, a regret; 'higher' for an accuracy. */
  readonly better: 'lower' | 'higher';
  /**
   * 'linear': the per-seed margin is the difference (B − A when lower is better) and `margin` is an
   * amount; 'log': the margin is the log of the ratio (log(B/A)) and `margin` is a factor (> 0).
   */
  readonly scale: 'linear' | 'log';
}

/**
 * A paired comparison (DESIGN.md §2): method A beats method B on `measure` by at least `margin`.
 * Each of `seeds` replicates runs both methods on the same data and initialisation (`observe`
 * builds both from the replicate's seed) and gives one margin; `test` (`sign`: exact sign test on
 * the margins; `t`: paired t test, i.e. a one-sample t test on them) asks at level `alpha` whether
 * the margins exceed `margin` (verdict `holds`), fall short of it (`violated`: the opposite
 * one-sided test is significant, e.g. the gap vanished or flipped), or neither (`inconclusive`,
 * also when too few seeds are usable for the test ever to reach `alpha`).
 */
export interface ComparisonConclusion<I, K extends string> {
  readonly kind: 'comparison';
  readonly name: string;
  /** The claim in TeX, e.g. '\\mathrm{err}_{GD} < \\mathrm{err}_{Adam}'. */
  readonly tex: string;
  readonly about?: string;
  /** The method claimed to win. */
  readonly a: ComparisonMethod;
  /** The method it is claimed to beat. */
  readonly b: ComparisonMethod;
  readonly measure: ComparisonMeasure;
  /** By how much A beats B: an amount on a linear measure (0: A is better at all), a factor on a log one (1: A is better at all). */
  readonly margin: number;
  /** `sign`: exact sign test on the per-seed margins; `t`: paired Student t test (src/check/stats.ts). */
  readonly test: 't' | 'sign';
  /** Paired replicates per instance, e.g. 10 or { ci: 6, full: 12 }. */
  readonly seeds: number | { readonly ci: number; readonly full: number };
  /** Significance level of each one-sided test, e.g. 0.05. */
  readonly alpha: number;
  /** The axes of the curves `observe` returns (both methods' curves share them), if it returns any. */
  readonly curves?: { readonly x: TrendAxis; readonly y: TrendAxis };
  /** Replicate `seed` (0, 1, ...): draw the data and initialisation from it, run A and B on them, measure both. */
  readonly observe: (inst: I, c: Constants<K>, ctx: RunContext & { readonly seed: number }) => Promise<ComparisonObservation>;
}

export type Conclusion<I, K extends string, S extends string> = BoundConclusion<K, S> | IdentityConclusion<I, K, S> | TrendConclusion<I, K> | ComparisonConclusion<I, K>;

/**
 * What a regime expects of its instances.
 * `holds`: no confirmed violation, and at least one instance where the conclusion holds.
 * `violated`: at least one confirmed violation (a broken regime: shows the suite can fail).
 * `vacuous`: every instance's bound is vacuous. `observe`: report only, no expectation.
 */
export type Expectation = 'holds' | 'violated' | 'vacuous' | 'observe';

export interface Regime<P> {
  readonly about: string;
  readonly draw: Arbitrary<P> | ((budget: Budget) => Arbitrary<P>);
  readonly expect: Expectation;
  /** Instances per check. Defaults: ci 10, full 50. */
  readonly runs?: { readonly ci: number; readonly full: number };
  /** For `violated` regimes: what the shrunk counterexample must look like. */
  readonly shrinksTo?: { readonly about: string; readonly check: (p: P) => boolean };
  /** Most shrink steps tried (each re-runs the training). Default 300. */
  readonly maxShrinks?: number;
  /**
   * Targeted worst-case search (src/check/targeted.ts): after the random draw, a local ascent on the
   * drawn parameters pushes each bound's tightness up. On by default in regimes expecting `holds`,
   * with as many evaluations as the random draw; `false` turns it off. A regime that expects
   * `observe` searches only when it sets this (its findings are then reported, not judged).
   */
  readonly search?: false | { readonly evaluations?: { readonly ci: number; readonly full: number } };
  /**
   * Hypothesis-slack searches (src/check/slack.ts) run after this regime's draw: for a numeric
   * hypothesis, the value from which the conclusion holds in ≥ 95% of seeds, against the value the
   * theorem requires.
   */
  readonly slack?: readonly SlackSearch<P>[];
  /**
   * The conclusions this regime checks (default: all). A regime that varies only what a costly
   * trend does not depend on (a step size, a width below the threshold) need not re-measure it;
   * the page says which conclusions each regime left out.
   */
  readonly conclusions?: readonly string[];
}

/** A count per budget, or one count for both. */
export type PerBudget = number | { readonly ci: number; readonly full: number };

/**
 * How far from necessary a numeric hypothesis (a width, a step size, a sample count) is. From one
 * base instance only the hypothesis's value changes; every value tried is checked on `seeds`
 * replicates (e.g. initialisations), each exactly like a drawn instance, and the boundary is the
 * value from which (for a `≥` hypothesis; up to which, for `≤`) the conclusion holds on at least
 * `target` of them. Slack = required ÷ boundary for `≥`, boundary ÷ required for `≤`.
 */
export interface SlackSearch<P> {
  /** The hypothesis whose value is varied; its `measure` supplies the requirement and the relation. */
  readonly hypothesis: string;
  /** The value's symbol in text, e.g. 'm' or 'η'. */
  readonly symbol: string;
  /** The bound or identity conclusion whose verdict must be `holds` on a replicate. */
  readonly conclusion: string;
  /** What the base instance is, in words (reports show it). */
  readonly about: string;
  /** The parameters the search starts from (the data stay fixed; `at` and `replicate` change the rest). */
  readonly base: P | ((budget: Budget) => P);
  /** The parameters with the hypothesis's value set to `value`. */
  readonly at: (p: P, value: number) => P;
  /** Replicate `seed` (0, 1, ...) of the parameters: e.g. another initialisation. */
  readonly replicate: (p: P, seed: number) => P;
  /** The values searched: a log-spaced grid from `from` to `to`, then bisection at the boundary. */
  readonly range: { readonly from: number; readonly to: number; readonly integer?: boolean };
  /** Grid points (default { ci: 5, full: 8 }) and bisection steps (default { ci: 2, full: 4 }). */
  readonly grid?: PerBudget;
  readonly refine?: PerBudget;
  /** Replicates per value. */
  readonly seeds: PerBudget;
  /** Fraction of replicates on which the conclusion must hold (default 0.95). */
  readonly target?: number;
}

/** A user's own instance (`provably check <id> --instance file.json`). */
export interface UserInstance<I> {
  /** Markdown: the fields of the JSON object and their defaults. */
  readonly doc: string;
  /** Throw `InstanceError` naming the field on bad input. */
  readonly parse: (json: unknown) => I;
  /**
   * What checking this instance will cost, said before it starts, and whether it is within the
   * documented size limit (`check --instance` refuses beyond it unless `--force`).
   */
  readonly cost?: (inst: I) => { readonly about: string; readonly withinLimit: boolean; readonly limit: string };
}

export type Summary = Readonly<Record<string, number | string | boolean>>;

export interface TheoremSpec<P, I, K extends string, S extends string> {
  /** `<family>/<claim>`; the family is the folder the file lives in. */
  readonly id: string;
  readonly title: string;
  readonly provenance: Provenance;
  readonly kind: Kind;
  /** The theorem as the paper states it (TeX, without `$`). */
  readonly statement: string;
  /** Engine used when the command line names none; the other is used only if listed here. */
  readonly engines: { readonly default: EngineId; readonly supported: readonly EngineId[] };
  readonly build: (p: P) => I;
  /** A few numbers that identify an instance in a report (sizes, step size, seeds). */
  readonly summarize: (inst: NoInfer<I>) => Summary;
  readonly constants: { readonly [Q in K]: SymbolInfo };
  readonly computeConstants: (inst: NoInfer<I>) => Constants<K>;
  readonly hypotheses: readonly Hypothesis<NoInfer<I>, NoInfer<K>>[];
  readonly series: { readonly [Q in S]: SymbolInfo };
  readonly run: (inst: NoInfer<I>, c: Constants<NoInfer<K>>, ctx: RunContext) => Promise<Trace<NoInfer<S>>>;
  readonly conclusions: readonly Conclusion<NoInfer<I>, NoInfer<K>, NoInfer<S>>[];
  readonly regimes: { readonly [Q in RegimeName]?: Regime<NoInfer<P>> };
  readonly userInstance?: UserInstance<NoInfer<I>>;
}

type RequiredKeys<T> = { [F in keyof T]-?: {} extends Pick<T, F> ? never : F }[keyof T];

/**
 * What `defineTheorem` accepts: a TheoremSpec whose type parameters are inferred from `build`,
 * `constants`, `computeConstants` and `series` alone (everything else reads them through NoInfer),
 * and whose required fields are demanded by a separate, non-generic part. A missing or misspelled
 * field is then one error naming it (`'statment' does not exist ... Did you mean to write
 * 'statement'?`): when the generic part itself lacks a field next to an unknown one, TypeScript
 * gives up inferring P and I and reports every callback's parameter as `unknown` instead.
 */
export type TheoremSpecInput<P, I, K extends string, S extends string> = Partial<TheoremSpec<P, I, K, S>> & {
  readonly [F in RequiredKeys<TheoremSpec<unknown, unknown, string, string>>]: unknown;
};
