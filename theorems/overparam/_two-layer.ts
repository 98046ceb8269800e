/**
 * Shared pieces of the two-layer ReLU theorems of Du, Zhai, Póczos & Singh (arXiv 1810.02054):
 * the data and initialisation every file draws the same way, the Gram matrices' spectra, and
 * float64 gradient descent that keeps the weights (for activation flips and Gram drift).
 * (Files starting with `_` are helpers, not theorems.)
 */
import { numerics, twoLayerF64Stepper, twoLayerLossGrad, type Objective, type TwoLayerRelu } from 'provably';

const { rng, unitRows, uniforms, normals, signs, reluGramInfinity, reluGramEmpirical, symEig } = numerics;

/** Unit-norm Gaussian inputs and labels uniform in [−1, 1], from one seed. */
export function unitData(n: number, d: number, dataSeed: number): { X: Float64Array; y: Float64Array } {
  return { X: unitRows(rng(dataSeed, 1), n, d), y: uniforms(rng(dataSeed, 2), n, -1, 1) };
}

/** w_r(0) ~ N(0, I_d), a_r ~ unif{±1}, from one seed (the streams du-two-layer-gd-rate uses). */
export function initialise(m: number, d: number, initSeed: number): { W0: Float64Array; a: Float64Array } {
  return { W0: normals(rng(initSeed, 1), m * d), a: signs(rng(initSeed, 2), m) };
}

export function twoLayerNet(n: number, d: number, m: number, dataSeed: number, initSeed: number): TwoLayerRelu {
  return { n, d, m, ...unitData(n, d, dataSeed), ...initialise(m, d, initSeed) };
}

/** λ0 = λmin(H∞) (clamped at 0: H∞ is positive semi-definite) and λmax(H∞). */
export function gramInfinitySpectrum(X: Float64Array, n: number, d: number): { lambda0: number; lambdaMax: number } {
  const { values } = symEig(reluGramInfinity(X, n, d));
  return { lambda0: Math.max(0, values[0]), lambdaMax: values[n - 1] };
}

/** λmin(H(W)) and ‖H(W) − H∞‖₂ (the largest |eigenvalue| of the symmetric difference). */
export function gramAt(X: Float64Array, n: number, d: number, W: Float64Array, m: number, Hinf = reluGramInfinity(X, n, d).data): { lambdaMin: number; deviation: number; H: Float64Array } {
  const H = reluGramEmpirical(X, n, d, W, m).data;
  const lambdaMin = symEig({ n, data: H }).values[0];
  return { lambdaMin, deviation: spectralNormOfDifference(H, Hinf, n), H };
}

/** ‖A − B‖₂ for symmetric n×n A and B. */
export function spectralNormOfDifference(A: Float64Array, B: Float64Array, n: number): number {
  const D = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) D[i] = A[i] - B[i];
  const { values } = symEig({ n, data: D });
  return Math.max(Math.abs(values[0]), Math.abs(values[n - 1]));
}

/**
 * Gradient descent on the first layer in float64 by the suite's stepper (the wasm kernel where it
 * loads), returning the weights after `steps` steps and the final squared residual. `outputScale`
 * replaces 1/√m by another scaling of the output layer (a mutation: mean-field 1/m).
 */
export function trainFirstLayer(net: TwoLayerRelu, eta: number, steps: number, outputScale?: number): { W: Float64Array; residual2: number } {
  const scaled = outputScale === undefined ? net : { ...net, a: net.a.map((v) => v * outputScale * Math.sqrt(net.m)) };
  const step = twoLayerF64Stepper(scaled, 'first');
  let residual2 = step.forward();
  for (let k = 0; k < steps && Number.isFinite(residual2); k++) {
    step.update(eta);
    residual2 = step.forward();
  }
  return { W: Float64Array.from(step.W), residual2 };
}

