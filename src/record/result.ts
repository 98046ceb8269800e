/**
 * The Result record: everything a report needs about one (theorem, regime) check, so that reports
 * are built from results only. Versioned; one file per theorem holding the records of its regimes
 * (`<results>/<family>/<claim>.json`, schema provably.result/4), rewritten atomically (temp file +
 * rename) as each regime finishes, so an interrupted check keeps every regime it finished.
 *
 * Everything except the `run` block is a function of (code, seed, budget, runs, engine): the same
 * inputs give the same bytes. `run` holds wall-clock times and the environment.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { ComparisonOutcome, ConclusionOutcome, ConclusionVerdict, Curve, HypothesisOutcome, InstanceOutcome, TrendOutcome } from './outcome.ts';
import type { Budget, ComparisonMeasure, ComparisonMethod, Expectation, Fidelity, Guarantee, Kind, Provenance, Summary, TrendAxis, TrendClaim } from '../theorem/types.ts';
import type { BackendId, EngineId } from '../engine/types.ts';
import { pack, unpack } from './columns.ts';

/**
 * provably.result/3: drawn instances no page details are summarised, the instances a page details
 * keep what it shows of them (slimResult in src/record/result.ts), and the file is packed column by
 * column, repeated values stored once (src/record/columns.ts). provably.result/2 files (the same
 * packing without its repeat codes; the instances a page details kept whole) and provably.result/1
 * files (every instance whole, one JSON object per instance) are still read: their pages are the same.
 */
export const RESULT_SCHEMA = 'provably.result/3';
export const RESULT_SCHEMA_V2 = 'provably.result/2';
export const RESULT_SCHEMA_V1 = 'provably.result/1';
/**
 * provably.result/4 is a file, not a new record: one theorem's /3 records, its theorem record stored
 * once at the top (a regime checked against another version of the theorem keeps its own). Before
 * it, each (theorem, regime) was a file `<family>/<claim>/<regime>.json` repeating the theorem
 * record (a sixth of the bytes); those files are still read, and a check folds the /3 ones of a
 * theorem into its /4 file when it writes it.
 */
export const RESULT_FILE_SCHEMA = 'provably.result/4';
const READABLE_SCHEMAS: readonly string[] = [RESULT_FILE_SCHEMA, RESULT_SCHEMA, RESULT_SCHEMA_V2, RESULT_SCHEMA_V1];

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

/**
 * A conclusion of a stored instance: a summarised one leaves out the words of its verdict, its worst
 * and first violating steps and its count of steps below the floor (no page shows them but for the
 * instances kept whole).
 */
export type StoredConclusion = Omit<ConclusionOutcome, 'reason' | 'worstStep' | 'firstViolation' | 'belowFloorSteps'> &
  Partial<Pick<ConclusionOutcome, 'reason' | 'worstStep' | 'firstViolation' | 'belowFloorSteps'>>;

/** A drawn instance as a results file stores it: whole (an InstanceRecord) or summarised (slimResult in src/record/result.ts). */
/** A hypothesis of a stored instance: a summarised one keeps its name, the one thing its page row shows (it was not met). */
export type StoredHypothesis = Pick<HypothesisOutcome, 'name' | 'holds'> & Partial<Omit<HypothesisOutcome, 'name' | 'holds'>>;

