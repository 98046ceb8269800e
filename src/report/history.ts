/**
 * The results store: every `provably check` adds one file to `<out>/history/`, a compact record of
 * each regime it finished (verdict counts per conclusion, worst tightness, the bounds as written,
 * settings, and digests). The index compares the current results with the previous run of each
 * regime and flags any claim that used to hold and now does not.
 *
 * Why plain JSON files, one per run, rather than an embedded database: a run's file is written
 * atomically and never edited by another run, so shards on several machines, branches and CI
 * merge by copying files (git merges them without conflicts); the store is readable and diffable
 * online next to the committed reports; and it needs no native module. A run is a few KB per
 * regime, so a year of daily full checks is a few MB.
 *
 * Determinism: the comparison is a function of the result files and the history files only; the
 * only times it prints are the previous runs' start times, in the index's separate history section.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fmtRatio } from '../check/format.ts';
import { parseResultJson, RESULT_SCHEMA, serialize, slimResult, writeAtomic, type Counts, type Result } from '../record/result.ts';

export const HISTORY_SCHEMA = 'provably.history/1';

export interface ConclusionHistory {
  readonly name: string;
  readonly kind: 'bound' | 'identity' | 'trend' | 'comparison';
  /** The bound as the theorem file writes it (a mathjs expression), or the identity's TeX. */
  readonly statement: string;
  /** Instances where this conclusion held, was violated, vacuous, inconclusive. */
  readonly holds: number;
  readonly violated: number;
  readonly vacuous: number;
  readonly inconclusive: number;
  readonly tightness: number | null;
}

export interface HistoryEntry {
  readonly theorem: string;
  readonly regime: string;
  readonly expect: Result['regime']['expect'];
  /** sha256 of the result without its `run` block: equal digests, identical outcomes. */
  readonly digest: string;
  /** The result schema whose slimmed record the digest is of (absent in entries before provably.result/3). */
  readonly digestOf?: string;
  /** sha256 of the theorem record (statement, hypotheses, conclusions, regimes): changes when the claim's encoding does. */
  readonly fingerprint: string;
  readonly settings: { readonly seed: number; readonly budget: string; readonly runs: number; readonly engine: string };
  readonly counts: Counts;
  readonly expectation: Result['expectation'];
  readonly conclusions: readonly ConclusionHistory[];
  readonly hypotheses: readonly string[];
}

export interface HistoryRun {
  readonly schema: typeof HISTORY_SCHEMA;
  /** Unique and sortable: the start time and process id. */
  readonly id: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  /** The command line, e.g. `check classic/* --budget ci`. */
  readonly command: string;
  readonly provably: string;
  readonly commit: string | null;
  readonly node: string;
  /** False while the check runs and when it was interrupted: the entries are the regimes it finished. */
  readonly complete: boolean;
  readonly entries: readonly HistoryEntry[];
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Of the record as its file stores it (slimmed: the same digest before writing and after reading, from either schema). */
export function resultDigest(r: Result): string {
  const { run: _run, ...rest } = slimResult(r);
  return sha256(serialize(rest));
}

export function historyEntryOf(r: Result): HistoryEntry {
  const conclusions = r.theorem.conclusions.map((c): ConclusionHistory => {
    const tally = { holds: 0, violated: 0, vacuous: 0, inconclusive: 0 };
    for (const inst of r.instances) {
      const o = (inst.confirmation?.conclusions ?? inst.conclusions).find((x) => x.name === c.name);
      if (o) tally[o.verdict]++;
    }
    const worst = r.worst.find((w) => w.conclusion === c.name)?.tightness ?? null;
    return { name: c.name, kind: c.kind, statement: c.kind === 'bound' ? `${c.relation ?? '<='} ${c.bound}` : c.kind === 'trend' && c.trend ? `${c.tex}: ${c.trend.claimText}` : c.kind === 'comparison' && c.comparison ? `${c.tex}: ${c.comparison.claimText} (${c.comparison.test} test, α = ${c.comparison.alpha})` : c.tex, ...tally, tightness: worst };
  });
  const e = r.settings.engine;
  return {
    theorem: r.theorem.id,
    regime: r.regime.name,
    expect: r.regime.expect,
    digest: resultDigest(r),
    digestOf: RESULT_SCHEMA,
    fingerprint: sha256(serialize(r.theorem)),
    settings: { seed: r.settings.seed, budget: r.settings.budget, runs: r.settings.runs, engine: `${e.id}/${e.backend}` },
    counts: r.counts,
    expectation: r.expectation,
    conclusions,
    hypotheses: r.theorem.hypotheses.map((h) => `${h.name}: ${h.tex}`),
  };
}

/** The run being recorded: its file is rewritten (atomically) as each regime finishes. */
export class HistoryRecorder {
  private readonly entries: HistoryEntry[] = [];
  private run: Omit<HistoryRun, 'entries' | 'complete' | 'finishedAt'>;
  readonly path: string;

