/**
 * The runner: for one regime of one theorem, draw instances with fast-check from a seed, check
 * each (src/check/instance.ts), shrink the first violation to a minimal counterexample, aggregate,
 * and judge the regime against its expectation. It knows no theorem by name.
 *
 * Determinism: instance i is fast-check's i-th value for the seed (path "i"), and a shrunk
 * counterexample has the path fast-check reports, so `replay` rebuilds either exactly.
 */
import fc, { type Arbitrary } from 'fast-check';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { getEngine, isTfjs } from '../engine/index.ts';
import type { BackendId, Engine, EngineId } from '../engine/types.ts';
import type { AnyTheorem } from '../theorem/define.ts';
import type { Budget, Expectation, Regime, RegimeName } from '../theorem/types.ts';
import { checkInstance, checkParams, plain, setRunTimeLimit, type Curve, type InstanceOutcome } from './instance.ts';
import type { ConclusionOutcome } from './verdict.ts';
import { summaryText } from './format.ts';
import { targetedSearch, withSearch } from './targeted.ts';
import { comparisonRecord } from './comparison.ts';
import { trendRecord } from './trend.ts';
import { slackSearches, withSlack } from './slack.ts';

export { summaryText };
import {
  RESULT_SCHEMA,
  type CounterexampleRecord,
  type Counts,
  type HypothesisSummary,
  type InstanceRecord,
  type Result,
  type TheoremRecord,
  type WorstRecord,
} from '../record/result.ts';

export const DEFAULT_RUNS = { ci: 10, full: 50 } as const;
export const DEFAULT_MAX_SHRINKS = 300;

export interface Progress {
  readonly theorem: string;
  readonly regime: string;
  readonly phase: 'draw' | 'shrink' | 'search' | 'slack';
  readonly done: number;
  readonly total: number;
  readonly worstTightness: number | null;
  readonly violated: number;
}

export interface CheckOptions {
  readonly budget: Budget;
  readonly seed: number;
  /** Overrides the regime's own instance count. */
  readonly runs?: number;
  readonly engine?: EngineId;
  readonly backend?: BackendId;
  readonly onProgress?: (p: Progress) => void;
  /** Polled between instances; when true the regime is abandoned (finished regimes are kept). */
  readonly shouldStop?: () => boolean;
  /** Per-instance limit on a run, in seconds (src/check/instance.ts); the process-wide setting otherwise. */
  readonly timeLimit?: number;
}

export class CheckError extends Error {}
export class Interrupted extends Error {}

export async function engineFor(thm: AnyTheorem, id?: EngineId, backend?: BackendId): Promise<Engine> {
  const engineId = id ?? thm.spec.engines.default;
  if (!thm.spec.engines.supported.includes(engineId))
    throw new CheckError(`${thm.id} supports the engines ${thm.spec.engines.supported.join(', ')}, not '${engineId}'`);
  return getEngine(engineId, engineId === 'f64' ? undefined : backend);
}

export function regimeOf(thm: AnyTheorem, name: string): Regime<unknown> {
  const regime = (thm.spec.regimes as Record<string, Regime<unknown>>)[name];
  if (!regime) throw new CheckError(`${thm.id} has no regime '${name}' (regimes: ${thm.regimeNames.join(', ')})`);
  return regime;
}

function arbitraryOf(regime: Regime<unknown>, budget: Budget): Arbitrary<unknown> {
  return typeof regime.draw === 'function' ? regime.draw(budget) : regime.draw;
}

/** Plain data (fast-check builds some records with a null prototype). */

function effective(o: Pick<InstanceOutcome, "confirmation" | "conclusions">): readonly ConclusionOutcome[] {
  return o.confirmation?.conclusions ?? o.conclusions;
}

function record(index: number, path: string, params: unknown, o: InstanceOutcome): InstanceRecord {
  const { curves: _curves, ...rest } = o;
  return { index, path, params: plain(params), ...rest };
}


