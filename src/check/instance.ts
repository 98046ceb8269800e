/**
 * One instance, end to end: constants (float64), hypotheses measured, the run, the conclusions
 * under the tolerance model, and, for a float32 violation, the same instance re-run in float64.
 * Only a violation the float64 run confirms stays `violated`.
 */
import type { Engine } from '../engine/types.ts';
import { f64Engine } from '../engine/index.ts';
import { TheoremSpecError, type AnyTheorem } from '../theorem/define.ts';
import type { Budget, Summary, Trace } from '../theorem/types.ts';
import { evaluateComparison } from './comparison.ts';
import { evaluateTrend } from './trend.ts';
import { atStep, combineVerdicts, evaluateBound, evaluateIdentity, hypothesisHolds, seriesRead } from './verdict.ts';
import type { ConclusionOutcome, Curve, HypothesisOutcome, InstanceOutcome } from '../record/outcome.ts';
import { yieldToEventLoop } from './yield.ts';
export type { Curve, HypothesisOutcome, InstanceOutcome };




export interface InstanceOptions {
  readonly engine: Engine;
  readonly budget: Budget;
  /** Re-run float32 violations in float64 (on by default; the confirmation run itself sets it off). */
  readonly confirm?: boolean;
  /** Points kept per curve. */
  readonly curvePoints?: number;
  /**
   * Evaluate only these conclusions (the slack search needs one verdict, not a theorem's costly
   * trends); the instance's verdict then combines these only. Default: every conclusion.
   */
  readonly only?: readonly string[];
  /** Told as each stage begins ('computing the constants', 'training', ...): progress for a long single instance. */
  readonly onStage?: (stage: string) => void;
}

/**
 * A run still going after this long is abandoned: the instance is inconclusive, with the limit in
 * its error. A run that never settles (an await on nothing) would otherwise hang the check, or end
 * the process silently with exit code 13. Only a run that awaits can be stopped this way: a
 * synchronous endless loop never gives the timer a turn. `check --time-limit` sets it.
 */
export const DEFAULT_TIME_LIMIT_S = 1800;
let runTimeLimitS = DEFAULT_TIME_LIMIT_S;
export function setRunTimeLimit(seconds: number): void {
  runTimeLimitS = seconds;
}

class RunTimeout extends Error {}

function withinTimeLimit<T>(run: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RunTimeout(`the run did not finish within the per-instance time limit of ${runTimeLimitS} s (check --time-limit)`)), runTimeLimitS * 1000);
  });
  return Promise.race([run, limit]).finally(() => clearTimeout(timer));
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function checkInstance(thm: AnyTheorem, inst: unknown, opts: InstanceOptions): Promise<InstanceOutcome> {
  const { spec } = thm;
  // Theorem code may throw anywhere (summarize, constants, a hypothesis, the run, a conclusion):
  // each is an inconclusive instance carrying the error, never a crash and never a lost instance.
  let summary: Summary;
  try {
    summary = plainSummary(spec.summarize(inst));
  } catch (e) {
    return failed({}, {}, [], `summarizing the instance failed: ${errorMessage(e)}`);
  }
  let constants: Record<string, number>;
  opts.onStage?.('computing the constants');
  try {
    constants = { ...spec.computeConstants(inst) };
  } catch (e) {
    return failed(summary, {}, [], `computing the constants failed: ${errorMessage(e)}`);
  }
  const hypotheses: HypothesisOutcome[] = [];
  opts.onStage?.('measuring the hypotheses');
  for (const h of spec.hypotheses) {
    try {
      const m = h.measure(inst, constants);
      hypotheses.push({ name: h.name, holds: hypothesisHolds(m), measured: m.measured, relation: m.relation, required: m.required, ...(m.note ? { note: m.note } : {}) });
    } catch (e) {
      return failed(summary, constants, hypotheses, `measuring the hypothesis '${h.name}' failed: ${errorMessage(e)}`);
    }
  }
  let trace: Trace<string>;
  opts.onStage?.('training');
  try {
    trace = await withinTimeLimit(spec.run(inst, constants, { engine: opts.engine, budget: opts.budget, ...(opts.only ? { only: opts.only } : {}) }));
  } catch (e) {
    if (e instanceof RunTimeout) return failed(summary, constants, hypotheses, e.message);
    return failed(summary, constants, hypotheses, `the run failed: ${errorMessage(e)}`);
  }
  // A series too short for the steps would be read as `undefined`, and `undefined >
  // bound` is false: a wrong trace is a bug in the theorem file, never a verdict.
  checkTraceShape(thm, trace, opts.only);
  let conclusions: ConclusionOutcome[];
  opts.onStage?.('evaluating the conclusions');
  try {
    conclusions = await evaluateConclusions(thm, trace, constants, inst, opts);
  } catch (e) {
    return failed(summary, constants, hypotheses, `evaluating the conclusions failed: ${errorMessage(e)}`);
  }
  // Soft claims are reported, not judged: they stay out of the instance's verdict.
  let verdict = combineVerdicts(conclusions.filter((c) => !isSoft(spec.conclusions.find((x) => x.name === c.name)!)).map((c) => c.verdict));
  let confirmation: InstanceOutcome['confirmation'];
  if (verdict === 'violated' && opts.engine.precision !== 'float64' && opts.confirm !== false) {
    if (!spec.engines.supported.includes('f64')) {
      verdict = 'inconclusive';
    } else {
      opts.onStage?.('a float32 violation: confirming it in float64');
      const again = await checkInstance(thm, inst, { ...opts, engine: f64Engine, confirm: false, onStage: undefined });
      confirmation = { engine: 'f64', verdict: again.verdict, conclusions: again.conclusions };
      if (again.verdict !== 'violated') verdict = 'inconclusive';
    }
  }
  return {
    summary,
    constants,
    hypotheses,
    hypothesesMet: hypotheses.every((h) => h.holds),
    conclusions,
    verdict,
    steps: trace.steps,
    ...(trace.stopped ? { stopped: trace.stopped } : {}),
    ...(confirmation ? { confirmation } : {}),
    curves: curvesOf(thm, trace, constants, opts.engine, conclusions, opts.curvePoints ?? 120),
  };
}

