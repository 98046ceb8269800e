/**
 * `defineTheorem` checks a theorem file's spec when the file is loaded: the types catch most
 * mistakes at compile time, and this catches the rest (undeclared symbols in a bound, a theorem
 * with no way to fail, ...) with the field named. The registry adds the file name.
 */
import type { TheoremSpecInput, BoundConclusion, ComparisonConclusion, Conclusion, PerBudget, RegimeName, Regime, SlackSearch, TheoremSpec, TrendConclusion } from './types.ts';
import { compileExpr, ExprError, type CompiledExpr } from './expr.ts';

/** Ids name result folders and files: a 300-character id would fail with ENAMETOOLONG when its result is written. */
export const MAX_ID_LENGTH = 100;

export class TheoremSpecError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
    readonly file?: string,
  ) {
    super(`${file ? `${file}: ` : ''}field '${field}': ${problem}`);
  }
  inFile(file: string): TheoremSpecError {
    return new TheoremSpecError(this.field, this.problem, file);
  }
}

export interface CompiledBound {
  readonly bound: CompiledExpr;
  readonly floor: CompiledExpr;
  readonly trivial?: CompiledExpr;
}

export interface Theorem<P = any, I = any, K extends string = string, S extends string = string> {
  readonly spec: TheoremSpec<P, I, K, S>;
  readonly id: string;
  readonly family: string;
  /** Compiled expressions of each bound conclusion, by conclusion name. */
  readonly bounds: ReadonlyMap<string, CompiledBound>;
  readonly regimeNames: readonly RegimeName[];
}

export type AnyTheorem = Theorem<any, any, string, string>;

const ID = /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9.-]*$/;
const ARXIV = /^\d{4}\.\d{4,5}$/;
const REGIME = /^(theorem|proxy|proxy:[a-z0-9-]+|broken:[a-z0-9-]+)$/;
const KINDS = ['bound', 'identity', 'trend', 'comparison', 'counterexample'];
const FIDELITY = ['read', 'recalled', 'derived'];
const EXPECT = ['holds', 'violated', 'vacuous', 'observe'];
const ENGINES = ['f64', 'tfjs'];

function fail(field: string, problem: string): never {
  throw new TheoremSpecError(field, problem);
}

function nonEmptyString(v: unknown, field: string): void {
  if (typeof v !== 'string' || v.trim() === '') fail(field, `expected a non-empty string, got ${JSON.stringify(v)}`);
}

function isFunction(v: unknown, field: string): void {
  if (typeof v !== 'function') fail(field, `expected a function, got ${typeof v}`);
}

function isArbitrary(v: unknown): boolean {
  return typeof v === 'object' && v !== null && typeof (v as { generate?: unknown }).generate === 'function';
}

function record(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(field, 'expected an object');
  return v as Record<string, unknown>;
}

