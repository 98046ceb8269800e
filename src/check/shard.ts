/**
 * Scale-out: `provably check --shard i/N` runs the i-th of N deterministic slices of the selected
 * (theorem, regime) work list. Item j (in the list's order: theorems by id, regimes as declared)
 * goes to shard (j mod N) + 1, so shards get about the same number of regimes and the slices
 * are disjoint and cover the list for any N. Each (theorem, regime) result is its own file, so
 * N shards, on one machine or many, write N disjoint sets of files that `provably report
 * --results dir1 dir2 ...` merges.
 */

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export class ShardError extends Error {}

export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new ShardError(`--shard '${text}' is not of the form i/N (e.g. 1/4)`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!(count >= 1 && index >= 1 && index <= count)) throw new ShardError(`--shard ${text}: need 1 ≤ i ≤ N`);
  return { index, count };
}

export function shardOf<T>(work: readonly T[], shard: Shard): T[] {
  return work.filter((_, j) => j % shard.count === shard.index - 1);
}

export function shardText(s: Shard): string {
  return `${s.index}/${s.count}`;
}
