/**
 * Hypothesis-slack search: how far from necessary is a numeric hypothesis (a width, a step size, a
 * sample count)? A theorem that asks for m ≥ 1.4e16 says nothing about m = 40; this measures where
 * the conclusion starts to hold in practice and reports the ratio.
 *
 * From one base instance only the hypothesis's value v changes (`at`); each value is checked on S
 * replicates (`replicate`: another initialisation, say), each by `checkInstance` exactly like a
 * drawn instance (same tolerance model, float32 violations confirmed in float64). A value *passes*
 * when the named conclusion's verdict is `holds` on at least `target` (default 95%) of them. Then:
 *
 *   1. a log-spaced grid of G values over [from, to] is checked;
 *   2. for a `≥` hypothesis (larger is safer) the boundary is the smallest grid value from which
 *      every larger grid value passes; for `≤` (smaller is safer), the largest value up to which
 *      every smaller one passes;
 *   3. R bisection steps on the log scale between the boundary and its failing neighbour refine it;
 *   4. slack = required ÷ boundary (`≥`) or boundary ÷ required (`≤`), with `required` the
 *      hypothesis's own requirement measured on the boundary instance.
 *
 * A value is abandoned as soon as more replicates failed than the target allows (its point then
 * shows fewer seeds); that decides it the same way and saves most of the cost where nothing holds.
 * Nothing is random and nothing depends on time: the same code gives the same record.
 */
import type { Engine } from '../engine/types.ts';
import { TheoremSpecError, type AnyTheorem } from '../theorem/define.ts';
import type { Budget, PerBudget, Regime, Relation, SlackSearch, Summary } from '../theorem/types.ts';
import { fmt } from './format.ts';
import { checkParams } from './instance.ts';
import type { Result } from '../record/result.ts';
import type { SlackPointRecord, SlackRecord, SlackStatus } from '../record/result.ts';
export type { SlackPointRecord, SlackRecord, SlackStatus };

export const DEFAULT_SLACK_TARGET = 0.95;
export const DEFAULT_SLACK_GRID = { ci: 5, full: 8 } as const;
export const DEFAULT_SLACK_REFINE = { ci: 2, full: 4 } as const;




export interface SlackContext {
  readonly engine: Engine;
  readonly budget: Budget;
  readonly shouldStop: () => boolean;
  /** Throws the runner's Interrupted. */
  readonly interrupted: () => never;
  readonly onProgress?: (done: number, total: number) => void;
}

export function perBudget(v: PerBudget | undefined, budget: Budget, fallback: { ci: number; full: number }): number {
  if (v === undefined) return fallback[budget];
  return typeof v === 'number' ? v : v[budget];
}

function direction(rel: Relation): '>=' | '<=' {
  return rel === '>=' || rel === '>' ? '>=' : '<=';
}

/** G values log-spaced over [from, to], rounded when integer, without repeats, increasing. */
export function logGrid(from: number, to: number, count: number, integer = false): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = count === 1 ? 0 : i / (count - 1);
    let v = i === count - 1 ? to : from * (to / from) ** t;
    if (integer) v = Math.round(v);
    if (out.length === 0 || v > out[out.length - 1]) out.push(v);
  }
  return out;
}

/** The geometric midpoint of lo < hi, rounded when integer; null when nothing lies strictly between. */
export function logMid(lo: number, hi: number, integer = false): number | null {
  let mid = Math.sqrt(lo * hi);
  if (integer) mid = Math.round(mid);
  return mid > lo && mid < hi ? mid : null;
}

function symbolText(relation: '>=' | '<='): string {
  return relation === '>=' ? '≥' : '≤';
}

