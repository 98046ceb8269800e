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
import type { Curve, HypothesisOutcome, InstanceOutcome } from '../check/instance.ts';
import type { ConclusionOutcome, ConclusionVerdict } from '../check/verdict.ts';
import type { Budget, Expectation, Fidelity, Guarantee, Kind, Provenance, Summary, TrendAxis, TrendClaim } from '../spec/types.ts';
import type { BackendId, EngineId } from '../engine/types.ts';
import type { SearchRecord } from '../check/targeted.ts';
import type { SlackRecord } from '../check/slack.ts';

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
  readonly kind: 'bound' | 'identity' | 'trend';
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
