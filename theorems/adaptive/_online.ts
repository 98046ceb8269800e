/**
 * Adam and AMSGrad on periodic online linear problems (shared by the Kingma & Ba and Reddi et al.
 * files): the runs, the regret, and the data-dependent terms of Kingma & Ba's Theorem 4.1 bound,
 * Σ_i √(T v̂_{T,i}) and Σ_i ‖g_{1:T,i}‖₂, read from Adam's own state at every round.
 */
import { optim, playOnline, type PeriodicLinear } from 'provably';

export interface AdamSettings {
  /** α in α_t = α/√t. */
  readonly alpha: number;
  /** β1 in β1,t = β1 λ^{t−1}. */
  readonly beta1: number;
  readonly lambda: number;
  readonly beta2: number;
}

/** Kingma & Ba's Algorithm 1 with α_t = α/√t and β1,t = β1 λ^{t−1} (ε = 1e-8, bias-corrected), projected onto the box. */
export function adamOnline(p: PeriodicLinear, s: AdamSettings, x1: readonly number[], steps: number) {
  const method = optim.adam((t) => s.alpha / Math.sqrt(t), { beta1: (t) => s.beta1 * s.lambda ** (t - 1), beta2: s.beta2, eps: 1e-8 });
  const sumSq = new Float64Array(p.d);
  return playOnline(p, method, x1, steps, (state, t, g) => {
    const adam = (state as [optim.AdamState, unknown])[0];
    let sqrtTv = 0;
    let gnorm = 0;
    for (let i = 0; i < p.d; i++) {
      sqrtTv += Math.sqrt((t * adam.v[0][i]) / (1 - adam.beta2Prod));
      sumSq[i] += g[i] * g[i];
      gnorm += Math.sqrt(sumSq[i]);
    }
    return { sqrtTv, gnorm };
  });
}

/** Reddi et al.'s AMSGrad (Algorithm 2: v̂ the running max of v, no bias correction) with α_t = α/√t, projected. */
export function amsgradOnline(p: PeriodicLinear, s: AdamSettings, x1: readonly number[], steps: number) {
  return playOnline(p, optim.amsgrad((t) => s.alpha / Math.sqrt(t), { beta1: (t) => s.beta1 * s.lambda ** (t - 1), beta2: s.beta2, eps: 1e-12 }), x1, steps);
}

/** Reddi et al.'s instance: d = 1, F = [−1, 1], f_t(x) = Cx when t mod 3 = 1, else −x. */
export function reddiProblem(C: number): PeriodicLinear {
  return { d: 1, pattern: [[C], [-1], [-1]], radius: 1 };
}
