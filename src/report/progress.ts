/**
 * Progress of a long check, per theorem and regime: instances done, the current worst tightness,
 * and an estimate of the time left. On a terminal, two live bars (cli-progress): the whole check
 * and the regime running now, with finished regimes logged above them. Anywhere else (CI logs, a
 * pipe), plain lines: one when a regime starts, then one per `interval` while it runs.
 *
 * Estimates are plain extrapolation, elapsed / done × remaining, and say so with a `~`: regimes
 * differ in cost per instance, and shrinking a counterexample takes as long as it takes.
 */
import { MultiBar, type SingleBar } from 'cli-progress';
import { fmtRatio } from '../check/format.ts';
import type { Progress } from '../check/runner.ts';

export interface ProgressOptions {
  /** Where to write (stderr in the CLI). Bars are drawn only when `tty` is true. */
  readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly tty: boolean;
  /** The clock, in ms (tests pass their own). */
  readonly now?: () => number;
  /** Plain mode: least time between two lines about the same regime, in ms. Default 10 s. */
  readonly interval?: number;
}

export interface CheckProgress {
  /** A regime starts, with this many instances to draw. */
  begin(theorem: string, regime: string, instances: number): void;
  /** The runner's `onProgress`. */
  update(p: Progress): void;
  /** A line that must not be overwritten by the bars (a finished regime, a warning). */
  log(line: string): void;
  /** The current regime ended (finished or interrupted). */
  end(): void;
  /** The check ended: remove the bars. */
  stop(): void;
}

/**
 * `--progress auto|bars|plain`: bars need a terminal that moves the cursor, so `auto` draws them
 * only on a TTY whose TERM is not `dumb` and without NO_COLOR set (https://no-color.org).
 */
export function wantsBars(mode: 'auto' | 'bars' | 'plain', stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  if (mode !== 'auto') return mode === 'bars';
  return stream.isTTY === true && env.TERM !== 'dumb' && !env.NO_COLOR;
}

/** '~45 s', '~3 min 20 s', '~1 h 05 min' */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `~${s} s`;
  if (s < 3600) return `~${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `~${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** Time left by extrapolating the pace so far; null before anything is done. */
export function timeLeft(elapsedMs: number, done: number, total: number): number | null {
  if (done <= 0 || total <= done) return done >= total && total > 0 ? 0 : null;
  return (elapsedMs / done) * (total - done);
}

function describe(p: Progress, elapsed: number): string {
  const worst = `worst tightness ${fmtRatio(p.worstTightness)}${p.violated ? ` · ${p.violated} violated` : ''}`;
  if (p.phase === 'shrink') return `shrinking the counterexample: ${p.done} tried (at most ${p.total}) · ${worst}`;
  if (p.phase === 'search') return `targeted worst-case search: ${p.done}/${p.total} evaluations · ${worst}`;
  if (p.phase === 'slack') return `hypothesis-slack search: ${p.done}/${p.total} evaluations (at most)`;
  const left = timeLeft(elapsed, p.done, p.total);
  return `${p.done}/${p.total} instances · ${worst} · ${left === null ? 'estimating time left' : `${formatDuration(left)} left`}`;
}

interface Current {
  theorem: string;
  regime: string;
  total: number;
  started: number;
  last: Progress | null;
  lastLine: number;
}

/**
 * @param plan the regimes the check will run, with their instance counts, for the overall estimate.
 */
export function createProgress(opts: ProgressOptions, plan: readonly { readonly instances: number }[]): CheckProgress {
  const now = opts.now ?? (() => Date.now());
  const started = now();
  const totalInstances = plan.reduce((s, w) => s + w.instances, 0);
  let finishedInstances = 0;
  let finishedRegimes = 0;
  let current: Current | null = null;

  // No estimate for the whole check: instances of different theorems differ in cost by orders of
  // magnitude (a quadratic in microseconds, a network in seconds), so extrapolating across them
  // would mislead. Each regime's own estimate is shown instead, and the time spent so far.
  const overall = (): string => {
    const done = finishedInstances + (current?.last?.phase === 'draw' ? current.last.done : current?.last ? current.total : 0);
    return `${done}/${totalInstances} instances · ${finishedRegimes}/${plan.length} regimes · ${formatDuration(now() - started).slice(1)} so far`;
  };

  if (!opts.tty) {
    const interval = opts.interval ?? 10_000;
    const line = (s: string) => opts.stream.write(s + '\n');
    return {
      begin(theorem, regime, instances) {
        current = { theorem, regime, total: instances, started: now(), last: null, lastLine: now() };
        line(`… ${theorem} · ${regime}: ${instances} instances (${overall()})`);
      },
      update(p) {
        if (!current) return;
        current.last = p;
        if (p.phase === 'draw' && p.done >= p.total) return; // the regime's result line follows
        const t = now();
        if (t - current.lastLine < interval) return; // a quick regime prints only its start and result
        current.lastLine = t;
        line(`  ${p.theorem} · ${p.regime}: ${describe(p, t - current.started)}`);
      },
      log: line,
      end() {
        if (current) finishedInstances += current.total;
        finishedRegimes++;
        current = null;
      },
      stop() {},
    };
  }

  const bars = new MultiBar({
    stream: opts.stream,
    format: '{label} [{bar}] {info}',
    barsize: 20,
    barCompleteChar: '█',
    barIncompleteChar: '░',
    hideCursor: false, // a second Ctrl-C exits at once; a hidden cursor would outlive it
    gracefulExit: false, // the CLI handles SIGINT itself (finish the instance, keep finished regimes)
    clearOnComplete: true,
    linewrap: false,
    fps: 8,
  });
  const all = bars.create(Math.max(1, totalInstances), 0, { label: 'check', info: overall() });
  let bar: SingleBar | null = null;
  let lastDraw = -Infinity;
  const refreshAll = () => {
    const done = finishedInstances + (current?.last?.phase === 'draw' ? current.last.done : current?.last ? current.total : 0);
    all.update(Math.min(done, totalInstances), { label: 'check', info: overall() });
  };
  return {
    begin(theorem, regime, instances) {
      current = { theorem, regime, total: instances, started: now(), last: null, lastLine: 0 };
      bar = bars.create(Math.max(1, instances), 0, { label: `${theorem} · ${regime}`, info: 'starting' });
      refreshAll();
    },
    update(p) {
      if (!current || !bar) return;
      current.last = p;
      const elapsed = now() - current.started;
      if (p.phase !== 'draw') bar.setTotal(Math.max(1, p.total));
      bar.update(p.done, { label: `${p.theorem} · ${p.regime}`, info: describe(p, elapsed) });
      refreshAll();
      // Training runs long stretches without yielding to timers, so cli-progress's own redraw timer
      // may never fire during a regime: redraw here, at most every 100 ms.
      const t = now();
      if (t - lastDraw >= 100) {
        lastDraw = t;
        bars.update();
      }
    },
    log(line) {
      bars.log(line + '\n');
      bars.update(); // flush now: cli-progress would print it at the next frame
    },
    end() {
      if (current) finishedInstances += current.total;
      finishedRegimes++;
      current = null;
      if (bar) bars.remove(bar);
      bar = null;
      refreshAll();
    },
    stop() {
      bars.update();
      bars.stop();
    },
  };
}
