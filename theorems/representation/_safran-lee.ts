/** Safran & Lee (2022), shared by the ball-indicator theorems. */
import type { Provenance } from 'provably';

export const SAFRAN_LEE_2022: Omit<Provenance, 'locator' | 'fidelity' | 'fidelityNote'> = {
  authors: ['Itay Safran', 'Jason D. Lee'],
  year: 2022,
  title: 'Optimization-Based Separations for Neural Networks',
  arxiv: '2112.02393',
  venue: 'COLT 2022',
};

export const ABSTRACT_NOTE =
  'Read (for the research notes, theorems-B.md §9): the arXiv abstract, v1 and v2 — gradient descent learns ball indicators with a depth-2 network of two layers of sigmoidal activations whose hidden layer is held fixed; a random-features approach reduces the problem to a single neuron, with new tools for heavy-tailed data; v2 adds radial distributions on which ball indicators cannot be learned efficiently by any algorithm to accuracy better than Ω(d^{−4}), nor by standard gradient descent to better than a constant, by depth-2 networks with one layer of non-linearities. The theorem statements, the assumptions on the radial distribution and the hard distribution were not read.';

/** The logistic function, stably. */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}