export async function checkRegime(thm: AnyTheorem, regimeName: string, opts: CheckOptions): Promise<Result> {
  const regime = regimeOf(thm, regimeName);
  const engine = await engineFor(thm, opts.engine, opts.backend);
  if (opts.timeLimit !== undefined) setRunTimeLimit(opts.timeLimit);
  const arb = arbitraryOf(regime, opts.budget);
  const runs = opts.runs ?? regime.runs?.[opts.budget] ?? DEFAULT_RUNS[opts.budget];
  const started = Date.now();
  const cpu = process.cpuUsage();
  const startedAt = new Date(started).toISOString();
  const stop = opts.shouldStop ?? (() => false);

  const instances: InstanceRecord[] = [];
  const worstCurves = new Map<string, Curve & { index: number; tightness: number }>();
  let interrupted = false;
  const progress = (phase: Progress['phase'], done: number, total: number) =>
    opts.onProgress?.({ theorem: thm.id, regime: regimeName, phase, done, total, worstTightness: maxTightness(worstCurves), violated: instances.filter((i) => i.verdict === 'violated').length });

  // The property never fails: a failing property would make fast-check shrink it, calling it again
  // on candidates that are not drawn instances. Theorem code that throws is an inconclusive
  // instance (checkParams); anything else that throws here is kept and rethrown after the draw.
  let fatal: unknown;
  const drawn = await fc.check(
    fc.asyncProperty(arb, async (params) => {
      if (interrupted || fatal !== undefined || stop()) {
        interrupted ||= fatal === undefined;
        return true;
      }
      try {
        const index = instances.length;
        const o = await checkParams(thm, params, engine, opts.budget, regime.conclusions);
        instances.push(record(index, String(index), params, o));
        for (const c of effective(o)) {
          if (c.tightness === null) continue;
          const best = worstCurves.get(c.name);
          const curve = o.curves.find((cv) => cv.conclusion === c.name);
          if (curve && (!best || c.tightness > best.tightness)) worstCurves.set(c.name, { ...curve, index, tightness: c.tightness });
        }
        progress('draw', instances.length, runs);
      } catch (e) {
        fatal = e;
      }
      return true;
    }),
    { seed: opts.seed, numRuns: runs },
  );
  if (fatal !== undefined) throw fatal;
  if (drawn.failed) throw new CheckError(`${thm.id} · ${regimeName}: the random draw failed: ${String(drawn.errorInstance ?? 'no error recorded')}`);
  if (interrupted) throw new Interrupted(`${thm.id} · ${regimeName}: interrupted after ${instances.length} of ${runs} instances`);

  const search = await targetedSearch(thm, regimeName, regime, arb, instances, {
    engine,
    budget: opts.budget,
    seed: opts.seed,
    runs,
    shouldStop: stop,
    interrupted: () => {
      throw new Interrupted(`${thm.id} · ${regimeName}: interrupted during the targeted search`);
    },
    onProgress: (done, total) => progress('search', done, total),
  });

  const slack = await slackSearches(thm, regime, {
    engine,
    budget: opts.budget,
    shouldStop: stop,
    interrupted: () => {
      throw new Interrupted(`${thm.id} · ${regimeName}: interrupted during the slack search`);
    },
    onProgress: (done, total) => progress('slack', done, total),
  });

  const firstViolated = instances.find((i) => i.verdict === 'violated');
  const counterexample = firstViolated ? await shrink(thm, regime, regimeName, arb, firstViolated, engine, opts, stop, (done, total) => progress('shrink', done, total)) : null;

  const counts = countsOf(instances);
  const expectation = withSlack(withSearch(judge(regime, counts, counterexample, instances), search), slack);
  return {
    schema: RESULT_SCHEMA,
    theorem: theoremRecord(thm),
    regime: { name: regimeName, about: regime.about, expect: regime.expect, ...(regime.shrinksTo ? { shrinksTo: regime.shrinksTo.about } : {}), ...(regime.conclusions ? { conclusions: [...regime.conclusions] } : {}) },
    settings: { seed: opts.seed, budget: opts.budget, runs, source: 'drawn', engine: engineSettings(engine) },
    counts,
    hypotheses: hypothesisSummaries(instances),
    worst: worstOf(thm, instances),
    worstCurves: [...worstCurves.values()].map(({ tightness: _t, ...c }) => c),
    ...(search ? { search } : {}),
    ...(slack.length ? { slack } : {}),
    counterexample,
    expectation,
    instances,
    run: runInfo(startedAt, started, engine, cpu),
  };
}

