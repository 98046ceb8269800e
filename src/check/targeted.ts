/**
 * Targeted worst-case search: random instances rarely sit where a bound is tight, so after the
 * random draw each bound gets a local ascent on the drawn *parameters* that pushes its tightness
 * ratio (measured/bound) up. It is a (1+1) evolution strategy with a step-size rule, started from
 * the worst drawn instances:
 *
 *   - a candidate perturbs the numeric leaves of the parameters (and, rarely, the length of a
 *     numeric array), and must stay in the regime: the regime's own arbitrary decides membership
 *     (fast-check's `canShrinkWithoutContext`), and every hypothesis the start met must still be met;
 *   - each candidate is checked by `checkInstance`, exactly like a drawn instance (float32
 *     violations confirmed in float64, the same tolerance model and verdicts), so a ratio above 1
 *     is a violation like any other, and with every hypothesis met it is a refutation; a theorem's
 *     trend conclusions (tests over seeds, not bounds the ascent pushes) are left out;
 *   - all randomness comes from `numerics.rng(seed, stream)`: same seed, same search, same bytes.
 *
 * The search knows no theorem: it works on any parameters fast-check draws (numbers, arrays and
 * records of them). It runs in regimes that expect `holds`, with as many evaluations as the random
 * draw had (so the two columns of the report cost the same), unless the regime says otherwise, and
 * in a regime that expects `observe` only when the regime asks for it (`search: { evaluations }`).
 */
import type { Arbitrary } from 'fast-check';
import type { Engine } from '../engine/types.ts';
import type { AnyTheorem } from '../theorem/define.ts';
import type { Budget, Regime } from '../theorem/types.ts';
import { rng, type Rng } from '../numerics/random.ts';
import type { InstanceRecord, Result } from '../record/result.ts';
import { checkParams, plain, type InstanceOutcome } from './instance.ts';
import type { ConclusionOutcome } from './verdict.ts';
import { fmtRatio, summaryText } from './format.ts';
import type { SearchConclusion, SearchedInstance, SearchRecord } from '../record/result.ts';
export type { SearchConclusion, SearchedInstance, SearchRecord };




export interface SearchContext {
  readonly engine: Engine;
  readonly budget: Budget;
  readonly seed: number;
  /** Instances the random draw had: the default number of evaluations. */
  readonly runs: number;
  readonly shouldStop: () => boolean;
  /** Throws the runner's Interrupted (passed in to keep this module free of the runner). */
  readonly interrupted: () => never;
  readonly onProgress?: (done: number, total: number) => void;
}

const METHOD =
  'local ascent ((1+1) evolution strategy with a step-size rule) on the drawn parameters, from the worst drawn instances; candidates stay in the regime (its arbitrary) and keep every hypothesis their start met';
const MAX_STARTS = 3;
const MIN_EVALUATIONS_PER_START = 5;
const MAX_DRAWS_PER_PROPOSAL = 40;
const MAX_VIOLATIONS_KEPT = 3;

/** The conclusions a search targets: every bound that decides the verdict. */
function targets(thm: AnyTheorem): string[] {
  return thm.spec.conclusions.filter((c) => c.kind === 'bound' && !c.soft).map((c) => c.name);
}

/**
 * The conclusions a candidate is checked on: all of them, except trends and comparisons (each a
 * statistical test over seeds of its own, costly and not what the ascent pushes). Undefined when
 * there is none.
 */
function perRunConclusions(thm: AnyTheorem): string[] | undefined {
  const cs = thm.spec.conclusions;
  const overSeeds = (c: { kind: string }) => c.kind === 'trend' || c.kind === 'comparison';
  return cs.some(overSeeds) ? cs.filter((c) => !overSeeds(c)).map((c) => c.name) : undefined;
}

export function searchEvaluations(regime: Regime<unknown>, budget: Budget, runs: number): number {
  if (regime.search === false) return 0;
  if (regime.expect === 'holds') return regime.search?.evaluations?.[budget] ?? runs;
  // A regime that only observes searches when it asks to: e.g. does the search find a refutation
  // on its own, in a family that contains a published counterexample it is not handed?
  if (regime.expect === 'observe' && regime.search) return regime.search.evaluations?.[budget] ?? runs;
  return 0;
}

function effective(o: Pick<InstanceOutcome, 'confirmation' | 'conclusions'>): readonly ConclusionOutcome[] {
  return o.confirmation?.conclusions ?? o.conclusions;
}

function tightnessOf(o: Pick<InstanceOutcome, 'confirmation' | 'conclusions'>, conclusion: string): number | null {
  return effective(o).find((c) => c.name === conclusion)?.tightness ?? null;
}



// ---------------------------------------------------------------------------------------------
// Proposals: perturb the numeric leaves of a JSON value.

type Path = (string | number)[];

