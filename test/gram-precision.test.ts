// H∞ against a 60-digit reference (mathjs BigNumber, i.e. decimal.js): the float64 rows are
// converted exactly, the angle is acos of the exact cosine, λ0 of a 2×2 block is closed form.
import { describe, expect, it } from 'vitest';
import { create, all, type BigNumber } from 'mathjs';
import { reluGramInfinity, lambdaMin, rng, normals } from '../src/numerics/index.ts';

const M = create(all, { number: 'BigNumber', precision: 60 });
const big = (x: number): BigNumber => M.bignumber(x);

function referenceGram(X: Float64Array, n: number, d: number): BigNumber[][] {
  const row = (i: number) => Array.from({ length: d }, (_, k) => big(X[i * d + k]));
  const dot = (a: BigNumber[], b: BigNumber[]) => a.reduce((s, v, k) => s.plus(v.times(b[k])), big(0));
  const pi = M.pi as unknown as BigNumber;
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => {
    const u = row(i), v = row(j);
    const ip = dot(u, v);
    const cos = ip.div(dot(u, u).sqrt().times(dot(v, v).sqrt()));
    // decimal.js's own comparisons: mathjs's min/max compare within a relative tolerance of 1e-12.
    const clamped = cos.gt(1) ? big(1) : cos.lt(-1) ? big(-1) : cos;
    const theta = i === j ? big(0) : (M.acos(clamped) as BigNumber);
    return ip.times(pi.minus(theta)).div(pi.times(2));
  }));
}

/** λmin of [[a, b], [b, c]] = (a + c)/2 − √(((a − c)/2)² + b²), in 60 digits. */
function referenceLambdaMin2(H: BigNumber[][]): BigNumber {
  const [a, b, c] = [H[0][0], H[0][1], H[1][1]];
  return a.plus(c).div(2).minus(a.minus(c).div(2).pow(2).plus(b.pow(2)).sqrt());
}

/** Two unit rows at angle θ in the plane, scaled by s and t. */
function pair(theta: number, s = 1, t = 1): Float64Array {
  return Float64Array.from([s, 0, t * Math.cos(theta), t * Math.sin(theta)]);
}

const EPS = 2 ** -52;
const relErr = (got: number, ref: BigNumber) => Math.abs(big(got).minus(ref).div(ref).toNumber());

/**
 * What float64 allows for λ0: rounding each entry of H to float64 alone moves an eigenvalue by up
 * to ‖ΔH‖₂ ≤ n·max|ΔH_ij| ≈ n·(ε/2)·max|H_ij| (Weyl); allow 8ε·max|H_ij| for the 2×2 blocks below.
 */
function expectLambda0(X: Float64Array) {
  const Href = referenceGram(X, 2, 2);
  const ref = referenceLambdaMin2(Href);
  const H = reluGramInfinity(X, 2, 2);
  const allowed = 8 * EPS * Math.max(...Array.from(H.data, Math.abs));
  const err = Math.abs(big(lambdaMin(H)).minus(ref).toNumber());
  expect(err, `λ0 = ${ref.toSignificantDigits(6)}, relative error ${relErr(lambdaMin(H), ref).toExponential(2)}`).toBeLessThan(allowed);
  return relErr(lambdaMin(H), ref);
}

describe('H∞ precision against a 60-digit reference', () => {
  for (const theta of [1e-3, 1e-6, 1e-8]) {
    it(`λ0 of two unit rows at angle ${theta}, within what float64 entries allow`, () => {
      // λ0 ≈ θ/(2π) is tiny, and acos(1 − θ²/2) loses half the digits of θ: at θ = 1e-6 the old
      // acos form was 7e-5 relative off, at 1e-8 it lost λ0 entirely.
      const rel = expectLambda0(pair(theta));
      if (theta >= 1e-6) expect(rel).toBeLessThan(1e-9);
    });
  }

  it('λ0 of nearly parallel rows that are not unit norm (norms 3 and 0.7, angle 1e-6)', () => {
    expectLambda0(pair(1e-6, 3, 0.7));
  });

  it('the diagonal is exactly ‖x_i‖²/2 for rows that are not unit norm', () => {
    const n = 8, d = 5;
    const X = normals(rng(21), n * d, 1.7);
    const H = reluGramInfinity(X, n, d);
    const ref = referenceGram(X, n, d);
    for (let i = 0; i < n; i++) expect(relErr(H.data[i * n + i], ref[i][i])).toBeLessThan(4 * EPS);
  });

  it('every entry of a random Gram matrix with near-duplicate rows agrees to 1e-13 relative', () => {
    const n = 6, d = 4;
    const base = normals(rng(22), 3 * d);
    const noise = normals(rng(23), 3 * d, 1e-7);
    const X = Float64Array.from([...base, ...base.map((v, k) => v * 2.5 + noise[k])]);
    const H = reluGramInfinity(X, n, d);
    const ref = referenceGram(X, n, d);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const r = ref[i][j];
      const scale = r.abs().gt(1e-300) ? r.abs() : big(1e-300);
      expect(Math.abs(big(H.data[i * n + j]).minus(r).div(scale).toNumber()), `H[${i}][${j}]`).toBeLessThan(1e-13);
    }
  });
});
