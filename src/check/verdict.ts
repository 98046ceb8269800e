/**
 * The tolerance model and the two-part verdict (DESIGN.md §1–2), as pure functions of a trace.
 *
 * A step k of a bound `measured ≤ bound` is
 *   violated   if measured > bound + ε_rel·|bound| + floor,
 *   assessed   if not violated and bound ≥ floor (only assessed steps can support `holds`),
 *   unassessed if the bound is below the float noise floor (nothing can be said there).
 * `≥` bounds mirror this. The conclusion's verdict over the run:
 *   violated     some step violated;
 *   inconclusive no violation, and no assessed step, or a NaN in the run;
 *   vacuous      every assessed step's bound is no stronger than the trivial bound;
 *   holds        otherwise.
 */
import type { Engine } from '../engine/types.ts';
import type { BoundConclusion, IdentityConclusion, Measurement, Trace } from '../theorem/types.ts';
import type { CompiledBound } from '../theorem/define.ts';
import { fmt, fmtApart } from './format.ts';
import type { ConclusionOutcome, ConclusionVerdict, Violation } from '../record/outcome.ts';
export type { ConclusionOutcome, ConclusionVerdict, Violation };

export { fmt };




export type Scope = Record<string, number>;

function ratioOf(lhs: number, rhs: number): number {
  if (rhs > 0) return lhs / rhs;
  if (lhs <= 0) return 0;
  return Infinity;
}

/** The traced series a bound's expressions read; their values at step k join the scope there. */
export function seriesRead(compiled: CompiledBound, trace: Trace<string>, constants: Scope): string[] {
  const symbols = [compiled.bound, compiled.floor, compiled.trivial].flatMap((e) => e?.symbols ?? []);
  return [...new Set(symbols)].filter((s) => !(s in constants) && s in trace.series);
}

/** Set the scope's step to k, with every series the bound reads at its value at k. */
export function atStep(scope: Scope, k: number, read: readonly string[], trace: Trace<string>): Scope {
  scope.k = k;
  for (const s of read) scope[s] = trace.series[s][k];
  return scope;
}

