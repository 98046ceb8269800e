/**
 * Adaptive methods and both momentum conventions, as gradient transformations (transform.ts), each
 * with the convention it follows named, since these are where implementations differ:
 *
 *   Adam (Kingma & Ba 2015, Algorithm 1)   m_t = β1 m + (1−β1) g,  v_t = β2 v + (1−β2) g²,
 *                                           θ −= α · m̂_t / (√v̂_t + ε),  m̂ = m/(1−β1^t), v̂ = v/(1−β2^t)
 *                                           (ε after the square root of the bias-corrected v̂: the
 *                                           paper's placement and tf.train.adam's)
 *   AMSGrad (Reddi, Kale & Kumar 2018, Alg. 2)  the same m, v; v̂_t = max(v̂_{t−1}, v_t);
 *                                           θ −= α_t m_t / √v̂_t  (no bias correction in the paper)
 *   Adagrad (Duchi, Hazan & Singer 2011)    G_t = G_0 + Σ g²,  θ −= η g / √G_t   (tf.train.adagrad:
 *                                           G_0 = 0.1 and ε inside the root, √(G_t + ε))
 *   RMSProp (Tieleman & Hinton 2012)        s_t = ρ s + (1−ρ) g²,  θ −= η g / √(s_t + ε)   (ε inside
 *                                           the root, as tf.train.rmsprop; PyTorch puts it outside)
 *   momentum, heavy-ball accumulate         a_t = μ a + g,  θ −= η a_t   (tf.train.momentum, PyTorch;
 *                                           Nesterov: θ −= η (g + μ a_t))
 *   momentum, EMA                           m_t = β m + (1−β) g,  θ −= η m_t   (equal to the
 *                                           accumulate form with η_acc = η (1−β): m_t = (1−β) a_t)
 *
 * Step sizes and β1 may be schedules in t = 1, 2, ... (α_t = α/√t and β1,t = β1 λ^{t−1} in Kingma
 * & Ba's Theorem 4.1). Everything is float64; the tfjs optimizers are compared in test/adaptive-optim.test.ts.
 */
import { chain, scale, scaleBySchedule, trace, type GradientTransformation, type Params, type Updates } from './transform.ts';

/** A constant, or a function of the step t = 1, 2, ... */
export type Schedule = number | ((t: number) => number);

function at(s: Schedule, t: number): number {
  return typeof s === 'number' ? s : s(t);
}

/** u = −η_t g with t = 1, 2, ... (a learning rate, constant or scheduled). */
export function scaleByLearningRate(lr: Schedule): GradientTransformation<unknown> {
  return typeof lr === 'number' ? scale(-lr) : scaleBySchedule((t) => -lr(t + 1));
}

export interface AdamOptions {
  readonly beta1?: Schedule;
  readonly beta2?: number;
  /** Added after the square root of v̂ (default 1e-8, Kingma & Ba's default; tfjs defaults to its backend's 1e-7). */
  readonly eps?: number;
  /** Divide m by 1 − Π β1,s and v by 1 − β2^t (default true: Algorithm 1). */
  readonly biasCorrection?: boolean;
}

export interface AdamState {
  readonly t: number;
  /** Π_{s ≤ t} β1,s (β1^t for a constant β1), and β2^t: the bias-correction products. */
  readonly beta1Prod: number;
  readonly beta2Prod: number;
  readonly m: Float64Array[];
  readonly v: Float64Array[];
  /** AMSGrad's running maximum of v (null for Adam). */
  readonly vMax: Float64Array[] | null;
}

