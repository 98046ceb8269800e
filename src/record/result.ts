/**
 * The Result record: everything a report needs about one (theorem, regime) check, so that reports
 * are built from results only. Versioned; written atomically (temp file + rename), one file per
 * (theorem, regime), so an interrupted check keeps every regime it finished.
 *
 * Everything except the `run` block is a function of (code, seed, budget, runs, engine): the same
 * inputs give the same bytes. `run` holds wall-clock times and the environment.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { ConclusionOutcome, ConclusionVerdict, Curve, HypothesisOutcome, InstanceOutcome } from './outcome.ts';
import type { Budget, ComparisonMeasure, ComparisonMethod, Expectation, Fidelity, Guarantee, Kind, Provenance, Summary, TrendAxis, TrendClaim } from '../theorem/types.ts';
import type { BackendId, EngineId } from '../engine/types.ts';

export const RESULT_SCHEMA = 'provably.result/1';

export interface TheoremRecord {
  readonly id: string;
  readonly family: string;
  readonly title: string;
  readonly kind: Kind;
  readonly statement: string;
  readonly provenance: Provenance;
  readonly constants: Readonly<Record<string, { tex: string; about?: string }>>;
  readonly series: Readonly<Record<string, { tex: string; about?: string }>>;
  /** `noSlack`: why no regime searches the hypothesis's slack. */
  readonly hypotheses: readonly { name: string; tex: string; noSlack?: string }[];
  readonly conclusions: readonly ConclusionRecord[];
  readonly regimes: readonly { name: string; about: string; expect: Expectation }[];
}

export interface ConclusionRecord {
  readonly name: string;
  readonly kind: 'bound' | 'identity' | 'trend' | 'comparison';
  readonly tex: string;
  readonly about?: string;
  readonly measured?: string;
  readonly relation?: '<=' | '>=';
  readonly bound?: string;
  readonly floor?: string;
  readonly trivial?: string;
  readonly guarantee?: Guarantee;
  /** A soft claim: reported with its violation rate, not part of the verdict. */
  readonly soft?: boolean;
  /** For an identity: the two traced series it equates (plotted against each other). */
  readonly sides?: { readonly measured: string; readonly against: string };
  /** For a trend: its axes, statistic, claim, test, seeds and significance level. */
  readonly trend?: TrendRecord;
  /** For a comparison: the two methods, the measure, the margin, test, seeds and significance level. */
  readonly comparison?: ComparisonRecord;
}

export interface ComparisonRecord {
  readonly a: ComparisonMethod;
  readonly b: ComparisonMethod;
  readonly measure: ComparisonMeasure;
  readonly margin: number;
  /** The claim in words, e.g. 'err(Adam) − err(GD) > 0.2 on every seed's pair, tested by the sign test'. */
  readonly claimText: string;
  readonly test: 't' | 'sign';
  readonly seeds: { readonly ci: number; readonly full: number };
  readonly alpha: number;
  readonly curves?: { readonly x: TrendAxis; readonly y: TrendAxis };
}

export interface TrendRecord {
  readonly x: TrendAxis;
  readonly y: TrendAxis;
  readonly statistic: string;
  readonly claim: TrendClaim;
  readonly claimText: string;
  readonly test: 't' | 'sign';
  readonly seeds: { readonly ci: number; readonly full: number };
  readonly alpha: number;
}

export interface InstanceRecord extends Omit<InstanceOutcome, 'curves'> {
  readonly index: number;
  /** fast-check path: the index for a drawn instance, `index:shrink:...` for a shrunk one. */
  readonly path: string;
  readonly params: unknown;
}

export interface WorstRecord {
  readonly conclusion: string;
  readonly tightness: number | null;
  readonly index: number | null;
  readonly path: string | null;
  readonly step: number | null;
}

export interface Counts {
  readonly instances: number;
  readonly hypothesesMet: number;
  readonly holds: number;
  readonly violated: number;
  readonly vacuous: number;
  readonly inconclusive: number;
  /** Violations with every hypothesis met: the theorem is refuted on these. */
  readonly refutations: number;
  /** Violations with some hypothesis not met: evidence that hypothesis is needed. */
  readonly counterexamples: number;
  /** float32 violations the float64 re-run did not confirm (reported as inconclusive). */
  readonly unconfirmed: number;
}