function numericLeaves(v: unknown, path: Path = [], out: Path[] = []): Path[] {
  if (typeof v === 'number' && Number.isFinite(v)) out.push(path);
  else if (Array.isArray(v)) v.forEach((x, i) => numericLeaves(x, [...path, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v).sort()) numericLeaves((v as Record<string, unknown>)[k], [...path, k], out);
  return out;
}

function numericArrays(v: unknown, path: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(v)) {
    if (v.length > 0 && v.every((x) => typeof x === 'number')) out.push(path);
    else v.forEach((x, i) => numericArrays(x, [...path, i], out));
  } else if (v !== null && typeof v === 'object') for (const k of Object.keys(v).sort()) numericArrays((v as Record<string, unknown>)[k], [...path, k], out);
  return out;
}

function getAt(v: unknown, path: Path): unknown {
  return path.reduce<unknown>((x, key) => (x as Record<string | number, unknown>)[key], v);
}

function setAt(v: unknown, path: Path, value: unknown): void {
  const parent = getAt(v, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path[path.length - 1]] = value;
}

function perturbNumber(x: number, r: Rng, sigma: number): number {
  const z = r.normal();
  // An integer (a size, a seed, or a double that happens to be whole) moves by whole steps half the
  // time; the regime's arbitrary rejects whichever kind of move its leaf cannot take.
  if (Number.isInteger(x) && r.uniform() < 0.5) {
    const step = Math.round(sigma * (Math.abs(x) + 1) * z);
    return x + (step !== 0 ? step : z < 0 ? -1 : 1);
  }
  return x === 0 ? sigma * z : x * (1 + sigma * z);
}

/** One candidate: a copy of `params` with some numeric leaves moved (or an array resized). */
export function propose(params: unknown, r: Rng, sigma: number): unknown {
  const next = plain(params);
  const arrays = numericArrays(next);
  if (arrays.length > 0 && r.uniform() < 0.1) {
    const arr = getAt(next, arrays[Math.floor(r.uniform() * arrays.length)]) as number[];
    const i = Math.floor(r.uniform() * arr.length);
    if (r.uniform() < 0.5 && arr.length > 1) arr.splice(i, 1);
    else arr.splice(i + 1, 0, perturbNumber(arr[i], r, sigma));
    return next;
  }
  const leaves = numericLeaves(next);
  if (leaves.length === 0) return next;
  const p = Math.min(1, 2 / leaves.length);
  const chosen = leaves.filter(() => r.uniform() < p);
  if (chosen.length === 0) chosen.push(leaves[Math.floor(r.uniform() * leaves.length)]);
  for (const path of chosen) setAt(next, path, perturbNumber(getAt(next, path) as number, r, sigma));
  return next;
}

// ---------------------------------------------------------------------------------------------

interface Point {
  readonly params: unknown;
  readonly outcome: InstanceOutcome;
  readonly tightness: number;
  readonly start: string;
  readonly accepted: number;
}

function metNames(o: InstanceOutcome): Set<string> {
  return new Set(o.hypotheses.filter((h) => h.holds).map((h) => h.name));
}

function searched(thm: AnyTheorem, regimeName: string, ctx: SearchContext, p: Point): SearchedInstance {
  const { curves, ...rest } = p.outcome;
  return {
    params: plain(p.params),
    ...rest,
    start: p.start,
    accepted: p.accepted,
    curves,
    replay: { theorem: thm.id, regime: regimeName, engine: ctx.engine.id, backend: ctx.engine.backend, budget: ctx.budget },
  };
}

/**
 * Run the search for one regime, after its random draw. Returns undefined when the regime takes no
 * search (it does not expect `holds`, or turned it off).
 */
