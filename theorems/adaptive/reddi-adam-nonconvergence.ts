/**
 * Reddi, Kale & Kumar (2018), Theorem 1 and its fix: on the online problem f_t(x) = Cx if
 * t mod 3 = 1, −x otherwise, on [−1, 1] (C > 2, β1 = 0, β2 = 1/(1 + C²), α_t = α/√t), Adam is
 * pushed to x = +1 and stays there, so its average regret tends to 2(C − 2)/3 > 0 (each 3-round
 * block loses (C − 2) − (2 − C)), while AMSGrad, whose v̂ is the running maximum of v and so never
 * forgets the large gradient C, has average regret → 0.
 *
 * Three conclusions, each over seeds (a seed is a starting point x_1 ∈ [−1, 1]):
 *   - a trend: Adam's R_T/T at the largest T, divided by 2(C − 2)/3, lies in [0.95, 1.05];
 *   - a trend: AMSGrad's R_T/T decays (log–log slope in T below −1/4; O(√T) regret gives −1/2);
 *   - a comparison: AMSGrad's average regret at the largest T is below Adam's by a factor ≥ 5.
 * The broken regime ties β2 to nothing (β2 = 0.999, Adam's default): Adam then converges on this
 * instance, the first trend and the comparison fail (the paper's Theorem 2 builds another instance
 * for each β1 < √β2; this one needs β2 small).
 */
import { defineTheorem, fc, numerics, type Summary } from 'provably';
import { adamOnline, amsgradOnline, reddiProblem, type AdamSettings } from './_online.ts';

interface Params {
  readonly C: number;
  readonly alpha: number;
  /** 'tied': β2 = 1/(1 + C²) as the theorem needs; 'default': β2 = 0.999. */
  readonly beta2: 'tied' | 'default';
  readonly seed: number;
}

interface Instance {
  readonly p: Params;
  readonly settings: AdamSettings;
  /** Average regrets per seed and budget, computed once for all three conclusions. */
  readonly cache: Map<string, { T: number[]; adam: number[]; amsgrad: number[] }>;
}

const T_MAX = { ci: 3000, full: 10000 } as const;

/** R_T/T of Adam and AMSGrad at log-spaced T up to T_max, from x_1 drawn from the seed. */
function averages(q: Instance, seed: number, budget: 'ci' | 'full') {
  const key = `${budget}:${seed}`;
  const hit = q.cache.get(key);
  if (hit) return hit;
  const x1 = -1 + 2 * numerics.rng(q.p.seed * 1009 + seed, 5).uniform();
  const tMax = T_MAX[budget];
  const problem = reddiProblem(q.p.C);
  const adam = adamOnline(problem, q.settings, [x1], tMax).regret;
  const ams = amsgradOnline(problem, q.settings, [x1], tMax).regret;
  const T = Array.from({ length: 41 }, (_, i) => Math.round(10 * (tMax / 10) ** (i / 40)));
  const out = { T, adam: T.map((t) => adam[t] / t), amsgrad: T.map((t) => ams[t] / t) };
  q.cache.set(key, out);
  return out;
}

const draw = (beta2: Params['beta2']) =>
  fc.record({ C: fc.double({ min: 3, max: 10, noNaN: true }), alpha: fc.double({ min: 0.3, max: 1, noNaN: true }), beta2: fc.constant(beta2), seed: fc.integer({ min: 0, max: 2 ** 20 }) });

