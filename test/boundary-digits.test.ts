// Digits at the boundary (issue 13, items 4 and 5): a ratio near 1 is never printed as 1, a
// violation's two sides print with enough digits to differ, a ratio above 1 that still holds says
// it is within the tolerance, and a first violation states its margin over bound + floor.
import { describe, expect, it } from 'vitest';
import { evaluateBound } from '../src/check/verdict.ts';
import { fmtApart, fmtRatio, violationMargin } from '../src/check/format.ts';
import { tightnessText } from '../src/report/markdown.ts';
import { compileExpr } from '../src/theorem/expr.ts';
import type { BoundConclusion, Trace } from '../src/theorem/types.ts';
import type { Result } from '../src/record/result.ts';

const engine = { eps: 2 ** -53, relTol: 1e-9 };

function check(values: number[], bound: string, floor = '0') {
  const c: BoundConclusion<string, 'gap'> = { kind: 'bound', name: 'rate', measured: 'gap', relation: '<=', bound, floor };
  const compiled = { bound: compileExpr(bound, new Set()), floor: compileExpr(floor, new Set()) };
  const trace: Trace<'gap'> = { series: { gap: values }, steps: values.length - 1 };
  return evaluateBound(c, compiled, trace, {}, engine);
}

/** Just enough of a result for tightnessText: one instance carrying the outcome. */
function resultWith(outcome: ReturnType<typeof check>): Result {
  return { settings: { engine: { relTol: engine.relTol } }, instances: [{ path: '0', conclusions: [outcome] }] } as unknown as Result;
}

describe('ratios near 1', () => {
  it('print their distance from 1 on both sides', () => {
    expect(fmtRatio(1 + 2.7e-12)).toBe('1 + 2.7e-12');
    expect(fmtRatio(1.000000001)).toBe('1 + 1.0e-9');
    expect(fmtRatio(1 - 3.4e-4)).toBe('1 − 3.4e-4');
    expect(fmtRatio(1)).toBe('1');
    expect(fmtRatio(1.2)).toBe('1.2');
  });

  it('a ratio above 1 inside the tolerance holds, and the page says so', () => {
    const o = check([1, 0.5 * (1 + 2.7e-12)], '0.5');
    expect(o.verdict).toBe('holds');
    expect(o.tightness).toBeGreaterThan(1);
    const text = tightnessText(resultWith(o), { conclusion: 'rate', tightness: o.tightness, path: '0' });
    expect(text).toMatch(/^1 \+ 2\.7e-12 \(above 1 but within the tolerance .*ε_rel = 1\.00e-9\).*holds\)/);
    expect(tightnessText(resultWith(o), { conclusion: 'rate', tightness: o.tightness, path: '0' }, true)).toBe('1 + 2.7e-12 (within tolerance)');
  });

  it('a violated ratio just above the tolerance is not called within it', () => {
    const o = check([1, 0.546 * (1 + 1e-7)], '0.546');
    expect(o.verdict).toBe('violated');
    expect(tightnessText(resultWith(o), { conclusion: 'rate', tightness: o.tightness, path: '0' })).toBe('1 + 1.0e-7');
  });
});

describe('the two sides of a violation', () => {
  it('print with as many digits as it takes to differ', () => {
    expect(fmtApart(0.54600012, 0.546)).toEqual(['0.5460001', '0.546']);
    expect(fmtApart(0.7, 0.5)).toEqual(['0.7', '0.5']);
    const o = check([1, 0.546 * (1 + 1e-7)], '0.546');
    expect(o.reason).toMatch(/^gap = 0\.5460001 > bound 0\.546 at step 1/);
  });
});

describe('margin over bound + floor', () => {
  it('a first violation states how far past bound + tolerance + floor it went', () => {
    // The shrunk refutation seen in the issue: gap 3.1e-31 against a bound of 6e-46, floor 2.4e-31.
    const o = check([1, 3.1e-31], '6e-46', '2.4e-31');
    expect(o.verdict).toBe('violated');
    expect(violationMargin(o.firstViolation!)).toBe('exceeds bound + tolerance + floor by ×1.29 (floor 2.40e-31, above the bound itself)');
  });

  it('the tightness column says when the worst step’s bound lies below the floor', () => {
    const o = check([1, 3.1e-31], '6e-46', '2.4e-31');
    expect(o.worstBelowFloor).toBe(true);
    expect(tightnessText(resultWith(o), { conclusion: 'rate', tightness: o.tightness, path: '0' }, true)).toMatch(/\(bound below the floor\)$/);
    expect(check([1, 0.4], '0.5', '1e-3').worstBelowFloor).toBeUndefined();
  });
});
