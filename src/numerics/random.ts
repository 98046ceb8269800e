/**
 * Seeded float64 randomness for data and initialisations. Instances carry small integer seeds
 * (which fast-check draws and shrinks); the arrays they stand for are rebuilt from them here, so
 * a result file stays small and a replay rebuilds exactly the same data.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';

export interface Rng {
  /** Uniform in [0, 1), 53 random bits. */
  uniform(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
}

/** A stream for one purpose: the same (seed, stream) always gives the same numbers. */
export function rng(seed: number, stream = 0): Rng {
  const g = xoroshiro128plus((seed * 1_000_003 + stream * 7919) | 0);
  // Draw a few values first: nearby seeds start close together in xoroshiro's state.
  for (let i = 0; i < 8; i++) g.next();
  let spare: number | undefined;
  return {
    uniform: () => uniformFloat64(g),
    normal() {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      let u = 0;
      while (u === 0) u = uniformFloat64(g);
      const v = uniformFloat64(g);
      const radius = Math.sqrt(-2 * Math.log(u));
      spare = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
  };
}

export function normals(r: Rng, count: number, scale = 1): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = scale * r.normal();
  return out;
}

export function uniforms(r: Rng, count: number, lo = 0, hi = 1): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = lo + (hi - lo) * r.uniform();
  return out;
}

/** n rows of dimension d, each uniform on the unit sphere (row-major n×d). */
export function unitRows(r: Rng, n: number, d: number): Float64Array {
  const X = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    while (norm === 0) {
      norm = 0;
      for (let j = 0; j < d; j++) {
        const v = r.normal();
        X[i * d + j] = v;
        norm += v * v;
      }
    }
    norm = Math.sqrt(norm);
    for (let j = 0; j < d; j++) X[i * d + j] /= norm;
  }
  return X;
}

/** Random signs ±1. */
export function signs(r: Rng, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = r.uniform() < 0.5 ? -1 : 1;
  return out;
}

/** A Haar-random orthogonal d×d matrix (row-major): Gram–Schmidt on a Gaussian matrix, twice for stability. */
export function orthogonal(r: Rng, d: number): Float64Array {
  const Q = normals(r, d * d); // columns are Q[:, j]
  for (let j = 0; j < d; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let i = 0; i < d; i++) dot += Q[i * d + p] * Q[i * d + j];
        for (let i = 0; i < d; i++) Q[i * d + j] -= dot * Q[i * d + p];
      }
    }
    let norm = 0;
    for (let i = 0; i < d; i++) norm += Q[i * d + j] ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < d; i++) Q[i * d + j] /= norm;
  }
  return Q;
}