export function evaluateBound<S extends string>(
  c: BoundConclusion<string, S>,
  compiled: CompiledBound,
  trace: Trace<S>,
  constants: Scope,
  engine: Pick<Engine, 'eps' | 'relTol'>,
): ConclusionOutcome {
  const series = trace.series[c.measured];
  const scope: Scope = { ...constants, eps: engine.eps, k: 0 };
  const from = c.from ?? 1;
  const upper = c.relation === '<=';
  const read = seriesRead(compiled, trace, constants);
  let worst = -Infinity;
  let worstStep: number | null = null;
  let worstBelowFloor = false;
  let firstViolation: Violation | null = null;
  let violatedSteps = 0;
  let assessedSteps = 0;
  let belowFloorSteps = 0;
  let vacuousSteps = 0;
  let nanAt: number | null = null;
  let infiniteSteps = 0;
  let undefinedAt: { k: number; bound: number; floor: number } | null = null;
  for (let k = from; k <= trace.steps; k++) {
    atStep(scope, k, read, trace);
    const measured = series[k];
    const bound = compiled.bound.evaluate(scope);
    const floor = compiled.floor.evaluate(scope);
    if (Number.isNaN(measured) || Number.isNaN(bound) || Number.isNaN(floor)) {
      nanAt = k;
      break;
    }
    // An infinite bound is not a claim that held: +∞ over (−∞ under) says nothing at that step, and
    // the other infinity, or an infinite floor, says nothing that can be assessed.
    if (!Number.isFinite(bound) || !Number.isFinite(floor)) {
      if (Number.isFinite(floor) && bound === (upper ? Infinity : -Infinity)) infiniteSteps++;
      else undefinedAt ??= { k, bound, floor };
      continue;
    }
    const slack = engine.relTol * Math.abs(bound) + floor;
    const violated = upper ? measured > bound + slack : measured < bound - slack;
    const ratio = upper ? ratioOf(measured, bound) : ratioOf(bound, measured);
    if (violated) {
      violatedSteps++;
      firstViolation ??= { k, measured, bound, floor, limit: upper ? bound + slack : bound - slack };
    } else if (bound >= floor) {
      assessedSteps++;
      if (compiled.trivial) {
        const trivial = compiled.trivial.evaluate(scope);
        if (upper ? bound >= trivial * (1 - engine.relTol) : bound <= trivial * (1 + engine.relTol)) vacuousSteps++;
      }
    } else {
      belowFloorSteps++;
      continue;
    }
    if (ratio > worst) {
      worst = ratio;
      worstStep = k;
      worstBelowFloor = bound < floor;
    }
  }
  const base = { name: c.name, tightness: worstStep === null ? null : worst, worstStep, ...(worstBelowFloor ? { worstBelowFloor: true as const } : {}), firstViolation, violatedSteps, assessedSteps, belowFloorSteps };
  if (firstViolation) {
    const v = firstViolation;
    const [m, b] = fmtApart(v.measured, v.bound);
    return { ...base, verdict: 'violated', reason: `${c.measured} = ${m} ${upper ? '>' : '<'} bound ${b} at step ${v.k} (${violatedSteps} violating step${violatedSteps === 1 ? '' : 's'})` };
  }
  if (nanAt !== null) return { ...base, verdict: 'inconclusive', reason: `NaN at step ${nanAt} before any violation${trace.stopped ? ` (${trace.stopped})` : ''}` };
  if (undefinedAt !== null)
    return { ...base, verdict: 'inconclusive', reason: `the ${Number.isFinite(undefinedAt.floor) ? `bound is ${fmt(undefinedAt.bound)}` : `float noise floor is ${fmt(undefinedAt.floor)}`} at step ${undefinedAt.k}: nothing can be assessed there` };
  const infiniteNote = infiniteSteps > 0 ? `; the bound is ${upper ? '+∞' : '−∞'} (says nothing) at ${infiniteSteps} step${infiniteSteps === 1 ? '' : 's'}` : '';
  if (assessedSteps === 0 && infiniteSteps > 0 && belowFloorSteps === 0)
    return { ...base, verdict: 'vacuous', reason: `the bound is ${upper ? '+∞' : '−∞'} at every step from ${from}: it says nothing` };
  if (assessedSteps === 0)
    return {
      ...base,
      verdict: 'inconclusive',
      reason: trace.steps < from ? `the run recorded no step from ${from} on` : `the bound is below the float noise floor at every step from ${from}${infiniteNote}`,
    };
  if (compiled.trivial && vacuousSteps === assessedSteps) return { ...base, verdict: 'vacuous', reason: `the bound is no stronger than the trivial bound (${compiled.trivial.source}) at every assessed step` };
  const floorNote = belowFloorSteps > 0 ? `; ${belowFloorSteps} step${belowFloorSteps === 1 ? '' : 's'} below the float noise floor not assessed` : '';
  return { ...base, verdict: 'holds', reason: `held at ${assessedSteps} assessed step${assessedSteps === 1 ? '' : 's'}${floorNote}${infiniteNote}` };
}

export function evaluateIdentity<I, S extends string>(
  c: IdentityConclusion<I, string, S>,
  trace: Trace<S>,
  constants: Scope,
  inst: I,
  engine: Engine,
): ConclusionOutcome {
  const { error, tolerance } = c.check(trace, constants, inst, engine);
  const base = { name: c.name, tightness: Number.isFinite(error) && tolerance > 0 ? error / tolerance : null, worstStep: null, firstViolation: null, violatedSteps: 0, assessedSteps: 1, belowFloorSteps: 0 };
  if (Number.isNaN(error) || Number.isNaN(tolerance)) return { ...base, assessedSteps: 0, verdict: 'inconclusive', reason: 'the identity evaluated to NaN' };
  if (error <= tolerance) return { ...base, verdict: 'holds', reason: `error ${fmt(error)} ≤ tolerance ${fmt(tolerance)}` };
  return { ...base, violatedSteps: 1, verdict: 'violated', reason: `error ${fmt(error)} > tolerance ${fmt(tolerance)}` };
}

/** Combine conclusion verdicts: any violation wins, then any doubt, then any hold. */
export function combineVerdicts(vs: readonly ConclusionVerdict[]): ConclusionVerdict {
  if (vs.includes('violated')) return 'violated';
  if (vs.includes('inconclusive')) return 'inconclusive';
  if (vs.includes('holds')) return 'holds';
  return 'vacuous';
}

export function hypothesisHolds(m: Measurement): boolean {
  const { measured: x, required: r } = m;
  if (Number.isNaN(x) || Number.isNaN(r)) return false;
  switch (m.relation) {
    case '>=':
      return x >= r;
    case '<=':
      return x <= r;
    case '>':
      return x > r;
    case '<':
      return x < r;
  }
}
