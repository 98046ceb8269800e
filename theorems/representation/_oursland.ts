/** Oursland (2025), shared by the implicit-EM theorems: the citation and the log-sum-exp pieces. */
import { fc, type Provenance } from 'provably';

export const OURSLAND_2025: Omit<Provenance, 'locator' | 'fidelity' | 'fidelityNote'> = {
  authors: ['Alan Oursland'],
  year: 2025,
  title: 'Gradient Descent as Implicit EM in Distance-Based Neural Models',
  arxiv: '2512.24780',
};

export const READ_NOTE =
  "Read: the arXiv v1 abstract and HTML opening (\"for any objective with log-sum-exp structure over distances or energies, the gradient with respect to each distance is exactly the negative posterior responsibility … ∂L/∂d_j = −r_j\"). The author's repository (alanoursland/gradient_descent_as_implicit_em: paper/v1/sec-main-result.tex, paper/sec-limits.tex, experiments/verify_identities.py) was read for the research notes (theorems-B.md §3) but could not be fetched again for this file.";

/** r = softmax(−d), stably (shifted by min d). */
export function responsibilities(d: ArrayLike<number>): Float64Array {
  let lo = Infinity;
  for (let j = 0; j < d.length; j++) lo = Math.min(lo, d[j]);
  const e = Float64Array.from(d, (v) => Math.exp(lo - v));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** log Σ_j exp(−d_j), stably, in float64. */
export function logSumExpNeg(d: ArrayLike<number>): number {
  let lo = Infinity;
  for (let j = 0; j < d.length; j++) lo = Math.min(lo, d[j]);
  let s = 0;
  for (let j = 0; j < d.length; j++) s += Math.exp(lo - d[j]);
  return -lo + Math.log(s);
}

/** K distances in [−30, 30] (float32-safe: exp of a 60-wide span stays finite). */
export const distances = (minK: number, maxK: number) =>
  fc.array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: minK, maxLength: maxK });