  constructor(
    readonly dir: string,
    info: { command: string; startedAt?: Date },
  ) {
    const startedAt = (info.startedAt ?? new Date()).toISOString();
    const id = `${startedAt.replace(/[:.]/g, '-')}-${process.pid}`;
    this.run = { schema: HISTORY_SCHEMA, id, startedAt, command: info.command, provably: '', commit: null, node: process.version };
    this.path = join(dir, `${id}.json`);
  }

  /** Record a finished regime; the run's version and commit are the results' own. */
  add(r: Result): void {
    if (this.entries.length === 0) this.run = { ...this.run, provably: r.run.provably, commit: r.run.commit, node: r.run.node };
    this.entries.push(historyEntryOf(r));
    this.write(false);
  }

  /** Mark the run complete (or not, when interrupted); a run that finished no regime leaves no file. */
  finish(complete: boolean): void {
    if (this.entries.length > 0) this.write(complete);
  }

  private write(complete: boolean): void {
    const run: HistoryRun = { ...this.run, finishedAt: complete ? new Date().toISOString() : null, complete, entries: this.entries };
    writeAtomic(this.path, historyText(run));
  }
}

/** A run's file: its fields one per line, each regime's entry on one line (a run of 134 regimes is half the size indented). */
export function historyText(run: HistoryRun): string {
  const plain = JSON.parse(serialize(run)) as Record<string, unknown>; // non-finite numbers as strings, as serialize writes them
  const field = ([k, v]: [string, unknown]) =>
    k === 'entries' && Array.isArray(v) && v.length > 0 ? `  "entries": [\n${v.map((e) => `    ${JSON.stringify(e)}`).join(',\n')}\n  ]` : `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`;
  return `{\n${Object.entries(plain).map(field).join(',\n')}\n}\n`;
}

export class HistoryFileError extends Error {}

/** Every run under `dir`, oldest first. A missing directory is an empty history. */
export function readHistory(dir: string): HistoryRun[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const runs = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const path = join(dir, f);
      let data: unknown;
      try {
        data = parseResultJson(readFileSync(path, 'utf8'));
      } catch (e) {
        throw new HistoryFileError(`${path}: not valid JSON (${(e as Error).message})`);
      }
      const schema = (data as { schema?: unknown })?.schema;
      if (schema !== HISTORY_SCHEMA) throw new HistoryFileError(`${path}: schema ${JSON.stringify(schema)} is not ${HISTORY_SCHEMA}`);
      return data as HistoryRun;
    });
  return runs.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export interface RunRef {
  readonly id: string;
  readonly startedAt: string;
  readonly commit: string | null;
}

export interface RegimeChange {
  readonly theorem: string;
  readonly regime: string;
  /** `new`: no earlier run; `removed`: the previous run had it, the results do not. */
  readonly status: 'new' | 'unchanged' | 'changed' | 'removed';
  readonly previous: RunRef | null;
  /** What changed, one phrase each (Markdown). */
  readonly changes: readonly string[];
  /** Conclusions that held on every instance before and are now violated on some. */
  readonly noLongerHold: readonly string[];
  /** The regime behaved as it expects before, and now does not. */
  readonly expectationLost: boolean;
}

export interface HistoryComparison {
  readonly runs: number;
  readonly changes: readonly RegimeChange[];
}

function regimeTally(c: Counts): string {
  if (c.violated > 0) return `violated ${c.violated}/${c.instances}`;
  if (c.holds > 0) return `holds ${c.holds}/${c.instances}`;
  if (c.vacuous > 0) return `vacuous ${c.vacuous}/${c.instances}`;
  return `inconclusive ${c.inconclusive}/${c.instances}`;
}

function conclusionTally(c: ConclusionHistory, of: number): string {
  if (c.violated > 0) return `violated ${c.violated}/${of}`;
  if (c.holds > 0) return `holds ${c.holds}/${of}`;
  if (c.vacuous > 0) return `vacuous ${c.vacuous}/${of}`;
  return `inconclusive ${c.inconclusive}/${of}`;
}

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

