/**
 * Per-step series of a tfjs trainer, read back from the device in chunks rather than once per
 * step. A readback is a synchronisation point and a few dozen microseconds of overhead: at small
 * widths that is a large share of a step. Each step hands over one rank-1 tensor holding that
 * step's values (one per series); every `chunk` steps they are concatenated and read at once.
 *
 * A run stops at the first step whose `stopOn` series is not finite, exactly as if it had been
 * read every step: entries after that step are zeroed, and the steps computed past it are
 * discarded. The result does not depend on the chunk size.
 */
import type { TfModule } from '../engine/types.ts';
import type { Trace } from '../theorem/types.ts';
import type { Tensor } from '@tensorflow/tfjs';

/** One step's value of one series: a scalar tensor, or a number known without the device. */
export type StepValue = Tensor | number;

export const DEFAULT_CHUNK = 64;

export class ChunkedSeries<S extends string> {
  readonly values: Record<S, Float64Array>;
  private pending: StepValue[][] = [];
  private firstPending = 0;
  /** The step at which the run stopped (non-finite `stopOn`), once known. */
  stoppedAt: number | null = null;

  constructor(
    private readonly tf: TfModule,
    private readonly names: readonly S[],
    private readonly steps: number,
    private readonly stopOn: S,
    private readonly chunk = DEFAULT_CHUNK,
  ) {
    this.values = Object.fromEntries(names.map((n) => [n, new Float64Array(steps + 1)])) as Record<S, Float64Array>;
  }

  /** Step k's values, in the order of `names`; the tensors are kept (and disposed) by the recorder. */
  push(k: number, values: readonly StepValue[]): void {
    if (values.length !== this.names.length) throw new RangeError(`expected ${this.names.length} series values, got ${values.length}`);
    if (this.pending.length === 0) this.firstPending = k;
    this.pending.push([...values]);
    if (this.pending.length >= this.chunk || k === this.steps) this.flush();
  }

  /** True once a non-finite value has been read: the caller stops stepping. */
  get stopped(): boolean {
    return this.stoppedAt !== null;
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const { tf, names } = this;
    const tensors = this.pending.flat().filter((v): v is Tensor => typeof v !== 'number');
    let data: ArrayLike<number> = [];
    if (tensors.length) {
      const stacked = tf.stack(tensors);
      data = stacked.dataSync();
      stacked.dispose();
    }
    tf.dispose(tensors);
    const rows = this.pending;
    this.pending = [];
    let t = 0;
    for (let j = 0; j < rows.length; j++) {
      const k = this.firstPending + j;
      for (let s = 0; s < names.length; s++) {
        const v = rows[j][s];
        const value = typeof v === 'number' ? v : data[t++];
        if (this.stoppedAt === null) this.values[names[s]][k] = value;
      }
      if (this.stoppedAt === null && !Number.isFinite(this.values[this.stopOn][k])) this.stoppedAt = k;
    }
  }

  /** Disposes anything not yet read (on an exception). */
  dispose(): void {
    this.tf.dispose(this.pending.flat().filter((v): v is Tensor => typeof v !== 'number'));
    this.pending = [];
  }
}

/** A tfjs trainer: one call per step returns that step's values in the series' order (and updates unless told not to). */
export interface TfjsStepper {
  /** The series of the current weights (the movements only when `moves`), then one step when `update`. */
  step(update: boolean, moves?: boolean): StepValue[];
  dispose(): void;
}

/**
 * Run `stepper` for `steps` steps (the last call only records), reading its series in chunks, and
 * stop at the first non-finite `stopOn` value (reported as `stopLabel`); the stepper is disposed
 * either way.
 */
export function traceStepper<S extends string>(tf: TfModule, stepper: TfjsStepper, names: readonly S[], steps: number, stopOn: S, stopLabel: string = stopOn, moves = true): Trace<S> {
  const series = new ChunkedSeries(tf, names, steps, stopOn);
  try {
    for (let k = 0; k <= steps && !series.stopped; k++) series.push(k, stepper.step(k < steps, moves));
    series.flush();
  } finally {
    series.dispose();
    stepper.dispose();
  }
  const k = series.stoppedAt;
  return k === null ? { series: series.values, steps } : { series: series.values, steps: k, stopped: `non-finite ${stopLabel} at step ${k}` };
}