export interface StoredInstance extends Omit<InstanceRecord, 'params' | 'conclusions' | 'confirmation' | 'hypotheses'> {
  readonly hypotheses: readonly StoredHypothesis[];
  /** Absent in a summarised instance: `provably replay --seed S --path P` rebuilds it. */
  readonly params?: unknown;
  readonly conclusions: readonly StoredConclusion[];
  readonly confirmation?: { readonly engine: 'f64'; readonly verdict: ConclusionVerdict; readonly conclusions: readonly StoredConclusion[] };
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
  /** Records the checker makes are /3; a /2 or /1 file is read as it was written. */
  readonly schema: typeof RESULT_SCHEMA | typeof RESULT_SCHEMA_V2 | typeof RESULT_SCHEMA_V1;
  readonly theorem: TheoremRecord;
  readonly regime: { readonly name: string; readonly about: string; readonly expect: Expectation; readonly shrinksTo?: string; /** Set when the regime checks only some conclusions. */ readonly conclusions?: readonly string[] };
  readonly settings: {
    readonly seed: number;
    readonly budget: Budget;
    readonly runs: number;
    readonly source: 'drawn' | 'user-instance';
    readonly engine: {
      readonly id: EngineId;
      readonly backend: BackendId;
      readonly precision: string;
      readonly eps: number;
      readonly relTol: number;
      /** Present only when a step ran outside the engine's library: PROVABLY_F32_KERNEL=wasm (the two-layer net's fused float32 kernel). */
      readonly kernel?: string;
    };
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
  /** Every drawn instance, in the order drawn; in a file, those no page details are summarised. */
  readonly instances: readonly StoredInstance[];
  readonly run: {
    readonly startedAt: string;
    readonly durationMs: number;
    /** CPU time (user + system) of the process that checked the regime: on a shared machine, a fairer cost than the wall time. */
    readonly cpuMs?: number;
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

/** The file of one theorem's results: `<results>/<family>/<claim>.json`. */
export function resultPath(resultsDir: string, theoremId: string): string {
  return join(resultsDir, ...theoremId.split('/')) + '.json';
}

/** Where a result was before provably.result/4: a file per (theorem, regime), `<results>/<family>/<claim>/<regime>.json`. */
export function legacyResultPath(resultsDir: string, theoremId: string, regime: string): string {
  return join(resultsDir, ...theoremId.split('/'), regime.replace(/:/g, '~') + '.json');
}

/*
 * Slimming. What a result file keeps of each drawn instance (schema provably.result/3). The instances a page
 * shows in detail stay whole: the worst instance of each conclusion (its curve and table), and for
 * a trend or comparison the instances whose observations or curves a page plots or tabulates. Every
 * other instance is summarised to what the pages show of it (its row in the instance table, its
 * tightness, its trend statistics): its drawn parameters (rebuilt exactly by
 * `provably replay --seed S --path P`), the hypotheses it met (counted in the regime's hypothesis
 * summary) and what was measured of those it did not meet (the page names them), its constants after the first four, the words of each verdict, a trend's
 * per-replicate observations (their number is kept) and a comparison's curves are left out.
 *
 * `slimResult` is idempotent, so a record read back from a file slims to itself, and the digest of
 * a result (src/report/history.ts) is the same whether taken before writing or after reading.
 */
/** Trend instances a page plots (src/report/figures.ts trendFigures shows the first four). */
export const TREND_INSTANCES_SHOWN = 4;

/** How many constants an instance row of a page shows (src/report/markdown.ts). */
export const CONSTANTS_SHOWN = 4;

const outcomes = (i: StoredInstance): readonly StoredConclusion[] => i.confirmation?.conclusions ?? i.conclusions;

/** Indices of the instances kept whole. */
export function instancesKept(r: Result): Set<number> {
  const kept = new Set<number>([...r.worst.flatMap((w) => (w.index === null ? [] : [w.index])), ...r.worstCurves.map((c) => c.index)]);
  for (const c of r.theorem.conclusions) {
    if (c.kind === 'trend') {
      const withObservations = r.instances.filter((i) => outcomes(i).some((o) => o.name === c.name && o.trend && (o.trend.observations.length > 0 || (o.trend.points?.length ?? 0) > 0)));
      for (const i of withObservations.slice(0, TREND_INSTANCES_SHOWN)) kept.add(i.index);
    }
    if (c.kind === 'comparison') {
      const first = r.instances.find((i) => outcomes(i).some((o) => o.name === c.name && o.comparison));
      const withCurves = r.instances.find((i) => outcomes(i).some((o) => o.name === c.name && (o.comparison?.curves || o.comparison?.bands)));
      for (const i of [first, withCurves]) if (i) kept.add(i.index);
    }
  }
  return kept;
}

function summariseConclusion(o: StoredConclusion): StoredConclusion {
  const { reason: _reason, worstStep: _worst, firstViolation: _first, belowFloorSteps: _below, ...rest } = o;
  let trend = rest.trend;
  // The per-seed statistics go with the observations: a page lists them only beside those (their number is `seeds`).
  if (trend) trend = trendKept(trend, 'summary');
  let comparison = rest.comparison;
  if (comparison) comparison = comparisonKept(comparison, 'summary');
  return { ...rest, ...(trend ? { trend } : {}), ...(comparison ? { comparison } : {}) };
}

/**
 * What an instance keeps of a trend: the one whose observations a page tabulates keeps them whole;
 * one that is only plotted keeps the points its plot draws (mean and band at each x, computed when
 * checking) in place of its replicates' observations; any other, neither. The per-seed statistics
 * go with the observations (a page lists them only beside those); their number stays in `seeds`.
 */
function trendKept(t: TrendOutcome, role: 'tabulated' | 'plotted' | 'summary'): TrendOutcome {
  if (role === 'tabulated') return t;
  // An older record has no points: a plotted instance then keeps its observations (its plot is drawn from them).
  if (role === 'plotted' && !t.points) return t;
  const { points, ...rest } = t;
  const omitted = t.observations.length > 0 ? { observationsOmitted: t.observations.length } : {};
  return { ...rest, values: [], observations: [], ...omitted, ...(role === 'plotted' ? { points } : {}) };
}

/**
 * What an instance keeps of a comparison: the one a page tabulates keeps its per-seed measures and
 * margins; the one it plots keeps the bands its plot draws in place of the per-seed curves.
 */
function comparisonKept(c: ComparisonOutcome, role: { tabulated: boolean; plotted: boolean }): ComparisonOutcome;
function comparisonKept(c: ComparisonOutcome, role: 'summary'): ComparisonOutcome;
function comparisonKept(c: ComparisonOutcome, role: { tabulated: boolean; plotted: boolean } | 'summary'): ComparisonOutcome {
  const { tabulated, plotted } = role === 'summary' ? { tabulated: false, plotted: false } : role;
  const { curves, bands, ...rest } = c;
  const perSeed = tabulated ? {} : { a: [], b: [], margins: [] };
  const drawn = plotted ? (bands ? { bands } : curves ? { curves } : {}) : {};
  return { ...rest, ...perSeed, ...drawn };
}

/** Per conclusion, the instance a page tabulates and those it plots (src/report/trend-markdown.ts, comparison-markdown.ts, figures.ts). */
function roles(r: Result): Map<string, { tabulated: number | undefined; plotted: Set<number> }> {
  const out = new Map<string, { tabulated: number | undefined; plotted: Set<number> }>();
  const outcome = (i: StoredInstance, name: string) => outcomes(i).find((o) => o.name === name);
  for (const c of r.theorem.conclusions) {
    if (c.kind === 'trend') {
      const plotted = r.instances.filter((i) => {
        const t = outcome(i, c.name)?.trend;
        return t && (t.observations.length > 0 || (t.points?.length ?? 0) > 0);
      });
      out.set(c.name, { tabulated: r.instances.find((i) => outcome(i, c.name)?.trend)?.index, plotted: new Set(plotted.slice(0, TREND_INSTANCES_SHOWN).map((i) => i.index)) });
    }
    if (c.kind === 'comparison') {
      const plotted = r.instances.find((i) => outcome(i, c.name)?.comparison?.curves || outcome(i, c.name)?.comparison?.bands);
      out.set(c.name, { tabulated: r.instances.find((i) => outcome(i, c.name)?.comparison)?.index, plotted: new Set(plotted ? [plotted.index] : []) });
    }
  }
  return out;
}

/** A kept instance's conclusions, each trend and comparison slimmed to what its page shows of this instance. */
function keptConclusions(list: readonly StoredConclusion[], index: number, byName: ReturnType<typeof roles>): StoredConclusion[] {
  return list.map((o) => {
    const role = byName.get(o.name);
    if (!role) return o;
    const tabulated = role.tabulated === index;
    const plotted = role.plotted.has(index);
    if (o.trend) return { ...o, trend: trendKept(o.trend, tabulated ? 'tabulated' : plotted ? 'plotted' : 'summary') };
    if (o.comparison) return { ...o, comparison: comparisonKept(o.comparison, { tabulated, plotted }) };
    return o;
  });
}

function keptInstance(i: StoredInstance, byName: ReturnType<typeof roles>): StoredInstance {
  return {
    ...i,
    conclusions: keptConclusions(i.conclusions, i.index, byName),
    ...(i.confirmation ? { confirmation: { ...i.confirmation, conclusions: keptConclusions(i.confirmation.conclusions, i.index, byName) } } : {}),
  };
}

/** The counterexample as its page shows it: a trend's or comparison's replicates are in no section of it. */
function counterexampleShown(cx: CounterexampleRecord): CounterexampleRecord {
  const none = new Map<string, { tabulated: number | undefined; plotted: Set<number> }>();
  for (const o of cx.conclusions) if (o.trend || o.comparison) none.set(o.name, { tabulated: undefined, plotted: new Set() });
  const slim = (list: readonly ConclusionOutcome[]) => keptConclusions(list, -1, none) as ConclusionOutcome[];
  return { ...cx, conclusions: slim(cx.conclusions), ...(cx.confirmation ? { confirmation: { ...cx.confirmation, conclusions: slim(cx.confirmation.conclusions) } } : {}) };
}

function summarise(i: StoredInstance): StoredInstance {
  const { params: _params, ...rest } = i;
  const constants = Object.fromEntries(Object.entries(i.constants).filter(([k], j) => j < CONSTANTS_SHOWN || k === 'dt'));
  return {
    ...rest,
    constants,
    hypotheses: i.hypotheses.filter((h) => !h.holds).map((h) => ({ name: h.name, holds: h.holds })),
    conclusions: i.conclusions.map(summariseConclusion),
    ...(i.confirmation ? { confirmation: { ...i.confirmation, conclusions: i.confirmation.conclusions.map(summariseConclusion) } } : {}),
  };
}

/** The record as a results file stores it: the same, with the instances no page details summarised. */
export function slimResult(r: Result): Result {
  const kept = instancesKept(r);
  const byName = roles(r);
  return {
    ...r,
    schema: RESULT_SCHEMA,
    counterexample: r.counterexample ? counterexampleShown(r.counterexample) : null,
    instances: r.instances.map((i) => (kept.has(i.index) ? keptInstance(i, byName) : summarise(i))),
  };
}

/**
 * JSON laid out for reading and diffing: fields one per line down to `inline` levels (a packed table
 * one column per line, indented by one space a level), anything deeper on the line of its field.
 */
function layout(value: unknown, depth: number, inline: number): string {
  if (depth >= inline || value === null || typeof value !== 'object') return JSON.stringify(value);
  const pad = ' '.repeat(depth + 1);
  const end = ' '.repeat(depth);
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[\n${value.map((x) => pad + layout(x, depth + 1, inline)).join(',\n')}\n${end}]`;
  const keys = Object.keys(value);
  return keys.length === 0 ? '{}' : `{\n${keys.map((k) => `${pad}${JSON.stringify(k)}: ${layout((value as Record<string, unknown>)[k], depth + 1, inline)}`).join(',\n')}\n${end}}`;
}

/** A value as JSON holds it: undefined fields gone, non-finite numbers as strings. */
const plainJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value, replacer));

/** The regimes in the order the theorem declares them, any it no longer declares after them by name. */
function regimeOrder(theorem: TheoremRecord, results: readonly Result[]): Result[] {
  const declared = (theorem.regimes ?? []).map((r) => r.name);
  const rank = (name: string) => (declared.includes(name) ? declared.indexOf(name) : declared.length);
  return [...results].sort((x, y) => rank(x.regime.name) - rank(y.regime.name) || (x.regime.name < y.regime.name ? -1 : x.regime.name > y.regime.name ? 1 : 0));
}

/**
 * The bytes of one theorem's results file (provably.result/4): each record slimmed (slimResult),
 * packed by columns and laid out as a /3 file lays out its record, the theorem record written once:
 * that of the last record given, and a record checked against another version of the theorem keeps
 * its own. The regimes come in the theorem's order, so the bytes do not depend on which finished first.
 */
export function resultFileText(results: readonly Result[]): string {
  if (results.length === 0) throw new Error('resultFileText: no result to write');
  const theorem = results[results.length - 1].theorem;
  const ids = new Set(results.map((r) => r.theorem.id));
  if (ids.size > 1) throw new Error(`resultFileText: one file holds one theorem's results, not ${[...ids].join(', ')}`);
  const names = results.map((r) => r.regime.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new Error(`resultFileText: regime ${twice} given twice`);
  const shared = serialize(theorem);
  const regimes = regimeOrder(theorem, results).map((r) => {
    const { schema: _schema, theorem: own, ...rest } = plainJson(slimResult(r)) as Result;
    return pack(serialize(r.theorem) === shared ? rest : { theorem: own, ...rest });
  });
  // Laid out as a /3 file was: the theorem record's fields one per line, and each regime's down to its packed columns.
  return `{\n "schema": ${JSON.stringify(RESULT_FILE_SCHEMA)},\n "theorem": ${layout(pack(plainJson(theorem)), 1, 3)},\n "regimes": ${layout(regimes, 1, 5)}\n}\n`;
}

/** A theorem's results as its files hold them: its /4 file and any files of the layout before it. */
function storedResults(resultsDir: string, theoremId: string): { results: Result[]; legacy: { file: string; result: Result | null }[] } {
  const file = resultPath(resultsDir, theoremId);
  const results = existsSync(file) ? parseResultFile(readFileSync(file, 'utf8'), file) : [];
  const dir = join(resultsDir, ...theoremId.split('/'));
  const legacy: { file: string; result: Result | null }[] = [];
  if (existsSync(dir) && statSync(dir).isDirectory())
    for (const f of resultFiles([dir])) {
      const [r] = parseResultFile(readFileSync(f, 'utf8'), f);
      // A /3 record folds into the /4 file unchanged; a /2 or /1 one would be slimmed on the way, so it stays where it is.
      legacy.push({ file: f, result: r.schema === RESULT_SCHEMA && r.theorem.id === theoremId ? r : null });
    }
  return { results, legacy };
}

/** Rewrite a theorem's file with these results (none: the file goes), and remove the old-layout files folded into it. */
function rewrite(resultsDir: string, theoremId: string, results: readonly Result[], folded: readonly string[]): string {
  const path = resultPath(resultsDir, theoremId);
  if (results.length > 0) writeAtomic(path, resultFileText(results));
  else if (existsSync(path)) rmSync(path);
  for (const f of folded) rmSync(f);
  const dir = join(resultsDir, ...theoremId.split('/'));
  if (folded.length > 0 && existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
  return path;
}

/** Store a regime's result in its theorem's file, replacing that regime's earlier result. */
export function writeResult(resultsDir: string, r: Result): string {
  const { results, legacy } = storedResults(resultsDir, r.theorem.id);
  const kept = results.filter((x) => x.regime.name !== r.regime.name);
  const folded: string[] = [];
  for (const { file, result } of legacy) {
    if (result && !kept.some((x) => x.regime.name === result.regime.name) && result.regime.name !== r.regime.name) kept.push(result);
    if (result || file === legacyResultPath(resultsDir, r.theorem.id, r.regime.name)) folded.push(file);
  }
  return rewrite(resultsDir, r.theorem.id, [...kept, r], folded);
}

/** Remove one regime's result of a theorem (from its file, or its file of the layout before /4); the file it was in. */
export function removeResult(resultsDir: string, theoremId: string, regime: string): string | null {
  const { results } = storedResults(resultsDir, theoremId);
  const legacy = legacyResultPath(resultsDir, theoremId, regime);
  if (results.some((x) => x.regime.name === regime)) {
    // Keep the theorem record of the regimes that stay.
    const rest = results.filter((x) => x.regime.name !== regime);
    return rewrite(resultsDir, theoremId, rest, []);
  }
  if (existsSync(legacy)) {
    rmSync(legacy);
    return legacy;
  }
  return null;
}

/** The records a results file holds: a theorem's regimes (/4) or one regime (/3, /2, /1). */
export function parseResultFile(text: string, file: string): Result[] {
  let data: unknown;
  try {
    data = parseResultJson(text);
  } catch (e) {
    throw new ResultFileError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const schema = (data as { schema?: unknown })?.schema;
  if (typeof schema !== 'string' || !READABLE_SCHEMAS.includes(schema))
    throw new ResultFileError(`${file}: schema ${JSON.stringify(schema)} is not one this provably reads (${READABLE_SCHEMAS.slice(0, -1).join(', ')} or ${READABLE_SCHEMAS[READABLE_SCHEMAS.length - 1]}); check again to write it in ${RESULT_FILE_SCHEMA}`);
  if (schema === RESULT_FILE_SCHEMA) return theoremFile(data as Record<string, unknown>, file);
  let result: Result;
  if (schema === RESULT_SCHEMA_V1) result = data as Result;
  else
    try {
      result = unpack(data) as unknown as Result;
    } catch (e) {
      throw new ResultFileError(`${file}: a ${schema} file whose packed columns do not unpack (${(e as Error).message})`);
    }
  return [complete(result, file)];
}

function theoremFile(data: Record<string, unknown>, file: string): Result[] {
  if (data.theorem === null || typeof data.theorem !== 'object') throw new ResultFileError(`${file}: a ${RESULT_FILE_SCHEMA} file without its 'theorem' record`);
  if (!Array.isArray(data.regimes) || data.regimes.length === 0) throw new ResultFileError(`${file}: a ${RESULT_FILE_SCHEMA} file without 'regimes' (a list of at least one regime's result)`);
  let theorem: TheoremRecord;
  try {
    theorem = unpack(data.theorem) as unknown as TheoremRecord;
  } catch (e) {
    throw new ResultFileError(`${file}: its theorem record's packed columns do not unpack (${(e as Error).message})`);
  }
  return data.regimes.map((entry, i) => {
    let rest: Omit<Result, 'schema' | 'theorem'> & { theorem?: TheoremRecord };
    try {
      rest = unpack(entry) as unknown as typeof rest;
    } catch (e) {
      throw new ResultFileError(`${file}: regimes[${i}]: packed columns that do not unpack (${(e as Error).message})`);
    }
    const { theorem: own, ...fields } = rest;
    const name = (fields as { regime?: { name?: unknown } }).regime?.name;
    return complete({ schema: RESULT_SCHEMA, theorem: own ?? theorem, ...fields } as Result, `${file}: regimes[${i}]${typeof name === 'string' ? ` (${name})` : ''}`);
  });
}

function complete(result: Result, where: string): Result {
  const missing = missingFields(result);
  if (missing.length > 0) throw new ResultFileError(`${where}: not a complete result record: ${missing.map((m) => `'${m}'`).join(', ')} missing (it has ${Object.keys(result).map((k) => `'${k}'`).join(', ')})`);
  return result;
}

/** The fields every reader of a result relies on, where a record lacks them. */
const REQUIRED_FIELDS: readonly (readonly string[])[] = [
  ['theorem', 'id'],
  ['theorem', 'family'],
  ['theorem', 'conclusions'],
  ['regime', 'name'],
  ['regime', 'expect'],
  ['settings', 'seed'],
  ['settings', 'budget'],
  ['settings', 'source'],
  ['settings', 'engine'],
  ['counts'],
  ['expectation'],
  ['instances'],
  ['run'],
];

function missingFields(r: unknown): string[] {
  const missing: string[] = [];
  for (const path of REQUIRED_FIELDS) {
    let v: unknown = r;
    for (const [i, key] of path.entries()) {
      v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
      if (v === undefined) {
        const shown = path.slice(0, i + 1).join('.');
        if (!missing.some((m) => shown === m || shown.startsWith(`${m}.`))) missing.push(shown);
        break;
      }
    }
  }
  return missing;
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
  return resultFiles(paths).flatMap((f) => parseResultFile(readFileSync(f, 'utf8'), f));
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