export interface HypothesisSummary {
  readonly name: string;
  readonly met: number;
  readonly of: number;
  readonly relation: string;
  readonly measured: { readonly min: number; readonly max: number };
  readonly required: { readonly min: number; readonly max: number };
}

export interface CounterexampleRecord extends InstanceRecord {
  readonly shrinks: number;
  readonly shrinksTo?: { readonly about: string; readonly met: boolean };
  readonly curves: readonly Curve[];
  readonly replay: ReplayCommand;
}

export interface ReplayCommand {
  readonly theorem: string;
  readonly regime: string;
  readonly seed: number;
  readonly path: string;
  readonly engine: EngineId;
  readonly backend: BackendId;
  readonly budget: Budget;
}

export interface Result {
  readonly schema: typeof RESULT_SCHEMA;
  readonly theorem: TheoremRecord;
  readonly regime: { readonly name: string; readonly about: string; readonly expect: Expectation; readonly shrinksTo?: string; /** Set when the regime checks only some conclusions. */ readonly conclusions?: readonly string[] };
  readonly settings: {
    readonly seed: number;
    readonly budget: Budget;
    readonly runs: number;
    readonly source: 'drawn' | 'user-instance';
    readonly engine: { readonly id: EngineId; readonly backend: BackendId; readonly precision: string; readonly eps: number; readonly relTol: number };
  };
  readonly counts: Counts;
  readonly hypotheses: readonly HypothesisSummary[];
  readonly worst: readonly WorstRecord[];
  /** Curves of the instance with the worst tightness, per bound conclusion. */
  readonly worstCurves: readonly (Curve & { index: number })[];
  /** Targeted worst-case search (regimes expecting `holds`): worst tightness from random and from targeted search. */
  readonly search?: SearchRecord;
  /** Hypothesis-slack searches the regime declares: where the conclusion starts to hold against what the theorem requires. */
  readonly slack?: readonly SlackRecord[];
  readonly counterexample: CounterexampleRecord | null;
  readonly expectation: { readonly expected: Expectation; readonly met: boolean; readonly observed: string };
  readonly instances: readonly InstanceRecord[];
  readonly run: {
    readonly startedAt: string;
    readonly durationMs: number;
    readonly provably: string;
    readonly commit: string | null;
    readonly node: string;
    readonly engineNotes: readonly string[];
    /** `i/N` when the check ran as one of N shards (`provably check --shard i/N`). */
    readonly shard?: string;
  };
}

export type { ConclusionOutcome, ConclusionVerdict, HypothesisOutcome, Fidelity, Summary };

/** JSON cannot hold ±Infinity or NaN: they are written as strings and read back as numbers. */
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

const NON_FINITE = new Set(['Infinity', '-Infinity', 'NaN']);
function reviver(_key: string, value: unknown): unknown {
  if (typeof value === 'string' && NON_FINITE.has(value)) return Number(value);
  return value;
}

export function serialize(value: unknown): string {
  return JSON.stringify(value, replacer, 2) + '\n';
}

export function parseResultJson(text: string): unknown {
  return JSON.parse(text, reviver);
}

/** Write a file so that readers see the old content or the new, never half of it. */
export function writeAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

export function regimeFileName(regime: string): string {
  return regime.replace(/:/g, '~') + '.json';
}

export function resultPath(resultsDir: string, theoremId: string, regime: string): string {
  return join(resultsDir, ...theoremId.split('/'), regimeFileName(regime));
}

export function writeResult(resultsDir: string, r: Result): string {
  const path = resultPath(resultsDir, r.theorem.id, r.regime.name);
  writeAtomic(path, serialize(r));
  return path;
}

export class ResultFileError extends Error {}

/** The `.json` files under the given directories (or the files themselves), in a fixed order. */
export function resultFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) for (const e of readdirSync(p).sort()) walk(join(p, e));
    else if (p.endsWith('.json')) files.push(p);
  };
  paths.forEach(walk);
  return files;
}

