/** The paper both Zou files encode a claim of; each adds its own locator and fidelity. */
export const ZOU_2023 = {
  authors: ['Difan Zou', 'Yuan Cao', 'Yuanzhi Li', 'Quanquan Gu'],
  year: 2023,
  title: 'Understanding the Generalization of Adam in Learning Neural Networks with Proper Regularization',
  arxiv: '2108.11371',
  venue: 'ICLR 2023',
} as const;
