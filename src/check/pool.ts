/**
 * `provably check --jobs N`: whole regimes run in N worker processes (src/check/pool-worker.ts),
 * handed out one at a time in the given order (longest first), a worker taking the regimes of a
 * theorem it has run before others (src/check/schedule.ts nextFor), so a long regime does not hold up the
 * others (a static split like --shard can put the two slowest regimes on one core). The parent
 * stays the only writer of results, history and reports. A regime's result depends only on its
 * theorem, regime, seed, budget and engine, never on the process that ran it: the records are the
 * same bytes as a one-process check, except `run` (times and durations).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BackendId, EngineId } from '../engine/types.ts';
import { parseResultJson, type Result } from '../record/result.ts';
import type { Budget } from '../theorem/types.ts';
import { TheoremSpecError } from '../theorem/define.ts';
import { nextFor } from './schedule.ts';

export interface PoolOptions {
  readonly budget: Budget;
  readonly seed: number;
  readonly runs?: number;
  readonly engine?: EngineId;
  readonly backend?: BackendId;
  readonly timeLimit?: number;
}

export type ParentMessage =
  | { readonly type: 'init'; readonly theoremsDir: string; readonly options: PoolOptions }
  | { readonly type: 'run'; readonly index: number; readonly theorem: string; readonly regime: string }
  | { readonly type: 'stop' }
  | { readonly type: 'exit' };

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly index: number; readonly result: string }
  | { readonly type: 'interrupted'; readonly index: number; readonly message: string }
  | { readonly type: 'error'; readonly message: string; readonly theoremSpec?: { readonly field: string; readonly problem: string } };

export interface PoolEvents {
  /** Work item `index` started in worker `worker` (0-based). */
  started(index: number, worker: number): void;
  finished(index: number, r: Result): void;
  interrupted(index: number, message: string): void;
}

const ENTRY = fileURLToPath(new URL('./pool-entry.js', import.meta.url));

/**
 * Run `work` (theorem id and regime per item) on `jobs` workers. Resolves `{ interrupted }` once
 * every worker is done; rejects on a worker's error (after stopping the others), as the one-process
 * check throws.
 */
export function runPool(
  work: readonly { readonly theorem: string; readonly regime: string }[],
  jobs: number,
  theoremsDir: string,
  options: PoolOptions,
  on: PoolEvents,
  shouldStop: () => boolean,
  /** The order items are handed out in (indices into `work`; src/check/schedule.ts): list order by default. */
  order: readonly number[] = work.map((_, i) => i),
): Promise<{ interrupted: boolean }> {
  return new Promise((resolvePool, rejectPool) => {
    const left = [...order];
    const ran = new Map<number, Set<string>>(); // per worker: the theorems it has run
    let interrupted = false;
    let failed = false;
    let live = 0;
    const workers: ChildProcess[] = [];
    // However the parent ends (a second Ctrl-C exits at once), no worker outlives it: a worker
    // reparented to init would go on training at full CPU.
    const killAll = () => {
      for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    };
    process.on('exit', killAll);
    const send = (w: ChildProcess, m: ParentMessage) => {
      if (w.connected) w.send(m);
    };
    // The parent's Ctrl-C handler only sets a flag: pass it on to the workers.
    const watch = setInterval(() => {
      if (!shouldStop()) return;
      clearInterval(watch);
      for (const w of workers) send(w, { type: 'stop' });
    }, 200);
    const fail = (e: Error) => {
      if (failed) return;
      failed = true;
      clearInterval(watch);
      killAll(); // SIGKILL: a worker treats SIGTERM as "finish the instance", and nothing it computes now is read
      process.off('exit', killAll);
      rejectPool(e);
    };
    const dispatch = (w: ChildProcess, k: number) => {
      if (interrupted || shouldStop() || left.length === 0) return send(w, { type: 'exit' });
      const mine = ran.get(k) ?? ran.set(k, new Set()).get(k)!;
      const others = new Set([...ran].flatMap(([j, s]) => (j === k ? [] : [...s])));
      const [index] = left.splice(nextFor(left, (i) => work[i].theorem, mine, others), 1);
      mine.add(work[index].theorem);
      on.started(index, k);
      send(w, { type: 'run', index, ...work[index] });
    };
    const count = Math.max(1, Math.min(jobs, work.length));
    for (let k = 0; k < count; k++) {
      const w = fork(ENTRY, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      workers.push(w);
      live++;
      w.on('message', (m: WorkerMessage) => {
        if (failed) return;
        if (m.type === 'ready') dispatch(w, k);
        else if (m.type === 'result') {
          on.finished(m.index, parseResultJson(m.result) as Result);
          dispatch(w, k);
        } else if (m.type === 'interrupted') {
          interrupted = true;
          on.interrupted(m.index, m.message);
          send(w, { type: 'exit' });
        } else if (m.type === 'error') fail(m.theoremSpec ? new TheoremSpecError(m.theoremSpec.field, m.theoremSpec.problem) : new Error(`a --jobs worker failed: ${m.message}`));
      });
      w.on('error', (e) => fail(e));
      w.on('exit', (code, signal) => {
        live--;
        if (!failed && code !== 0 && !(signal === 'SIGINT' || signal === 'SIGTERM' || code === 130 || code === 143)) fail(new Error(`a --jobs worker exited with ${signal ?? `code ${code}`}`));
        if (live === 0 && !failed) {
          clearInterval(watch);
          process.off('exit', killAll);
          resolvePool({ interrupted: interrupted || (shouldStop() && left.length > 0) });
        }
      });
      send(w, { type: 'init', theoremsDir, options });
    }
  });
}