/** Every series the evaluated bound and identity conclusions read has a value at every step 0..steps. */
export function checkTraceShape(thm: AnyTheorem, trace: Trace<string>, only?: readonly string[]): void {
  const fail = (problem: string) => {
    throw new TheoremSpecError('run', `${thm.id}: ${problem}`);
  };
  if (trace === null || typeof trace !== 'object' || typeof trace.series !== 'object' || trace.series === null) fail('run() must return { series, steps }');
  if (!Number.isInteger(trace.steps) || trace.steps < 0) fail(`run() returned steps = ${String(trace.steps)}, not a whole number ≥ 0`);
  const read = new Set<string>();
  for (const c of thm.spec.conclusions) {
    if (only && !only.includes(c.name)) continue;
    if (c.kind === 'bound') {
      read.add(c.measured);
      const compiled = thm.bounds.get(c.name)!;
      for (const e of [compiled.bound, compiled.floor, compiled.trivial]) for (const sym of e?.symbols ?? []) if (sym in thm.spec.series) read.add(sym);
    } else if (c.kind === 'identity' && c.sides) {
      read.add(c.sides.measured);
      read.add(c.sides.against);
    }
  }
  for (const name of read) {
    const series = trace.series[name] as ArrayLike<number> | undefined;
    if (series === undefined) fail(`run() traced no series '${name}', which a conclusion reads`);
    // Longer is allowed: a trainer that stops at the first non-finite value keeps its preallocated arrays.
    else if (series.length < trace.steps + 1)
      fail(`the series '${name}' has ${series.length} values, but the run recorded steps 0..${trace.steps} (${trace.steps + 1} values: one per step, step 0 included)`);
  }
}

/** A summary as the record stores it (a throwing getter or a non-object fails here, inside the guard). */
function plainSummary(s: Summary): Summary {
  if (s === null || typeof s !== 'object') throw new Error(`summarize returned ${s === null ? 'null' : typeof s}, not a record`);
  return { ...s };
}

function isSoft(c: { kind: string; soft?: boolean }): boolean {
  return c.kind === 'bound' && c.soft === true;
}

function failed(summary: Summary, constants: Record<string, number>, hypotheses: HypothesisOutcome[], error: string): InstanceOutcome {
  return {
    summary,
    constants,
    hypotheses,
    hypothesesMet: hypotheses.length > 0 && hypotheses.every((h) => h.holds),
    conclusions: [],
    verdict: 'inconclusive',
    steps: 0,
    error,
    curves: [],
  };
}