export function defineTheorem<P, I, K extends string, S extends string>(input: TheoremSpecInput<P, I, K, S>): Theorem<P, I, K, S> {
  const spec = input as TheoremSpec<P, I, K, S>;
  const s = spec as unknown as Record<string, unknown>;
  nonEmptyString(s.id, 'id');
  if (!ID.test(spec.id)) fail('id', `'${spec.id}' is not of the form <family>/<claim> (lower case, digits, '-')`);
  if (spec.id.length > MAX_ID_LENGTH) fail('id', `'${spec.id.slice(0, 40)}…' has ${spec.id.length} characters; ids have at most ${MAX_ID_LENGTH} (they name folders and files)`);
  nonEmptyString(s.title, 'title');
  nonEmptyString(s.statement, 'statement');
  if (!KINDS.includes(spec.kind)) fail('kind', `'${spec.kind}' is not one of ${KINDS.join(', ')}`);

  const prov = record(s.provenance, 'provenance');
  if (!Array.isArray(prov.authors) || prov.authors.length === 0) fail('provenance.authors', 'expected a non-empty list of names');
  if (typeof prov.year !== 'number' || !Number.isInteger(prov.year)) fail('provenance.year', 'expected a year');
  nonEmptyString(prov.title, 'provenance.title');
  nonEmptyString(prov.locator, 'provenance.locator');
  if (!FIDELITY.includes(prov.fidelity as string)) fail('provenance.fidelity', `expected one of ${FIDELITY.join(', ')}`);
  if (prov.arxiv !== undefined && !ARXIV.test(String(prov.arxiv))) fail('provenance.arxiv', `'${prov.arxiv}' is not an arXiv id like 1810.02054`);

  const engines = record(s.engines, 'engines');
  if (!Array.isArray(engines.supported) || engines.supported.some((e) => !ENGINES.includes(e)))
    fail('engines.supported', `expected a list drawn from ${ENGINES.join(', ')}`);
  if (!(engines.supported as string[]).includes(engines.default as string)) fail('engines.default', `'${engines.default}' is not in engines.supported`);

  for (const f of ['build', 'summarize', 'computeConstants', 'run'] as const) isFunction(s[f], f);

  const constants = record(s.constants, 'constants');
  for (const [name, info] of Object.entries(constants)) nonEmptyString(record(info, `constants.${name}`).tex, `constants.${name}.tex`);
  const series = record(s.series, 'series');
  if (Object.keys(series).length === 0) fail('series', 'a run must trace at least one series');
  for (const [name, info] of Object.entries(series)) nonEmptyString(record(info, `series.${name}`).tex, `series.${name}.tex`);

  if (!Array.isArray(s.hypotheses)) fail('hypotheses', 'expected a list');
  const hypNames = new Set<string>();
  spec.hypotheses.forEach((h, i) => {
    nonEmptyString(h?.name, `hypotheses[${i}].name`);
    nonEmptyString(h.tex, `hypotheses[${i}].tex`);
    isFunction(h.measure, `hypotheses[${i}].measure`);
    if (hypNames.has(h.name)) fail(`hypotheses[${i}].name`, `duplicate hypothesis name '${h.name}'`);
    hypNames.add(h.name);
  });

  // Bounds may read the traced series at step k as well as the constants; one name, one meaning.
  const clash = Object.keys(series).find((n) => n in constants);
  if (clash) fail(`series.${clash}`, `'${clash}' is both a constant and a series; a bound could not tell which it means`);
  const allowed = new Set([...Object.keys(constants), ...Object.keys(series)]);
  const bounds = new Map<string, CompiledBound>();
  if (!Array.isArray(s.conclusions) || spec.conclusions.length === 0) fail('conclusions', 'a theorem needs at least one conclusion');
  const names = new Set<string>();
  spec.conclusions.forEach((c: Conclusion<I, K, S>, i) => {
    const at = `conclusions[${i}]`;
    nonEmptyString(c?.name, `${at}.name`);
    if (names.has(c.name)) fail(`${at}.name`, `duplicate conclusion name '${c.name}'`);
    names.add(c.name);
    if (c.kind === 'bound') bounds.set(c.name, compileBound(c, at, allowed, series));
    else if (c.kind === 'identity') {
      nonEmptyString(c.tex, `${at}.tex`);
      isFunction(c.check, `${at}.check`);
      if (c.sides) for (const side of ['measured', 'against'] as const) if (!(c.sides[side] in series)) fail(`${at}.sides.${side}`, `'${c.sides[side]}' is not a traced series`);
    } else if (c.kind === 'trend') checkTrend(c, at);
    else if (c.kind === 'comparison') checkComparison(c, at);
    else fail(`${at}.kind`, `expected 'bound', 'identity', 'trend' or 'comparison', got ${JSON.stringify((c as { kind: unknown }).kind)}`);
  });
  if (spec.kind === 'bound' && bounds.size === 0) fail('conclusions', "a theorem of kind 'bound' needs at least one bound conclusion");
  if (spec.conclusions.every((c) => c.kind === 'bound' && c.soft)) fail('conclusions', 'every conclusion is soft: a theorem needs at least one conclusion that decides the verdict');
  if (spec.kind === 'trend' && !spec.conclusions.some((c) => c.kind === 'trend')) fail('conclusions', "a theorem of kind 'trend' needs at least one trend conclusion");
  if (spec.kind === 'comparison' && !spec.conclusions.some((c) => c.kind === 'comparison')) fail('conclusions', "a theorem of kind 'comparison' needs at least one comparison conclusion");

  const regimes = record(s.regimes, 'regimes');
  const regimeNames = Object.keys(regimes) as RegimeName[];
  if (regimeNames.length === 0) fail('regimes', 'a theorem needs at least one regime');
  for (const name of regimeNames) checkRegime(regimes[name] as Regime<P>, name);
  for (const name of regimeNames) checkSlack(spec, (regimes[name] as Regime<P>).slack, `regimes['${name}'].slack`);
  for (const name of regimeNames) checkRegimeConclusions(spec, (regimes[name] as Regime<P>).conclusions, `regimes['${name}'].conclusions`);
  if (!regimeNames.some((n) => (regimes[n] as Regime<P>).expect === 'violated'))
    fail('regimes', "no regime expects 'violated': every theorem must show the suite can catch its failure (add a broken:<hypothesis> regime)");

  if (spec.userInstance) {
    nonEmptyString(spec.userInstance.doc, 'userInstance.doc');
    isFunction(spec.userInstance.parse, 'userInstance.parse');
  }
  return Object.freeze({ spec, id: spec.id, family: spec.id.split('/')[0], bounds, regimeNames });
}