async function shrink(
  thm: AnyTheorem,
  regime: Regime<unknown>,
  regimeName: string,
  arb: Arbitrary<unknown>,
  first: InstanceRecord,
  engine: Engine,
  opts: CheckOptions,
  stop: () => boolean,
  progress: (done: number, total: number) => void,
): Promise<CounterexampleRecord> {
  const maxShrinks = regime.maxShrinks ?? DEFAULT_MAX_SHRINKS;
  // Each evaluation re-runs the training; past the budget every candidate is declared passing, which
  // ends fast-check's shrinking deterministically (a time limit would not be reproducible).
  let evaluations = 0;
  let last: { params: unknown; outcome: InstanceOutcome } | undefined;
  let fatal: unknown;
  const details = await fc.check(
    fc.asyncProperty(arb, async (params) => {
      if (evaluations > maxShrinks || fatal !== undefined || stop()) return true;
      evaluations++;
      try {
        const outcome = await checkParams(thm, params, engine, opts.budget, regime.conclusions);
        progress(evaluations, maxShrinks);
        if (outcome.verdict !== 'violated') return true;
        last = { params, outcome };
        return false;
      } catch (e) {
        fatal = e;
        return true;
      }
    }),
    { seed: opts.seed, path: first.path },
  );
  if (fatal !== undefined) throw fatal;
  if (stop()) throw new Interrupted(`${thm.id} · ${regimeName}: interrupted while shrinking`);
  if (!details.failed || !last || details.counterexamplePath === null)
    throw new CheckError(`${thm.id} · ${regimeName}: instance ${first.path} was violated but did not fail again when replayed; the theorem's run is not deterministic`);
  const path = details.counterexamplePath;
  const minimal = record(first.index, path, last.params, last.outcome);
  return {
    ...minimal,
    shrinks: details.numShrinks,
    ...(regime.shrinksTo ? { shrinksTo: { about: regime.shrinksTo.about, met: regime.shrinksTo.check(last.params) } } : {}),
    curves: last.outcome.curves,
    replay: { theorem: thm.id, regime: regimeName, seed: opts.seed, path, engine: engine.id, backend: engine.backend, budget: opts.budget },
  };
}

function maxTightness(curves: Map<string, { tightness: number }>): number | null {
  let worst: number | null = null;
  for (const c of curves.values()) worst = worst === null ? c.tightness : Math.max(worst, c.tightness);
  return worst;
}

function countsOf(instances: readonly InstanceRecord[]): Counts {
  const by = (v: string) => instances.filter((i) => i.verdict === v).length;
  const violated = instances.filter((i) => i.verdict === 'violated');
  return {
    instances: instances.length,
    hypothesesMet: instances.filter((i) => i.hypothesesMet).length,
    holds: by('holds'),
    violated: violated.length,
    vacuous: by('vacuous'),
    inconclusive: by('inconclusive'),
    refutations: violated.filter((i) => i.hypothesesMet).length,
    counterexamples: violated.filter((i) => !i.hypothesesMet).length,
    unconfirmed: instances.filter((i) => i.confirmation && i.confirmation.verdict !== 'violated').length,
  };
}

function hypothesisSummaries(instances: readonly InstanceRecord[]): HypothesisSummary[] {
  const names = [...new Set(instances.flatMap((i) => i.hypotheses.map((h) => h.name)))];
  return names.map((name) => {
    const hs = instances.flatMap((i) => i.hypotheses.filter((h) => h.name === name));
    const range = (xs: number[]) => ({ min: Math.min(...xs), max: Math.max(...xs) });
    return { name, met: hs.filter((h) => h.holds).length, of: hs.length, relation: hs[0].relation, measured: range(hs.map((h) => h.measured)), required: range(hs.map((h) => h.required)) };
  });
}

function worstOf(thm: AnyTheorem, instances: readonly InstanceRecord[]): WorstRecord[] {
  return thm.spec.conclusions.map((c) => {
    let worst: WorstRecord = { conclusion: c.name, tightness: null, index: null, path: null, step: null };
    for (const inst of instances) {
      const o = effective(inst).find((x) => x.name === c.name);
      if (o?.tightness == null) continue;
      if (worst.tightness === null || o.tightness > worst.tightness) worst = { conclusion: c.name, tightness: o.tightness, index: inst.index, path: inst.path, step: o.worstStep };
    }
    return worst;
  });
}

