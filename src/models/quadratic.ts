/**
 * Gradient descent on a quadratic f(x) = f* + ½ (x − x*)ᵀ A (x − x*), written in the error
 * e = x − x* so that the gap ½ eᵀAe is computed without cancellation against f*.
 */
import type { Engine, TfjsEngine } from '../engine/types.ts';
import { isTfjs } from '../engine/types.ts';
import type { Trace } from '../theorem/types.ts';

export interface Quadratic {
  readonly d: number;
  /** Symmetric d×d, row-major. */
  readonly A: Float64Array;
  readonly xStar: Float64Array;
}

export interface GdSettings {
  readonly x0: Float64Array;
  readonly eta: number;
  readonly steps: number;
}

export type QuadraticSeries = 'gap' | 'dist2';

export function quadraticGap(q: Quadratic, x: ArrayLike<number>): number {
  const { d, A, xStar } = q;
  let s = 0;
  for (let i = 0; i < d; i++) {
    let Ae = 0;
    for (let j = 0; j < d; j++) Ae += A[i * d + j] * (x[j] - xStar[j]);
    s += (x[i] - xStar[i]) * Ae;
  }
  return 0.5 * s;
}

export async function quadraticGD(engine: Engine, q: Quadratic, run: GdSettings): Promise<Trace<QuadraticSeries>> {
  return isTfjs(engine) ? gdTfjs(engine, q, run) : gdF64(q, run);
}

function gdF64(q: Quadratic, { x0, eta, steps }: GdSettings): Trace<QuadraticSeries> {
  const { d, A, xStar } = q;
  const gap = new Float64Array(steps + 1);
  const dist2 = new Float64Array(steps + 1);
  const e = new Float64Array(d);
  const Ae = new Float64Array(d);
  for (let i = 0; i < d; i++) e[i] = x0[i] - xStar[i];
  for (let k = 0; ; k++) {
    let g = 0;
    let s = 0;
    for (let i = 0; i < d; i++) {
      let v = 0;
      for (let j = 0; j < d; j++) v += A[i * d + j] * e[j];
      Ae[i] = v;
      g += e[i] * v;
      s += e[i] * e[i];
    }
    gap[k] = 0.5 * g;
    dist2[k] = s;
    if (!Number.isFinite(gap[k])) return { series: { gap, dist2 }, steps: k, stopped: `non-finite gap at step ${k}` };
    if (k === steps) return { series: { gap, dist2 }, steps };
    for (let i = 0; i < d; i++) e[i] -= eta * Ae[i];
  }
}

async function gdTfjs(engine: TfjsEngine, q: Quadratic, { x0, eta, steps }: GdSettings): Promise<Trace<QuadraticSeries>> {
  const { tf } = engine;
  const { d } = q;
  const gap = new Float64Array(steps + 1);
  const dist2 = new Float64Array(steps + 1);
  const A = tf.tensor2d(Float32Array.from(q.A), [d, d]);
  const e0 = new Float64Array(d);
  for (let i = 0; i < d; i++) e0[i] = x0[i] - q.xStar[i];
  let e = tf.tensor2d(Float32Array.from(e0), [d, 1]);
  try {
    for (let k = 0; ; k++) {
      const [g, s, next] = tf.tidy(() => {
        const Ae = tf.matMul(A, e);
        return [tf.mul(tf.sum(tf.mul(e, Ae)), 0.5), tf.sum(tf.square(e)), tf.sub(e, tf.mul(Ae, eta))];
      });
      gap[k] = g.dataSync()[0];
      dist2[k] = s.dataSync()[0];
      g.dispose();
      s.dispose();
      e.dispose();
      e = next;
      if (!Number.isFinite(gap[k])) return { series: { gap, dist2 }, steps: k, stopped: `non-finite gap at step ${k}` };
      if (k === steps) return { series: { gap, dist2 }, steps };
    }
  } finally {
    A.dispose();
    e.dispose();
  }
}
