/**
 * Gradients for exact-identity theorems, two independent ways: on the engine (tfjs: reverse-mode
 * autodiff in float32; f64: float64 central differences, there being no float64 autodiff), and
 * always by float64 central differences, so every autodiff identity is also checked in float64.
 */
import type { Scalar, Tensor1D } from '@tensorflow/tfjs';
import { isTfjs, type Engine, type TfModule } from '../engine/types.ts';

/** A scalar function of a vector, written once for float64 and once in tfjs ops. */
export interface DualFunction {
  readonly f64: (x: Float64Array) => number;
  readonly tf: (tf: TfModule, x: Tensor1D) => Scalar;
}

/**
 * Five-point central differences with step h: truncation error h⁴·|f⁽⁵⁾|/30 and rounding about
 * eps·|f|/h, about 1e-12 at h = 1e-3 for f and its derivatives of moderate size.
 */
export function centralDifferences(f: (x: Float64Array) => number, x: ArrayLike<number>, h = 1e-3): Float64Array {
  const p = Float64Array.from(x);
  const g = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const xi = p[i];
    const hi = h;
    const at = (t: number) => {
      p[i] = xi + t * hi;
      return f(p);
    };
    g[i] = (at(-2) - 8 * at(-1) + 8 * at(1) - at(2)) / (12 * hi);
    p[i] = xi;
  }
  return g;
}

/** ∇f(x) on the engine: tfjs autodiff (float32), or float64 central differences on f64. */
export function engineGradient(engine: Engine, f: DualFunction, x: ArrayLike<number>): Float64Array {
  if (!isTfjs(engine)) return centralDifferences(f.f64, x);
  const { tf } = engine;
  const g = tf.tidy(() => tf.grad((v) => f.tf(tf, v as Tensor1D))(tf.tensor1d(Array.from(x))));
  const out = Float64Array.from(g.dataSync());
  g.dispose();
  return out;
}

/** Largest |a_i − b_i|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return a.length === b.length ? m : Infinity;
}
