/** Chandra et al. (2022), shared by the hyperoptimizer theorems: the citation and the problems. */
import { drawRegression, numerics, type Provenance, type RegressionProblem } from 'provably';

export const CHANDRA_2022: Omit<Provenance, 'locator' | 'fidelity' | 'fidelityNote'> = {
  authors: ['Kartik Chandra', 'Audrey Xie', 'Jonathan Ragan-Kelley', 'Erik Meijer'],
  year: 2022,
  title: 'Gradient Descent: The Ultimate Optimizer',
  arxiv: '1909.13371',
  venue: 'NeurIPS 2022',
};

export const CODE_NOTE =
  'The paper states no theorem. Read (for the research notes, theorems-A.md §7): the abstract, the opening of the NeurIPS text, and the authors’ library gdtuo (src/gradient_descent_the_ultimate_optimizer/gdtuo.py): SGD.step first steps its own optimizer (the level above), then sets params = p.detach() − g.detach()·alpha with alpha not detached, so the next loss depends on alpha through the last update only.';

/** The smoothness constant of the mean loss: λmax(XᵀX/n), a quarter of it for the logistic loss. */
export function smoothness(p: RegressionProblem): number {
  const G = new Float64Array(p.d * p.d);
  for (let i = 0; i < p.n; i++)
    for (let a = 0; a < p.d; a++) for (let b = 0; b < p.d; b++) G[a * p.d + b] += (p.X[i * p.d + a] * p.X[i * p.d + b]) / p.n;
  const top = numerics.symEig({ n: p.d, data: G }).values[p.d - 1];
  return p.loss === 'least-squares' ? top : top / 4;
}

export { drawRegression };
