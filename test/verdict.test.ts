import { describe, expect, it } from 'vitest';
import { evaluateBound, combineVerdicts, hypothesisHolds } from '../src/check/verdict.ts';
import { compileExpr } from '../src/theorem/expr.ts';
import type { BoundConclusion, Trace } from '../src/theorem/types.ts';

const engine = { eps: 2 ** -53, relTol: 1e-9 };
const allowed = new Set(['r0', 'c']);

function check(values: number[], opts: { bound: string; floor?: string; trivial?: string; relation?: '<=' | '>='; from?: number }, constants = { r0: 1, c: 0.5 }) {
  const c: BoundConclusion<string, 'loss'> = { kind: 'bound', name: 'b', measured: 'loss', relation: opts.relation ?? '<=', bound: opts.bound, floor: opts.floor ?? '0', trivial: opts.trivial, from: opts.from };
  const compiled = { bound: compileExpr(c.bound, allowed), floor: compileExpr(c.floor, allowed), trivial: c.trivial ? compileExpr(c.trivial, allowed) : undefined };
  const trace: Trace<'loss'> = { series: { loss: values }, steps: values.length - 1 };
  return evaluateBound(c, compiled, trace, constants, engine);
}

describe('bound verdicts under the tolerance model', () => {
  it('holds when every step is under the bound, and reports the worst ratio and its step', () => {
    const o = check([1, 0.4, 0.2, 0.1], { bound: 'c^k * r0' });
    expect(o.verdict).toBe('holds');
    expect(o.tightness).toBeCloseTo(0.8, 12);
    expect(o.worstStep).toBe(1);
    expect(o.assessedSteps).toBe(3);
  });

  it('is violated at the first step above bound·(1 + ε_rel) + floor', () => {
    const o = check([1, 0.4, 0.3, 0.1], { bound: 'c^k * r0' });
    expect(o.verdict).toBe('violated');
    expect(o.firstViolation).toMatchObject({ k: 2, measured: 0.3, bound: 0.25, floor: 0 });
    expect(o.firstViolation!.limit).toBeCloseTo(0.25 * (1 + 1e-9), 15);
    expect(o.tightness).toBeCloseTo(1.2, 12);
  });

  it('forgives a rounding-sized excess but not a larger one', () => {
    expect(check([1, 0.5 * (1 + 1e-12)], { bound: 'c^k * r0' }).verdict).toBe('holds');
    expect(check([1, 0.5 * (1 + 1e-6)], { bound: 'c^k * r0' }).verdict).toBe('violated');
    expect(check([1, 0.5 + 1e-3], { bound: 'c^k * r0', floor: '2e-3' }).verdict).toBe('holds');
  });

  it('is inconclusive, never holds, when the bound is below the float noise floor at every step', () => {
    const o = check([1, 1e-15, 1e-16], { bound: '1e-20 * r0', floor: '1e-13' });
    expect(o.verdict).toBe('inconclusive');
    expect(o.belowFloorSteps).toBe(2);
  });

  it('still reports a violation far above the floor even where the bound is below it', () => {
    expect(check([1, 1e-3], { bound: '1e-20', floor: '1e-13' }).verdict).toBe('violated');
  });

  it('is vacuous when the bound is never stronger than the trivial one', () => {
    expect(check([1, 0.9, 0.8], { bound: 'r0', trivial: 'r0' }).verdict).toBe('vacuous');
    expect(check([1, 0.4, 0.2], { bound: 'c^k * r0', trivial: 'r0' }).verdict).toBe('holds');
  });

  it('treats a NaN before any violation as inconclusive, and a violation before NaN as a violation', () => {
    expect(check([1, 0.4, NaN], { bound: 'r0' }).verdict).toBe('inconclusive');
    expect(check([1, 2, NaN], { bound: 'r0' }).verdict).toBe('violated');
    expect(check([1, Infinity], { bound: 'r0' }).verdict).toBe('violated');
  });

  it('never counts a step with an infinite bound as held: +∞ over says nothing (vacuous), the other infinity is inconclusive', () => {
    // Corollary 4.1 of Du et al. with λ0 = 0: 4√n‖y − u(0)‖/(√m λ0) = +∞ at every step.
    const all = check([1, 0.9, 0.8], { bound: 'r0 / (c - 0.5)' });
    expect(all.verdict).toBe('vacuous');
    expect(all.reason).toMatch(/\+∞ at every step/);
    expect(all.tightness).toBeNull();
    expect(all.assessedSteps).toBe(0);
    expect(check([1, 0.9, 0.8], { bound: 'r0 / (c - 0.5)', relation: '>=' }).verdict).toBe('inconclusive');
    expect(check([1, 0.9, 0.8], { bound: '-r0 / (c - 0.5)', relation: '>=' }).verdict).toBe('vacuous');
    expect(check([1, 0.9, 0.8], { bound: '-r0 / (c - 0.5)' }).verdict).toBe('inconclusive');
    expect(check([1, 0.9, 0.8], { bound: 'r0', floor: 'r0 / (c - 0.5)' }).verdict).toBe('inconclusive');
    // Infinite at some steps only: judged on the others, and the reason says how many were not.
    const some = check([1, 0.9, 0.8], { bound: 'k == 1 ? r0 / (c - 0.5) : r0' });
    expect(some.verdict).toBe('holds');
    expect(some.assessedSteps).toBe(1);
    expect(some.reason).toMatch(/\+∞ \(says nothing\) at 1 step/);
  });

  it('mirrors everything for lower bounds', () => {
    expect(check([1, 0.6, 0.4], { bound: 'c^k * r0', relation: '>=' }).verdict).toBe('holds');
    const o = check([1, 0.6, 0.2], { bound: 'c^k * r0', relation: '>=' });
    expect(o.verdict).toBe('violated');
    expect(o.firstViolation?.k).toBe(2);
  });

  it('skips steps before `from`', () => {
    expect(check([5, 0.4], { bound: 'r0', from: 1 }).verdict).toBe('holds');
    expect(check([5, 0.4], { bound: 'r0', from: 0 }).verdict).toBe('violated');
  });
});

