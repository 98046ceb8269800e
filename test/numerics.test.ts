import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eigs } from 'mathjs';
import { symEig, lambdaMin, symMatrix, reluGramInfinity, reluGramEmpirical, rng, unitRows, normals, orthogonal, fromSpectrum } from '../src/numerics/index.ts';

function randomSymmetric(seed: number, n: number): number[][] {
  const r = rng(seed);
  const A = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) A[i][j] = A[j][i] = r.normal();
  return A;
}

describe('symmetric eigenvalues', () => {
  it('match mathjs eigs on random symmetric matrices', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const A = randomSymmetric(seed, n);
        const ours = Array.from(symEig(symMatrix(A)).values);
        const theirs = (eigs(A).values as number[]).map(Number).sort((a, b) => a - b);
        const scale = Math.max(1, ...theirs.map(Math.abs));
        ours.forEach((v, i) => expect(Math.abs(v - theirs[i])).toBeLessThan(1e-10 * scale));
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('return orthonormal eigenvectors with small residual', () => {
    const n = 30;
    const A = symMatrix(randomSymmetric(3, n));
    const { values, vectors } = symEig(A, true);
    for (let j = 0; j < n; j++) {
      let res = 0;
      let norm = 0;
      for (let i = 0; i < n; i++) {
        let Av = 0;
        for (let k = 0; k < n; k++) Av += A.data[i * n + k] * vectors![k * n + j];
        res += (Av - values[j] * vectors![i * n + j]) ** 2;
        norm += vectors![i * n + j] ** 2;
      }
      expect(Math.sqrt(res)).toBeLessThan(1e-12);
      expect(Math.abs(norm - 1)).toBeLessThan(1e-12);
    }
  });

  it('recover a prescribed spectrum, including repeated and zero eigenvalues', () => {
    const spectrum = [0, 0, 1e-6, 1, 1, 5, 100];
    const A = fromSpectrum(orthogonal(rng(11), spectrum.length), spectrum);
    const got = Array.from(symEig({ n: spectrum.length, data: A }).values);
    got.forEach((v, i) => expect(v).toBeCloseTo(spectrum[i], 10));
  });

  it('handle 1×1 and diagonal matrices exactly', () => {
    expect(lambdaMin(symMatrix([[3]]))).toBe(3);
    expect(Array.from(symEig(symMatrix([[2, 0], [0, -1]])).values)).toEqual([-1, 2]);
  });
});

describe('ReLU Gram matrix H∞', () => {
  it('has 1/2 on the diagonal of unit inputs and is positive semi-definite', () => {
    const X = unitRows(rng(5), 12, 4);
    const H = reluGramInfinity(X, 12, 4);
    for (let i = 0; i < 12; i++) expect(H.data[i * 12 + i]).toBeCloseTo(0.5, 14);
    expect(lambdaMin(H)).toBeGreaterThan(0);
  });

  it('gives diag(1/2, 1/2) for an antiparallel pair and λ0 = 0 for identical inputs', () => {
    const anti = reluGramInfinity(Float64Array.from([1, -1]), 2, 1);
    expect(Array.from(anti.data, (v) => v + 0)).toEqual([0.5, 0, 0, 0.5]); // + 0 turns −0 into 0
    const same = reluGramInfinity(Float64Array.from([0.6, 0.8, 0.6, 0.8]), 2, 2);
    expect(Math.abs(lambdaMin(same))).toBeLessThan(1e-15);
  });

  it('clamps the cosine so nearly parallel rows do not produce NaN', () => {
    const x = [0.1 + 1e-17, Math.sqrt(1 - 0.01)];
    const H = reluGramInfinity(Float64Array.from([...x, ...x]), 2, 2);
    expect(H.data.every(Number.isFinite)).toBe(true);
  });

  it('matches the Monte-Carlo expectation E[x_iᵀx_j 1{wᵀx_i ≥ 0, wᵀx_j ≥ 0}] within sampling error', () => {
    const n = 6;
    const d = 3;
    const X = unitRows(rng(9), n, d);
    const m = 400_000;
    const W = normals(rng(10), m * d);
    const exact = reluGramInfinity(X, n, d);
    const mc = reluGramEmpirical(X, n, d, W, m);
    // Each entry is a mean of m bounded terms: standard error ≤ 0.5/√m ≈ 8e-4.
    for (let i = 0; i < n * n; i++) expect(Math.abs(mc.data[i] - exact.data[i])).toBeLessThan(4e-3);
  });
});