export function slackText(r: Pick<SlackRecord, 'symbol' | 'relation' | 'required' | 'status' | 'boundary' | 'slack' | 'target' | 'seeds' | 'points'>): string {
  const rel = symbolText(r.relation);
  const req = r.required === null ? `requires ${r.symbol} ${rel} (not measurable)` : `requires ${r.symbol} ${rel} ${fmt(r.required)}`;
  const pct = `${Math.round(r.target * 100)}%`;
  const seeds = `${r.seeds} seed${r.seeds === 1 ? '' : 's'}`;
  const slack = (prefix = '') => (r.slack === null ? 'slack not defined (the requirement is not positive)' : `slack ${prefix}${fmt(r.slack)}`);
  const xs = r.points.map((p) => p.x);
  // Below 1, the conclusion failed on instances that met the requirement: the hypothesis, as a number, is not sufficient.
  const under = r.slack !== null && r.slack < 1 ? ' (below 1: the conclusion failed where the requirement was met)' : '';
  if (r.status === 'found') return `${req}; held ${r.relation === '>=' ? 'from' : 'up to'} ${r.symbol} ≈ ${fmt(r.boundary)} in ≥ ${pct} of ${seeds}: ${slack()}${under}`;
  if (r.status === 'everywhere')
    return `${req}; held in ≥ ${pct} of ${seeds} at every value tried, ${r.relation === '>=' ? 'down to' : 'up to'} ${r.symbol} = ${fmt(r.boundary)}: ${slack('≥ ')}`;
  const safest = r.relation === '>=' ? Math.max(...xs) : Math.min(...xs);
  return `${req}; did not hold in ≥ ${pct} of ${seeds} at any value tried (${r.relation === '>=' ? 'up to' : 'down to'} ${r.symbol} = ${fmt(safest)}): no slack found`;
}

function methodText(s: SlackSearch<unknown>, grid: number, refine: number, seeds: number, target: number): string {
  return `${grid} values log-spaced over [${fmt(s.range.from)}, ${fmt(s.range.to)}]${s.range.integer ? ' (rounded to integers)' : ''}, then up to ${refine} bisection step${refine === 1 ? '' : 's'} on the log scale between the boundary and its failing neighbour; each value checked on ${seeds} replicate${seeds === 1 ? '' : 's'} and abandoned once more than ${fmt(100 - target * 100)}% of them failed`;
}

interface Tally {
  held: number;
  of: number;
  violated: number;
  abandoned: boolean;
}

/** Run the slack searches a regime declares (after its draw). */
export async function slackSearches(thm: AnyTheorem, regime: Regime<unknown>, ctx: SlackContext): Promise<SlackRecord[]> {
  const searches = regime.slack ?? [];
  if (searches.length === 0) return [];
  const plan = searches.map((s) => {
    const seeds = perBudget(s.seeds, ctx.budget, { ci: 1, full: 1 });
    return { s, seeds, grid: perBudget(s.grid, ctx.budget, DEFAULT_SLACK_GRID), refine: perBudget(s.refine, ctx.budget, DEFAULT_SLACK_REFINE) };
  });
  const total = plan.reduce((t, p) => t + (p.grid + p.refine) * p.seeds, 0);
  let done = 0;
  const out: SlackRecord[] = [];
  for (const p of plan)
    out.push(
      await searchOne(thm, p.s, p.seeds, p.grid, p.refine, ctx, () => {
        done++;
        ctx.onProgress?.(Math.min(done, total), total);
      }),
    );
  return out;
}