function judge(regime: Regime<unknown>, counts: Counts, cx: CounterexampleRecord | null, instances: readonly InstanceRecord[]): Result['expectation'] {
  const expected: Expectation = regime.expect;
  const n = counts.instances;
  const tally = `holds ${counts.holds}, violated ${counts.violated}, vacuous ${counts.vacuous}, inconclusive ${counts.inconclusive} of ${n}`;
  switch (expected) {
    case 'holds': {
      if (counts.refutations > 0) return { expected, met: false, observed: `REFUTED: violated on ${counts.refutations} instance(s) with every hypothesis met (${tally})` };
      if (counts.violated > 0) {
        const notMet = [...new Set(instances.filter((i) => i.verdict === 'violated').flatMap((i) => i.hypotheses.filter((h) => !h.holds).map((h) => h.name)))];
        return { expected, met: false, observed: `violated on ${counts.violated} instance(s) whose hypotheses were not all met (${notMet.join(', ')}) (${tally})` };
      }
      if (counts.holds === 0) return { expected, met: false, observed: `no instance could be assessed (${tally})` };
      return { expected, met: true, observed: tally };
    }
    case 'violated': {
      if (!cx) return { expected, met: false, observed: `no violation found in ${n} instances (${tally})` };
      if (cx.shrinksTo && !cx.shrinksTo.met)
        return { expected, met: false, observed: `violated, but the minimal counterexample (${summaryText(cx.summary)}) is not ${cx.shrinksTo.about}` };
      return { expected, met: true, observed: `violated on ${counts.violated} of ${n}; minimal counterexample after ${cx.shrinks} shrinks: ${summaryText(cx.summary)}` };
    }
    case 'vacuous': {
      const met = counts.vacuous > 0 && counts.violated === 0 && counts.holds === 0;
      return { expected, met, observed: tally };
    }
    case 'observe':
      return { expected, met: true, observed: tally };
  }
}


export function theoremRecord(thm: AnyTheorem): TheoremRecord {
  const { spec } = thm;
  const texOf: Record<string, string> = Object.fromEntries([...Object.entries(spec.constants), ...Object.entries(spec.series)].map(([k, v]) => [k, v.tex]));
  const seriesTex = (s: string) => spec.series[s]?.tex ?? s;
  return {
    id: thm.id,
    family: thm.family,
    title: spec.title,
    kind: spec.kind,
    statement: spec.statement,
    provenance: plain(spec.provenance),
    constants: plain(spec.constants),
    series: plain(spec.series),
    hypotheses: spec.hypotheses.map((h) => ({ name: h.name, tex: h.tex, ...(h.noSlack ? { noSlack: h.noSlack } : {}) })),
    conclusions: spec.conclusions.map((c) => {
      if (c.kind === 'identity') return { name: c.name, kind: 'identity' as const, tex: c.tex, ...(c.about ? { about: c.about } : {}), ...(c.sides ? { sides: { measured: c.sides.measured, against: c.sides.against } } : {}) };
      if (c.kind === 'trend') return trendRecord(c);
      if (c.kind === 'comparison') return comparisonRecord(c);
      const compiled = thm.bounds.get(c.name)!;
      const rel = c.relation === '<=' ? '\\le' : '\\ge';
      const tex = c.tex ?? `${seriesTex(c.measured)} ${rel} ${compiled.bound.toTex(texOf)}`;
      return {
        name: c.name,
        kind: 'bound' as const,
        tex,
        ...(c.about ? { about: c.about } : {}),
        measured: c.measured,
        relation: c.relation,
        bound: c.bound,
        floor: c.floor,
        ...(c.trivial ? { trivial: c.trivial } : {}),
        ...(c.guarantee ? { guarantee: c.guarantee } : {}),
        ...(c.soft ? { soft: true } : {}),
      };
    }),
    regimes: thm.regimeNames.map((name) => {
      const r = regimeOf(thm, name);
      return { name, about: r.about, expect: r.expect };
    }),
  };
}

function engineSettings(e: Engine): Result['settings']['engine'] {
  // The kernel key appears only when selected, so default records keep their bytes.
  const kernel = isTfjs(e) && e.twoLayerF32Kernel ? { kernel: 'two-layer-f32 (PROVABLY_F32_KERNEL=wasm)' } : {};
  return { id: e.id, backend: e.backend, precision: e.precision, eps: e.eps, relTol: e.relTol, ...kernel };
}

