/** Gao, Gouk, Lee & Hospedales (2022), MetaMD, shared by the mirror-descent theorems. */
import type { Provenance } from 'provably';

export const METAMD_2022: Omit<Provenance, 'locator' | 'fidelity' | 'fidelityNote'> = {
  authors: ['Boyan Gao', 'Henry Gouk', 'Hae Beom Lee', 'Timothy M. Hospedales'],
  year: 2022,
  title: 'Meta Mirror Descent: Optimiser Learning for Fast Convergence',
  arxiv: '2203.02711',
};

export const ABSTRACT_NOTE =
  'Read (for the research notes, theorems-B.md §11): the abstract of arXiv 2203.02711 and of its ICLR 2023 submission (MetaMD: Principled Optimiser Meta-Learning for Deep Learning) — start from mirror descent, meta-learn the Bregman divergence, meta-objective the regret bound (the ICLR version: the rate of convergence), with convergence guarantees and no validation data. The parameterisation of the learned divergence and the exact bound minimised were not read.';