async function evaluateConclusions(thm: AnyTheorem, trace: Trace<string>, constants: Record<string, number>, inst: unknown, opts: InstanceOptions): Promise<ConclusionOutcome[]> {
  const out: ConclusionOutcome[] = [];
  for (const c of thm.spec.conclusions) {
    if (opts.only && !opts.only.includes(c.name)) continue;
    if (c.kind === 'bound') out.push(evaluateBound(c, thm.bounds.get(c.name)!, trace, constants, opts.engine));
    else if (c.kind === 'identity') out.push(evaluateIdentity(c, trace, constants, inst, opts.engine));
    else if (c.kind === 'trend') out.push(await evaluateTrend(c, inst, constants, opts));
    else out.push(await evaluateComparison(c, inst, constants, opts));
  }
  return out;
}

/** Evenly spaced steps, plus the worst step and the first violation, so a plot shows both. */
function curvesOf(thm: AnyTheorem, trace: Trace<string>, constants: Record<string, number>, engine: Engine, outcomes: readonly ConclusionOutcome[], points: number): Curve[] {
  const curves: Curve[] = [];
  for (const c of thm.spec.conclusions) {
    if (!outcomes.some((o) => o.name === c.name)) continue;
    if (c.kind === 'identity' && c.sides) {
      curves.push(sidesCurve(c.name, trace, c.sides.measured, c.sides.against, points));
      continue;
    }
    if (c.kind !== 'bound') continue;
    const compiled = thm.bounds.get(c.name)!;
    const outcome = outcomes.find((o) => o.name === c.name);
    const steps = new Set<number>();
    const last = trace.steps;
    const stride = Math.max(1, Math.ceil((last + 1) / points));
    for (let k = 0; k <= last; k += stride) steps.add(k);
    steps.add(last);
    if (outcome?.worstStep != null) steps.add(outcome.worstStep);
    if (outcome?.firstViolation) steps.add(outcome.firstViolation.k);
    const ks = [...steps].sort((a, b) => a - b);
    const scope: Record<string, number> = { ...constants, eps: engine.eps, k: 0 };
    const read = seriesRead(compiled, trace, constants);
    const series = trace.series[c.measured];
    curves.push({
      conclusion: c.name,
      k: ks,
      measured: ks.map((k) => series[k]),
      bound: ks.map((k) => compiled.bound.evaluate(atStep(scope, k, read, trace))),
      floor: compiled.floor.evaluate(atStep(scope, 0, read, trace)),
    });
  }
  return curves;
}

/** An identity's two sides at evenly spaced steps (its "bound" is the other side; no floor). */
function sidesCurve(name: string, trace: Trace<string>, measured: string, against: string, points: number): Curve {
  const stride = Math.max(1, Math.ceil((trace.steps + 1) / points));
  const ks: number[] = [];
  for (let k = 0; k <= trace.steps; k += stride) ks.push(k);
  if (ks[ks.length - 1] !== trace.steps) ks.push(trace.steps);
  return { conclusion: name, k: ks, measured: ks.map((k) => trace.series[measured][k]), bound: ks.map((k) => trace.series[against][k]), floor: 0 };
}

/** A JSON-plain copy (what a result file stores): drawn parameters, provenance, symbol tables. */
export function plain<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/**
 * Build the instance from its parameters and check it: a drawn, shrunk or searched instance, or
 * one the user writes. A build failure is an inconclusive outcome, not a crash. `only` limits the
 * conclusions evaluated.
 */
export async function checkParams(thm: AnyTheorem, params: unknown, engine: Engine, budget: Budget, only?: readonly string[]): Promise<InstanceOutcome> {
  // Every loop over instances (draw, targeted search, shrinking, slack, replay) comes through here:
  // one event-loop turn per instance lets Ctrl-C, SIGTERM and a worker's `stop` be seen.
  await yieldToEventLoop();
  let inst: unknown;
  try {
    inst = thm.spec.build(params);
  } catch (e) {
    return { summary: {}, constants: {}, hypotheses: [], hypothesesMet: false, conclusions: [], verdict: 'inconclusive', steps: 0, error: `building the instance failed: ${errorMessage(e)}`, curves: [] };
  }
  return checkInstance(thm, inst, { engine, budget, ...(only ? { only } : {}) });
}
