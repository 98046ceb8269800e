/** ReduNet (Chan et al. 2020), shared by the rate-reduction theorems: the citation and the data. */
import { fc, numerics, normaliseColumns, type Features, type Provenance } from 'provably';

export const REDUNET_2020: Omit<Provenance, 'locator' | 'fidelity' | 'fidelityNote'> = {
  authors: ['Kwan Ho Ryan Chan', 'Yaodong Yu', 'Chong You', 'Haozhi Qi', 'John Wright', 'Yi Ma'],
  year: 2020,
  title: 'Deep Networks from the Principle of Rate Reduction',
  arxiv: '2010.14765',
};

export const CODE_NOTE =
  "Read for this file: the authors' code, Ma-Lab-Berkeley/ReduNet at f67a348 — loss.py (compute_loss_vec: R = ½ logdet(I + c ZᵀZ), c = d/(m·eps), R_c = Σ_j (m_j/(2m)) logdet(I + c_j Z_jᵀZ_j), c_j = d/(m_j·eps), so the code's eps is ε²; compute_loss_1d works per frequency) and redunet/layers/vector.py (compute_E = c(I + cZZᵀ)⁻¹, compute_Cs = c_j(I + c_j Z_jZ_jᵀ)⁻¹, compute_gam = m_j/m, forward Z ← normalize(Z + η(EZ − Σ_j γ_j C_j Z π̂_j))). The paper's text was not read beyond its abstract.";

/** k classes of m_j unit vectors each, around random unit directions with N(0, σ²) noise. */
export function clusters(d: number, sizes: readonly number[], sigma: number, seed: number): Features {
  const r = numerics.rng(seed, 1);
  const centres = sizes.map(() => {
    const v = numerics.normals(r, d);
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  });
  const labels = sizes.flatMap((s, j) => Array.from({ length: s }, () => j));
  const m = labels.length;
  const Z = new Float64Array(d * m);
  labels.forEach((j, i) => {
    const e = numerics.normals(r, d, sigma);
    for (let a = 0; a < d; a++) Z[a * m + i] = centres[j][a] + e[a];
  });
  normaliseColumns(Z, d, m);
  return { d, m, Z, labels, k: sizes.length };
}

export const seed = fc.integer({ min: 0, max: 2 ** 30 });