function compileBound<K extends string, S extends string>(c: BoundConclusion<K, S>, at: string, allowed: Set<string>, series: Record<string, unknown>): CompiledBound {
  if (!(c.measured in series)) fail(`${at}.measured`, `'${c.measured}' is not a traced series (series: ${Object.keys(series).join(', ')})`);
  if (c.relation !== '<=' && c.relation !== '>=') fail(`${at}.relation`, `expected '<=' or '>=', got ${JSON.stringify(c.relation)}`);
  if (c.from !== undefined && (!Number.isInteger(c.from) || c.from < 0)) fail(`${at}.from`, 'expected a non-negative integer');
  const compile = (field: 'bound' | 'floor' | 'trivial', src: unknown) => {
    nonEmptyString(src, `${at}.${field}`);
    try {
      return compileExpr(src as string, allowed);
    } catch (e) {
      if (e instanceof ExprError) fail(`${at}.${field}`, e.message);
      throw e;
    }
  };
  return { bound: compile('bound', c.bound), floor: compile('floor', c.floor), trivial: c.trivial === undefined ? undefined : compile('trivial', c.trivial) };
}

/** Seed counts of a trend, per budget. */
export function trendSeeds(c: Pick<TrendConclusion<any, string>, "seeds">, budget: 'ci' | 'full'): number {
  return typeof c.seeds === 'number' ? c.seeds : c.seeds[budget];
}