function differences(prev: HistoryEntry, now: HistoryEntry): { changes: string[]; noLongerHold: string[] } {
  const changes: string[] = [];
  const noLongerHold: string[] = [];
  for (const c of now.conclusions) {
    const p = prev.conclusions.find((x) => x.name === c.name);
    if (!p) {
      changes.push(`new conclusion ${c.name}: ${code(c.statement)}`);
      continue;
    }
    if (p.statement !== c.statement) changes.push(`${c.name}: ${code(p.statement)} → ${code(c.statement)}`);
    const before = conclusionTally(p, prev.counts.instances);
    const after = conclusionTally(c, now.counts.instances);
    const held = p.violated === 0 && p.holds > 0;
    if (now.expect !== 'violated' && held && c.violated > 0) noLongerHold.push(c.name);
    if (before !== after) changes.push(`${c.name}: ${before} → ${after}`);
    if (p.tightness !== c.tightness && (p.tightness === null || c.tightness === null || fmtRatio(p.tightness) !== fmtRatio(c.tightness)))
      changes.push(`${c.name}: worst tightness ${fmtRatio(p.tightness)} → ${fmtRatio(c.tightness)}`);
  }
  for (const p of prev.conclusions) if (!now.conclusions.some((c) => c.name === p.name)) changes.push(`conclusion ${p.name} removed`);
  if (prev.hypotheses.join('\n') !== now.hypotheses.join('\n')) {
    const gone = prev.hypotheses.filter((h) => !now.hypotheses.includes(h));
    const added = now.hypotheses.filter((h) => !prev.hypotheses.includes(h));
    changes.push(`hypotheses: ${[...gone.map((h) => `−${code(h)}`), ...added.map((h) => `+${code(h)}`)].join(', ') || 'reordered'}`);
  }
  if (prev.fingerprint !== now.fingerprint && changes.length === 0) changes.push('the theorem record (statement, provenance or regimes) changed');
  const s = (e: HistoryEntry) => `seed ${e.settings.seed}, budget ${e.settings.budget}, ${e.settings.runs} runs, ${e.settings.engine}`;
  if (s(prev) !== s(now)) changes.push(`settings: ${s(prev)} → ${s(now)}`);
  if (prev.expectation.met !== now.expectation.met)
    changes.push(now.expectation.met ? `now behaves as it expects (${now.expect}) ✅` : `**no longer behaves as it expects (${now.expect})** ❌: ${now.expectation.observed}`);
  // Digests of records slimmed for another schema differ whatever the runs did: say so rather than that the instances differ.
  if (changes.length === 0 && prev.digestOf !== now.digestOf) changes.push(`same verdicts; the earlier run's result was recorded in an older schema (${prev.digestOf ?? 'provably.result/2 or /1'}), so its details are not compared`);
  if (changes.length === 0) changes.push('same verdicts; the instances differ in detail (constants or curves)');
  return { changes, noLongerHold };
}

function ref(run: HistoryRun): RunRef {
  return { id: run.id, startedAt: run.startedAt, commit: run.commit };
}

/**
 * Compare each current result with the previous run of its regime. The current result's own run is
 * the latest one recorded with its digest (when it was recorded here at all); the previous run is
 * the one before that.
 */
export function compareWithHistory(results: readonly Result[], runs: readonly HistoryRun[]): HistoryComparison {
  const byRegime = new Map<string, { run: HistoryRun; entry: HistoryEntry }[]>();
  for (const run of runs)
    for (const entry of run.entries) {
      const key = `${entry.theorem}\u0000${entry.regime}`;
      const list = byRegime.get(key) ?? [];
      list.push({ run, entry });
      byRegime.set(key, list);
    }
  const changes: RegimeChange[] = [];
  const current = new Set<string>();
  for (const r of results) {
    const key = `${r.theorem.id}\u0000${r.regime.name}`;
    current.add(key);
    const list = byRegime.get(key) ?? [];
    const now = historyEntryOf(r);
    let own = -1;
    for (let i = list.length - 1; i >= 0; i--)
      if (list[i].entry.digest === now.digest) {
        own = i;
        break;
      }
    const prevAt = own >= 0 ? own - 1 : list.length - 1;
    const base = { theorem: r.theorem.id, regime: r.regime.name };
    if (prevAt < 0) {
      changes.push({ ...base, status: 'new', previous: null, changes: ['no earlier run recorded'], noLongerHold: [], expectationLost: false });
      continue;
    }
    const prev = list[prevAt];
    if (prev.entry.digest === now.digest) {
      changes.push({ ...base, status: 'unchanged', previous: ref(prev.run), changes: [], noLongerHold: [], expectationLost: false });
      continue;
    }
    const d = differences(prev.entry, now);
    changes.push({ ...base, status: 'changed', previous: ref(prev.run), changes: d.changes, noLongerHold: d.noLongerHold, expectationLost: prev.entry.expectation.met && !now.expectation.met });
  }
  // A regime of a theorem still in the results that its latest recorded run had, and the results lack.
  const theorems = new Set(results.map((r) => r.theorem.id));
  for (const [key, list] of byRegime) {
    if (current.has(key)) continue;
    const last = list[list.length - 1];
    if (!theorems.has(last.entry.theorem)) continue;
    changes.push({ theorem: last.entry.theorem, regime: last.entry.regime, status: 'removed', previous: ref(last.run), changes: [`not in the current results (last: ${regimeTally(last.entry.counts)})`], noLongerHold: [], expectationLost: false });
  }
  changes.sort((a, b) => (a.theorem < b.theorem ? -1 : a.theorem > b.theorem ? 1 : a.regime < b.regime ? -1 : a.regime > b.regime ? 1 : 0));
  return { runs: runs.length, changes };
}

/** '2026-11-28 19:20 UTC, commit 9ac35a6' */
export function runLabel(r: RunRef): string {
  const when = `${r.startedAt.slice(0, 10)} ${r.startedAt.slice(11, 16)} UTC`;
  return r.commit ? `${when}, commit ${r.commit.slice(0, 7)}` : when;
}

export function regressions(c: HistoryComparison): RegimeChange[] {
  return c.changes.filter((x) => x.noLongerHold.length > 0 || x.expectationLost);
}