/** Every result file under the given directories (or files), read and checked for the schema. */
export function readResults(paths: readonly string[]): Result[] {
  return resultFiles(paths).map((f) => {
    let data: unknown;
    try {
      data = parseResultJson(readFileSync(f, 'utf8'));
    } catch (e) {
      throw new ResultFileError(`${f}: not valid JSON (${(e as Error).message})`);
    }
    const schema = (data as { schema?: unknown })?.schema;
    if (schema !== RESULT_SCHEMA) throw new ResultFileError(`${f}: schema ${JSON.stringify(schema)} is not ${RESULT_SCHEMA}`);
    return data as Result;
  });
}

export function relativeTo(from: string, to: string): string {
  return relative(from, to).split('\\').join('/');
}

/** An instance reached by the ascent: its full record, curves, and how to check it again. */
export interface SearchedInstance extends Omit<InstanceRecord, 'index' | 'path'> {
  /** fast-check path of the drawn instance the ascent started from. */
  readonly start: string;
  /** Accepted ascent steps from that start. */
  readonly accepted: number;
  readonly curves: readonly Curve[];
  /** `provably replay <theorem> --regime <regime> --params <file with params>` checks it again. */
  readonly replay: { readonly theorem: string; readonly regime: string; readonly engine: string; readonly backend: string; readonly budget: Budget };
}

export interface SearchConclusion {
  readonly conclusion: string;
  /** Worst tightness over the random draw (the same number as the result's `worst`). */
  readonly random: { readonly tightness: number | null; readonly path: string | null };
  readonly targeted: {
    readonly tightness: number | null;
    readonly evaluations: number;
    /** Whether the ascent found a ratio above the random draw's worst. */
    readonly improved: boolean;
    readonly instance: SearchedInstance | null;
  };
}

export interface SearchRecord {
  readonly method: string;
  readonly evaluations: number;
  readonly conclusions: readonly SearchConclusion[];
  /** Instances the ascent reached whose verdict is `violated` (after float64 confirmation). */
  readonly violations: readonly SearchedInstance[];
  /** Why no search ran, when none did. */
  readonly skipped?: string;
}

/** One value tried: on how many replicates the conclusion held, of how many checked. */
export interface SlackPointRecord {
  readonly x: number;
  readonly held: number;
  readonly of: number;
  /** Replicates whose conclusion was violated (the rest of `of − held` were vacuous or inconclusive). */
  readonly violated: number;
  /** Whether the value reached the target. */
  readonly passed: boolean;
  /** Whether the value was abandoned early (more failures than the target allows). */
  readonly abandoned: boolean;
  readonly phase: 'grid' | 'bisection';
}

export type SlackStatus = 'found' | 'everywhere' | 'nowhere';

export interface SlackRecord {
  readonly hypothesis: string;
  readonly symbol: string;
  readonly conclusion: string;
  readonly about: string;
  /** `≥`: larger values are safer; `≤`: smaller ones. */
  readonly relation: '>=' | '<=';
  /** The theorem's requirement, measured on the boundary instance (replicate 0). */
  readonly required: number | null;
  /** Its range over every instance checked (it may depend on the replicate, e.g. through u(0)). */
  readonly requiredRange: { readonly min: number; readonly max: number } | null;
  readonly target: number;
  readonly seeds: number;
  /**
   * found: the boundary lies inside the range; everywhere: every value tried passed (the boundary
   * is the extreme value tried and the slack a lower bound); nowhere: the safest value tried failed.
   */
  readonly status: SlackStatus;
  readonly boundary: number | null;
  /** required ÷ boundary (`≥`) or boundary ÷ required (`≤`); null without a boundary or a positive requirement. */
  readonly slack: number | null;
  /** Every value tried, in increasing order. */
  readonly points: readonly SlackPointRecord[];
  readonly method: string;
  /** The base instance (replicate 0 at the boundary, or at the safest value tried). */
  readonly base: Summary;
  readonly evaluations: number;
  /** Replicates violated with every hypothesis met: refutations of the theorem. */
  readonly refutations: number;
  /** One line: 'requires m ≥ 1.4e16; held from m ≈ 40 in ≥ 95% of 20 seeds: slack 3.5e14'. */
  readonly text: string;
}