export default defineTheorem({
  id: 'adaptive/reddi-adam-nonconvergence',
  title: "Adam's average regret stays at 2(C − 2)/3 on Reddi, Kale & Kumar's online problem; AMSGrad's tends to 0",
  provenance: {
    authors: ['Sashank J. Reddi', 'Satyen Kale', 'Sanjiv Kumar'],
    year: 2018,
    title: 'On the Convergence of Adam and Beyond',
    arxiv: '1904.09237',
    venue: 'ICLR 2018',
    locator: 'Theorem 1 and §4 (AMSGrad)',
    fidelity: 'recalled',
    fidelityNote:
      'Read: the abstract ("We provide an explicit example of a simple convex optimization setting where Adam does not converge to the optimal solution ... endowing such algorithms with long-term memory of past gradients"). Recalled, not checked against the paper text: the instance (C > 2, β1 = 0, β2 = 1/(1 + C²), F = [−1, 1]) and AMSGrad as v̂_t = max(v̂_{t−1}, v_t) without bias correction. The limit 2(C − 2)/3 is derived here (x_t = 1 from some round on); the research notes reproduced it in numpy (C = 3: 0.693, 0.675, 0.669 at T = 300, 3000, 30000). Adam is run as Kingma & Ba\'s Algorithm 1 (bias-corrected, ε = 1e-8), AMSGrad with ε = 1e-12; both projected onto [−1, 1].',
  },
  kind: 'comparison',
  statement: String.raw`For $C>2$, $f_t(x)=Cx$ if $t\bmod 3=1$ and $f_t(x)=-x$ otherwise on $\mathcal F=[-1,1]$, with $\beta_1=0$, $\beta_2=1/(1+C^2)$ and $\alpha_t=\alpha/\sqrt t$: Adam's average regret $R_T/T\to 2(C-2)/3>0$, while AMSGrad ($\hat v_t=\max(\hat v_{t-1},v_t)$) has $R_T/T\to0$.`,
  engines: { default: 'f64', supported: ['f64'] },

  build: (p: Params): Instance => ({ p, settings: { alpha: p.alpha, beta1: 0, lambda: 0.5, beta2: p.beta2 === 'tied' ? 1 / (1 + p.C * p.C) : 0.999 }, cache: new Map() }),
  summarize: (q): Summary => ({ C: q.p.C, α: q.p.alpha, β2: q.settings.beta2 }),

  constants: {
    C: { tex: 'C' },
    beta2: { tex: '\\beta_2' },
    tiedBeta2: { tex: '1/(1+C^2)', about: 'the β2 the construction needs' },
    limit: { tex: '2(C-2)/3', about: "Adam's limiting average regret" },
  },
  computeConstants: (q) => ({ C: q.p.C, beta2: q.settings.beta2, tiedBeta2: 1 / (1 + q.p.C ** 2), limit: (2 * (q.p.C - 2)) / 3 }),

  hypotheses: [
    { name: 'C > 2', tex: 'C>2', measure: (_q, c) => ({ measured: c.C, relation: '>', required: 2 }), noSlack: 'a parameter of the construction' },
    { name: 'beta2 tied to C', tex: '\\beta_2\\le 1/(1+C^2)', measure: (_q, c) => ({ measured: c.beta2, relation: '<=', required: c.tiedBeta2 * (1 + 1e-12) }), noSlack: 'a parameter of the construction' },
  ],

  series: { regret: { tex: 'R_T', about: "Adam's regret from x_1 = 1 (the trends and the comparison run their own seeds)" } },
  async run(q) {
    const r = adamOnline(reddiProblem(q.p.C), q.settings, [1], 300);
    return { series: { regret: r.regret }, steps: 300 };
  },

  conclusions: [
    {
      kind: 'trend',
      name: 'Adam: average regret → 2(C − 2)/3',
      tex: 'R_T/T\\to 2(C-2)/3',
      x: { name: 'T', tex: 'T', scale: 'log' },
      y: { name: 'R_T/T ÷ 2(C − 2)/3', tex: '\\frac{R_T/T}{2(C-2)/3}', scale: 'linear' },
      statistic: { name: 'R_T/T ÷ 2(C − 2)/3 at the largest T', tex: '\\frac{R_T/T}{2(C-2)/3}\\big|_{T_{\\max}}', of: (o) => o.y[o.y.length - 1] },
      claim: { within: [0.95, 1.05] },
      test: 't',
      seeds: { ci: 6, full: 10 },
      alpha: 0.05,
      observe: async (q, c, { seed, budget }) => {
        const a = averages(q, seed, budget);
        return { x: a.T, y: a.adam.map((v) => v / c.limit) };
      },
    },
    {
      kind: 'trend',
      name: 'AMSGrad: average regret → 0',
      tex: 'R_T/T\\to 0',
      x: { name: 'T', tex: 'T', scale: 'log' },
      y: { name: 'R_T/T', tex: 'R_T/T', scale: 'log' },
      claim: { relation: '<', value: -0.25 },
      test: 't',
      seeds: { ci: 6, full: 10 },
      alpha: 0.05,
      observe: async (q, _c, { seed, budget }) => {
        const a = averages(q, seed, budget);
        // From T = 100 on (the first rounds are a transient from x_1).
        const from = a.T.findIndex((t) => t >= 100);
        return { x: a.T.slice(from), y: a.amsgrad.slice(from) };
      },
    },
    {
      kind: 'comparison',
      name: 'AMSGrad beats Adam',
      tex: 'R_T^{\\mathrm{AMSGrad}}/T<\\tfrac15R_T^{\\mathrm{Adam}}/T',
      about: 'average regret at the largest T, the two methods from the same x_1',
      a: { name: 'AMSGrad' },
      b: { name: 'Adam' },
      measure: { name: 'R_T/T', tex: 'R_T/T', better: 'lower', scale: 'log' },
      margin: 5,
      test: 'sign',
      seeds: { ci: 6, full: 10 },
      alpha: 0.05,
      curves: { x: { name: 'T', tex: 'T', scale: 'log' }, y: { name: 'average regret R_T/T', tex: 'R_T/T', scale: 'log' } },
      observe: async (q, _c, { seed, budget }) => {
        const a = averages(q, seed, budget);
        const last = a.T.length - 1;
        return { x: a.T, a: { value: a.amsgrad[last], curve: a.amsgrad }, b: { value: a.adam[last], curve: a.adam } };
      },
    },
  ],

  regimes: {
    theorem: {
      about: 'C ∈ [3, 10], α ∈ [0.3, 1], β1 = 0, β2 = 1/(1 + C²); seeds draw x_1 ∈ [−1, 1]',
      draw: draw('tied'),
      expect: 'holds',
      runs: { ci: 3, full: 8 },
    },
    'broken:beta2-tied-to-c': {
      about: "β2 = 0.999 (Adam's default) instead of 1/(1 + C²): v keeps the large gradient long enough, Adam converges here, and its average regret no longer stays at 2(C − 2)/3",
      draw: draw('default'),
      expect: 'violated',
      runs: { ci: 2, full: 6 },
      maxShrinks: 20,
    },
  },
});
