/** The chapter three adaptive files encode a claim of; each adds its own locator and fidelity. */
export const BENGIO_2012 = {
  authors: ['Yoshua Bengio'],
  year: 2012,
  title: 'Practical Recommendations for Gradient-Based Training of Deep Architectures',
  arxiv: '1206.5533',
  venue: 'Neural Networks: Tricks of the Trade, 2nd ed., LNCS 7700',
} as const;