function moments(amsgrad: boolean, { beta1 = 0.9, beta2 = 0.999, eps = 1e-8, biasCorrection = true }: AdamOptions): GradientTransformation<AdamState> {
  return {
    init: (p) => ({ t: 0, beta1Prod: 1, beta2Prod: 1, m: p.map((b) => new Float64Array(b.length)), v: p.map((b) => new Float64Array(b.length)), vMax: amsgrad ? p.map((b) => new Float64Array(b.length)) : null }),
    update(g: Params, s) {
      const t = s.t + 1;
      const b1 = at(beta1, t);
      const beta1Prod = s.beta1Prod * b1;
      const beta2Prod = s.beta2Prod * beta2;
      const c1 = biasCorrection ? 1 - beta1Prod : 1;
      const c2 = biasCorrection ? 1 - beta2Prod : 1;
      // Plain loops (not map with closures): the same arithmetic, several times faster on the
      // 10⁴-parameter networks some theorems train.
      const m: Float64Array[] = [];
      const v: Float64Array[] = [];
      const vMax: Float64Array[] | null = s.vMax ? [] : null;
      const updates: Updates = [];
      for (let i = 0; i < g.length; i++) {
        const gi = g[i], mPrev = s.m[i], vPrev = s.v[i], vMaxPrev = s.vMax?.[i];
        const mi = new Float64Array(gi.length), vi = new Float64Array(gi.length), ui = new Float64Array(gi.length);
        const vMaxI = vMaxPrev ? new Float64Array(gi.length) : null;
        for (let j = 0; j < gi.length; j++) {
          const gj = gi[j];
          mi[j] = b1 * mPrev[j] + (1 - b1) * gj;
          vi[j] = beta2 * vPrev[j] + (1 - beta2) * gj * gj;
          let denom = vi[j];
          if (vMaxI) denom = vMaxI[j] = Math.max(vMaxPrev![j], vi[j]);
          ui[j] = mi[j] / c1 / (Math.sqrt(denom / c2) + eps);
        }
        m.push(mi);
        v.push(vi);
        updates.push(ui);
        if (vMax) vMax.push(vMaxI!);
      }
      return { updates, state: { t, beta1Prod, beta2Prod, m, v, vMax } };
    },
  };
}

/** Adam's direction m̂/(√v̂ + ε), before the learning rate (optax's scale_by_adam). */
export function scaleByAdam(o: AdamOptions = {}): GradientTransformation<AdamState> {
  return moments(false, o);
}

/** AMSGrad's direction m/(√v̂ + ε) with v̂ the running max of v; by default without bias correction, as Reddi et al. write it. */
export function scaleByAmsgrad(o: AdamOptions = {}): GradientTransformation<AdamState> {
  return moments(true, { eps: 0, biasCorrection: false, ...o });
}

/** Adam (Kingma & Ba 2015, Algorithm 1): θ −= α_t m̂_t / (√v̂_t + ε). */
export function adam(lr: Schedule, o: AdamOptions = {}): GradientTransformation<unknown> {
  return chain(scaleByAdam(o), scaleByLearningRate(lr));
}

/** AMSGrad (Reddi, Kale & Kumar 2018, Algorithm 2): θ −= α_t m_t / √v̂_t, v̂_t = max(v̂_{t−1}, v_t). */
export function amsgrad(lr: Schedule, o: AdamOptions = {}): GradientTransformation<unknown> {
  return chain(scaleByAmsgrad(o), scaleByLearningRate(lr));
}

/** Where ε goes in a root-of-squares denominator: √(s + ε) (`inside`, tfjs) or √s + ε (`outside`, PyTorch, Adam). */
export type EpsPlacement = 'inside' | 'outside';

function denominator(s: number, eps: number, placement: EpsPlacement): number {
  return placement === 'inside' ? Math.sqrt(s + eps) : Math.sqrt(s) + eps;
}

export interface RssOptions {
  /** G_0 (default 0, Duchi et al.; tf.train.adagrad uses 0.1). */
  readonly initial?: number;
  readonly eps?: number;
  readonly placement?: EpsPlacement;
}