describe('combining verdicts', () => {
  it('lets a violation win, then doubt, then a hold', () => {
    expect(combineVerdicts(['holds', 'violated', 'inconclusive'])).toBe('violated');
    expect(combineVerdicts(['holds', 'inconclusive'])).toBe('inconclusive');
    expect(combineVerdicts(['vacuous', 'holds'])).toBe('holds');
    expect(combineVerdicts(['vacuous', 'vacuous'])).toBe('vacuous');
  });

  it('decides hypotheses from the measured numbers, NaN never holding', () => {
    expect(hypothesisHolds({ measured: 5, relation: '>=', required: 5 })).toBe(true);
    expect(hypothesisHolds({ measured: 5, relation: '>', required: 5 })).toBe(false);
    expect(hypothesisHolds({ measured: NaN, relation: '<=', required: 1 })).toBe(false);
  });
});

describe('bound expressions', () => {
  it('name the unknown symbol', () => {
    expect(() => compileExpr('(1 - eta*lambda0)^k', new Set(['eta']))).toThrow(/'lambda0'/);
    expect(() => compileExpr('(1 - eta', new Set(['eta']))).toThrow(/cannot parse/);
  });

  it('render TeX with the declared symbols, braced', () => {
    const e = compileExpr('(1 - eta*lambda0/2)^k * r0', new Set(['eta', 'lambda0', 'r0']));
    expect(e.toTex({ eta: '\\eta', lambda0: '\\lambda_0', r0: 'L_0' })).toBe('{\\left(1-\\frac{{\\eta}\\cdot{\\lambda_0}}{2}\\right)}^{{k}}\\cdot{L_0}');
  });
});