let packageVersion: string | undefined;
let gitCommit: string | null | undefined;

function runInfo(startedAt: string, started: number, engine: Engine, cpu: NodeJS.CpuUsage): Result['run'] {
  packageVersion ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  if (gitCommit === undefined) {
    try {
      gitCommit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: new URL('../..', import.meta.url), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
    } catch {
      gitCommit = null;
    }
  }
  const used = process.cpuUsage(cpu);
  return { startedAt, durationMs: Date.now() - started, cpuMs: Math.round((used.user + used.system) / 1000), provably: packageVersion, commit: gitCommit, node: process.version, engineNotes: engine.notes };
}

/** Check the theorem on one instance a user supplied; no regime, no expectation beyond "not refuted". */
export async function checkUserInstance(thm: AnyTheorem, inst: unknown, label: string, opts: Omit<CheckOptions, 'runs'> & { readonly onStage?: (stage: string) => void }): Promise<Result> {
  const engine = await engineFor(thm, opts.engine, opts.backend);
  const started = Date.now();
  const cpu = process.cpuUsage();
  const startedAt = new Date(started).toISOString();
  const o = await checkInstance(thm, inst, { engine, budget: opts.budget, ...(opts.onStage ? { onStage: opts.onStage } : {}) });
  const rec = record(0, 'instance', { file: label }, o);
  const counts = countsOf([rec]);
  return {
    schema: RESULT_SCHEMA,
    theorem: theoremRecord(thm),
    regime: { name: 'instance', about: `the user instance ${label}`, expect: 'observe' },
    settings: { seed: opts.seed, budget: opts.budget, runs: 1, source: 'user-instance', engine: engineSettings(engine) },
    counts,
    hypotheses: hypothesisSummaries([rec]),
    worst: worstOf(thm, [rec]),
    worstCurves: o.curves.map((c) => ({ ...c, index: 0 })),
    counterexample: null,
    expectation: {
      expected: 'observe',
      met: counts.refutations === 0,
      observed: counts.refutations > 0 ? 'REFUTED: the conclusion is violated with every hypothesis met' : `verdict ${o.verdict}; hypotheses ${o.hypothesesMet ? 'met' : `not met: ${o.hypotheses.filter((h) => !h.holds).map((h) => h.name).join(', ')}`}`,
    },
    instances: [rec],
    run: runInfo(startedAt, started, engine, cpu),
  };
}

export interface ReplayOptions {
  readonly regime: string;
  readonly seed: number;
  readonly path: string;
  readonly budget: Budget;
  readonly engine?: EngineId;
  readonly backend?: BackendId;
}

/** Rebuild the instance at (seed, path) of a regime and check it again. */
export async function replay(thm: AnyTheorem, opts: ReplayOptions): Promise<InstanceRecord> {
  if (!/^\d+(:\d+)*$/.test(opts.path)) throw new CheckError(`--path '${opts.path}' is not a fast-check path (digits separated by ':')`);
  const regime = regimeOf(thm, opts.regime as RegimeName);
  const engine = await engineFor(thm, opts.engine, opts.backend);
  const arb = arbitraryOf(regime, opts.budget);
  const stale = `a path is valid only for the seed, regime, budget and code version of the check that printed it (copy the replay command from a report of this version)`;
  let captured: InstanceRecord | undefined;
  try {
    await fc.check(
      fc.asyncProperty(arb, async (params) => {
        const o = await checkParams(thm, params, engine, opts.budget, regime.conclusions);
        captured = record(Number(opts.path.split(':')[0]), opts.path, params, o);
        return false;
      }),
      { seed: opts.seed, path: opts.path, endOnFailure: true },
    );
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('Unable to replay')) throw new CheckError(`--path ${opts.path} is not in the shrink tree of seed ${opts.seed} for ${thm.id} · ${opts.regime} at --budget ${opts.budget}: ${stale}`);
    throw e;
  }
  if (!captured) throw new CheckError(`no instance at --path ${opts.path} for seed ${opts.seed} (${thm.id} · ${opts.regime}, --budget ${opts.budget}): ${stale}`);
  return captured;
}
