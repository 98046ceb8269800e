/**
 * The order `--jobs` workers take regimes in: longest first (by what each cost the last time its
 * result was written to this results folder), so the longest regimes do not start last and leave
 * one core idle at the end. Regimes with no earlier result go first (they may be long). The order
 * changes nothing in any result: each regime's record does not depend on which worker ran it or when.
 */
import { existsSync, readFileSync } from 'node:fs';
import { legacyResultPath, resultPath, type Result } from '../record/result.ts';

type RunOnly = { run?: Partial<Result['run']>; regime?: { name?: string } };

/** Milliseconds the regime's last result took (CPU time when recorded, else wall time), or null. */
export function previousCost(resultsDir: string, theorem: string, regime: string): number | null {
  try {
    const file = [resultPath(resultsDir, theorem), legacyResultPath(resultsDir, theorem, regime)].find((f) => existsSync(f));
    if (!file) return null;
    // Only the `run` block, which no schema packs: no need to unpack the rest.
    const data = JSON.parse(readFileSync(file, 'utf8')) as RunOnly & { regimes?: RunOnly[] };
    const run = data.regimes ? data.regimes.find((e) => e.regime?.name === regime)?.run : data.run;
    const ms = run?.cpuMs ?? run?.durationMs;
    return typeof ms === 'number' && Number.isFinite(ms) ? ms : null;
  } catch {
    return null; // none yet, or unreadable: the check will overwrite it
  }
}

/** Indices of `costs` from the largest to the smallest, unknown (null) first, ties in list order. */
export function longestFirst(costs: readonly (number | null)[]): number[] {
  const key = (c: number | null) => (c === null ? Infinity : c);
  return costs.map((_, i) => i).sort((a, b) => key(costs[b]) - key(costs[a]) || a - b);
}

/**
 * Which of the items left (in the order they are handed out) a free worker takes: the first of a
 * theorem it has already run, else the first of a theorem no other worker has run, else the first.
 * What a theorem computes once per process (Chen et al.'s meta-trained optimizer, cached
 * trainings) is then reused by its other regimes instead of computed again in the other worker.
 * Returns a position in `left`.
 */
export function nextFor(left: readonly number[], theoremOf: (item: number) => string, mine: ReadonlySet<string>, others: ReadonlySet<string>): number {
  const warm = left.findIndex((i) => mine.has(theoremOf(i)));
  if (warm !== -1) return warm;
  const fresh = left.findIndex((i) => !others.has(theoremOf(i)));
  return fresh !== -1 ? fresh : 0;
}
