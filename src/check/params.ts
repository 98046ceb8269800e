/**
 * `replay --params` checks parameters a person or a report supplies. They must have the shape the
 * theorem's regimes draw (the same fields, numbers where numbers are drawn, arrays where arrays
 * are): `{}` builds nothing, a missing `steps` trains for `undefined` steps, and `"spectrum":
 * "abc"` would be a 3-dimensional problem. Whether they also lie inside a regime's draw is asked
 * of the regime's arbitrary (fast-check's `canShrinkWithoutContext`); parameters outside every
 * regime may still be checked (that is what the command is for), and the CLI says so.
 */
import fc, { type Arbitrary } from 'fast-check';
import type { AnyTheorem } from '../theorem/define.ts';
import type { Budget, Regime } from '../theorem/types.ts';

export interface ParamsCheck {
  /** The first difference from the shape the regimes draw, naming the field; null when none. */
  readonly problem: string | null;
  /** The regimes whose draw the parameters belong to (as their arbitraries tell; empty when none can tell). */
  readonly inRegimes: readonly string[];
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return Number.isFinite(v) ? 'a number' : String(v);
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/** The first place `v` differs in shape from `like` (a drawn value), or null. */
export function shapeProblem(like: unknown, v: unknown, field = ''): string | null {
  const at = field === '' ? 'the parameters' : `field '${field}'`;
  if (v === undefined) return `${at}: missing`;
  if (typeof like === 'number') return typeof v === 'number' && Number.isFinite(v) ? null : `${at}: expected a finite number, got ${typeName(v)}${typeof v === 'string' ? ` ${JSON.stringify(v)}` : ''}`;
  if (typeof like === 'string' || typeof like === 'boolean') return typeof v === typeof like ? null : `${at}: expected a ${typeof like}, got ${typeName(v)}`;
  if (like === null) return v === null ? null : `${at}: expected null, got ${typeName(v)}`;
  if (Array.isArray(like)) {
    if (!Array.isArray(v)) return `${at}: expected an array, got ${typeName(v)}${typeof v === 'string' ? ` ${JSON.stringify(v)}` : ''}`;
    if (like.length === 0) return null;
    for (const [i, x] of v.entries()) {
      const p = shapeProblem(like[0], x, `${field}[${i}]`);
      if (p) return p;
    }
    return null;
  }
  if (typeof like === 'object') {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return `${at}: expected an object, got ${typeName(v)}`;
    const want = like as Record<string, unknown>;
    const got = v as Record<string, unknown>;
    for (const k of Object.keys(want)) {
      const p = shapeProblem(want[k], got[k], field === '' ? k : `${field}.${k}`);
      if (p) return p;
    }
    const extra = Object.keys(got).filter((k) => !(k in want));
    if (extra.length) return `${field === '' ? '' : `field '${field}': `}unknown field${extra.length === 1 ? '' : 's'} ${extra.map((k) => `'${field === '' ? k : `${field}.${k}`}'`).join(', ')} (the fields are ${Object.keys(want).map((k) => `'${k}'`).join(', ')})`;
    return null;
  }
  return null;
}

function arbitraryOf(regime: Regime<unknown>, budget: Budget): Arbitrary<unknown> {
  return typeof regime.draw === 'function' ? regime.draw(budget) : regime.draw;
}

/** Compare `params` with what the named regime (or any regime) draws at this budget. */
export function checkParamsShape(thm: AnyTheorem, params: unknown, budget: Budget, regimeName?: string): ParamsCheck {
  const names = regimeName ? [regimeName] : thm.regimeNames;
  const regimes = thm.spec.regimes as Record<string, Regime<unknown>>;
  let first: string | null = null;
  let shapeOk = false;
  const inRegimes: string[] = [];
  for (const name of names) {
    const arb = arbitraryOf(regimes[name], budget);
    const [sample] = fc.sample(arb, { numRuns: 1, seed: 0 });
    const problem = shapeProblem(JSON.parse(JSON.stringify(sample)), params);
    if (problem === null) shapeOk = true;
    else first ??= `${problem} (as ${thm.id} · ${name} draws them)`;
    try {
      if (problem === null && arb.canShrinkWithoutContext(params)) inRegimes.push(name);
    } catch {
      // an arbitrary that cannot tell says nothing
    }
  }
  return { problem: shapeOk ? null : first, inRegimes };
}