function checkTrend(c: TrendConclusion<any, string>, at: string): void {
  nonEmptyString(c.tex, `${at}.tex`);
  isFunction(c.observe, `${at}.observe`);
  for (const axis of ['x', 'y'] as const) {
    const a = record(c[axis], `${at}.${axis}`);
    nonEmptyString(a.name, `${at}.${axis}.name`);
    nonEmptyString(a.tex, `${at}.${axis}.tex`);
    if (a.scale !== 'linear' && a.scale !== 'log') fail(`${at}.${axis}.scale`, "expected 'linear' or 'log'");
  }
  if (c.statistic !== undefined) {
    nonEmptyString(c.statistic.name, `${at}.statistic.name`);
    isFunction(c.statistic.of, `${at}.statistic.of`);
  }
  const claim = record(c.claim, `${at}.claim`);
  if ('within' in claim) {
    const w = claim.within as unknown;
    if (!Array.isArray(w) || w.length !== 2 || !(w[0] < w[1])) fail(`${at}.claim.within`, 'expected [lo, hi] with lo < hi');
  } else if (!(claim.relation === '>' || claim.relation === '<') || !Number.isFinite(claim.value)) fail(`${at}.claim`, "expected { relation: '>' | '<', value } or { within: [lo, hi] }");
  if (c.test !== 't' && c.test !== 'sign') fail(`${at}.test`, "expected 't' (one-sample Student t) or 'sign' (exact sign test)");
  if (!(c.alpha > 0 && c.alpha < 0.5)) fail(`${at}.alpha`, 'expected a significance level in (0, 0.5)');
  for (const b of ['ci', 'full'] as const) {
    const n = trendSeeds(c, b);
    if (!Number.isInteger(n) || n < 3) fail(`${at}.seeds`, 'expected at least 3 seeds (an integer, or { ci, full })');
    // A test that cannot reach significance with this many seeds could never let the claim hold.
    if (c.test === 'sign' && 0.5 ** n >= c.alpha)
      fail(`${at}.seeds`, `the sign test with ${n} seeds gives p ≥ ${0.5 ** n}, never below alpha = ${c.alpha}: use more seeds (budget '${b}')`);
  }
}

function checkComparison(c: ComparisonConclusion<any, string>, at: string): void {
  nonEmptyString(c.tex, `${at}.tex`);
  isFunction(c.observe, `${at}.observe`);
  for (const m of ['a', 'b'] as const) nonEmptyString(record(c[m], `${at}.${m}`).name, `${at}.${m}.name`);
  if (c.a.name === c.b.name) fail(`${at}.b.name`, `both methods are named '${c.a.name}': a comparison needs two methods the reports can tell apart`);
  const m = record(c.measure, `${at}.measure`);
  nonEmptyString(m.name, `${at}.measure.name`);
  nonEmptyString(m.tex, `${at}.measure.tex`);
  if (m.better !== 'lower' && m.better !== 'higher') fail(`${at}.measure.better`, "expected 'lower' or 'higher'");
  if (m.scale !== 'linear' && m.scale !== 'log') fail(`${at}.measure.scale`, "expected 'linear' or 'log'");
  if (!Number.isFinite(c.margin)) fail(`${at}.margin`, `expected a finite number, got ${JSON.stringify(c.margin)}`);
  if (m.scale === 'log' && !(c.margin > 0)) fail(`${at}.margin`, `on a log measure the margin is a factor (1: A is better at all), expected > 0, got ${c.margin}`);
  if (c.test !== 't' && c.test !== 'sign') fail(`${at}.test`, "expected 't' (paired Student t) or 'sign' (exact sign test)");
  if (!(c.alpha > 0 && c.alpha < 0.5)) fail(`${at}.alpha`, 'expected a significance level in (0, 0.5)');
  // Too few seeds to decide is not an error here: the verdict is then `inconclusive`, never `holds`.
  for (const b of ['ci', 'full'] as const) {
    const n = trendSeeds(c, b);
    if (!Number.isInteger(n) || n < 1) fail(`${at}.seeds`, 'expected a positive integer (or { ci, full } of them)');
  }
  if (c.curves !== undefined)
    for (const axis of ['x', 'y'] as const) {
      const a = record(record(c.curves, `${at}.curves`)[axis], `${at}.curves.${axis}`);
      nonEmptyString(a.name, `${at}.curves.${axis}.name`);
      nonEmptyString(a.tex, `${at}.curves.${axis}.tex`);
      if (a.scale !== 'linear' && a.scale !== 'log') fail(`${at}.curves.${axis}.scale`, "expected 'linear' or 'log'");
    }
}