/** Adagrad's direction g / √(G_0 + Σ g²) (with ε where `placement` puts it). */
export function scaleByRss({ initial = 0, eps = 0, placement = 'inside' }: RssOptions = {}): GradientTransformation<{ G: Float64Array[] }> {
  return {
    init: (p) => ({ G: p.map((b) => new Float64Array(b.length).fill(initial)) }),
    update(g, { G }) {
      const next = g.map((b, i) => b.map((gj, j) => G[i][j] + gj * gj));
      return { updates: g.map((b, i) => b.map((gj, j) => gj / denominator(next[i][j], eps, placement))), state: { G: next } };
    },
  };
}

/** Adagrad: θ −= η g_t / √G_t. */
export function adagrad(lr: Schedule, o: RssOptions = {}): GradientTransformation<unknown> {
  return chain(scaleByRss(o), scaleByLearningRate(lr));
}

export interface RmsOptions {
  /** ρ, the decay of the mean square (default 0.9, tfjs's default). */
  readonly decay?: number;
  readonly eps?: number;
  readonly placement?: EpsPlacement;
}

/** RMSProp's direction g / √(s_t + ε), s_t = ρ s + (1−ρ) g². */
export function scaleByRms({ decay = 0.9, eps = 1e-8, placement = 'inside' }: RmsOptions = {}): GradientTransformation<{ s: Float64Array[] }> {
  return {
    init: (p) => ({ s: p.map((b) => new Float64Array(b.length)) }),
    update(g, { s }) {
      const next = g.map((b, i) => b.map((gj, j) => decay * s[i][j] + (1 - decay) * gj * gj));
      return { updates: g.map((b, i) => b.map((gj, j) => gj / denominator(next[i][j], eps, placement))), state: { s: next } };
    },
  };
}

/**
 * RMSProp: θ −= η g / √(s_t + ε); with momentum μ > 0 as tf.train.rmsprop does it, the scaled step
 * is accumulated: a_t = μ a + η g/√(s_t + ε), θ −= a_t.
 */
export function rmsprop(lr: Schedule, o: RmsOptions & { readonly momentum?: number } = {}): GradientTransformation<unknown> {
  const { momentum = 0, ...rms } = o;
  return momentum === 0 ? chain(scaleByRms(rms), scaleByLearningRate(lr)) : chain(scaleByRms(rms), scaleByLearningRate(lr), trace(momentum));
}

/** EMA of the gradients, m_t = β m + (1−β) g (m_0 = 0, no debiasing). */
export function ema(beta: number): GradientTransformation<{ m: Float64Array[] | null }> {
  return {
    init: () => ({ m: null }),
    update(g, { m }) {
      const next = g.map((b, i) => b.map((v, j) => (1 - beta) * v + (m ? beta * m[i][j] : 0)));
      return { updates: next.map((b) => Float64Array.from(b)), state: { m: next } };
    },
  };
}

/** Momentum, heavy-ball accumulate form (tf.train.momentum): a_t = μ a + g, θ −= η a_t; Nesterov: θ −= η (g + μ a_t). */
export function momentum(lr: Schedule, mu: number, { nesterov = false }: { readonly nesterov?: boolean } = {}): GradientTransformation<unknown> {
  if (!nesterov) return chain(trace(mu), scaleByLearningRate(lr));
  const lookahead: GradientTransformation<{ a: Float64Array[] | null }> = {
    init: () => ({ a: null }),
    update(g, { a }) {
      const next = g.map((b, i) => b.map((v, j) => v + (a ? mu * a[i][j] : 0)));
      return { updates: g.map((b, i) => b.map((v, j) => v + mu * next[i][j])), state: { a: next } };
    },
  };
  return chain(lookahead, scaleByLearningRate(lr));
}

/** Momentum, EMA form: m_t = β m + (1−β) g, θ −= η m_t. */
export function emaMomentum(lr: Schedule, beta: number): GradientTransformation<unknown> {
  return chain(ema(beta), scaleByLearningRate(lr));
}

/** Euclidean projection of every coordinate onto [lo, hi] (projected online methods on a box). */
export function projectBox(params: Params, lo: number, hi: number): Float64Array[] {
  return params.map((b) => b.map((v) => Math.min(hi, Math.max(lo, v))));
}