async function searchOne(thm: AnyTheorem, s: SlackSearch<unknown>, seeds: number, gridCount: number, refineSteps: number, ctx: SlackContext, tick: () => void): Promise<SlackRecord> {
  const hyp = thm.spec.hypotheses.find((h) => h.name === s.hypothesis);
  if (!hyp) throw new Error(`slack search: '${s.hypothesis}' is not a hypothesis of ${thm.id}`);
  const base = typeof s.base === 'function' ? (s.base as (b: Budget) => unknown)(ctx.budget) : s.base;
  const target = s.target ?? DEFAULT_SLACK_TARGET;
  // Failures a passing value may have: more than this and the value cannot reach the target.
  const allowed = Math.floor((1 - target) * seeds + 1e-9);
  const points = new Map<number, SlackPointRecord>();
  const required: number[] = [];
  let evaluations = 0;
  let refutations = 0;
  // Set by the first measurement (a closure assignment, so kept in an object for the type checker).
  const seen: { relation?: '>=' | '<=' } = {};
  const firstOf = new Map<number, { required: number; summary: Summary }>();
  let firstError: string | undefined;

  const check = async (x: number, phase: SlackPointRecord['phase']): Promise<boolean> => {
    const known = points.get(x);
    if (known) return known.passed;
    const t: Tally = { held: 0, of: 0, violated: 0, abandoned: false };
    for (let seed = 0; seed < seeds; seed++) {
      if (ctx.shouldStop()) ctx.interrupted();
      const o = await checkParams(thm, s.replicate(s.at(base, x), seed), ctx.engine, ctx.budget, [s.conclusion]);
      evaluations++;
      tick();
      firstError ??= o.error;
      const h = o.hypotheses.find((m) => m.name === s.hypothesis);
      if (h) {
        seen.relation ??= direction(h.relation as Relation);
        if (Number.isFinite(h.required)) required.push(h.required);
        if (seed === 0) firstOf.set(x, { required: h.required, summary: o.summary });
      }
      const c = (o.confirmation?.conclusions ?? o.conclusions).find((cc) => cc.name === s.conclusion);
      t.of++;
      if (c?.verdict === 'holds') t.held++;
      if (c?.verdict === 'violated') {
        t.violated++;
        if (o.hypothesesMet) refutations++;
      }
      if (t.of - t.held > allowed) {
        t.abandoned = t.of < seeds;
        break;
      }
    }
    const passed = t.of - t.held <= allowed && t.of === seeds;
    points.set(x, { x, held: t.held, of: t.of, violated: t.violated, passed, abandoned: t.abandoned, phase });
    return passed;
  };

  const grid = logGrid(s.range.from, s.range.to, gridCount, s.range.integer);
  const passed: boolean[] = [];
  for (const x of grid) passed.push(await check(x, 'grid'));
  const rel = seen.relation;
  // Every value failed to build or measure (each such instance is inconclusive with its error): the
  // search's base, `at` or `replicate` in the theorem file is wrong, and nothing can be searched.
  if (rel === undefined) throw new TheoremSpecError('slack', `${thm.id}: the slack search on '${s.hypothesis}' could not measure it at any value${firstError ? ` (${firstError})` : ''}`);

  let status: SlackStatus;
  let boundary: number | null = null;
  if (rel === '>=') {
    // Smallest index from which every larger grid value passes.
    let b = grid.length;
    while (b > 0 && passed[b - 1]) b--;
    if (b === grid.length) status = 'nowhere';
    else if (b === 0) (status = 'everywhere'), (boundary = grid[0]);
    else {
      status = 'found';
      let lo = grid[b - 1];
      let hi = grid[b];
      for (let i = 0; i < refineSteps; i++) {
        const mid = logMid(lo, hi, s.range.integer);
        if (mid === null) break;
        if (await check(mid, 'bisection')) hi = mid;
        else lo = mid;
      }
      boundary = hi;
    }
  } else {
    // Largest index up to which every smaller grid value passes.
    let b = -1;
    while (b + 1 < grid.length && passed[b + 1]) b++;
    if (b === -1) status = 'nowhere';
    else if (b === grid.length - 1) (status = 'everywhere'), (boundary = grid[b]);
    else {
      status = 'found';
      let lo = grid[b];
      let hi = grid[b + 1];
      for (let i = 0; i < refineSteps; i++) {
        const mid = logMid(lo, hi, s.range.integer);
        if (mid === null) break;
        if (await check(mid, 'bisection')) lo = mid;
        else hi = mid;
      }
      boundary = lo;
    }
  }
  const at = boundary ?? (rel === '>=' ? grid[grid.length - 1] : grid[0]);
  const here = firstOf.get(at);
  const req = here && Number.isFinite(here.required) ? here.required : null;
  const slack = boundary === null || req === null || !(req > 0) || !(boundary > 0) ? null : rel === '>=' ? req / boundary : boundary / req;
  const sorted = [...points.values()].sort((a, b) => a.x - b.x);
  const record = {
    hypothesis: s.hypothesis,
    symbol: s.symbol,
    conclusion: s.conclusion,
    about: s.about,
    relation: rel,
    required: req,
    requiredRange: required.length ? { min: Math.min(...required), max: Math.max(...required) } : null,
    target,
    seeds,
    status,
    boundary,
    slack,
    points: sorted,
    method: methodText(s, grid.length, refineSteps, seeds, target),
    base: here?.summary ?? {},
    evaluations,
    refutations,
  };
  return { ...record, text: slackText(record) };
}

/** The regime's expectation with slack-search refutations folded in (a refutation is one wherever it is found). */
export function withSlack(expectation: Result['expectation'], slack: readonly SlackRecord[]): Result['expectation'] {
  const refuted = slack.filter((s) => s.refutations > 0);
  if (refuted.length === 0 || expectation.expected !== 'holds') return expectation;
  return {
    ...expectation,
    met: false,
    observed: `REFUTED by slack search: ${refuted.map((s) => `${s.conclusion} violated with every hypothesis met on ${s.refutations} replicate(s) while varying ${s.hypothesis}`).join('; ')}; random draw: ${expectation.observed}`,
  };
}