export async function targetedSearch(
  thm: AnyTheorem,
  regimeName: string,
  regime: Regime<unknown>,
  arb: Arbitrary<unknown>,
  drawn: readonly InstanceRecord[],
  ctx: SearchContext,
): Promise<SearchRecord | undefined> {
  const total = searchEvaluations(regime, ctx.budget, ctx.runs);
  const names = targets(thm);
  if (total === 0 || names.length === 0) return undefined;
  const randomWorst = (name: string) => {
    let best: { tightness: number | null; path: string | null } = { tightness: null, path: null };
    for (const i of drawn) {
      const t = tightnessOf(i, name);
      if (t !== null && (best.tightness === null || t > best.tightness)) best = { tightness: t, path: i.path };
    }
    return best;
  };
  const inDomain = (p: unknown) => {
    try {
      return arb.canShrinkWithoutContext(p);
    } catch {
      return false;
    }
  };
  const skip = (why: string): SearchRecord => ({
    method: METHOD,
    evaluations: 0,
    conclusions: names.map((conclusion) => ({ conclusion, random: randomWorst(conclusion), targeted: { tightness: null, evaluations: 0, improved: false, instance: null } })),
    violations: [],
    skipped: why,
  });
  const startable = drawn.filter((i) => inDomain(i.params));
  if (drawn.length > 0 && startable.length === 0)
    return skip("the regime's arbitrary cannot tell whether a perturbed instance belongs to it (it is built with .map or .chain), so no candidate could be kept inside the regime");

  const perConclusion = Math.floor(total / names.length);
  let spent = 0;
  const violations: SearchedInstance[] = [];
  const conclusions: SearchConclusion[] = [];

  for (const [ci, name] of names.entries()) {
    const random = randomWorst(name);
    const ranked = startable
      .map((i) => ({ i, t: tightnessOf(i, name) }))
      .filter((x): x is { i: InstanceRecord; t: number } => x.t !== null && Number.isFinite(x.t));
    // Inside the theorem regime first: if some drawn instance meets every hypothesis, start there.
    const met = ranked.filter((x) => x.i.hypothesesMet);
    const pool = (met.length > 0 ? met : ranked).sort((a, b) => b.t - a.t || a.i.index - b.i.index);
    const starts = pool.slice(0, Math.max(1, Math.min(MAX_STARTS, Math.floor(perConclusion / MIN_EVALUATIONS_PER_START))));
    let best: Point | null = null;
    let used = 0;
    for (const [si, s] of starts.entries()) {
      const budgetHere = Math.floor(perConclusion / starts.length) + (si === 0 ? perConclusion % starts.length : 0);
      const r = rng(ctx.seed, 7001 + 97 * ci + si);
      // The start is the drawn instance as it was checked (no evaluation spent on it again).
      const { index: _index, path: _path, params: startParams, ...startOutcome } = s.i;
      let current: Point = { params: startParams, outcome: { ...startOutcome, curves: [] }, tightness: s.t, start: s.i.path, accepted: 0 };
      if (!best || current.tightness > best.tightness) best = current;
      let sigma = 0.3;
      for (let e = 0; e < budgetHere; e++) {
        if (ctx.shouldStop()) ctx.interrupted();
        let params: unknown;
        let tries = 0;
        do params = propose(current.params, r, sigma);
        while (!inDomain(params) && ++tries < MAX_DRAWS_PER_PROPOSAL);
        if (tries >= MAX_DRAWS_PER_PROPOSAL) {
          sigma = Math.max(sigma * 0.5, 1e-6);
          continue;
        }
        const outcome = await checkParams(thm, params, ctx.engine, ctx.budget, perRunConclusions(thm));
        used++;
        spent++;
        ctx.onProgress?.(spent, total);
        const t = tightnessOf(outcome, name);
        const keepsHypotheses = [...metNames(current.outcome)].every((h) => metNames(outcome).has(h));
        const point: Point = { params, outcome, tightness: t ?? -Infinity, start: s.i.path, accepted: current.accepted + 1 };
        if (outcome.verdict === 'violated' && keepsHypotheses && violations.length < MAX_VIOLATIONS_KEPT) violations.push(searched(thm, regimeName, ctx, point));
        if (keepsHypotheses && t !== null && t >= current.tightness) {
          current = point;
          sigma = Math.min(sigma * 1.5, 2);
        } else sigma = Math.max(sigma * 0.85, 1e-6);
        if (current.tightness > best.tightness) best = current;
      }
    }
    const tightness = best ? best.tightness : null;
    const improved = best !== null && best.accepted > 0 && (random.tightness === null || best.tightness > random.tightness);
    conclusions.push({
      conclusion: name,
      random,
      // Without an improvement the worst instance is a drawn one, whose curves the result already has.
      targeted: { tightness, evaluations: used, improved, instance: best && best.accepted > 0 ? searched(thm, regimeName, ctx, best) : null },
    });
  }
  return { method: METHOD, evaluations: spent, conclusions, violations };
}

/**
 * The regime's expectation with the search's findings folded in: a violation the ascent reached is a
 * violation of the regime like a drawn one (a refutation when every hypothesis is met).
 */
export function withSearch(expectation: Result['expectation'], search: SearchRecord | undefined): Result['expectation'] {
  if (!search || search.violations.length === 0 || expectation.expected !== 'holds') return expectation;
  const v = search.violations[0];
  const worst = v.conclusions.find((c) => c.verdict === 'violated');
  const what = `${summaryText(v.summary)}${worst ? `, ${worst.name} tightness ${fmtRatio(worst.tightness)}` : ''}`;
  if (v.hypothesesMet) return { ...expectation, met: false, observed: `REFUTED by targeted search: violated with every hypothesis met (${what}); random draw: ${expectation.observed}` };
  return { ...expectation, met: false, observed: `targeted search reached a violation on an instance whose hypotheses were not all met (${what}); random draw: ${expectation.observed}` };
}