function checkRegime<P>(r: Regime<P>, name: string): void {
  const at = `regimes['${name}']`;
  if (!REGIME.test(name)) fail(at, `regime name '${name}' must be theorem, proxy, proxy:<name> or broken:<hypothesis>`);
  record(r, at);
  nonEmptyString(r.about, `${at}.about`);
  if (!isArbitrary(r.draw) && typeof r.draw !== 'function') fail(`${at}.draw`, 'expected a fast-check arbitrary or a function of the budget returning one');
  if (!EXPECT.includes(r.expect)) fail(`${at}.expect`, `expected one of ${EXPECT.join(', ')}`);
  if (r.runs !== undefined)
    for (const b of ['ci', 'full'] as const)
      if (!Number.isInteger(r.runs[b]) || r.runs[b] < 1) fail(`${at}.runs.${b}`, 'expected a positive integer');
  if (r.search !== undefined && r.search !== false) {
    const ev = record(r.search, `${at}.search`).evaluations as Record<string, unknown> | undefined;
    if (ev !== undefined)
      for (const b of ['ci', 'full'] as const)
        if (!Number.isInteger(ev[b]) || (ev[b] as number) < 0) fail(`${at}.search.evaluations.${b}`, 'expected a non-negative integer');
  }
  if (r.shrinksTo !== undefined) {
    if (r.expect !== 'violated') fail(`${at}.shrinksTo`, "only a regime that expects 'violated' has a counterexample to shrink");
    isFunction(r.shrinksTo.check, `${at}.shrinksTo.check`);
  }
}

function checkRegimeConclusions(spec: TheoremSpec<any, any, any, any>, names: readonly string[] | undefined, at: string): void {
  if (names === undefined) return;
  if (!Array.isArray(names) || names.length === 0) fail(at, 'expected a non-empty list of conclusion names');
  for (const n of names)
    if (!spec.conclusions.some((c) => c.name === n)) fail(at, `'${n}' is not a conclusion (conclusions: ${spec.conclusions.map((c) => c.name).join(', ')})`);
}

function positiveCount(v: PerBudget | undefined, field: string, min: number): void {
  if (v === undefined) return;
  for (const n of typeof v === 'number' ? [v] : [v.ci, v.full]) if (!Number.isInteger(n) || n < min) fail(field, `expected an integer ≥ ${min} (or { ci, full } of them)`);
}

function checkSlack<P>(spec: TheoremSpec<P, any, any, any>, searches: readonly SlackSearch<P>[] | undefined, at: string): void {
  if (searches === undefined) return;
  if (!Array.isArray(searches)) fail(at, 'expected a list of slack searches');
  searches.forEach((s, i) => {
    const f = `${at}[${i}]`;
    if (!spec.hypotheses.some((h) => h.name === s.hypothesis)) fail(`${f}.hypothesis`, `'${s.hypothesis}' is not a hypothesis (hypotheses: ${spec.hypotheses.map((h) => h.name).join(', ')})`);
    const c = spec.conclusions.find((x) => x.name === s.conclusion);
    if (!c) fail(`${f}.conclusion`, `'${s.conclusion}' is not a conclusion`);
    if (c.kind === 'trend' || c.kind === 'comparison') fail(`${f}.conclusion`, `'${s.conclusion}' is a ${c.kind}: a slack search needs a verdict per replicate (a bound or an identity)`);
    nonEmptyString(s.symbol, `${f}.symbol`);
    nonEmptyString(s.about, `${f}.about`);
    for (const fn of ['at', 'replicate'] as const) isFunction(s[fn], `${f}.${fn}`);
    const r = record(s.range, `${f}.range`);
    if (!(typeof r.from === 'number' && typeof r.to === 'number' && r.from > 0 && r.to >= r.from && Number.isFinite(r.to)))
      fail(`${f}.range`, 'expected 0 < from ≤ to (the grid is log-spaced)');
    positiveCount(s.seeds, `${f}.seeds`, 1);
    positiveCount(s.grid, `${f}.grid`, 1);
    positiveCount(s.refine, `${f}.refine`, 0);
    if (s.target !== undefined && !(s.target > 0 && s.target <= 1)) fail(`${f}.target`, 'expected a fraction in (0, 1]');
  });
}