/** The fraction of (i, r) pairs whose activation 1{w_rᵀx_i ≥ 0} differs between W0 and W. */
export function flipFraction(X: Float64Array, n: number, d: number, W0: Float64Array, W: Float64Array, m: number): number {
  let flips = 0;
  for (let r = 0; r < m; r++)
    for (let i = 0; i < n; i++) {
      let z0 = 0;
      let z = 0;
      for (let c = 0; c < d; c++) {
        z0 += W0[r * d + c] * X[i * d + c];
        z += W[r * d + c] * X[i * d + c];
      }
      if (z0 >= 0 !== z >= 0) flips++;
    }
  return flips / (n * m);
}

/** max_r ‖w_r − w_r(0)‖₂. */
export function maxRowMove(W0: Float64Array, W: Float64Array, m: number, d: number): number {
  let best = 0;
  for (let r = 0; r < m; r++) {
    let s = 0;
    for (let c = 0; c < d; c++) s += (W[r * d + c] - W0[r * d + c]) ** 2;
    best = Math.max(best, s);
  }
  return Math.sqrt(best);
}

/**
 * L(W) = ½ Σ_i (f(W, a, x_i) − y_i)² as an objective of the first layer (a fixed), for the shared
 * gradient-flow integrator: one forward pass stores the pre-activations, the gradient reuses them
 * (∂L/∂w_r = (1/√m) a_r Σ_i r_i 1{w_rᵀx_i ≥ 0} x_i, the paper's convention at 0).
 */
export function firstLayerObjective(net: TwoLayerRelu): Objective {
  const { n, d, m, X, y, a } = net;
  const scale = 1 / Math.sqrt(m);
  const Z = new Float64Array(n * m);
  const res = new Float64Array(n);
  const forward = (W: ArrayLike<number>) => {
    let loss = 0;
    for (let i = 0; i < n; i++) {
      let u = 0;
      for (let r = 0; r < m; r++) {
        let z = 0;
        for (let c = 0; c < d; c++) z += W[r * d + c] * X[i * d + c];
        Z[i * m + r] = z;
        if (z > 0) u += a[r] * z;
      }
      res[i] = u * scale - y[i];
      loss += 0.5 * res[i] * res[i];
    }
    return loss;
  };
  return {
    d: m * d,
    value: forward,
    grad(W, out = new Float64Array(m * d)) {
      forward(W);
      out.fill(0);
      for (let r = 0; r < m; r++)
        for (let i = 0; i < n; i++) {
          if (Z[i * m + r] < 0) continue;
          const coef = scale * a[r] * res[i];
          for (let c = 0; c < d; c++) out[r * d + c] += coef * X[i * d + c];
        }
      return out;
    },
  };
}

/**
 * L(W, a) as an objective of both layers, θ = [W (m×d), a (m)], for the flow of Theorem 3.3: the
 * suite's reference gradient (twoLayerLossGrad, which also gives ∂L/∂a_r = (1/√m) Σ_i r_i relu(w_rᵀx_i)).
 */
export function bothLayersObjective(net: TwoLayerRelu): Objective {
  const { m, d } = net;
  // θ = (W, a), copied out with plain loops (Float64Array.from with a mapper cost as much as the gradient).
  const split = (theta: ArrayLike<number>) => {
    const W = new Float64Array(m * d);
    const a = new Float64Array(m);
    for (let i = 0; i < m * d; i++) W[i] = theta[i];
    for (let r = 0; r < m; r++) a[r] = theta[m * d + r];
    return { W, a };
  };
  return {
    d: m * d + m,
    value: (theta) => {
      const { W, a } = split(theta);
      return twoLayerLossGrad(net, W, a).loss;
    },
    grad(theta, out = new Float64Array(m * d + m)) {
      const { W, a } = split(theta);
      const { grad, gradA } = twoLayerLossGrad(net, W, a);
      out.set(grad, 0);
      out.set(gradA, m * d);
      return out;
    },
  };
}

/** The paper every file here encodes a claim of; each adds its own locator and fidelity. */
export const DU_2019 = {
  authors: ['Simon S. Du', 'Xiyu Zhai', 'Barnabás Póczos', 'Aarti Singh'],
  year: 2019,
  title: 'Gradient Descent Provably Optimizes Over-parameterized Neural Networks',
  arxiv: '1810.02054',
  venue: 'ICLR 2019',
} as const;
